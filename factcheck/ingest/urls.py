"""Routes for getting articles in: the Add article page, extraction status/retry, versions, the API."""

from django.urls import path

from factcheck.ingest import api, views

urlpatterns = [
    path("articles/new/", views.article_new, name="article_new"),
    path("articles/<int:pk>/extraction/", views.article_extraction, name="article_extraction"),
    path("articles/<int:pk>/extraction/retry/", views.article_retry, name="article_retry"),
    path("articles/<int:pk>/versions/", views.article_versions, name="article_versions"),
    path("articles/imports/<int:pk>/", views.ingest_batch, name="ingest_batch"),
    path("api/articles/", api.articles, name="api_articles"),
    path("api/articles/<int:pk>/", api.article, name="api_article"),
]
