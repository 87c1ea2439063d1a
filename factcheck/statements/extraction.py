"""From an article's text to queue items: run the extractor, reconcile, store.

The entry points the workers and commands call: extract_or_copy(_batch), which extract an
article or copy the finished extraction of the article it is a syndicated copy of.
"""

import logging
import threading
from dataclasses import replace
from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from factcheck import extract
from factcheck.models import Article, ReviewEvent, Statement, stuck_before
from factcheck.statements.lsh import LSH_FIELDS, set_lsh_fields
from factcheck.statements.reconcile import REFRESHED_FIELDS, reconcile, relocate_kept_statements
from factcheck.statements.speakers import resolve_speakers
from factcheck.statements.store import store_new_statements

log = logging.getLogger(__name__)

# Articles extracted together by the paths that handle many at once (bulk imports, feeds, the
# sweep, manage.py ingest of many sources). The costs left are mostly per batch rather than
# per query: measured with the bench data, 50 took 10-20% less database time an article than
# 20 (17-21 ms against 21-27 ms, alternating on this loaded machine). More would gain less
# and delay the first results further, hold more parses in memory (the worker stays at the
# same 205 MB with 50) and cost more to redo one by one after a failure.
EXTRACTION_BATCH = 50
# Texts longer than this together (about a second and a half of parsing) are shown as running
# while the engine works on them.
LONG_TEXT = 50_000
# Longer messages are cut when recorded on the article.
ERROR_CHARS = 2000
# While a worker parses, its heartbeat marks the articles it holds every third of
# FACTCHECK_EXTRACTION_TIMEOUT_MINUTES, and never more often than this.
HEARTBEAT_MIN_SECONDS = 5.0


class Heartbeat:
    """Keeps the sweep off the extractions a live worker holds.

    The sweep re-queues an extraction pending or running for longer than the timeout (its
    worker died). A parse of a large batch is one nlp.pipe call that can outlast it, so while
    it runs a thread marks the batch's articles running with a fresh extraction_changed_at
    every third of the timeout; when the worker dies the beats stop and the sweep takes the
    work after the timeout, as before. Articles that waited in the queue so long that they
    would look stuck before the first beat are marked at once, by the worker itself. A short
    parse ends before the first beat and writes nothing.

    Only rows still waiting with the text the worker parses are touched: an article edited
    meanwhile is pending again for the run its new version queued, and stays so.
    """

    def __init__(self, articles: list[Article]):
        self.held = reduce(or_, (Q(pk=a.pk, content_hash=a.content_hash) for a in articles))
        timeout = settings.FACTCHECK_EXTRACTION_TIMEOUT_MINUTES * 60
        self.interval = max(timeout / 3, HEARTBEAT_MIN_SECONDS)
        # Stuck by the time of the first beat: held (marked) at once instead.
        self._soon_stuck = stuck_before(timezone.now() + timedelta(seconds=self.interval))
        self._oldest = min(a.extraction_changed_at for a in articles)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="extraction-heartbeat", daemon=True)

    def beat(self) -> int:
        return Article.objects.filter(self.held, extraction_status__in=Article.WAITING).update(
            extraction_status=Article.Extraction.RUNNING, extraction_changed_at=timezone.now())

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except Exception:  # a lost beat costs at most a duplicate run; keep beating
                    log.exception("extraction heartbeat failed")
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self):
        if self._oldest < self._soon_stuck:
            self.beat()
        # Inside a caller's transaction the beats could wait for row locks that transaction
        # holds, and the join below for them: no thread then (workers and commands call this
        # outside any transaction).
        if not connection.in_atomic_block:
            self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def run_extraction(article: Article) -> int:
    """Extract an article's quotes and claims into the queue; returns how many were stored.

    Safe to repeat, and ids stay stable (see reconcile.py). A failed extraction is recorded
    on the article and raised.
    """
    outcome = run_extraction_batch([article])[article.pk]
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _parse(texts: list[str]) -> list[extract.Extraction | Exception]:
    """The engine's findings for each text, or the exception it raised on that text."""
    if len(texts) == 1:
        try:
            return [extract.extract(texts[0])]
        except Exception as exc:  # the engine must never take a worker down with it
            return [exc]
    try:
        return list(extract.extract_many(texts))
    except Exception:
        # One text the engine cannot handle must not cost the others their extraction: parse
        # them one by one (slower, but only after a failure) to tell which one it was.
        log.warning("batch extraction failed; extracting its %d texts one by one", len(texts))
        return [found for text in texts for found in _parse([text])]


