from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from factcheck import views
from factcheck.review import views as review

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The editors' workbench.
    path("queue/", review.queue, name="queue"),
    path("queue/next/", review.next_item, name="next_item"),
    path("queue/dismiss/", review.bulk_dismiss, name="bulk_dismiss"),
    path("statements/<int:pk>/", review.statement_detail, name="statement"),
    path("statements/<int:pk>/assign/", review.statement_assign, name="statement_assign"),
    path("statements/<int:pk>/release/", review.statement_release, name="statement_release"),
    path("statements/<int:pk>/dismiss/", review.statement_dismiss, name="statement_dismiss"),
    path("statements/<int:pk>/restore/", review.statement_restore, name="statement_restore"),
    path("statements/<int:pk>/edit/", review.statement_edit, name="statement_edit"),
    path("statements/<int:pk>/speaker/", review.statement_speaker, name="statement_speaker"),
    path("statements/<int:pk>/speaker/new/", review.statement_new_speaker, name="statement_new_speaker"),
    path("statements/<int:pk>/tags/", review.statement_tags, name="statement_tags"),
    path("statements/<int:pk>/fact-check/", review.factcheck_start, name="factcheck_start"),
    path("speakers/options/", review.speaker_options, name="speaker_options"),
    path("speakers/merge/", review.speakers_merge, name="speakers_merge"),
    path("articles/<int:pk>/", review.article_detail, name="article"),
    path("desk/fact-checks/<int:pk>/", review.factcheck_edit, name="factcheck_edit"),
    path("desk/fact-checks/<int:pk>/submit/", review.factcheck_submit, name="factcheck_submit"),
    path("desk/fact-checks/<int:pk>/evidence/", review.evidence_add, name="evidence_add"),
    path("desk/fact-checks/<int:pk>/replies/", review.reply_add, name="reply_add"),
    path("admin/", admin.site.urls),
]
