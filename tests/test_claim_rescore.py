"""After extraction, a task gives the new items the shipped check-worthiness score, and the
queue re-orders by it. Every text here is written for these tests."""

import pytest
from django.urls import reverse

from factcheck.extract import checkworthy
from factcheck.models import Article, Statement
from factcheck.statements.tasks import extract_article, score_statements

pytestmark = pytest.mark.django_db

TEXT = ("Thank you all for coming tonight. The council spent 40 million crowns on the ferry "
        "terminal in 2023, the auditor said on Monday. What a wonderful evening it is! "
        "Unemployment in the harbour district fell to 3.5 percent last year.")


def test_extraction_queues_the_shipped_score_and_the_queue_follows_it(
        client, editor, django_capture_on_commit_callbacks):
    article = Article.objects.ingest(text=TEXT, url="https://paper.example/council",
                                     title="Council")[0]
    with django_capture_on_commit_callbacks(execute=True):
        extract_article.enqueue(article.pk)
    items = list(Statement.objects.filter(article=article))
    assert items
    expected = checkworthy.score_statements([s.text for s in items])
    assert [s.score for s in items] == pytest.approx(expected, abs=1e-4)
    client.force_login(editor)
    page = client.get(reverse("queue")).content.decode()
    by_score = sorted(items, key=lambda s: -s.score)
    positions = [page.index(s.text[:40]) for s in by_score if s.text[:40] in page]
    assert positions == sorted(positions)


def test_rescoring_replaces_the_extraction_score(make_statement):
    item = make_statement("We have spent 40 million on repairs", score=0.01)
    assert score_statements.call([item.article_id]) == 1
    item.refresh_from_db()
    assert item.score == pytest.approx(checkworthy.score_statements([item.text])[0], abs=1e-4)
    assert item.score != 0.01


def test_rescoring_can_be_turned_off(settings, monkeypatch, django_capture_on_commit_callbacks):
    from factcheck.statements import tasks

    queued = []
    monkeypatch.setattr(tasks, "score_statements",
                        type("Spy", (), {"enqueue": staticmethod(queued.append)}))
    article = Article.objects.ingest(text=TEXT, url="https://paper.example/c2", title="C")[0]
    with django_capture_on_commit_callbacks(execute=True):
        extract_article.enqueue(article.pk)
    assert queued == [[article.pk]]
    settings.FACTCHECK_CLAIM_RESCORE = False
    again = Article.objects.ingest(text=TEXT + " More.", url="https://paper.example/c3",
                                   title="C")[0]
    with django_capture_on_commit_callbacks(execute=True):
        extract_article.enqueue(again.pk)
    assert Statement.objects.filter(article=again).exists()
    assert queued == [[article.pk]]
