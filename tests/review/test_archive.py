"""Archiving a source: fetched through the safe fetcher, stored with its SHA-256, served sandboxed."""

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from factcheck.factchecks import actions as factchecks
from factcheck.models import Evidence

pytestmark = pytest.mark.django_db
PAGE = b"<html><body><h1>Budget 2025</h1><p>Repairs: 38 million.</p><script>x()</script></body></html>"


class Source(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture
def source_url(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Source)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    yield f"http://127.0.0.1:{server.server_port}/budget"
    server.shutdown()


@pytest.fixture
def draft_with_source(editor, make_statement, source_url):
    factcheck = factchecks.start_factcheck(statement=make_statement(), by=editor)
    evidence = factchecks.add_evidence(factcheck=factcheck, by=editor, url=source_url, title="Budget",
                                    publisher="Treasury", kind="primary", quote="")
    return factcheck, evidence


def test_archive_stores_the_copy_and_its_hash(client, editor, draft_with_source):
    factcheck, evidence = draft_with_source
    client.force_login(editor)
    response = client.post(reverse("evidence_archive", args=[factcheck.pk, evidence.pk]),
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and b"SHA-256" in response.content
    evidence.refresh_from_db()
    assert evidence.snapshot_sha256 == hashlib.sha256(PAGE).hexdigest()
    snapshot = client.get(reverse("evidence_snapshot", args=[evidence.pk]))
    assert b"".join(snapshot.streaming_content) == PAGE
    assert "sandbox" in snapshot["Content-Security-Policy"]


def test_unpublished_snapshot_is_not_public(client, editor, draft_with_source):
    factcheck, evidence = draft_with_source
    factchecks.archive_evidence(evidence=evidence, by=editor)
    assert client.get(reverse("evidence_snapshot", args=[evidence.pk])).status_code == 404


def test_archiving_a_private_address_is_refused_with_a_message(client, editor, draft_with_source, settings):
    factcheck, evidence = draft_with_source
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = []
    client.force_login(editor)
    response = client.post(reverse("evidence_archive", args=[factcheck.pk, evidence.pk]))
    assert 400 <= response.status_code < 500
    assert b"Could not archive" in response.content
    assert not Evidence.objects.get(pk=evidence.pk).snapshot
