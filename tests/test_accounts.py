import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_password_reset_by_email(client, make_user):
    make_user("alice", "Editor", email="alice@example.org")
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200 and b"Forgotten your password?" in page.content
    response = client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_password_change_page_is_ours(client, editor):
    client.force_login(editor)
    page = client.get(reverse("password_change"))
    assert b"Changing it logs you out everywhere else." in page.content
    response = client.post(reverse("password_change"), {
        "old_password": "x", "new_password1": "a-much-longer-passphrase-91",
        "new_password2": "a-much-longer-passphrase-91"})
    assert response.status_code == 302
    assert client.get(reverse("queue")).status_code == 200  # this session stays logged in
