from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from factcheck import views
from factcheck.review import views as review_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("queue/", review_views.queue, name="queue"),
    path("statements/<int:pk>/", review_views.statement_detail, name="statement"),
    path("articles/<int:pk>/", review_views.article_detail, name="article"),
    path("admin/", admin.site.urls),
]
