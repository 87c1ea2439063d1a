"""Journey 1: an editor logs in, pastes an article, watches its extraction finish and sees the
quotes highlighted."""

import json
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from factcheck.demo import DEMO_ARTICLES
from factcheck.models import Article
from tests.e2e.helpers import log_in_with_form, mark_window, window_kept

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run_worker_once():
    """What `manage.py db_worker` does, for the tasks queued so far, in this process."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*",
                 verbosity=0)


def test_editor_pastes_an_article_and_sees_its_quotes_highlighted(new_context, make_desk_user,
                                                                 settings, problems):
    # Extraction in the background, as in production: the page must notice when it is done.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    make_desk_user("erin")
    demo = next(d for d in DEMO_ARTICLES if d.filename == "tarnek-valdoria-border.txt")
    page = new_context().new_page()

    log_in_with_form(page, "erin", "a-wrong-password")  # one slip, far from the lockout
    expect(page.locator(".error")).to_contain_text("didn't match")
    log_in_with_form(page, "erin")
    expect(page).to_have_url(re.compile(r"/queue/$"))
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()

    page.goto("/articles/new/")
    page.get_by_role("link", name="Paste text").click()  # an htmx tab swap
    expect(page).to_have_url(re.compile(r"tab=paste"))
    page.get_by_label("Text").fill(demo.text)
    page.get_by_label("Outlet").fill(demo.outlet)
    page.get_by_label("URL").fill(demo.url)
    page.get_by_role("button", name="Add article").click()

    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    article = Article.objects.get(url=demo.url)
    assert page.url.endswith(article.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.title)
    status = page.locator("#extraction")
    expect(status).to_contain_text("Extraction: Waiting")
    expect(page.locator(".article-text mark")).to_have_count(0)

    polls = []
    page.on("request", lambda r: polls.append(r.url) if "/extraction/" in r.url else None)
    run_worker_once()

    # The page polls its status; no reload from here on the test's side.
    expect(status).to_contain_text("Extraction: Done", timeout=15_000)
    assert polls, "the status changed without the page asking for it"
    article.refresh_from_db()
    assert article.extraction_status == Article.Extraction.DONE
    found = list(article.statements.order_by("start"))
    assert found, "the extractor found nothing in the demo article"
    marks = page.locator(".article-text mark")
    expect(marks.first).to_be_visible()
    highlighted = " ".join(marks.all_inner_texts())
    for quote in ["They have nobody left who wants to fight",
                  "We will stop every shipment the day they move against us"]:
        assert quote in highlighted
    expect(page.get_by_role("heading", name=f"Found in this article ({len(found)})")).to_be_visible()
    # Each highlight points at its queue items.
    ids = {int(i) for m in marks.all() for i in m.get_attribute("data-statements").split()}
    assert ids <= {s.pk for s in found} and ids
    problems.assert_none()


def test_a_refused_url_is_explained_in_place(new_context, desk_editor, problems):
    page = new_context(user=desk_editor).new_page()
    page.goto("/articles/new/")
    mark_window(page)
    problems.allow_status(400, 403, 422)
    page.get_by_label("URL").fill("http://10.0.0.1/news/article")
    page.get_by_role("button", name="Fetch and add").click()
    expect(page.get_by_role("alert")).to_contain_text("10.0.0.1")
    expect(page.get_by_label("URL")).to_have_value("http://10.0.0.1/news/article")
    assert window_kept(page), "the refusal replaced the page instead of the form"
    assert not Article.objects.exists()
    problems.assert_none()


def test_a_bulk_import_shows_its_progress_without_reloading(new_context, desk_editor, settings, problems):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    records = [
        {"text": "Ferry fares to rise\n\nThe operator said fares would rise by 4 per cent in May.",
         "url": "https://harbour-gazette.example/ferry-fares", "outlet": "Harbour Gazette (demo)"},
        {"text": "Library hours cut\n\nThe council said the central library would close at 6pm.",
         "url": "https://harbour-gazette.example/library-hours", "outlet": "Harbour Gazette (demo)"},
        {"url": "not a url at all"},
    ]
    page = new_context(user=desk_editor).new_page()
    page.goto("/articles/new/?tab=bulk")
    page.get_by_label("JSONL file").set_input_files(files=[{
        "name": "imports.jsonl", "mimeType": "application/x-ndjson",
        "buffer": "\n".join(json.dumps(r) for r in records).encode()}])
    page.get_by_role("button", name="Add article").click()
    page.wait_for_url(re.compile(r"/articles/imports/\d+/$"))
    progress = page.locator("#progress")
    expect(progress).to_contain_text("0 of 3")
    mark_window(page)

    run_worker_once()

    expect(progress).to_contain_text("3 of 3", timeout=15_000)
    expect(progress).to_contain_text("2 added")
    expect(progress).to_contain_text("1 refused")
    expect(progress.get_by_role("heading", name="Refused records")).to_be_visible()
    assert window_kept(page), "the progress page reloaded instead of updating in place"
    assert Article.objects.count() == 2
    problems.assert_none()
