"""Background work, through the Tasks API so the backend (database, RQ) is a setting."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from factcheck.ingest.pipeline import EXTRACTION_BATCH, extract_or_copy, extract_or_copy_batch
from factcheck.models import Article

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
        return extract_or_copy(article)
    log.info("extracting article %s with %d waiting articles", article.pk, len(others))
    outcome = extract_or_copy_batch([article, *others])
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
    if failed:
        first = next(iter(failed.values()))
        raise RuntimeError(f"extraction failed for articles {sorted(failed)}") from first
    return sum(outcomes.values())


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


def enqueue_extraction(article: Article) -> None:
    """Hand an article to the workers once the transaction that stored it has committed."""
    enqueue_on_commit(extract_article, article.pk, what=f"the extraction of article {article.pk}")


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


def enqueue_extractions(article_ids: list[int]) -> None:
    """Hand pending articles to the workers in batches, once the transaction has committed."""
    for i in range(0, len(article_ids), EXTRACTION_BATCH):
        batch = article_ids[i:i + EXTRACTION_BATCH]
        enqueue_on_commit(extract_articles, batch, what=f"the extraction of articles {batch}")


def is_stuck(article: Article, now=None) -> bool:
    now = now or timezone.now()
    limit = timezone.timedelta(minutes=settings.FACTCHECK_EXTRACTION_TIMEOUT_MINUTES)
    return (article.extraction_status in {Article.Extraction.PENDING, Article.Extraction.RUNNING}
            and article.extraction_changed_at < now - limit)


def sweep_stuck_extractions(now=None) -> list[int]:
    """Queue again the extractions pending or running for longer than the timeout.

    The database backend leaves a task whose worker died marked running forever, and an
    enqueue that failed after commit leaves an article pending with no task at all. Running
    an extraction twice is harmless (it is idempotent and serialised per article), so a
    sweep that is too eager costs only time.
    """
    now = now or timezone.now()
    limit = now - timezone.timedelta(minutes=settings.FACTCHECK_EXTRACTION_TIMEOUT_MINUTES)
    swept = []
    stuck = Article.objects.filter(
        extraction_status__in=[Article.Extraction.PENDING, Article.Extraction.RUNNING],
        extraction_changed_at__lt=limit).values_list("pk", flat=True)
    for pk in stuck:
        # Conditional, so two sweeps at once queue each article once.
        if Article.objects.filter(pk=pk, extraction_changed_at__lt=limit).update(
                extraction_status=Article.Extraction.PENDING, extraction_changed_at=now):
            swept.append(pk)
    enqueue_extractions(swept)  # several stuck at once (a worker died mid-batch): one task per batch
    if swept:
        log.warning("re-queued %d stuck extractions: %s", len(swept), swept)
    return swept


@task()
def import_batch(batch_id: int) -> int:
    from factcheck.ingest.batches import run_batch

    return run_batch(batch_id)


@task()
def sweep_extractions() -> int:
    return len(sweep_stuck_extractions())


@task()
def poll_due_feeds() -> dict:
    """Poll every feed whose interval has passed, then sweep stuck extractions.

    Scheduled by `manage.py poll_feeds` run from cron / a systemd timer, or by the
    self-rescheduling `ingest_housekeeping` task below.
    """
    from factcheck.ingest.feeds import poll_due

    report = poll_due()
    report["swept"] = len(sweep_stuck_extractions())
    return report


@task()
def ingest_housekeeping(interval_minutes: int = 5) -> dict:
    """Poll due feeds and sweep, then schedule the next run `interval_minutes` from now.

    Started once with `manage.py poll_feeds --schedule`; with the database backend the next
    run waits in the task table (run_after), so the chain survives worker restarts.
    """
    from factcheck.ingest.batches import sweep_stuck_batches
    from factcheck.ingest.feeds import poll_due

    try:
        report = poll_due()
        report["swept"] = len(sweep_stuck_extractions()) + len(sweep_stuck_batches())
    finally:
        schedule_housekeeping(interval_minutes)
    return report


def schedule_housekeeping(interval_minutes: int = 5) -> bool:
    """Queue the next housekeeping run unless one is already waiting; True if queued."""
    if not ingest_housekeeping.get_backend().supports_defer:
        return False  # a backend that runs tasks at once (tests) would loop forever
    run_after = timezone.now() + timezone.timedelta(minutes=interval_minutes)
    try:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            task_path=ingest_housekeeping.module_path, status="READY").exists()
    except Exception:  # another backend: no table to look in
        waiting = False
    if waiting:
        return False
    ingest_housekeeping.using(run_after=run_after).enqueue(interval_minutes)
    return True
