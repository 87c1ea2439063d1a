"""The Add article page, extraction status and retry, versions and the JSON API."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factcheck.models import ApiToken, Article, ArticleVersion, ReviewEvent
from tests.ingest import pages

pytestmark = pytest.mark.django_db

NEW = "/articles/new/"


@pytest.fixture
def ed_client(client, editor):
    client.force_login(editor)
    return client


def test_add_article_page_needs_login_and_permission(client, make_user):
    assert client.get(NEW).status_code == 302
    client.force_login(make_user("reader"))
    assert client.get(NEW).status_code == 403


def test_add_article_tabs_render(ed_client):
    for tab in ("url", "paste", "upload", "bogus"):
        response = ed_client.get(NEW, {"tab": tab})
        assert response.status_code == 200
        assert b'name="tab"' in response.content
    htmx = ed_client.get(NEW, {"part": "recent"}, headers={"HX-Request": "true"})
    assert b'id="recent"' in htmx.content and b"<html" not in htmx.content
    assert "HX-Request" in htmx["Vary"]


def test_add_by_url_redirects_to_the_article_and_double_submit_is_safe(
        ed_client, web, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = ed_client.post(NEW, {"tab": "url", "url": web.url("/article")})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    page = ed_client.get(response["Location"])
    assert b"Added; extracting" in page.content
    assert b"Nobody on that island" in page.content and b"<mark" in page.content
    quote = article.statements.get(text__startswith="Nobody on that island")
    assert f'<a class="mark-link" href="/statements/{quote.pk}/">'.encode() in page.content
    again = ed_client.post(NEW, {"tab": "url", "url": web.url("/article")}, follow=True)
    assert b"Already ingested." in again.content and Article.objects.count() == 1


def test_add_by_url_with_htmx_redirects_by_header(ed_client, web):
    response = ed_client.post(NEW, {"tab": "url", "url": web.url("/article")},
                              headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == Article.objects.get().get_absolute_url()


@pytest.mark.parametrize("url, status, message", [
    ("", 422, b"This field is required"),
    ("ftp://example.org/x", 422, b"Only http and https URLs"),
    ("http://2130706433/admin", 422, b"2130706433 resolves to 127.0.0.1, which is a loopback address"),
    ("http://0177.0.0.1/", 422, b"loopback address"),
    ("/image", 415, b"not a web page"),
    ("/nope", 422, b"HTTP 404"),
    ("/bomb", 413, b"larger than"),
])
def test_bad_urls_get_a_clear_message_and_4xx(ed_client, web, url, status, message):
    url = web.url(url) if url.startswith("/") else url
    response = ed_client.post(NEW, {"tab": "url", "url": url})
    assert response.status_code == status
    assert message in response.content
    assert Article.objects.count() == 0
    htmx = ed_client.post(NEW, {"tab": "url", "url": url}, headers={"HX-Request": "true"})
    assert htmx.status_code == status and b'id="ingest-form"' in htmx.content
    assert b"<html" not in htmx.content


@pytest.mark.parametrize("url", [
    "http://[::1", "http://example.org:99999/", "http://", "https://:443/", "javascript:alert(1)",
    "http://exa mple.org/", "http://ex%00ample.org/", "x" * 3000, "http://example.org/" + "a" * 2100,
    "data:text/html,<script>alert(1)</script>", "//example.org/path", "http://[fe80::1%25eth0]/",
])
def test_malformed_urls_never_crash_any_door(ed_client, url):
    for data in ({"tab": "url", "url": url},
                 {"tab": "paste", "text": "A pier story.", "url": url, "title": "", "outlet": ""}):
        response = ed_client.post(NEW, data)
        assert 400 <= response.status_code < 500, (data["tab"], response.status_code)
    assert Article.objects.count() == 0


def test_redirect_to_an_invalid_url_is_refused(ed_client, web):
    response = ed_client.post(NEW, {"tab": "url", "url": web.url("/redirect-to-garbage")})
    assert response.status_code == 422 and b"redirected to an invalid URL" in response.content


def test_private_url_is_refused_in_the_form(ed_client, web, settings):
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = []
    response = ed_client.post(NEW, {"tab": "url", "url": web.url("/article")})
    assert response.status_code == 422 and b"loopback address" in response.content
    response = ed_client.post(NEW, {"tab": "url", "url": "http://169.254.169.254/latest/meta-data/"})
    assert response.status_code == 422 and b"link-local" in response.content


def test_paste(ed_client, editor, settings):
    data = {"tab": "paste", "title": "Lighthouse to close", "outlet": "Gull Island Gazette",
            "text": '"It is the end of an era," the keeper said.', "url": "", "published_at": ""}
    response = ed_client.post(NEW, data)
    article = Article.objects.get()
    assert response.status_code == 302
    assert article.text == 'Lighthouse to close\n\n"It is the end of an era," the keeper said.'
    assert article.outlet.name == "Gull Island Gazette" and article.ingested_by == editor
    assert ReviewEvent.objects.filter(article=article, action="ingested", actor=editor).exists()
    assert ed_client.post(NEW, {**data, "text": "   "}).status_code == 422
    settings.FACTCHECK_MAX_ARTICLE_CHARS = 100
    too_long = ed_client.post(NEW, {**data, "text": "word " * 100})
    assert too_long.status_code == 413 and b"too long" in too_long.content
    binary = ed_client.post(NEW, {**data, "text": "\x01\x02\x03\x04 binary \x05\x06"})
    assert binary.status_code == 422 and b"binary" in binary.content


def test_upload(ed_client, settings):
    html = pages.article_html(canonical="https://courier.example/ferry").encode()
    response = ed_client.post(NEW, {"tab": "upload", "file": SimpleUploadedFile("ferry.html", html)})
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.source == "upload" and article.url == "https://courier.example/ferry"
    for name, data, status in [("x.pdf", b"%PDF-1.4", 415), ("x.txt", b"\x00\x01" * 50, 415),
                               ("x.html", b"<html></html>", 422)]:
        response = ed_client.post(NEW, {"tab": "upload", "file": SimpleUploadedFile(name, data)})
        assert response.status_code == status, name
    settings.FACTCHECK_FETCH_MAX_BYTES = 1000
    big = ed_client.post(NEW, {"tab": "upload", "file": SimpleUploadedFile("big.txt", b"a" * 2000)})
    assert big.status_code == 413


def test_get_requests_never_change_state(ed_client, web):
    article = Article.objects.create(text="x", content_hash="h", extraction_status="failed")
    assert ed_client.get(reverse("article_retry", args=[article.pk])).status_code == 405


def test_article_page_shows_status_and_polls_while_pending(ed_client):
    article = Article.objects.create(text="Quiet day.", content_hash="h1")
    page = ed_client.get(article.get_absolute_url())
    assert b'id="extraction"' in page.content and b'hx-trigger="every 2s"' in page.content
    status = ed_client.get(reverse("article_extraction", args=[article.pk]), {"was": "pending"},
                           headers={"HX-Request": "true"})
    assert b"Waiting" in status.content and b"<html" not in status.content
    Article.objects.filter(pk=article.pk).update(extraction_status="done")
    done = ed_client.get(reverse("article_extraction", args=[article.pk]), {"was": "running"},
                         headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true" and b"every 2s" not in done.content


def test_retry_a_failed_extraction(ed_client, editor, django_capture_on_commit_callbacks):
    article = Article.objects.create(text='"We will reopen the pier," the mayor said.', content_hash="h2",
                                     extraction_status="failed", extraction_error="RuntimeError: boom")
    page = ed_client.get(article.get_absolute_url())
    assert b"RuntimeError: boom" in page.content and b"Retry" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = ed_client.post(reverse("article_retry", args=[article.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.extraction_status == "done" and article.extraction_error == ""
    assert ReviewEvent.objects.filter(article=article, action="extraction_requested", actor=editor).exists()
    # Queued (not yet run): a second click does not queue it twice.
    Article.objects.filter(pk=article.pk).update(extraction_status="pending")
    response = ed_client.post(reverse("article_retry", args=[article.pk]), headers={"HX-Request": "true"})
    assert b"already queued" in response.content
    assert ReviewEvent.objects.filter(action="extraction_requested").count() == 1


def test_retry_needs_permission(client, make_user):
    article = Article.objects.create(text="x", content_hash="h3", extraction_status="failed")
    client.force_login(make_user("reader"))
    assert client.post(reverse("article_retry", args=[article.pk])).status_code == 403


def test_versions_word_diff(ed_client):
    article = Article.objects.create(text="The mayor said the ferry stays.", content_hash="h4")
    ArticleVersion.objects.create(article=article, text="The mayor said the ferry might stay.",
                                  content_hash="h0")
    page = ed_client.get(article.get_absolute_url())
    assert b"1 earlier version" in page.content
    response = ed_client.get(reverse("article_versions", args=[article.pk]), headers={"HX-Request": "true"})
    assert b"<del>might stay.</del>" in response.content and b"<ins>stays.</ins>" in response.content
    assert b"<html" not in response.content


# --------------------------------------------------------------------------- API


@pytest.fixture
def api_key(editor):
    return ApiToken.create_for(editor, "CMS")[1]


def _post(client, key, payload, **extra):
    return client.post(reverse("api_articles"), data=json.dumps(payload), content_type="application/json",
                       headers={"Authorization": f"Bearer {key}"}, **extra)


def test_api_ingests_text_and_url(client, api_key, web, editor):
    text = "Pier to reopen\n\nThe pier will reopen in May, the council said."
    response = _post(client, api_key, {"text": text, "outlet": "Gull Island Gazette"})
    assert response.status_code == 201
    body = response.json()
    assert body["created"] and body["page"].startswith("http://testserver/articles/")
    again = _post(client, api_key, {"text": text})
    assert again.status_code == 200 and again.json()["message"] == "Already ingested."
    fetched = _post(client, api_key, {"url": web.url("/article")})
    assert fetched.status_code == 201 and Article.objects.get(pk=fetched.json()["id"]).ingested_by == editor
    status = client.get(fetched.json()["status_url"], headers={"Authorization": f"Bearer {api_key}"})
    assert status.status_code == 200 and status.json()["extraction_status"] in {"pending", "done"}
    missing = client.get(reverse("api_article", args=[999999]),
                         headers={"Authorization": f"Bearer {api_key}"})
    assert missing.status_code == 404 and missing.json()["error"] == "No article with id 999999."


def test_api_refusals(client, api_key, web, make_user, settings):
    assert client.post(reverse("api_articles"), data="{}", content_type="application/json").status_code == 401
    assert _post(client, "fc_wrong", {"url": web.url("/article")}).status_code == 401
    reader_key = ApiToken.create_for(make_user("reader"), "x")[1]
    assert _post(client, reader_key, {"url": web.url("/article")}).status_code == 403
    bad_json = client.post(reverse("api_articles"), data="{nope", content_type="application/json",
                           headers={"Authorization": f"Bearer {api_key}"})
    assert bad_json.status_code == 400 and "error" in bad_json.json()
    auth = {"Authorization": f"Bearer {api_key}"}
    form = client.post(reverse("api_articles"), data={"url": "x"}, headers=auth)
    assert form.status_code == 415
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = []
    private = _post(client, api_key, {"url": web.url("/article")})
    assert private.status_code == 422 and "loopback" in private.json()["error"]
    assert client.get(reverse("api_articles"), headers=auth).status_code == 405
    ApiToken.objects.update(is_active=False)
    assert _post(client, api_key, {"text": "x y z"}).status_code == 401
