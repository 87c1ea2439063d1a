"""Hostile input at the doors (issue #28): JSON that breaks the parser or the database, and
uploads too large to read. Each gets a clear 4xx and stores nothing; in a bulk import the
bad line is reported by its number and the good ones are imported."""

import io
import json
from datetime import UTC

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from factcheck.ingest.importers import IngestRefused, ingest_record
from factcheck.models import ApiToken, Article, IngestBatch, Outlet, ReviewEvent

pytestmark = pytest.mark.django_db

TEXT = "Pier to reopen\n\nThe pier will reopen in May, the council said."

# The JSON text of each hostile record, as it arrives (a body, or a line of a JSONL file).
HOSTILE = {
    # RecursionError inside json.loads
    "nested brackets": "[" * 100_000 + "]" * 100_000,
    "nested in a field": '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}",
    # json.loads' ValueError that is not a JSONDecodeError (int_max_str_digits)
    "a 5,000-digit number": '{"text": ' + "1" * 5000 + "}",
    # valid JSON, not valid Unicode: UnicodeEncodeError when the database gets it
    "lone surrogate in text": json.dumps({"text": TEXT + " \ud800"}),
    "lone surrogate in title": json.dumps({"text": TEXT, "title": "Pier \udfff"}),
    "lone surrogate in outlet": json.dumps({"text": TEXT, "outlet": "\ud800 Gazette"}),
    "lone surrogate in url": json.dumps({"text": TEXT, "url": "https://news.example/\ud800"}),
    # PostgreSQL refuses NUL in a string
    "NUL in url": json.dumps({"text": TEXT, "url": "https://news.example/a\u0000b"}),
    # OverflowError converting to UTC (SQLite), or a year 0 PostgreSQL stores and cannot read back
    "published_at before year 1 in UTC": json.dumps({"text": TEXT,
                                                     "published_at": "0001-01-01T00:00:00+14:00"}),
    "published_at after year 9999 in UTC": json.dumps({"text": TEXT,
                                                       "published_at": "9999-12-31T23:59:59-14:00"}),
}
MESSAGES = {
    "nested brackets": "nested too deeply",
    "nested in a field": "nested too deeply",
    "a 5,000-digit number": "number",
    "lone surrogate in text": "text",
    "lone surrogate in title": "title",
    "lone surrogate in outlet": "outlet",
    "lone surrogate in url": "url",
    "NUL in url": "URL",
    "published_at before year 1 in UTC": "published_at",
    "published_at after year 9999 in UTC": "published_at",
}


@pytest.fixture
def api_key(editor):
    return ApiToken.create_for(editor, "CMS")[1]


def _nothing_stored():
    return not Article.objects.exists() and not Outlet.objects.exists() and not ReviewEvent.objects.exists()


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_api_answers_hostile_json_with_a_400_and_stores_nothing(client, api_key, name):
    client.raise_request_exception = False  # a 500 is a failed assertion below, not an error
    body = HOSTILE[name].encode("utf-8")  # json.dumps escaped the surrogate: the body is valid UTF-8
    response = client.post(reverse("api_articles"), data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {api_key}"})
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    assert MESSAGES[name].lower() in error.lower() and "\n" not in error
    assert _nothing_stored()


@pytest.mark.parametrize("name", [n for n in HOSTILE if n.startswith(("lone", "NUL", "published"))])
def test_ingest_record_refuses_what_the_database_cannot_hold(name):
    with pytest.raises(IngestRefused) as refused:
        ingest_record(json.loads(HOSTILE[name]))
    assert refused.value.status == 400
    assert _nothing_stored()


def test_published_at_within_range_is_kept():
    first = ingest_record({"text": TEXT, "published_at": "0001-01-03T00:00:00+14:00"}).article
    second = ingest_record({"text": TEXT + " Again.", "published_at": "2026-02-10T08:30:00-05:00"}).article
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.published_at.year, first.published_at.astimezone(UTC).hour) == (1, 10)
    assert second.published_at.astimezone(UTC).hour == 13


def _good_lines():
    return [json.dumps({"text": f"Story {i}\n\nThe council said item {i} was approved on Monday."})
            for i in range(3)]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_one_hostile_line_of_a_bulk_upload_is_refused_by_number_and_the_rest_imported(
        client, editor, name, django_capture_on_commit_callbacks):
    lines = _good_lines()
    lines.insert(2, HOSTILE[name])  # line 3 of 4
    client.force_login(editor)
    client.raise_request_exception = False
    upload = SimpleUploadedFile("b.jsonl", "\n".join(lines).encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("article_new"), {"tab": "bulk", "file": upload})
    assert response.status_code == 302
    batch = IngestBatch.objects.get()
    assert (batch.status, batch.total, batch.processed) == ("done", 4, 4)
    assert (batch.added, batch.known, batch.refused) == (3, 0, 1)
    assert len(batch.errors) == 1 and batch.errors[0][0] == 3
    assert MESSAGES[name].lower() in batch.errors[0][1].lower()
    assert Article.objects.count() == 3


@pytest.mark.parametrize("name", ["nested brackets", "lone surrogate in text",
                                  "published_at before year 1 in UTC"])
