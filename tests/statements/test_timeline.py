"""A quote's appearances across outlets (#32): order, earliest, wording diffs, whom each outlet
credits, the relay graph, and where the desk and readers see it. Texts written for these tests."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from factcheck.models import Article, Outlet, Speaker, Statement
from factcheck.statements.timeline import appearance_timeline, relay_graph

pytestmark = pytest.mark.django_db

FIRST = "There is nobody left on the other side of the river to stop us"
TRIMMED = "There is nobody left on the other side to stop us"


def printed(outlet: str, text: str, *, day: int | None, via=(), first=None, speaker=None) -> Statement:
    article = Article.objects.ingest(
        text=f"Report from {outlet}. \"{text},\" the minister said.",
        url=f"https://{outlet.lower().replace(' ', '-')}.example/{day or 0}",
        title=f"{outlet} report", outlet=Outlet.objects.get_or_create(name=outlet)[0],
        published_at=datetime(2026, 3, day, 9, tzinfo=UTC) if day else None)[0]
    start = article.text.index(text)
    return Statement.objects.create(
        article=article, kind="direct", text=text, start=start, end=start + len(text), score=0.6,
        speaker=speaker, duplicate_of=first, via=[{"name": name} for name in via])


@pytest.fixture
def group():
    speaker = Speaker.objects.create(name="Ilse Varga")
    first = printed("Daily Ledger", FIRST, day=3, speaker=speaker)
    relay = printed("Wire Service", FIRST, day=4, via=["Daily Ledger"], first=first, speaker=speaker)
    trimmed = printed("Evening Post", TRIMMED, day=5, via=["State TV", "Wire Service"], first=first,
                      speaker=speaker)
    undated = printed("Pamphlet", FIRST, day=None, first=first, speaker=speaker)
    return first, relay, trimmed, undated


def test_appearances_run_earliest_first_with_wording_diffed_against_the_earliest(group):
    first, relay, trimmed, undated = group
    timeline = appearance_timeline(trimmed)  # from any member, the whole group
    assert [a.statement for a in timeline.appearances] == [first, relay, trimmed, undated]
    earliest, copy, cut, last = timeline.appearances
    assert earliest.earliest and not copy.earliest
    assert copy.same_words and not cut.same_words
    assert ("delete", "of the river ") in cut.diff
    assert cut.credits == ["State TV", "Wire Service"]
    assert not last.dated and last.when is not None  # undated: when we stored it, listed last
    assert timeline.wording_changes == 1


def test_the_relay_graph_follows_the_credits_and_joins_outlets_named_as_hops(group):
    graph = appearance_timeline(group[0]).graph
    edges = {(e.source.label, e.target.label) for e in graph.edges}
    assert ("Ilse Varga", "Daily Ledger") in edges  # heard first-hand
    assert ("Daily Ledger", "Wire Service") in edges  # the wire credits the paper
    assert ("State TV", "Wire Service") in edges and ("Wire Service", "Evening Post") in edges
    kinds = {n.label: n.kind for n in graph.nodes}
    assert kinds["Wire Service"] == "outlet" and kinds["State TV"] == "relay"
    x = {n.label: n.x for n in graph.nodes}
    assert x["Ilse Varga"] < x["Daily Ledger"] < x["Wire Service"] < x["Evening Post"]
    assert all(0 <= n.x < graph.width and 0 <= n.y < graph.height for n in graph.nodes)


def test_a_cycle_of_credits_still_lays_out():
    graph = relay_graph("Ann Lee", [("A News", ["B News"]), ("B News", ["A News"])])
    assert {n.label for n in graph.nodes} == {"Ann Lee", "A News", "B News"}
    assert graph.width > 0 and graph.height > 0


def test_the_desk_and_readers_see_the_timeline(group, client, editor, publish_factcheck):
    first, relay, trimmed, undated = group
    client.force_login(editor)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Also printed by 3 other articles" in page
    assert "<del>of the river </del>" in page and "Credits State TV, then Wire Service" in page
    assert 'class="relay-graph"' in page and "Who relayed whom: Ilse Varga to Daily Ledger" in page
    assert f'href="{relay.get_absolute_url()}"' in page
    factcheck = publish_factcheck(first, claim="The minister said nobody could stop the crossing.")
    client.logout()
    public = client.get(factcheck.get_absolute_url()).content.decode()
    assert "Also printed by 3 other articles" in public and 'class="relay-graph"' in public
    assert 'href="https://wire-service.example/4"' in public  # the outlet's own article
    assert f'href="{relay.get_absolute_url()}"' not in public  # never a desk URL
    assert reverse("queue") not in public
