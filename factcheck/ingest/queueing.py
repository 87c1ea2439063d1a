"""Handing stored articles to the workers: enqueue, request (again) and sweep.

Everything is queued once the storing transaction has committed, so workers see the rows;
what was stored is already marked pending, and the sweep queues again whatever a broken
queue or a dead worker left behind.
"""

import logging

from django.db import transaction
from django.utils import timezone

from factcheck.models import Article
from factcheck.statements.extraction import EXTRACTION_BATCH
from factcheck.statements.tasks import extract_article, extract_articles

log = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, what: str) -> None:
    """Queue `task` once the current transaction has committed (workers must see its rows).

    What was stored is already marked pending and the sweep queues it again, so a broken
    queue is logged, never turned into an error page for a successful ingest."""

    def enqueue():
        try:
            task.enqueue(*args)
        except Exception:
            log.exception("could not enqueue %s", what)

    transaction.on_commit(enqueue)


# An article someone is waiting for (a paste, a URL, the API) goes before bulk work already
# queued (imports, feeds, the sweep), which the database backend takes later: higher first.
WAITED_FOR_PRIORITY = 10


def enqueue_extraction(article: Article) -> None:
    """Hand an article to the workers once the transaction that stored it has committed,
    ahead of bulk extractions where the backend orders by priority."""
    task = extract_article
    if task.get_backend().supports_priority:
        task = task.using(priority=WAITED_FOR_PRIORITY)
    enqueue_on_commit(task, article.pk, what=f"the extraction of article {article.pk}")


def enqueue_extractions(article_ids: list[int]) -> None:
    """Hand pending articles to the workers in batches, once the transaction has committed."""
    for i in range(0, len(article_ids), EXTRACTION_BATCH):
        batch = article_ids[i:i + EXTRACTION_BATCH]
        enqueue_on_commit(extract_articles, batch, what=f"the extraction of articles {batch}")


def request_extraction(article: Article) -> None:
    """Mark an article's extraction pending and queue it (a retry, a new version, a new article)."""
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(extraction_status=Article.Extraction.PENDING,
                                                 extraction_error="", extraction_changed_at=now)
    article.extraction_status, article.extraction_error = Article.Extraction.PENDING, ""
    article.extraction_changed_at = now
    enqueue_extraction(article)


def request_extractions(articles: list[Article], *, created: set[int] = frozenset()) -> None:
    """request_extraction for many articles, queued EXTRACTION_BATCH to a task. Those in
    `created` were just stored, pending already: rewriting their rows (and the article's
    search index entries) again would change nothing."""
    articles = list({a.pk: a for a in articles}.values())
    again = [a.pk for a in articles if a.pk not in created]
    if again:
        Article.objects.filter(pk__in=again).update(extraction_status=Article.Extraction.PENDING,
                                                    extraction_error="", extraction_changed_at=timezone.now())
    enqueue_extractions([a.pk for a in articles])


def sweep_stuck_extractions(now=None) -> list[int]:
    """Queue again the extractions pending or running for longer than the timeout.

    The database backend leaves a task whose worker died marked running forever, and an
    enqueue that failed after commit leaves an article pending with no task at all. Running
    an extraction twice is harmless (it is idempotent and serialised per article), so a
    sweep that is too eager costs only time.
    """
    now = now or timezone.now()
    swept = []
    for pk in Article.objects.stuck(now).values_list("pk", flat=True):
        # Conditional, so two sweeps at once queue each article once.
        if Article.objects.stuck(now).filter(pk=pk).update(
                extraction_status=Article.Extraction.PENDING, extraction_changed_at=now):
            swept.append(pk)
    enqueue_extractions(swept)  # several stuck at once (a worker died mid-batch): one task per batch
    if swept:
        log.warning("re-queued %d stuck extractions: %s", len(swept), swept)
    return swept
