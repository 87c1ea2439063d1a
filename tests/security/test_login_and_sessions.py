"""Login throttling and session lifetimes. Real logins go through the login form, with a
request, as axes requires; everything else in the suite uses force_login."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_pair_for_that_address_only(client, make_user):
    user = make_user("alice", "Editor")
    user.set_password("right-password-123")
    user.save()
    for _ in range(4):
        assert _login(client, "alice", "wrong").status_code == 200
    locked = _login(client, "alice", "wrong")
    assert locked.status_code == 429 and b"Too many failed logins" in locked.content
    # Even the right password is refused from that address while locked...
    assert _login(client, "alice", "right-password-123").status_code == 429
    # ...but alice can still log in from elsewhere.
    other = _login(client, "alice", "right-password-123", ip="10.0.0.2")
    assert other.status_code == 302


def test_success_resets_the_failure_count(client, make_user):
    user = make_user("bob", "Editor")
    user.set_password("right-password-123")
    user.save()
    for _ in range(4):
        _login(client, "bob", "wrong")
    assert _login(client, "bob", "right-password-123").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert _login(client, "bob", "wrong").status_code == 200  # counting from zero again


def test_many_usernames_from_one_address_are_throttled(client, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 12
    for i in range(12):
        assert _login(client, f"user{i}", "guess").status_code == 200
    response = _login(client, "someone-else", "guess")
    assert response.status_code == 429
    assert _login(client, "someone-else", "guess", ip="10.9.9.9").status_code == 200


def test_logout_ends_the_session(client, editor):
    client.force_login(editor)
    assert client.get(reverse("queue")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("queue")).status_code == 302


def test_password_change_ends_other_sessions(client, editor):
    other = type(client)()
    client.force_login(editor)
    other.force_login(editor)
    editor.set_password("a-brand-new-password-42")
    editor.save()
    assert other.get(reverse("queue")).status_code == 302


def test_deactivation_ends_the_session(client, editor):
    client.force_login(editor)
    get_user_model().objects.filter(pk=editor.pk).update(is_active=False)
    assert client.get(reverse("queue")).status_code == 302


def test_idle_sessions_expire(client, editor, settings, monkeypatch):
    client.force_login(editor)
    assert client.get(reverse("queue")).status_code == 200
    later = time.time() + settings.SESSION_IDLE_MINUTES * 60 + 5
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get(reverse("queue"))
    assert response.status_code == 302 and LOGIN in response["Location"]
    monkeypatch.undo()
    assert client.get(reverse("queue")).status_code == 302  # really logged out


def test_sessions_end_at_the_absolute_limit_however_active(client, editor, settings, monkeypatch):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    settings.SESSION_COOKIE_AGE = 3600
    client.force_login(editor)
    assert client.get(reverse("queue")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    end = session.expire_date
    assert end <= timezone.now() + timedelta(seconds=3600)
    # Half an hour of activity later the session is written again; its end stays put.
    later = time.time() + 1800
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(reverse("queue")).status_code == 200
    monkeypatch.undo()
    session.refresh_from_db()
    assert session.expire_date == end
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("queue")).status_code == 302