def _checkable(found: extract.Extraction) -> extract.Extraction:
    """What the queue takes of the engine's findings: not the topics of a stance ("endorsed
    Berg", "criticism of the plan"), which attribute no proposition a desk could check."""
    return replace(found, quotes=[q for q in found.quotes if not q.topic])


def _record_failure(article: Article, error: Exception) -> None:
    log.error("extraction failed for article %s", article.pk, exc_info=error)
    message = f"{type(error).__name__}: {error}"[:ERROR_CHARS]
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        extraction_status=Article.Extraction.FAILED, extraction_changed_at=now,
        extraction_error=message)
    article.extraction_status, article.extraction_error = Article.Extraction.FAILED, message
    article.extraction_changed_at = now


def run_extraction_batch(articles: list[Article]) -> dict[int, int | Exception]:
    """run_extraction for many articles at once: article pk -> how many statements were
    stored, or the exception that failed its extraction (recorded on the article, as
    run_extraction does; the other articles are extracted all the same).

    The texts are parsed together (one nlp.pipe), and the statements of articles extracted
    for the first time are stored together: a fixed number of queries for the batch, however
    many articles it holds. The results are those of extracting the articles one by one in
    the order given: a statement repeating one of an earlier article of the same batch is
    grouped with it, and speakers created for an earlier article are found by a later one.
    """
    articles = list({a.pk: a for a in articles}.values())  # once each, in order of first mention
    if not articles:
        return {}
    if sum(len(a.text) for a in articles) > LONG_TEXT:
        # Shown as running, and left alone by the sweep (extraction_changed_at is recent). When
        # the parse is over in about a second the mark is not worth what it costs: a commit,
        # and a second rewrite of each row and its full-text index entries.
        Article.objects.filter(pk__in=[a.pk for a in articles]).update(
            extraction_status=Article.Extraction.RUNNING, extraction_error="",
            extraction_changed_at=timezone.now())
    texts_seen = {a.pk: a.text for a in articles}
    outcomes: dict[int, int | Exception] = {}
    # Text in another language would come out of the English pipeline as junk ("sagte Weber vor
    # dem Stadtrat." as a claim): it finds nothing instead, which also clears what an earlier
    # extraction of an English version left untouched in the queue.
    english = [a for a in articles if a.extraction_supported]
    parsed = [(a, extract.Extraction()) for a in articles if not a.extraction_supported]
    if english:
        # Stopped before the transaction below, which locks the rows the heartbeat writes.
        with Heartbeat(english):
            found_all = _parse([a.text for a in english])
        for article, found in zip(english, found_all, strict=True):
            if isinstance(found, Exception):
                _record_failure(article, found)
                outcomes[article.pk] = found
            else:
                parsed.append((article, _checkable(found)))
    if not parsed:
        return outcomes
    order = {a.pk: i for i, a in enumerate(articles)}
    parsed.sort(key=lambda pair: order[pair[0].pk])  # in the order given, as one by one

    with transaction.atomic():
        # One extraction per article at a time: a retried or swept task racing the original
        # one waits here instead of colliding on the unique spans. Locked in pk order, so two
        # batches sharing articles cannot deadlock.
        current = {a.pk: a for a in Article.objects.select_for_update().filter(
            pk__in=[a.pk for a, _ in parsed]).only("text", "extracted_at").order_by("pk")}
        for article, _ in parsed:
            if article.pk not in current or current[article.pk].text != texts_seen[article.pk]:
                # Deleted, or changed while the engine ran; the run for the new text is queued.
                outcomes[article.pk] = 0
        parsed = [(a, found) for a, found in parsed if a.pk not in outcomes]
        for article, _ in parsed:
            relocate_kept_statements(current[article.pk])  # no query for one never extracted
        # One query for the batch, never-extracted articles included: a statement added by hand
        # (in the admin) holds its span, and inserting the engine's own there would collide.
        existing: dict[int, dict[tuple, Statement]] = {}
        for s in Statement.objects.filter(article__in=[a for a, _ in parsed]).annotate(
                n_factchecks=Count("factchecks")):
            existing.setdefault(s.article_id, {})[(s.kind, s.start, s.end)] = s
        speakers = iter(resolve_speakers([q.speaker for _, found in parsed for q in found.quotes]))
        now = timezone.now()
        events, fresh = [], []
        for article, found in parsed:
            old_ones = existing.get(article.pk, {})
            found_speakers = [next(speakers) for _ in found.quotes]
            result = reconcile(article, found, found_speakers, old_ones)
            if not old_ones:
                fresh += result.new
            else:
                # A re-extraction changes rows later articles may repeat: store what came before
                # it, then it alone, as one by one would.
                store_new_statements(fresh)
                fresh = []
                Statement.objects.filter(pk__in=result.stale).delete()
                set_lsh_fields(result.refreshed)  # the text may have changed; bulk_update skips save()
                Statement.objects.bulk_update(result.refreshed, [*REFRESHED_FIELDS, *LSH_FIELDS])
                store_new_statements(result.new)
            stored = len(result.new) + len(result.refreshed)
            events.append(ReviewEvent.new(ReviewEvent.Action.EXTRACTED, article=article,
                                          created_at=now, data={
                                              "statements": stored, "new": len(result.new),
                                              "removed": len(result.stale)}))
            outcomes[article.pk] = stored
        # grouped with earlier appearances (in this batch too), matched to earlier fact-checks
        store_new_statements(fresh)
        done = [article for article, _ in parsed]
        for status in (Article.Extraction.DONE, Article.Extraction.SKIPPED):
            Article.objects.filter(pk__in=[a.pk for a in done if _finished_status(a) == status]).update(
                extraction_status=status, extraction_error="", extracted_at=now,
                extraction_changed_at=now)
        ReviewEvent.objects.bulk_create(events)
    for article in done:  # what the update wrote, without reading each article back
        article.extraction_status, article.extraction_error = _finished_status(article), ""
        article.extracted_at = article.extraction_changed_at = now
    return outcomes


