"""Ingest's background tasks, and the calls that queue them.

The top of the ingest package: views, commands and workers import it, nothing in ingest
does. (Extraction's own tasks are the statement step's, in statements/tasks.py, queued
through queueing.py.)
"""

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from factcheck.ingest.batches import requeue_stuck_batches, run_batch, store_batch
from factcheck.ingest.feeds import poll_due
from factcheck.ingest.queueing import enqueue_on_commit, sweep_stuck_extractions
from factcheck.models import IngestBatch

HOUSEKEEPING_MINUTES = 5


@task()
def import_batch(batch_id: int) -> int:
    return run_batch(batch_id)


@task()
def ingest_housekeeping(interval_minutes: int = HOUSEKEEPING_MINUTES) -> dict:
    """Poll due feeds and sweep, then schedule the next run `interval_minutes` from now.

    Started once with `manage.py poll_feeds --schedule`; with the database backend the next
    run waits in the task table (run_after), so the chain survives worker restarts.
    """
    try:
        report = poll_due()
        report["swept"] = len(sweep_stuck_extractions()) + len(sweep_stuck_batches())
    finally:
        schedule_housekeeping(interval_minutes)
    return report


def start_batch(*, name: str, data: bytes, by=None) -> IngestBatch:
    """Validate a JSONL upload, store it and queue its import; refuses with a one-line reason."""
    with transaction.atomic():
        batch = store_batch(name=name, data=data, by=by)
        enqueue_on_commit(import_batch, batch.pk, what=f"bulk import {batch.pk}")
    return batch


def sweep_stuck_batches(now=None) -> list[int]:
    """Re-queue imports whose worker died mid-way; they resume after the last handled record."""
    swept = []
    with transaction.atomic():
        for batch in requeue_stuck_batches(now):
            enqueue_on_commit(import_batch, batch.pk, what=f"bulk import {batch.pk}")
            swept.append(batch.pk)
    return swept


def schedule_housekeeping(interval_minutes: int = HOUSEKEEPING_MINUTES) -> bool:
    """Queue the next housekeeping run unless one is already waiting; True if queued."""
    if not ingest_housekeeping.get_backend().supports_defer:
        return False  # a backend that runs tasks at once (tests) would loop forever
    run_after = timezone.now() + timezone.timedelta(minutes=interval_minutes)
    try:
        waiting = DBTaskResult.objects.filter(
            task_path=ingest_housekeeping.module_path, status="READY").exists()
    except Exception:  # another backend: no table to look in
        waiting = False
    if waiting:
        return False
    ingest_housekeeping.using(run_after=run_after).enqueue(interval_minutes)
    return True
