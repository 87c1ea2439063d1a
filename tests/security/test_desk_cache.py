"""Desk pages are never stored by a browser or a shared cache: they carry the CSRF token and
what an editor is working on, and the back button must not show a stale "Take it"."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_desk_pages_say_private_no_store(client, editor, make_statement):
    statement = make_statement()
    client.force_login(editor)
    for url in (reverse("queue"), reverse("statement", args=[statement.pk]), reverse("article_new"),
                reverse("approvals")):
        control = client.get(url)["Cache-Control"]
        assert "no-store" in control and "private" in control, (url, control)


def test_public_pages_stay_cacheable(client, publish_factcheck, make_statement):
    factcheck = publish_factcheck(make_statement(), claim="Vance says repairs cost 40 million")
    response = client.get(factcheck.get_absolute_url())
    assert "no-store" not in response.get("Cache-Control", "")