def _finished_status(article: Article) -> str:
    return Article.Extraction.DONE if article.extraction_supported else Article.Extraction.SKIPPED


def copy_extraction(article: Article, original: Article) -> int:
    """Give a syndicated copy the statements of its original instead of extracting again.

    The copy's own rows (same offsets: the texts are identical) mean every outlet that
    printed a quote is counted, and their shared fingerprints group them in the queue.
    Dismissed items stay dismissed; everything else starts fresh in the queue.
    """
    with transaction.atomic():
        Article.objects.select_for_update().get(pk=article.pk)
        article.statements.filter(status=Statement.Status.NEW, version=1, factchecks=None).delete()
        kept = set(article.statements.values_list("kind", "start", "end"))
        copies = []
        for source in original.statements.all():
            if (source.kind, source.start, source.end) in kept:
                continue
            dismissed = source.status == Statement.Status.DISMISSED
            copies.append(Statement(
                article=article, kind=source.kind, text=source.text, start=source.start,
                end=source.end, parts=source.parts, speaker_id=source.speaker_id,
                mention=source.mention, mention_start=source.mention_start,
                mention_end=source.mention_end, cue=source.cue, cue_start=source.cue_start,
                cue_end=source.cue_end, venue=source.venue, via=source.via, score=source.score,
                fingerprint=source.fingerprint,
                status=Statement.Status.DISMISSED if dismissed else Statement.Status.NEW,
                dismissed_reason=source.dismissed_reason if dismissed else ""))
        store_new_statements(copies)  # each copy is another appearance of the original's quote
        now = timezone.now()
        Article.objects.filter(pk=article.pk).update(
            extraction_status=Article.Extraction.DONE, extraction_error="", extracted_at=now,
            extraction_changed_at=now)
        ReviewEvent.record(ReviewEvent.Action.EXTRACTION_COPIED, article=article, created_at=now,
                           data={"statements": len(copies), "from_article": original.pk})
    article.refresh_from_db()
    return len(copies)


def _finished_original(article: Article) -> Article | None:
    """The article this one is a copy of, when that one's extraction is done and still holds
    for this text: its statements can be copied instead of extracting again."""
    original = article.copy_of
    if (original is not None and original.extraction_status == Article.Extraction.DONE
            and original.text == article.text):
        return original
    return None


def extract_or_copy(article: Article) -> int:
    """Extract an article, or copy the finished extraction of the article it is a copy of."""
    original = _finished_original(article)
    if original is not None:
        return copy_extraction(article, original)
    return run_extraction(article)


def extract_or_copy_batch(articles: list[Article]) -> dict[int, int | Exception]:
    """extract_or_copy for many articles (load them with select_related("copy_of")): article pk
    -> statements stored, or the exception that failed it. The copies of finished originals
    are copied; the others are extracted together. One failing does not stop the others."""
    outcomes: dict[int, int | Exception] = {}
    to_extract = []
    for article in articles:
        original = _finished_original(article)
        if original is not None:
            try:
                outcomes[article.pk] = copy_extraction(article, original)
            except Exception as exc:  # left pending: the sweep queues it again
                log.exception("copying the extraction of article %s failed", article.pk)
                outcomes[article.pk] = exc
        else:
            to_extract.append(article)
    outcomes.update(run_extraction_batch(to_extract))
    return outcomes
