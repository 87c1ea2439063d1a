"""The statement step's background work: extract waiting articles into queue items.

Task functions only, through the Tasks API so the backend (database, RQ) is a setting;
ingest/queueing.py queues them.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from factcheck.extract import checkworthy
from factcheck.models import Article, Statement
from factcheck.statements.extraction import EXTRACTION_BATCH, extract_or_copy, extract_or_copy_batch
from factcheck.statements.reconcile import SCORE_DIGITS

log = logging.getLogger(__name__)


@task()
def extract_article(article_id: int) -> int:
    """Extract one waiting article, and with it other waiting articles a worker can claim.

    Pastes, single URLs and API calls queue a task each. When they come faster than the
    workers extract, the first task claims up to EXTRACTION_BATCH - 1 others (marked running,
    so no other worker claims them) and parses them all at once; their own tasks then find
    them taken and return. Raises if its own article failed; another's failure is recorded
    on that article, as a batch records it."""
    article = Article.objects.select_related("copy_of").filter(pk=article_id).first()
    if article is None or article.extraction_status != Article.Extraction.PENDING:
        return 0  # deleted while waiting, or taken along by another task (running or done)
    others = _claim_waiting(exclude=article.pk) if settings.FACTCHECK_EXTRACTION_TAKE_ALONG else []
    if not others:
        found = extract_or_copy(article)
        _score_later([article.pk])
        return found
    log.info("extracting article %s with %d waiting articles", article.pk, len(others))
    outcome = extract_or_copy_batch([article, *others])
    _score_later([pk for pk, n in outcome.items() if not isinstance(n, Exception)])
    if isinstance(outcome.get(article.pk), Exception):
        raise outcome[article.pk]
    return sum(n for n in outcome.values() if not isinstance(n, Exception))


def _claim_waiting(*, exclude: int) -> list[Article]:
    """Other pending articles, oldest first, marked running for this worker. SKIP LOCKED: two
    workers claiming at once take different articles instead of waiting for each other. A
    claim its worker never finishes is running too long, and the sweep queues it again."""
    with transaction.atomic():
        pks = list(Article.objects.select_for_update(skip_locked=True).filter(
            extraction_status=Article.Extraction.PENDING).exclude(pk=exclude).order_by("pk")
            .values_list("pk", flat=True)[:EXTRACTION_BATCH - 1])
        Article.objects.filter(pk__in=pks, extraction_status=Article.Extraction.PENDING).update(
            extraction_status=Article.Extraction.RUNNING, extraction_changed_at=timezone.now())
    return list(Article.objects.select_related("copy_of").filter(pk__in=pks).order_by("pk"))


@task()
def extract_articles(article_ids: list[int]) -> int:
    """Extract several waiting articles together (bulk imports, feeds, the sweep): cheaper per
    article than one task each. Articles no longer pending (another task took them along)
    are left alone. Raises after storing the others if any of them failed."""
    by_pk = Article.objects.select_related("copy_of").filter(
        extraction_status=Article.Extraction.PENDING).in_bulk(article_ids)
    outcomes = extract_or_copy_batch([by_pk[pk] for pk in article_ids if pk in by_pk])
    failed = {pk: outcome for pk, outcome in outcomes.items() if isinstance(outcome, Exception)}
    _score_later([pk for pk in outcomes if pk not in failed])
    if failed:
        first = next(iter(failed.values()))
        raise RuntimeError(f"extraction failed for articles {sorted(failed)}") from first
    return sum(outcomes.values())


def _score_later(article_ids: list[int]) -> None:
    if article_ids and settings.FACTCHECK_CLAIM_RESCORE:
        transaction.on_commit(lambda: score_statements.enqueue(article_ids))


@task()
def score_statements(article_ids: list[int]) -> int:
    """Give the articles' items the shipped check-worthiness score.

    It reads each item with a fine-tuned MiniLM, about as much CPU as the parse again, so
    it runs after extraction rather than inside it: the queue shows the items at once, in the
    order of the feature model extraction scores with, and re-orders when this lands."""
    items = list(Statement.objects.filter(article_id__in=article_ids).only("pk", "text"))
    # A run-on item of a pathological page is scored on its start rather than refused.
    texts = [item.text[: checkworthy.MAX_SENTENCE_CHARS] for item in items]
    for item, score in zip(items, checkworthy.score_statements(texts), strict=True):
        item.score = min(max(round(score, SCORE_DIGITS), 0.0), 1.0)
    Statement.objects.bulk_update(items, ["score"], batch_size=500)
    return len(items)
