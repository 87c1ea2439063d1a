"""Bulk JSONL imports from the browser: stored as an IngestBatch, run by a task (tasks.py,
which also queues it), shown with progress."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from factcheck.ingest.importers import IngestRefused, fetch_records, shown, store_records
from factcheck.ingest.queueing import request_extractions
from factcheck.models import IngestBatch, stuck_before
from factcheck.statements.extraction import EXTRACTION_BATCH

log = logging.getLogger(__name__)

MAX_RECORDS = 5000


def _records(lines: str) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(lines.splitlines(), 1) if line.strip()]


def max_batch_bytes() -> int:
    """The largest JSONL upload taken from the browser (the command line has no limit)."""
    return 4 * settings.FACTCHECK_FETCH_MAX_BYTES


def store_batch(*, name: str, data: bytes, by=None) -> IngestBatch:
    """Validate a JSONL upload and store it; refuses with a one-line reason."""
    limit = max_batch_bytes()
    if len(data) > limit:
        raise IngestRefused(f"The file is larger than {limit / 1e6:g} MB; split it or use "
                            "`manage.py ingest`.", status=413)
    if not name.lower().endswith((".jsonl", ".ndjson", ".json")):
        raise IngestRefused("Upload a .jsonl file: one JSON object per line.", status=415)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IngestRefused("The file is not UTF-8 text.", status=415) from None
    if "\x00" in text:
        raise IngestRefused("The file is binary, not JSON lines.", status=415)
    records = _records(text)
    if not records:
        raise IngestRefused("The file has no records.")
    if len(records) > MAX_RECORDS:
        raise IngestRefused(f"{len(records):,} records; at most {MAX_RECORDS:,} per upload.", status=413)
    return IngestBatch.objects.create(name=name[:200], lines=text, total=len(records), created_by=by)


def run_batch(batch_id: int) -> int:
    """Import a batch's records from where it stopped; returns how many were handled now."""
    batch = IngestBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status == IngestBatch.Status.DONE:
        return 0
    IngestBatch.objects.filter(pk=batch.pk).update(status=IngestBatch.Status.RUNNING,
                                                   updated_at=timezone.now())
    records = _records(batch.lines)[batch.processed:]
    handled = 0
    try:
        for start in range(0, len(records), EXTRACTION_BATCH):
            counts = (batch.added, batch.known, batch.refused, batch.errors)
            try:
                if not _import_chunk(batch, records[start:start + EXTRACTION_BATCH]):
                    return handled
            except Exception:
                batch.added, batch.known, batch.refused, batch.errors = counts  # rolled back
                raise
            handled += min(EXTRACTION_BATCH, len(records) - start)
    except Exception as exc:
        log.exception("bulk import %s failed", batch.pk)
        batch.status = IngestBatch.Status.FAILED
        batch.errors = [*batch.errors, [0, f"Import stopped: {type(exc).__name__}: {exc}"]]
        batch.save(update_fields=["status", "errors", "updated_at"])
        raise
    batch.status = IngestBatch.Status.DONE
    batch.save(update_fields=["status", "updated_at"])
    return handled


def _import_chunk(batch: IngestBatch, records: list[tuple[int, str]]) -> bool:
    """Store some records of a batch and queue their extraction together; False if another
    runner got there first.

    The chunk's articles and the progress counting them commit together: one commit (a disk
    flush) for the chunk rather than two per record, and a runner that dies mid-chunk leaves
    nothing half-counted; the next one starts again at the chunk.
    """
    fetched = fetch_records(records)  # before the transaction: it holds the batch row's lock
    with transaction.atomic():
        # A second runner (a sweep that was too eager) waits here, then finds the records
        # counted and stops instead of counting them twice.
        processed = IngestBatch.objects.select_for_update().filter(pk=batch.pk).values_list(
            "processed", flat=True).first()
        if processed != batch.processed:
            return False
        to_extract, created = [], set()
        for item, outcome in zip(fetched, store_records(fetched, by=batch.created_by), strict=True):
            if isinstance(outcome, IngestRefused):
                batch.refused += 1
                # shown(): nothing a JSON column refuses (NUL, a lone surrogate) echoed from the line
                batch.errors = [*batch.errors, [item.lineno, shown(outcome, 300)]][-500:]
                continue
            if outcome.created:
                batch.added += 1
                created.add(outcome.article.pk)
            else:
                batch.known += 1
            if outcome.created or outcome.new_version:
                to_extract.append(outcome.article)
        IngestBatch.objects.filter(pk=batch.pk).update(
            processed=batch.processed + len(records), added=batch.added, known=batch.known,
            refused=batch.refused, errors=batch.errors, updated_at=timezone.now())
        # One task for the chunk's articles (EXTRACTION_BATCH), queued once they are committed.
        request_extractions(to_extract, created=created)
    batch.processed += len(records)
    return True


def requeue_stuck_batches(now=None) -> list[IngestBatch]:
    """Mark queued again the imports whose worker died mid-way (tasks.sweep_stuck_batches
    queues them); they resume after the last handled record. Call inside a transaction."""
    swept = []
    active = [IngestBatch.Status.QUEUED, IngestBatch.Status.RUNNING]
    limit = stuck_before(now)
    for batch in IngestBatch.objects.filter(status__in=active, updated_at__lt=limit):
        # Conditional, so two sweeps at once queue each import once.
        if IngestBatch.objects.filter(pk=batch.pk, updated_at__lt=limit).update(
                status=IngestBatch.Status.QUEUED, updated_at=now or timezone.now()):
            swept.append(batch)
    return swept
