"""The statement page says what the check-worthiness number means, at the scorer's own line."""

import pytest
from django.urls import reverse

from factcheck.extract import checkworthy

pytestmark = pytest.mark.django_db


def test_statement_page_shows_the_score_as_a_plain_label(client, editor, make_statement):
    client.force_login(editor)
    t = checkworthy.threshold()
    likely = make_statement(score=round(min(1.0, t + 0.3), 2))
    unlikely = make_statement("Critics said the cost had doubled since 2023.", kind="claim",
                              score=round(max(0.0, t - 0.2), 2))
    page = client.get(reverse("statement", args=[likely.pk])).content.decode()
    assert f"{likely.score:.2f} <span class=\"score-label\">likely check-worthy</span>" in page
    page = client.get(reverse("statement", args=[unlikely.pk])).content.decode()
    assert f"{unlikely.score:.2f} <span class=\"score-label\">unlikely</span>" in page
    assert "likely check-worthy" not in page


def test_the_queue_still_orders_by_the_number(client, editor, make_statement):
    client.force_login(editor)
    t = checkworthy.threshold()
    lower = make_statement("Critics said the cost had doubled since 2023.", kind="claim",
                           score=min(1.0, t + 0.05))
    higher = make_statement(score=min(1.0, t + 0.3))
    page = client.get(reverse("queue")).content.decode()
    assert page.index(higher.text) < page.index(lower.text)
