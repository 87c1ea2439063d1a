from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from factcheck import views
from factcheck.factchecks import views as factchecks
from factcheck.publish import views as public
from factcheck.publish.feeds import FactChecksAtomFeed, FactChecksFeed
from factcheck.publish.sitemaps import SITEMAPS
from factcheck.review import views as review

# The admin's login form refuses an address over the login limit, as the site's does.
admin.site.login_form = views.AdminLoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask every page for /favicon.ico; a 404 there is a console error on each.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True)),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The editors' workbench.
    path("queue/", review.queue, name="queue"),
    path("queue/next/", review.next_item, name="next_item"),
    path("queue/dismiss/", review.bulk_dismiss, name="bulk_dismiss"),
    path("queue/bulk/", review.bulk_action, name="bulk_action"),
    path("queue/holders/", review.holders, name="holders"),
    path("queue/views/", review.saved_view_save, name="saved_view_save"),
    path("queue/views/<int:pk>/delete/", review.saved_view_delete, name="saved_view_delete"),
    path("inbox/", review.inbox, name="inbox"),
    path("inbox/read/", review.inbox_read, name="inbox_read"),
    path("inbox/email/", review.inbox_email, name="inbox_email"),
    path("statements/<int:pk>/", review.statement_detail, name="statement"),
    path("statements/<int:pk>/assign/", review.statement_assign, name="statement_assign"),
    path("statements/<int:pk>/release/", review.statement_release, name="statement_release"),
    path("statements/<int:pk>/assign-to/", review.statement_assign_to, name="statement_assign_to"),
    path("statements/<int:pk>/priority/", review.statement_priority, name="statement_priority"),
    path("statements/<int:pk>/notes/", review.statement_note, name="statement_note"),
    path("statements/<int:pk>/dismiss/", review.statement_dismiss, name="statement_dismiss"),
    path("statements/<int:pk>/restore/", review.statement_restore, name="statement_restore"),
    path("statements/<int:pk>/edit/", review.statement_edit, name="statement_edit"),
    path("statements/<int:pk>/speaker/", review.statement_speaker, name="statement_speaker"),
    path("statements/<int:pk>/speaker/new/", review.statement_new_speaker, name="statement_new_speaker"),
    path("statements/<int:pk>/tags/", review.statement_tags, name="statement_tags"),
    path("statements/<int:pk>/sources/", review.primary_source_add, name="primary_source_add"),
    path("sources/<int:pk>/", review.primary_source, name="primary_source"),
    path("sources/<int:pk>/decide/", review.primary_source_decide, name="primary_source_decide"),
    path("statements/<int:pk>/fact-check/", factchecks.factcheck_start, name="factcheck_start"),
    path("search/", review.search, name="search"),
    path("speakers/options/", review.speaker_options, name="speaker_options"),
    path("outlets/options/", review.outlet_options, name="outlet_options"),
    path("speakers/merge/", review.speakers_merge, name="speakers_merge"),
    path("articles/<int:pk>/", review.article_detail, name="article"),
    path("articles/<int:pk>/statements/new/", review.article_statement_new, name="article_statement_new"),
    # Getting articles in: Add article, extraction status/retry, versions, the JSON API.
    path("", include("factcheck.ingest.urls")),
    path("desk/fact-checks/<int:pk>/", factchecks.factcheck_edit, name="factcheck_edit"),
    path("desk/fact-checks/<int:pk>/submit/", factchecks.factcheck_submit, name="factcheck_submit"),
    path("desk/fact-checks/<int:pk>/evidence/", factchecks.evidence_add, name="evidence_add"),
    path("desk/fact-checks/<int:pk>/evidence/<int:evidence_pk>/archive/", factchecks.evidence_archive,
         name="evidence_archive"),
    path("desk/fact-checks/<int:pk>/replies/", factchecks.reply_add, name="reply_add"),
    path("desk/fact-checks/<int:pk>/notes/", factchecks.factcheck_note, name="factcheck_note"),
    # Approval and publishing.
    path("approvals/", factchecks.approvals, name="approvals"),
    path("approvals/<int:pk>/", factchecks.approval_detail, name="approval"),
    path("approvals/<int:pk>/approve/", factchecks.approve, name="approve"),
    path("approvals/<int:pk>/return/", factchecks.return_to_draft, name="return_to_draft"),
    path("approvals/<int:pk>/publish/", factchecks.publish, name="publish"),
    path("approvals/<int:pk>/correct/", factchecks.correct, name="correct"),
    path("approvals/<int:pk>/corrections/<int:proposal_pk>/publish/", factchecks.correction_publish,
         name="correction_publish"),
    path("approvals/<int:pk>/corrections/<int:proposal_pk>/decline/", factchecks.correction_decline,
         name="correction_decline"),
    path("approvals/<int:pk>/withdraw/", factchecks.withdraw, name="withdraw"),
    # The public site.
    path("fact-checks/", public.factcheck_index, name="factcheck_index"),
    path("fact-checks/<slug:slug>/", public.factcheck_page, name="factcheck"),
    path("fact-checks/<slug:slug>/card-v<int:version>.png", public.factcheck_card, name="factcheck_card"),
    path("fact-checks/<slug:slug>/evidence-v<int:version>.zip", public.factcheck_bundle,
         name="factcheck_bundle"),
    path("site-card.png", public.site_card, name="site_card"),
    path("speakers/<slug:slug>/", public.speaker_page, name="speaker"),
    path("tags/<slug:slug>/", public.tag_page, name="tag"),
    path("methodology/", public.methodology, name="methodology"),
    path("corrections/", public.corrections, name="corrections"),
    path("evidence/<int:pk>/snapshot/", public.evidence_snapshot, name="evidence_snapshot"),
    path("sources/<int:pk>/snapshot/", public.primary_source_snapshot, name="primary_source_snapshot"),
    path("feeds/fact-checks.rss", require_safe(public.public_list(FactChecksFeed())), name="feed_rss"),
    path("feeds/fact-checks.atom", require_safe(public.public_list(FactChecksAtomFeed())), name="feed_atom"),
    path("claimreview.json", public.claimreview_feed, name="claimreview_feed"),
    path("robots.txt", public.robots_txt, name="robots_txt"),
    path("sitemap.xml", require_safe(public.public_list(sitemap)), {"sitemaps": SITEMAPS},
         name="django.contrib.sitemaps.views.sitemap"),
    # The admin's login under the site login's address-wide limit (factcheck/security.py).
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
]

handler500 = "factcheck.views.server_error"
