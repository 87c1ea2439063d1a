"""Feeds (RSS, Atom, conditional GET, error state), the sweep, and the ingest commands."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from factcheck.demo import DEMO_ARTICLES
from factcheck.ingest.feeds import due_feeds, poll_due, poll_feed
from factcheck.ingest.queueing import sweep_stuck_extractions
from factcheck.models import ApiToken, Article, Feed, Outlet, Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlet():
    return Outlet.objects.create(name="The Elmridge Courier", domain="127.0.0.1")


def test_rss_feed_ingests_entries_and_records_errors(web, outlet):
    feed = Feed.objects.create(outlet=outlet, url=web.url("/rss"))
    report = poll_feed(feed)
    assert (report.entries, report.added, len(report.errors)) == (3, 2, 1)
    assert "/missing" in report.errors[0] and "HTTP 404" in report.errors[0]
    feed.refresh_from_db()
    assert feed.etag == '"/rss-v1"' and feed.last_modified and feed.last_polled_at
    assert "1 of 3 entries failed" in feed.last_error and feed.consecutive_errors == 0
    assert feed.title == "The Elmridge Courier — Local"
    assert set(Article.objects.values_list("source", flat=True)) == {"feed"}
    assert Article.objects.filter(outlet=outlet).count() == 2


def test_conditional_get_skips_unchanged_feed(web, outlet):
    feed = Feed.objects.create(outlet=outlet, url=web.url("/rss"))
    poll_feed(feed)
    hits = web.hits.get("/article")
    report = poll_feed(feed)
    assert report.not_modified and web.hits.get("/article") == hits
    assert web.headers_for("/rss")[-1]["If-None-Match"] == '"/rss-v1"'
    # The feed changed (new ETag) but its entries did not: known articles are not fetched again.
    web.state["feed_version"] = 2
    report = poll_feed(feed)
    assert not report.not_modified and report.known == 2 and web.hits.get("/article") == hits


def test_atom_feed(web, outlet):
    feed = Feed.objects.create(outlet=outlet, url=web.url("/atom"))
    report = poll_feed(feed)
    assert report.added == 1 and Article.objects.get().title == "Ferry vote delayed"


def test_broken_feed_is_an_error_state_that_backs_off(web, outlet):
    feed = Feed.objects.create(outlet=outlet, url=web.url("/article"))  # HTML, not a feed
    report = poll_feed(feed)
    assert report.error and "FAILED" in report.line()
    gone = Feed.objects.create(outlet=outlet, url=web.url("/gone-feed"))
    poll_feed(gone)
    poll_feed(gone)
    gone.refresh_from_db()
    assert gone.consecutive_errors == 2 and "HTTP 404" in gone.last_error
    # Backs off: 4 intervals after two failures.
    assert gone not in due_feeds(timezone.now() + timezone.timedelta(minutes=gone.poll_interval_minutes * 3))
    assert gone in due_feeds(timezone.now() + timezone.timedelta(minutes=gone.poll_interval_minutes * 4 + 1))


def test_poll_due_polls_each_due_feed_once(web, outlet):
    Feed.objects.create(outlet=outlet, url=web.url("/rss"))
    Feed.objects.create(outlet=outlet, url=web.url("/atom"), is_active=False)
    summary = poll_due()
    assert summary["feeds"] == 1 and summary["added"] == 2
    assert poll_due()["feeds"] == 0  # not due again until its interval has passed


def test_poll_feeds_command(web, outlet):
    feed = Feed.objects.create(outlet=outlet, url=web.url("/atom"))
    out = io.StringIO()
    call_command("poll_feeds", stdout=out)
    assert "1 new" in out.getvalue() and "1 feeds polled" in out.getvalue()
    call_command("poll_feeds", "--feed", str(feed.pk), stdout=out)
    with pytest.raises(CommandError, match="No feed with id 999"):
        call_command("poll_feeds", "--feed", "999")
    Feed.objects.create(outlet=outlet, url=web.url("/nope"))
    with pytest.raises(CommandError, match="1 feed"):
        call_command("poll_feeds", stdout=io.StringIO())
    # The test backend runs tasks at once, so there is nothing to schedule.
    out = io.StringIO()
    call_command("poll_feeds", "--schedule", stdout=out)
    assert "cannot defer" in out.getvalue()


def test_feed_entries_pointing_inside_the_network_are_refused(web, outlet):
    feed = Feed.objects.create(outlet=outlet, url=web.url("/rss-metadata"))
    report = poll_feed(feed)
    assert report.added == 1  # /second; /missing is a 404
    assert any("169.254.169.254" in e and "link-local" in e for e in report.errors)


def test_sweep_requeues_stuck_extractions(django_capture_on_commit_callbacks):
    text = DEMO_ARTICLES[2].text
    long_ago = timezone.now() - timezone.timedelta(hours=2)
    stuck = Article.objects.create(text=text, content_hash="s1", extraction_status="running",
                                   extraction_changed_at=long_ago)
    fresh = Article.objects.create(text="Quiet.", content_hash="s2", extraction_status="running")
    done = Article.objects.create(text="Done.", content_hash="s3", extraction_status="done",
                                  extraction_changed_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_stuck_extractions() == [stuck.pk]
    stuck.refresh_from_db(), fresh.refresh_from_db(), done.refresh_from_db()
    assert stuck.extraction_status == "done" and stuck.statements.exists()
    assert fresh.extraction_status == "running" and done.extraction_status == "done"
    assert sweep_stuck_extractions() == []


# --------------------------------------------------------------------------- manage.py ingest


def test_ingest_command_url_extracts_in_process_and_prints(web):
    out = io.StringIO()
    call_command("ingest", web.url("/article"), stdout=out)
    text = out.getvalue()
    article = Article.objects.get()
    assert "Added" in text and f"Article {article.pk}" in text and "statements" in text
    assert article.extraction_status == "done" and article.statements.exists()
    assert "Nobody on that island" in text
    out = io.StringIO()
    call_command("ingest", web.url("/article"), stdout=out)
    assert "Already ingested." in out.getvalue() and "Already in the queue" in out.getvalue()
    assert Article.objects.count() == 1


def test_ingest_command_same_file_twice_is_one_set_of_statements(tmp_path):
    path = tmp_path / "harbour.txt"
    path.write_text(DEMO_ARTICLES[1].text, encoding="utf-8")
    call_command("ingest", str(path), stdout=io.StringIO())
    count = Statement.objects.count()
    call_command("ingest", str(path), stdout=io.StringIO())
    assert Article.objects.count() == 1 and Statement.objects.count() == count > 0


def test_ingest_command_enqueue(web, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("ingest", web.url("/second"), "--enqueue", stdout=out)
    assert "queued" in out.getvalue() and len(callbacks) == 1
    assert Article.objects.get().extraction_status == "pending"


@pytest.mark.parametrize("args, message", [
    (["http://169.254.169.254/latest/meta-data/"], "link-local address"),
    (["/no/such/file.txt"], "no such file"),
    (["ftp://example.org/x"], "no such file"),
])
def test_ingest_command_refusals_are_one_line(args, message, settings):
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = []
    with pytest.raises(CommandError, match=message) as exc:
        call_command("ingest", *args, stdout=io.StringIO())
    assert "\n" not in str(exc.value)


def test_ingest_command_jsonl_with_progress(tmp_path, web):
    lines = [
        json.dumps({"url": web.url("/article")}),
        "",
        json.dumps({"text": "Harbour fees to rise\n\nFees rise by 4 per cent, the harbour master said.",
                    "outlet": "Gull Island Gazette", "published_at": "2026-02-12"}),
        "{not json",
        json.dumps({"url": web.url("/article")}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 4 records refused"):
        call_command("ingest", str(path), "--quiet-statements", stdout=out, stderr=err)
    assert "[1/4  25%]" in out.getvalue() and "[4/4 100%]" in out.getvalue()
    assert "2 added, 1 already ingested, 1 refused" in out.getvalue()
    assert "line 4" in err.getvalue() and "Not valid JSON" in err.getvalue()
    assert Article.objects.count() == 2 and set(Article.objects.values_list("source", flat=True)) == {"bulk"}


def test_create_api_token_command(editor, make_user):
    out = io.StringIO()
    call_command("create_api_token", "ed", "--name", "CMS", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert ApiToken.authenticate(key).user == editor
    with pytest.raises(CommandError, match="may not add articles"):
        call_command("create_api_token", make_user("reader").username, "--name", "x")


def test_housekeeping_schedules_itself_once_on_the_database_backend(settings):
    from django_tasks_db.models import DBTaskResult

    from factcheck.ingest.tasks import ingest_housekeeping

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    out = io.StringIO()
    call_command("poll_feeds", "--schedule", "--interval", "10", stdout=out)
    call_command("poll_feeds", "--schedule", stdout=out)
    first, second = out.getvalue().splitlines()
    assert first == "Housekeeping scheduled." and second.startswith("Housekeeping is already scheduled")
    waiting = DBTaskResult.objects.get(task_path=ingest_housekeeping.module_path)
    assert waiting.status == "READY" and waiting.run_after > timezone.now() + timezone.timedelta(minutes=9)
    assert waiting.args_kwargs["args"] == [10]
    # A run polls the due feeds and queues the next run.
    DBTaskResult.objects.all().delete()
    report = ingest_housekeeping.call(10)
    assert report["feeds"] == 0 and report["swept"] == 0
    assert DBTaskResult.objects.filter(task_path=ingest_housekeeping.module_path, status="READY").count() == 1


def test_an_article_someone_waits_for_goes_before_queued_bulk_work(
        settings, django_capture_on_commit_callbacks):
    """The probe's eight small pastes waited behind a long bulk batch: the worker now takes
    the one-article extraction first, whatever was queued before it."""
    from django_tasks_db.models import DBTaskResult

    from factcheck.ingest.queueing import enqueue_extraction, enqueue_extractions
    from factcheck.statements.tasks import extract_article

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    bulk = [Article.objects.ingest(text=f"Bulk story {i}. The mayor said the tram runs.",
                                   url=f"https://bulk.example/{i}")[0] for i in range(3)]
    paste = Article.objects.ingest(text="A pasted story. The minister said the bridge opens.")[0]
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_extractions([a.pk for a in bulk])
        enqueue_extraction(paste)
    first = DBTaskResult.objects.ready().first()
    assert first.task_path == extract_article.module_path and first.args_kwargs["args"] == [paste.pk]
