"""Bulk JSONL imports from the browser: background task, progress page, resuming."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from factcheck.ingest.batches import run_batch
from factcheck.ingest.importers import IngestRefused
from factcheck.ingest.tasks import start_batch
from factcheck.models import Article, IngestBatch

pytestmark = pytest.mark.django_db


def _jsonl(*records):
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()


def test_bulk_upload_runs_in_the_background_and_shows_progress(client, editor, web,
                                                                django_capture_on_commit_callbacks):
    client.force_login(editor)
    data = _jsonl({"url": web.url("/article")}, {"url": web.url("/second")}, "", "{broken",
                  {"url": web.url("/article")})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/articles/new/", {"tab": "bulk", "file": SimpleUploadedFile("b.jsonl", data)})
    batch = IngestBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    assert (batch.status, batch.total, batch.processed) == ("done", 4, 4)
    assert (batch.added, batch.known, batch.refused) == (2, 1, 1)
    assert batch.errors[0][0] == 4 and "Not valid JSON" in batch.errors[0][1]
    page = client.get(batch.get_absolute_url())
    assert b'<progress max="4" value="4">' in page.content and b"Line 4" in page.content
    htmx = client.get(batch.get_absolute_url(), headers={"HX-Request": "true"})
    assert b'id="progress"' in htmx.content and b"<html" not in htmx.content
    assert b"every 2s" not in htmx.content  # finished: no more polling
    assert Article.objects.count() == 2


def test_a_running_batch_page_polls(client, editor):
    client.force_login(editor)
    batch = IngestBatch.objects.create(name="x.jsonl", lines='{"text": "a b c"}', total=1)
    page = client.get(batch.get_absolute_url())
    assert b'hx-trigger="every 2s"' in page.content and b'<progress max="1" value="0">' in page.content


@pytest.mark.parametrize("name, data, message", [
    ("b.csv", b'{"url": "x"}', "Upload a .jsonl"),
    ("b.jsonl", b"\n\n", "no records"),
    ("b.jsonl", "caf\xe9".encode("latin-1"), "not UTF-8"),
    ("b.jsonl", b'{"a": 1}\x00', "binary"),
])
def test_bad_bulk_files_are_refused(name, data, message):
    with pytest.raises(IngestRefused, match=message):
        start_batch(name=name, data=data)
    assert not IngestBatch.objects.exists()


def test_bulk_form_error_is_a_4xx(client, editor):
    client.force_login(editor)
    response = client.post("/articles/new/", {"tab": "bulk", "file": SimpleUploadedFile("b.csv", b"a,b")})
    assert response.status_code == 415 and b"Upload a .jsonl" in response.content


def test_an_interrupted_batch_resumes_after_the_last_record(django_capture_on_commit_callbacks):
    records = [{"text": f"Story {i}\n\nThe council said item {i} was approved."} for i in range(3)]
    with django_capture_on_commit_callbacks(execute=False):
        batch = start_batch(name="b.jsonl", data=_jsonl(*records))
    # A worker died after the first record.
    rows = IngestBatch.objects.filter(pk=batch.pk)
    from factcheck.ingest.importers import ingest_record

    ingest_record(records[0])
    rows.update(processed=1, added=1, status="running")
    assert run_batch(batch.pk) == 2
    batch.refresh_from_db()
    assert (batch.status, batch.processed, batch.added) == ("done", 3, 3)
    assert Article.objects.count() == 3
    assert run_batch(batch.pk) == 0  # done: a late duplicate task does nothing


def test_bulk_import_fetches_pages_before_opening_its_transaction(web, monkeypatch):
    """A slow site must not keep the import's transaction, and the lock on its progress row,
    open while fifty pages are fetched one after another."""
    from django.db import connection

    from factcheck.ingest import importers

    depth_at_fetch = []
    real_fetch = importers.fetch

    def watched_fetch(url, **kwargs):
        depth_at_fetch.append(len(connection.atomic_blocks))
        return real_fetch(url, **kwargs)

    monkeypatch.setattr(importers, "fetch", watched_fetch)
    batch = start_batch(name="b.jsonl", data=_jsonl({"url": web.url("/article")}, {"url": web.url("/second")},
                                                     {"text": "Story\n\nThe council said it was approved."}))
    outside = len(connection.atomic_blocks)  # the test's own transaction
    assert run_batch(batch.pk) == 3
    batch.refresh_from_db()
    assert (batch.status, batch.added, batch.refused) == ("done", 3, 0)
    assert depth_at_fetch == [outside, outside]
