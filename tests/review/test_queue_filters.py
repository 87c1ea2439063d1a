"""The queue's speaker, outlet and article filters take what an editor would type: a
name, an alias, an outlet's name, an article's title or number (#30)."""

import pytest
from django.urls import reverse

from factcheck.models import Article, Outlet, Speaker, SpeakerAlias

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def two_items(make_statement):
    tarnek = Speaker.objects.create(name="Miroslav Tarnek")
    SpeakerAlias.objects.create(speaker=tarnek, alias="The Valdorian leader")
    said = make_statement(speaker=tarnek)
    other = make_statement("Critics said the cost had doubled since 2023.", kind="claim")
    gazette = Outlet.objects.create(name="Harbour Gazette")
    Article.objects.filter(pk=said.article_id).update(outlet=gazette)
    elsewhere = Article.objects.ingest(text="The ferry will run again in May, the port said.",
                                      title="Ferry back in May")[0]
    other.article = elsewhere
    other.save()
    return said, other


@pytest.mark.parametrize(("field", "typed"), [
    ("speaker", "Tarnek"),                 # part of the name
    ("speaker", "miroslav-tarnek"),        # the slug the queue's own links carry
    ("speaker", "the valdorian leader"),   # an alias, any case
    ("outlet", "gazette"),                 # part of the outlet's name
    ("outlet", "harbour-gazette"),
    ("article", "bridge to reopen"),       # the article's title
])
def test_a_filter_takes_what_an_editor_types(logged_in, two_items, field, typed):
    said, other = two_items
    page = logged_in.get(reverse("queue"), {field: typed, "status": "all"}).content
    assert said.text.encode() in page
    assert other.text.encode() not in page


def test_an_article_number_still_filters_and_a_huge_one_finds_nothing(logged_in, two_items):
    said, other = two_items
    page = logged_in.get(reverse("queue"), {"article": str(said.article_id)}).content
    assert said.text.encode() in page and other.text.encode() not in page
    response = logged_in.get(reverse("queue"), {"article": "9" * 40})
    assert response.status_code == 200
    assert said.text.encode() not in response.content


def test_the_speaker_and_outlet_filters_suggest_names_as_one_types(logged_in, two_items):
    page = logged_in.get(reverse("queue")).content.decode()
    assert 'list="queue-speaker-options"' in page and 'list="queue-outlet-options"' in page
    assert f'data-hx-get="{reverse("outlet_options")}"' in page
    # htmx sends the input's own name and value.
    speakers = logged_in.get(reverse("speaker_options"), {"speaker": "tarn"}).content.decode()
    assert '<option value="Miroslav Tarnek">' in speakers
    outlets = logged_in.get(reverse("outlet_options"), {"outlet": "gazet"}).content.decode()
    assert '<option value="Harbour Gazette">' in outlets
    assert logged_in.get(reverse("outlet_options"), {"outlet": "g"}).content.strip() == b""
    hostile = logged_in.get(reverse("outlet_options"), {"outlet": "<script>" * 50})
    assert hostile.status_code == 200 and b"<script>" not in hostile.content
