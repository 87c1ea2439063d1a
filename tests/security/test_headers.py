"""Headers and the no-inline-code rule that lets CSP forbid inline script and style."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class InlineCodeFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/ld+json":
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("inline <style>")
        if "style" in attrs and tag not in {"svg", "rect", "text", "g"}:
            self.problems.append(f"style attribute on <{tag}>")
        for name in attrs:
            if name.startswith(("on", "hx-on", "data-hx-on")):
                self.problems.append(f"event handler {name} on <{tag}>")


def _pages(client, editor, statement):
    client.force_login(editor)
    return [reverse("queue"), statement.get_absolute_url(), reverse("article", args=[statement.article_id]),
            reverse("approvals"), reverse("factcheck_index"), reverse("methodology"),
            reverse("corrections"), reverse("article_new")]


def test_pages_carry_a_strict_csp_and_no_inline_code(client, editor, make_statement):
    statement = make_statement()
    for url in _pages(client, editor, statement):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'none'",
                          "frame-ancestors 'none'", "style-src 'self'"):
            assert directive in csp, (url, directive)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        finder = InlineCodeFinder()
        finder.feed(response.content.decode())
        assert not finder.problems, (url, finder.problems)


def test_htmx_runs_without_eval_history_cache_or_inline_styles(client, editor):
    client.force_login(editor)
    html = client.get(reverse("queue")).content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', html).group(1)
    for setting in ('"allowEval": false', '"historyCacheSize": 0', '"includeIndicatorStyles": false',
                    '"allowScriptTags": false'):
        assert setting in config
    assert 'data-hx-headers=\'{"X-CSRFToken": "' in html  # every htmx request carries the token


def test_htmx_post_without_csrf_token_is_refused(client, editor, make_statement):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    statement = make_statement()
    response = csrf_client.post(reverse("statement_assign", args=[statement.pk]),
                                headers={"HX-Request": "true"})
    assert response.status_code == 403


def test_security_headers(client):
    response = client.get(reverse("factcheck_index"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_database_loss_gives_a_503_page(client, editor, monkeypatch):
    from django.db import OperationalError

    from factcheck.review import views

    def broken(*args, **kwargs):
        raise OperationalError("connection to server lost")

    client.force_login(editor)
    monkeypatch.setattr(views, "filter_statements", broken)
    response = client.get(reverse("queue"))
    assert response.status_code == 503 and b"Temporarily unavailable" in response.content
    assert response["Retry-After"] == "30"


def test_public_pages_do_not_vary_on_cookie_for_anonymous_readers(client):
    response = client.get(reverse("methodology"))
    assert "Cookie" not in response.get("Vary", "")
