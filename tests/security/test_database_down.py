"""With the database unreachable every request answers 503 (issue #28, finding 7): the 503
page for browsers, whether or not they carry a session cookie, and {"error": ...} JSON for
the API and for clients that ask for JSON. Never a bare 500."""

import json
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from factcheck.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # Answers as a browser would get them: a 500 stays a 500 instead of re-raising here.
    return Client(raise_request_exception=False)


def database_down():
    """Every new cursor fails the way an unreachable server makes it fail."""
    return mock.patch.object(connection, "ensure_connection",
                             side_effect=OperationalError("connection refused (test)"))


def _is_503_page(response):
    assert response.status_code == 503, response.status_code
    assert response["Content-Type"].startswith("text/html")
    assert b"Temporarily unavailable" in response.content
    assert response["Retry-After"]


def _is_503_json(response):
    assert response.status_code == 503, response.status_code
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert set(body) == {"error"} and body["error"]
    assert response["Retry-After"]


def test_anonymous_page(client):
    with database_down():
        _is_503_page(client.get(reverse("factcheck_index")))


def test_logged_in_page(client, editor):
    client.force_login(editor)  # the session cookie: the session is read from the database
    with database_down():
        _is_503_page(client.get(reverse("queue")))
        _is_503_page(client.get(reverse("factcheck_index")))


def test_logged_in_request_asking_for_json(client, editor):
    client.force_login(editor)
    with database_down():
        _is_503_json(client.get(reverse("queue"), HTTP_ACCEPT="application/json"))


def test_api_post(client, editor):
    _, key = ApiToken.create_for(editor, "CMS")
    with database_down():
        response = client.post(reverse("api_articles"), data=json.dumps({"url": "https://news.example/a"}),
                               content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    _is_503_json(response)


def test_api_get_with_a_session_cookie(client, editor):
    """An API call from a browser tab that is logged in: JSON, not the page."""
    client.force_login(editor)
    _, key = ApiToken.create_for(editor, "CMS")
    with database_down():
        _is_503_json(client.get(reverse("api_article", args=[1]), HTTP_AUTHORIZATION=f"Bearer {key}"))


def test_pages_answer_again_when_it_is_back(client, editor):
    client.force_login(editor)
    with database_down():
        assert client.get(reverse("queue")).status_code == 503
    assert client.get(reverse("queue")).status_code == 200  # the session survived


def test_the_session_failing_to_save_after_the_view(client, editor):
    """The database going away between the view and the session's save, where no middleware
    sees the error, still gives the 503 page."""
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(editor)
    with mock.patch.object(SessionStore, "save", side_effect=OperationalError("server closed (test)")):
        _is_503_page(client.get(reverse("queue")))
