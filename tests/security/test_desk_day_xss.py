"""Hostile text in what the desk's day adds (#30) stays text: a note (on a statement and on a
fact-check), the notification that quotes it in the inbox, a saved view's name and filters, a
return note, a username in the Assignee column."""

import pytest
from django.urls import reverse

from factcheck.factchecks import actions as factchecks
from factcheck.models import SavedView, Tag
from factcheck.review import actions, notes
from tests.security.test_xss import PAYLOADS, audit

pytestmark = pytest.mark.django_db


def test_notes_views_and_inbox_render_hostile_text_inert(client, editor, publisher, make_user,
                                                         make_statement):
    ann = make_user("ann", "Editor")
    payload = "\n".join(PAYLOADS[:90])[:4900]
    one_line = " ".join(p.replace("\n", " ") for p in PAYLOADS)[:95]
    item = make_statement()
    other = make_statement("Critics said the cost had doubled since 2023.", kind="claim")
    actions.set_tags(statement=other, by=editor, names=[one_line])
    notes.add_note(by=editor, body=f"@ann {payload}", statement=item)
    draft = factchecks.start_factcheck(statement=other, by=editor)
    notes.add_note(by=editor, body=f"@pub {payload}", factcheck=draft)
    tag = Tag.objects.get(name=one_line)
    SavedView.objects.create(name=one_line, owner=editor, for_desk=True, query=f"tag={tag.slug}&q=%3Cb%3E")
    actions.assign_to(statement=make_statement("The work is nearly done."), to=ann, by=editor)
    pages = {
        editor: [item.get_absolute_url(), reverse("factcheck_edit", args=[draft.pk]), reverse("queue"),
                 reverse("holders"), f"{reverse('queue')}?tag={tag.slug}"],
        ann: [reverse("inbox"), reverse("queue")],
        publisher: [reverse("inbox"), reverse("approval", args=[draft.pk])],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert "xss" in html or url in (reverse("holders"),), f"{url} shows none of the text"
            assert audit(html) == [], f"{url}: {audit(html)[:5]}"
