"""The sweep never re-queues an extraction a live worker holds (issue #28).

A worker parsing a batch (one nlp.pipe call, minutes for a large one) keeps its articles'
extraction_changed_at fresh with a heartbeat; the sweep (poll_feeds, housekeeping) takes
only what no heartbeat keeps, as before when a worker dies. Here the timeout is 1.5 s and
the heartbeat 0.5 s; the fake parse takes 4 s, well over two timeouts.
"""

import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

import factcheck.extract
from factcheck.extract import Extraction
from factcheck.ingest import queueing
from factcheck.models import Article
from factcheck.statements import extraction
from factcheck.statements.tasks import extract_articles

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TIMEOUT_SECONDS = 1.5
PARSE_SECONDS = 4.0


@pytest.fixture
def tiny_timeout(settings, monkeypatch):
    settings.FACTCHECK_EXTRACTION_TIMEOUT_MINUTES = TIMEOUT_SECONDS / 60
    # The floor that keeps a production heartbeat from hammering the database.
    monkeypatch.setattr(extraction, "HEARTBEAT_MIN_SECONDS", 0.1, raising=False)


@pytest.fixture
def requeued(monkeypatch):
    """What the sweep hands to the workers (recorded instead of queued)."""
    queued = []
    monkeypatch.setattr(queueing, "enqueue_extractions", lambda pks: queued.extend(pks))
    return queued


def _articles(n=3):
    return [Article.objects.ingest(text=f"Story {i}\n\nThe council said item {i} was approved.",
                                   url=f"https://news.example/{i}")[0] for i in range(n)]


def _slow_parse(monkeypatch, *, then=None):
    calls = []

    def extract_many(texts, **kwargs):
        calls.append(len(texts))
        time.sleep(PARSE_SECONDS if then is None else PARSE_SECONDS / 4)
        if then is not None:
            raise then
        return [Extraction() for _ in texts]

    monkeypatch.setattr(factcheck.extract, "extract_many", extract_many)
    return calls


def _in_a_worker(pks, outcome):
    def work():
        try:
            outcome["result"] = extract_articles.func(pks)
        except BaseException as exc:  # noqa: BLE001 — SystemExit stands for a killed worker
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def _heartbeats():
    return [t for t in threading.enumerate() if "heartbeat" in t.name and t.is_alive()]


def _sessions():
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_the_sweep_leaves_a_batch_alone_while_its_worker_extracts_it(tiny_timeout, requeued, monkeypatch):
    articles = _articles()
    calls = _slow_parse(monkeypatch)
    sessions = _sessions()
    outcome = {}
    worker = _in_a_worker([a.pk for a in articles], outcome)
    swept = []
    while worker.is_alive():  # the sweep, run far more often than poll_feeds would
        swept += queueing.sweep_stuck_extractions()
        time.sleep(0.1)
    worker.join()
    assert "error" not in outcome, outcome
    assert swept == [] and requeued == []
    assert calls == [3]  # parsed once
    assert set(Article.objects.values_list("extraction_status", flat=True)) == {"done"}
    assert not _heartbeats()
    time.sleep(0.1)
    assert _sessions() == sessions  # the heartbeat closed its own connection


def test_a_batch_queued_long_ago_is_held_from_the_start(tiny_timeout, requeued, monkeypatch):
    """Articles that waited in the queue longer than the timeout are stuck by the clock the
    moment a worker takes them: the worker marks them as its own before it parses."""
    articles = _articles()
    Article.objects.update(extraction_changed_at=timezone.now() - timezone.timedelta(seconds=60))
    _slow_parse(monkeypatch)
    outcome = {}
    worker = _in_a_worker([a.pk for a in articles], outcome)
    time.sleep(0.3)  # the worker has started
    swept = queueing.sweep_stuck_extractions()
    worker.join()
    assert swept == [] and requeued == [] and "error" not in outcome


def test_after_the_worker_dies_the_sweep_takes_the_batch(tiny_timeout, requeued, monkeypatch):
    articles = _articles()
    _slow_parse(monkeypatch, then=SystemExit(1))  # killed mid-parse
    outcome = {}
    _in_a_worker([a.pk for a in articles], outcome).join()
    assert isinstance(outcome.get("error"), SystemExit)
    assert not _heartbeats()  # stopped on failure too
    assert queueing.sweep_stuck_extractions() == []  # not stuck yet: the last beat was just now
    time.sleep(TIMEOUT_SECONDS + 0.2)
    swept = queueing.sweep_stuck_extractions()
    assert sorted(swept) == sorted(a.pk for a in articles) == sorted(requeued)