def test_manage_py_ingest_refuses_the_hostile_line_and_keeps_the_others(tmp_path, name):
    lines = _good_lines()
    lines.insert(1, HOSTILE[name])  # line 2 of 4
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 4 records refused"):
        call_command("ingest", str(path), "--enqueue", stdout=out, stderr=err)
    assert "line 2" in err.getvalue() and MESSAGES[name].lower() in err.getvalue().lower()
    assert "3 added" in out.getvalue()
    assert Article.objects.count() == 3


def test_a_chunk_that_the_database_refuses_is_stored_record_by_record(monkeypatch):
    """Whatever slips past the checks (here: the database refusing one article's row) costs
    that record only, not the 49 others of its chunk."""
    from django.db import DataError

    from factcheck.ingest import importers

    lines = [(n, line) for n, line in enumerate(_good_lines(), 1)]
    real = Article.objects.ingest_many

    def refuse_story_1(fields, **kwargs):
        if any("Story 1" in f["text"] for f in fields):
            raise DataError("value too long for type character varying(500)")
        return real(fields, **kwargs)

    monkeypatch.setattr(Article.objects, "ingest_many", refuse_story_1)
    stored = importers.store_records(importers.fetch_records(lines))
    assert [isinstance(s, IngestRefused) for s in stored] == [False, True, False]
    assert "could not be stored" in str(stored[1]).lower()
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Story 0", "Story 2"]


# --------------------------------------------------------------------------- oversized uploads


class _Body:
    """A request body that is made up as it is read, and counts what was read: a client
    sending hundreds of megabytes, without the test holding them."""

    def __init__(self, head: bytes, cap: int):
        self.head, self.cap, self.read_bytes = head, cap, 0

    def read(self, size=-1):
        size = self.cap - self.read_bytes if size is None or size < 0 else size
        size = min(size, self.cap - self.read_bytes)
        if size <= 0:
            return b""
        start = self.read_bytes
        self.read_bytes += size
        head = self.head[start:start + size]
        return head + b"a" * (size - len(head))

    def readline(self, size=-1):
        return self.read(size if size and size > 0 else 65536)


BOUNDARY = "hostileboundary"
DECLARED = 300_000_000  # what the client says it sends


def _multipart_head(tab: str, filename: str) -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"tab\"\r\n\r\n{tab}\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()


@pytest.mark.parametrize("tab, filename, htmx", [("upload", "big.html", False), ("bulk", "big.jsonl", False),
                                                  ("bulk", "big.jsonl", True), ("", "big.jsonl", False)])
def test_a_300_mb_upload_gets_413_before_its_body_is_read(client, editor, tab, filename, htmx):
    client.force_login(editor)
    client.raise_request_exception = False
    # The test stops the body after 30 MB: a view that reads it whole reads at least that.
    body = _Body(_multipart_head(tab, filename), cap=30_000_000)
    path = reverse("article_new") + (f"?tab={tab}" if tab else "")
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.generic("POST", path, headers=headers, CONTENT_LENGTH=str(DECLARED),
                              CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
                              **{"wsgi.input": body})
    assert response.status_code == 413
    assert b"300 MB" in response.content and b"manage.py ingest" in response.content
    assert body.read_bytes == 0
    assert not IngestBatch.objects.exists() and not Article.objects.exists()


def test_an_upload_within_the_request_limit_but_over_the_file_limit_is_refused_by_its_size(
        client, editor, settings):
    settings.FACTCHECK_FETCH_MAX_BYTES = 10_000
    client.force_login(editor)
    upload = SimpleUploadedFile("a.html", b"<p>" + b"a" * 20_000 + b"</p>")
    response = client.post(reverse("article_new") + "?tab=upload", {"tab": "upload", "file": upload})
    assert response.status_code == 413 and b"larger than 0.01 MB" in response.content
    assert not Article.objects.exists()


def test_the_size_check_keeps_csrf_and_login(client, editor):
    """The size is judged before Django parses the body, and so before the CSRF middleware
    would read the token from it: the view checks the token itself, after the size."""
    upload = {"tab": "paste", "text": TEXT}
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    assert csrf_client.post(reverse("article_new"), upload).status_code == 403
    page = csrf_client.get(reverse("article_new") + "?tab=paste")
    token = page.cookies["csrftoken"].value
    response = csrf_client.post(reverse("article_new"), {**upload, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and Article.objects.count() == 1
    # Anonymous: sent to the login page, the body unread.
    body = _Body(_multipart_head("bulk", "big.jsonl"), cap=1_000_000)
    response = Client().generic("POST", reverse("article_new"), CONTENT_LENGTH=str(DECLARED),
                                CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
                                **{"wsgi.input": body})
    assert response.status_code == 302 and body.read_bytes == 0


def test_the_api_refuses_a_300_mb_body_before_reading_it(client, api_key):
    body = _Body(b'{"text": "', cap=30_000_000)
    response = client.generic("POST", reverse("api_articles"), CONTENT_LENGTH=str(DECLARED),
                              CONTENT_TYPE="application/json", headers={"Authorization": f"Bearer {api_key}"},
                              **{"wsgi.input": body})
    assert response.status_code == 413 and "too large" in response.json()["error"]
    assert body.read_bytes == 0
