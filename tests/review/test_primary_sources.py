"""Primary sources on the desk (#32): attach a transcript (pasted, uploaded, fetched), see the
passage and the word diff, decide the reading; bad input is refused with a message and
nothing is stored. Every transcript here is written for these tests."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factcheck.models import PrimarySource, ReviewEvent

pytestmark = pytest.mark.django_db

TRANSCRIPT = (
    "Good morning, everyone, and thank you for coming.\n"
    "Let me start with the bridge. We have spent 40 million pounds on repairs so far, and the "
    "crews tell me the work is nearly done.\n"
    "I will take your questions after the statement on the ferry timetable.\n"
)

SUBTITLES = """1
00:00:01,000 --> 00:00:04,000
Good morning, everyone.

2
00:12:31,500 --> 00:12:36,000
We have spent 40 million on repairs,
and the work is nearly done.
"""


@pytest.fixture
def statement(make_statement):
    return make_statement("We have spent 40 million on repairs")


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def attach(client, statement, **data):
    return client.post(reverse("primary_source_add", args=[statement.pk]), data)


def test_a_pasted_transcript_shows_the_passage_the_diff_and_a_proposed_reading(desk, statement):
    response = attach(desk, statement, title="Press conference, 4 March", text=TRANSCRIPT)
    primary = PrimarySource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("primary_source", args=[primary.pk])
    assert primary.proposed == "trimmed" and primary.decision == ""
    assert primary.passage.startswith("We have spent 40 million")
    page = desk.get(response["Location"]).content.decode()
    assert "Press conference, 4 March" in page
    assert "Proposed: Trimmed." in page
    assert "<del>pounds</del>" in page  # the word the quote left out, struck in the diff
    assert "Accurate" in page  # the verdict it suggests, for the editor to set
    assert ReviewEvent.objects.filter(action="primary_source_added", statement=statement).exists()
    # The statement page lists it, and History says what happened in words.
    item = desk.get(statement.get_absolute_url()).content.decode()
    assert "Press conference, 4 March" in item and "proposed, not yet decided" in item
    assert "Lined the quote up against a primary source" in item


def test_an_uploaded_srt_gives_the_time_the_passage_starts(desk, statement):
    upload = SimpleUploadedFile("briefing.srt", SUBTITLES.encode(), content_type="application/x-subrip")
    attach(desk, statement, file=upload)
    primary = PrimarySource.objects.get()
    assert primary.starts_at == "00:12:31" and primary.proposed == "verbatim"
    assert primary.filename == "briefing.srt" and primary.snapshot.read() == SUBTITLES.encode()
    assert "at 00:12:31" in desk.get(reverse("primary_source", args=[primary.pk])).content.decode()


def test_a_quote_in_no_source_is_not_found_and_proposes_no_verdict(desk, make_statement):
    statement = make_statement("The work is nearly done.")
    attach(desk, statement, text="The weather will stay dry over the weekend across the region.")
    primary = PrimarySource.objects.get()
    assert primary.proposed == "not_found" and primary.passage == ""
    page = desk.get(reverse("primary_source", args=[primary.pk])).content.decode()
    assert "No passage of this source matches the quote." in page
    assert "suggests the attribution verdict" not in page


@pytest.mark.parametrize("data, message", [
    ({}, "Give the source one way"),
    ({"text": "   \n "}, "Give the source one way"),
    ({"text": TRANSCRIPT, "url": "https://example.org/t"}, "Give the source one way"),
    ({"file": SimpleUploadedFile("clip.srt", b"\x00\x01\x02PNG\x00" * 50)}, "binary"),
    ({"file": SimpleUploadedFile("notes.txt", "caf\xe9 cr\xe8me".encode("latin-1") * 3)}, "UTF-8"),
    ({"file": SimpleUploadedFile("slides.pdf", b"%PDF-1.7 ...")}, ".txt, .srt or .vtt"),
    ({"url": "http://127.0.0.1:8000/transcript"}, "only public internet addresses"),
])
def test_bad_sources_are_refused_with_a_message_and_nothing_stored(desk, statement, data, message):
    response = attach(desk, statement, **data)
    assert response.status_code in (400, 422), response.status_code
    assert message.lower() in response.content.decode().lower()
    assert not PrimarySource.objects.exists()


def test_attaching_the_same_source_twice_keeps_one(desk, statement):
    attach(desk, statement, text=TRANSCRIPT)
    attach(desk, statement, text=TRANSCRIPT)
    assert PrimarySource.objects.count() == 1
    assert ReviewEvent.objects.filter(action="primary_source_added").count() == 1


def test_deciding_records_the_editors_reading_and_a_stale_decision_is_refused(desk, statement,
                                                                               make_user, client):
    attach(desk, statement, text=TRANSCRIPT)
    primary = PrimarySource.objects.get()
    url = reverse("primary_source_decide", args=[primary.pk])
    response = desk.post(url, {"decision": "reworded", "version": primary.version})
    assert response.status_code == 302
    primary.refresh_from_db()
    assert primary.decision == "reworded" and primary.match == "reworded" and primary.proposed == "trimmed"
    event = ReviewEvent.objects.get(action="alignment_decided")
    assert event.note == "Reworded (proposed: Trimmed)"
    # A colleague who read the page before that decision is told, not silently overruled.
    stale = desk.post(url, {"decision": "verbatim", "version": 1})
    assert stale.status_code == 409 and "Someone else decided first" in stale.content.decode()
    primary.refresh_from_db()
    assert primary.decision == "reworded"
    # The same answer twice (a double click) is not an error.
    assert desk.post(url, {"decision": "reworded", "version": 1}).status_code == 302
    assert desk.post(url, {"decision": "maybe", "version": primary.version}).status_code == 422


def test_only_the_desk_reaches_sources_and_the_copy_is_public_once_published_and_decided(
        client, desk, statement, make_user, publish_factcheck):
    attach(desk, statement, text=TRANSCRIPT)
    primary = PrimarySource.objects.get()
    snapshot = reverse("primary_source_snapshot", args=[primary.pk])
    assert desk.get(snapshot).status_code == 200
    desk.logout()
    assert client.get(reverse("primary_source", args=[primary.pk])).status_code == 302  # to login
    client.force_login(make_user("reader"))
    assert client.get(reverse("primary_source", args=[primary.pk])).status_code == 403
    assert client.post(reverse("primary_source_add", args=[statement.pk]),
                       {"text": TRANSCRIPT}).status_code == 403
    client.logout()
    assert client.get(snapshot).status_code == 404
    publish_factcheck(statement, claim="The minister said 40 million was spent on the bridge.")
    assert client.get(snapshot).status_code == 404  # published, but nobody has decided yet
    PrimarySource.objects.update(decision="trimmed")
    response = client.get(snapshot)
    assert response.status_code == 200 and b"40 million pounds" in b"".join(response.streaming_content)
    assert response["X-Snapshot-SHA256"] == primary.snapshot_sha256
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_public_page_shows_a_decided_alignment_and_a_later_decision_waits_for_a_correction(
        client, desk, statement, publish_factcheck):
    attach(desk, statement, title="Briefing transcript", text=TRANSCRIPT)
    primary = PrimarySource.objects.get()
    desk.post(reverse("primary_source_decide", args=[primary.pk]), {"decision": "trimmed", "version": 1})
    factcheck = publish_factcheck(statement, claim="The minister said 40 million was spent on the bridge.")
    desk.logout()
    page = client.get(factcheck.get_absolute_url()).content.decode()
    assert "The quote against the primary source" in page
    assert "Trimmed</strong>: words of the source were left out" in page
    assert "<del>pounds</del>" in page and "Briefing transcript" in page
    assert reverse("primary_source_snapshot", args=[primary.pk]) in page
    assert f'href="{reverse("primary_source", args=[primary.pk])}"' not in page  # no desk URL

    # A reading changed after publication is not shown until a correction publishes it.
    from django.core.cache import cache

    client.force_login(factcheck.created_by)
    client.post(reverse("primary_source_decide", args=[primary.pk]), {"decision": "reworded", "version": 2})
    client.logout()
    cache.clear()
    page = client.get(factcheck.get_absolute_url()).content.decode()
    assert "Reworded" not in page and "The quote against the primary source" not in page


def test_the_fact_check_page_shows_what_the_sources_suggest_without_setting_the_verdict(
        desk, statement, editor):
    from factcheck.factchecks import actions as factchecks

    attach(desk, statement, title="Briefing transcript", text=TRANSCRIPT)
    factcheck = factchecks.start_factcheck(statement=statement, by=editor)
    page = desk.get(reverse("factcheck_edit", args=[factcheck.pk])).content.decode()
    assert "What the primary sources suggest" in page
    assert "Briefing transcript</a>: <strong>Trimmed</strong>" in page and "suggests “Accurate”" in page
    factcheck.refresh_from_db()
    assert factcheck.attribution_verdict is None  # proposed, never set


TRANSCRIPT_PAGE = ("<!doctype html><html><head><title>Minister's statement on the bridge</title></head>"
                   "<body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><main><article>"
                   "<h1>Minister's statement on the bridge</h1>"
                   + "".join(f"<p>{line}</p>" for line in TRANSCRIPT.splitlines())
                   + "<p>The ministry publishes a full record of every statement the minister makes "
                     "to the press, with the questions that followed it.</p>"
                   "</article></main><footer>Cookie settings</footer></body></html>")


@pytest.fixture
def web(settings):
    """A real HTTP server on 127.0.0.1, let through the fetcher's public-address rule."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    routes = {"/statement": ("text/html; charset=utf-8", TRANSCRIPT_PAGE.encode()),
              "/briefing.vtt": ("text/vtt", ("WEBVTT\n\n" + SUBTITLES.split("\n\n", 1)[1].replace(
                  ",", ".").replace("1\n", "", 1).replace("2\n", "", 1)).encode())}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            content_type, body = routes.get(self.path, ("text/plain", b"missing"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_fetched_transcript_page_is_read_as_text_and_archived_as_fetched(desk, statement, web):
    response = attach(desk, statement, url=f"{web}/statement")
    assert response.status_code == 302, response.content.decode()[:500]
    primary = PrimarySource.objects.get()
    assert primary.url == f"{web}/statement" and primary.title == "Minister's statement on the bridge"
    assert primary.proposed == "trimmed" and "Cookie settings" not in primary.text
    assert primary.snapshot.name.endswith(".html") and primary.snapshot.read() == TRANSCRIPT_PAGE.encode()


def test_fetched_subtitles_keep_their_cue_times_and_a_missing_page_is_refused(desk, statement, web):
    attach(desk, statement, url=f"{web}/briefing.vtt")
    assert PrimarySource.objects.get().starts_at == "00:12:31"
    response = attach(desk, statement, url=f"{web}/gone")
    assert response.status_code == 422 and "404" in response.content.decode()
