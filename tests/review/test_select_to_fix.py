"""Select to fix (#30): a span selected in the article sets an item's words or adds the item the
extractor missed; the page carries each piece's offset, so nobody types one."""

import pytest
from django.urls import reverse

from factcheck.models import ReviewEvent, Speaker, Statement
from factcheck.review.highlight import paragraphs_with_marks

pytestmark = pytest.mark.django_db
QUOTE = "the bridge would reopen in May"


def test_each_piece_knows_where_it_starts():
    text = "One two.\n\nThree four five."
    pieces = [p for paragraph in paragraphs_with_marks(text, [(1, 16, 20)]) for p in paragraph]
    assert [(p.start, p.text) for p in pieces] == [(0, "One two."), (10, "Three "), (16, "four"),
                                                   (20, " five.")]
    assert all(text[p.start:p.start + len(p.text)] == p.text for p in pieces)


def test_a_selection_adds_the_item_the_extractor_missed(client, editor, article):
    vance = Speaker.objects.create(name="Ada Vance")
    start = article.text.index(QUOTE)
    client.force_login(editor)
    # As a mouse selects it: with the space before it.
    data = {"start": start - 1, "end": start + len(QUOTE), "kind": "indirect", "speaker": "Ada Vance"}
    response = client.post(reverse("article_statement_new", args=[article.pk]), data)
    item = Statement.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert (item.text, item.start, item.end) == (QUOTE, start, start + len(QUOTE))
    assert (item.kind, item.speaker, item.status, item.assignee) == ("indirect", vance, "assigned", editor)
    event = ReviewEvent.objects.get(statement=item)
    assert event.action == "created" and event.note == "Reported speech by Ada Vance"
    history = client.get(item.get_absolute_url()).content.decode()
    assert "Added the item from a selection in the article" in history
    again = client.post(reverse("article_statement_new", args=[article.pk]), data, follow=True)
    assert "That item was already in the queue." in again.content.decode()
    assert Statement.objects.count() == 1


@pytest.mark.parametrize("data, message", [
    ({"start": 5, "end": 3, "kind": "claim"}, "inside the article"),
    ({"start": 0, "end": 10**6, "kind": "claim"}, "inside the article"),
    ({"start": "x", "end": 4, "kind": "claim"}, "whole number"),
    ({"start": 0, "end": 4, "kind": "rumour"}, "Select a valid choice"),
    ({"start": 0, "end": 4, "kind": "claim", "speaker": "Nobody Known"}, "Select a valid choice"),
])
def test_a_bad_selection_is_a_422_and_adds_nothing(client, editor, article, data, message):
    client.force_login(editor)
    response = client.post(reverse("article_statement_new", args=[article.pk]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Statement.objects.exists()


def test_a_blank_selection_is_refused(client, editor, article):
    gap = article.text.index("\n\n")
    client.force_login(editor)
    response = client.post(reverse("article_statement_new", args=[article.pk]),
                           {"start": gap, "end": gap + 2, "kind": "claim"})
    assert response.status_code == 422 and "holds no words" in response.content.decode()


def test_setting_the_span_from_a_selection_drops_the_spaces_around_it(client, editor, make_statement):
    item = make_statement("We have spent 40 million on repairs")
    client.force_login(editor)
    words = item.article.text.index(" spent 40 million ")  # spaces on both sides, as selected
    client.post(reverse("statement_edit", args=[item.pk]),
                {"kind": "direct", "start": words, "end": words + len(" spent 40 million "),
                 "version": item.version})
    item.refresh_from_db()
    assert (item.text, item.start, item.end) == ("spent 40 million", words + 1, words + 17)


def test_the_pages_carry_the_offsets_and_the_tool(client, editor, make_statement):
    item = make_statement()
    client.force_login(editor)
    for url in (item.get_absolute_url(), reverse("article", args=[item.article_id])):
        page = client.get(url).content.decode()
        assert "data-select-to-fix" in page and "data-article-text" in page
        assert f'data-at="{item.start}"' in page
