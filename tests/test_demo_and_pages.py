"""The newcomer's path: load the demo, log in, see the queue, open a statement."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from factcheck.models import Article, Speaker, Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())


def test_load_demo_fills_the_queue_and_is_idempotent(demo, settings):
    articles, statements = Article.objects.count(), Statement.objects.count()
    assert articles == 3 and statements > 10
    assert all(a.extraction_status == "done" for a in Article.objects.all())
    call_command("load_demo", stdout=io.StringIO())
    assert (Article.objects.count(), Statement.objects.count()) == (articles, statements)


def test_demo_quotes_are_attributed_to_canonical_speakers(demo):
    tarnek = Speaker.objects.matching("Tarnek").get()
    quote = Statement.objects.get(text__startswith="They have nobody left who wants to fight")
    assert quote.kind == "direct"
    assert quote.speaker == tarnek and quote.mention == "he"


def test_load_demo_refuses_production_settings(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")


def test_editor_sees_demo_in_queue_and_statement_in_its_article(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="editor"))
    response = client.get(reverse("queue"))
    assert response.status_code == 200
    assert b"Miroslav Tarnek" in response.content
    statement = Statement.objects.get(text__startswith="They have nobody left")
    page = client.get(statement.get_absolute_url())
    assert page.status_code == 200
    assert b"<mark>They have nobody left who wants to fight.</mark>" in page.content


def test_queue_htmx_request_gets_only_the_results_partial(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="editor"))
    response = client.get(reverse("queue"), {"kind": "direct"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'<div id="results">' in response.content and b"<html" not in response.content
    assert "HX-Request" in response["Vary"]


def test_queue_requires_login_and_role(client, make_user):
    response = client.get(reverse("queue"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user("reader"))
    assert client.get(reverse("queue")).status_code == 403


def test_healthz(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.content == b"ok"


def test_demo_publishes_a_labelled_fact_check(demo, client):
    from factcheck.management.commands.load_demo import DEMO_FACTCHECK_SLUG

    page = client.get(f"/fact-checks/{DEMO_FACTCHECK_SLUG}/")
    assert page.status_code == 200
    assert b"DEMO:" in page.content and b"Mostly false" in page.content
    assert b"demonstration fact-check about fictional people" in page.content
    # The mayor's own words from the meeting's subtitles, lined up against the article's report.
    html = page.content.decode()
    assert "The quote against the primary source" in html
    assert "Reworded</strong>: the quote puts the source in other words." in html
    assert "council meeting, Monday: subtitles (fictional), at 00:00:17" in html
