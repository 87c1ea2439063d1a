"""The public fact-check page tells a reader where the words come from: the sentences around
them, who printed them where and when, who else printed them, and related fact-checks (#31)."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.models import Article, Outlet, Speaker, Statement, StatementMatch, Tag
from factcheck.publish.context import quote_context, related_factchecks, role_in_article

pytestmark = pytest.mark.django_db

TEXT = (
    "The council met on Tuesday to settle the transport budget.\n\n"
    "Opening the session, the Valdorian president spoke for twenty minutes. "
    "He said the tunnel would carry 90,000 cars a day by 2027. "
    "Engineers at the city's roads office put the figure nearer 55,000.\n\n"
    "The vote was postponed to March."
)
QUOTE = "the tunnel would carry 90,000 cars a day by 2027"


def when(day: int) -> datetime:
    return datetime(2025, 3, day, 9, 0, tzinfo=UTC)


@pytest.fixture
def tarnek():
    return Speaker.objects.create(name="Miroslav Tarnek", description="President of Valdoria (fictional)")


def article_with(text=TEXT, *, url="https://herald.example/tunnel", outlet="Harbour Herald", day=5,
                 title="Tunnel vote"):
    outlet = Outlet.objects.get_or_create(name=outlet)[0] if outlet else None
    return Article.objects.ingest(text=text, url=url, title=title, outlet=outlet, published_at=when(day))[0]


def quote_in(article, speaker, *, text=QUOTE, **extra) -> Statement:
    start = article.text.index(text)
    return Statement.objects.create(article=article, kind="indirect", text=text, start=start,
                                    end=start + len(text), speaker=speaker, cue="said", **extra)


@pytest.fixture
def checked(tarnek, publish_factcheck):
    statement = quote_in(article_with(), tarnek, mention="the Valdorian president",
                         venue="the council's budget session",
                         via=[{"name": "Ostravan state media", "text": "a translation published by Ostravan "
                               "state media", "start": 0, "end": 0}])
    return publish_factcheck(statement, claim="Tarnek says the tunnel will carry 90,000 cars a day")


def page(client, factcheck) -> str:
    response = client.get(factcheck.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, section_id: str) -> str:
    return re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S).group(0)


def test_the_quote_is_shown_in_its_sentences_with_the_one_before_and_after(checked, client):
    context = section(page(client, checked), "context")
    assert f"He said <mark>{QUOTE}</mark>." in context
    assert "the Valdorian president spoke for twenty minutes." in context  # the sentence before
    assert "put the figure nearer 55,000." in context  # the sentence after
    assert "settle the transport budget" not in context and "postponed" not in context


def test_where_and_when_it_was_said_and_the_original_article(checked, client):
    context = section(page(client, checked), "context")
    assert "Harbour Herald" in context and "5 March 2025" in context
    assert "the council&#x27;s budget session" in context
    assert 'href="https://herald.example/tunnel"' in context
    assert "described in the article as “the Valdorian president”" in context
    assert "Through a translation published by Ostravan state media" in context


def test_a_pasted_article_has_no_link_and_never_a_desk_url(tarnek, publish_factcheck, client):
    pasted = article_with(url="", outlet=None, title="Notes from the session")
    factcheck = publish_factcheck(quote_in(pasted, tarnek), claim="Tarnek on tunnel traffic")
    html = page(client, factcheck)
    assert "/articles/" not in html
    assert "not published online; no link" in section(html, "context")


def test_the_role_is_the_mention_less_the_name_and_never_a_pronoun(tarnek):
    article = article_with()
    for mention, role in [("the Valdorian president", "the Valdorian president"), ("he", ""),
                          ("Tarnek", ""), ("President Miroslav Tarnek", "President"),
                          ("Tarnek's spokesman", "spokesman"), ("", "")]:
        statement = Statement(article=article, text=QUOTE, speaker=tarnek, mention=mention)
        assert role_in_article(statement) == role, mention


def test_context_survives_hostile_and_changed_article_text(tarnek, publish_factcheck, client):
    hostile = article_with(text='<script>alert(1)</script> Before. "' + QUOTE + '," he said. After.',
                           url="https://herald.example/x")
    factcheck = publish_factcheck(quote_in(hostile, tarnek), claim="Tarnek on tunnel traffic")
    html = page(client, factcheck)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The article was re-fetched and its text no longer holds the words: the page says so.
    Article.objects.filter(pk=hostile.pk).update(text="Something else entirely.")
    factcheck.refresh_from_db()
    from factcheck.publish.context import quote_context
    assert quote_context(factcheck.statements.get(), "Something else entirely.") is None


def test_a_long_sentence_around_the_quote_is_cut_at_a_word():
    long_before = "word " * 400
    text = long_before + "and then " + QUOTE + " and " + "more " * 400 + "end."
    start = text.index(QUOTE)
    statement = Statement(pk=1, text=QUOTE, start=start, end=start + len(QUOTE))
    context = quote_context(statement, text)
    assert context.cut_before and context.cut_after
    plain = context.plain
    assert len(plain) < 900 and QUOTE in plain
    assert plain.startswith("…word") and plain.endswith("more…")


def test_also_printed_by_other_outlets_with_the_earliest(checked, tarnek, client):
    first = checked.statements.get()
    earlier = quote_in(article_with(url="https://courier.example/t", outlet="Valdoria Courier", day=2,
                                    title="Tarnek's tunnel"), tarnek, duplicate_of=first)
    quote_in(article_with(url="https://gazette.example/t", outlet="River Gazette", day=9), tarnek,
             duplicate_of=first)
    assert earlier.pk
    context = section(page(client, checked), "context")
    assert "Also printed by 2 other outlets (Valdoria Courier, River Gazette)." in context
    assert re.search(r"The earliest we found:\s*<a href=\"https://courier.example/t\"[^>]*>"
                     r"Tarnek&#x27;s tunnel</a>, Valdoria Courier, 2 March 2025", context)


def test_related_fact_checks_same_words_speaker_and_topic(checked, tarnek, publish_factcheck, client):
    other_speaker = Speaker.objects.create(name="Ines Halvorsen")
    copy = quote_in(article_with(url="https://courier.example/t", outlet="Valdoria Courier", day=2), tarnek)
    same_words = publish_factcheck(copy, claim="Tarnek's tunnel figure, as the Courier printed it")
    StatementMatch.objects.create(statement=checked.statements.get(), factcheck=same_words, score=0.9,
                                  same_speaker=True)
    other = article_with(text="The minister said waiting times fell by half in a year.",
                         url="https://herald.example/w", day=6)
    same_speaker = publish_factcheck(quote_in(other, tarnek, text="waiting times fell by half in a year"),
                                     claim="Tarnek says waiting times halved")
    topic = Tag.objects.create(name="Transport")
    checked.tags.add(topic)
    third = article_with(text="She said trams run every four minutes.", url="https://herald.example/m", day=7)
    same_topic = publish_factcheck(quote_in(third, other_speaker, text="trams run every four minutes"),
                                   claim="Halvorsen says trams run every four minutes")
    same_topic.tags.add(topic)
    unrelated_article = article_with(text="He said rents doubled.", url="https://herald.example/r", day=8)
    unrelated = publish_factcheck(quote_in(unrelated_article, other_speaker, text="rents doubled"),
                                  claim="Halvorsen says rents doubled")

    related = section(page(client, checked), "related")
    assert re.search(rf'The same words[^<]*:</span> <a href="{same_words.get_absolute_url()}"', related)
    assert re.search(rf'Also said by Miroslav Tarnek:</span> <a href="{same_speaker.get_absolute_url()}"',
                     related)
    assert re.search(rf'Same topic:</span> <a href="{same_topic.get_absolute_url()}"', related)
    assert unrelated.get_absolute_url() not in related
    assert checked.get_absolute_url() not in related


def test_related_fact_checks_cost_the_same_queries_however_many_there_are(checked, tarnek, publish_factcheck):
    statements = list(checked.statements.select_related("speaker"))
    with CaptureQueriesContext(connection) as few:
        assert related_factchecks(checked, statements) == []
    topic = Tag.objects.create(name="Tunnels")
    checked.tags.add(topic)
    for n in range(4):
        text = f"We will build tunnel number {n} next year."
        fc = publish_factcheck(quote_in(article_with(text=text, url=f"https://h.example/{n}", day=10 + n),
                                        tarnek, text=text[:-1]), claim=f"Tarnek on tunnel {n}")
        fc.tags.add(topic)
    with CaptureQueriesContext(connection) as many:
        found = related_factchecks(checked, statements)
        [str(r.factcheck.rating) for r in found]  # what the page reads of each
    assert len(found) >= 3
    assert len(few.captured_queries) == 1 and len(many.captured_queries) == 2


def test_the_page_follows_a_related_withdrawal_within_the_cache_time(checked, tarnek, publish_factcheck,
                                                                      publisher, client, monkeypatch,
                                                                      settings):
    from factcheck.factchecks import actions as factchecks
    from factcheck.publish import views

    settings.PUBLIC_CACHE_SECONDS = 600
    other = article_with(text="He said the port handles 2 million containers.", url="https://h.example/p",
                         day=6)
    sibling = publish_factcheck(quote_in(other, tarnek, text="the port handles 2 million containers"),
                                claim="Tarnek on the port")
    first = client.get(checked.get_absolute_url())
    assert sibling.get_absolute_url() in first.content.decode()
    factchecks.withdraw(factcheck=sibling, by=publisher, reason="Misattributed.")
    now = views._now()
    monkeypatch.setattr(views, "_now", lambda: now + settings.PUBLIC_CACHE_SECONDS)
    again = client.get(checked.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200 and sibling.get_absolute_url() not in again.content.decode()


def test_a_fact_check_covering_reprints_shows_the_checked_one_and_counts_the_rest(tarnek, publish_factcheck,
                                                                                  client):
    first = quote_in(article_with(), tarnek, mention="the Valdorian president")
    quote_in(article_with(url="https://courier.example/t", outlet="Valdoria Courier", day=2), tarnek,
             duplicate_of=first)
    factcheck = publish_factcheck(first, claim="Tarnek says the tunnel will carry 90,000 cars a day")
    assert factcheck.statements.count() == 2  # the desk's fact-check covers every appearance
    html = page(client, factcheck)
    assert html.count('<figure class="quote">') == 1  # "What was said" shows the words once
    context = section(html, "context")
    assert context.count("<mark>") == 1 and "the Valdorian president" in context
    assert "Also printed by 1 other outlet (Valdoria Courier)." in context
    assert "Valdoria Courier, 2 March 2025" in context


def test_the_page_costs_the_same_queries_however_many_quotes_were_reprinted(tarnek, publish_factcheck, client,
                                                                            settings):
    """Each quote's appearance group is read once, for both "also printed by" and the timeline:
    reading it again per timeline made every reprinted quote cost one more query."""
    settings.PUBLIC_CACHE_SECONDS = 0

    def reprinted_quotes(n: int, prefix: str):
        quotes = []
        for i in range(n):
            words = f"{prefix} tunnel number {i} will carry 90,000 cars a day"
            text = f"He said {words}. The vote was postponed."
            first = quote_in(article_with(text=text, url=f"https://herald.example/{prefix}{i}", day=5),
                             tarnek, text=words)
            for day, outlet in ((2, "Valdoria Courier"), (9, "River Gazette")):
                quote_in(article_with(text=f"Tarnek: {words}.", url=f"https://{day}.example/{prefix}{i}",
                                      outlet=outlet, day=day), tarnek, text=words, duplicate_of=first,
                         via=[{"name": "Harbour Herald"}])
            quotes.append(first)
        return quotes

    one = publish_factcheck(reprinted_quotes(1, "north")[0], claim="Tarnek on one tunnel")
    first, *more = reprinted_quotes(3, "south")
    three = publish_factcheck(first, claim="Tarnek on three tunnels")
    three.statements.add(*more)  # a fact-check of several quotes, as the desk can make one
    with CaptureQueriesContext(connection) as few:
        html_one = page(client, one)
    with CaptureQueriesContext(connection) as many:
        html_three = page(client, three)
    timeline = '<section class="timeline"'
    assert html_one.count(timeline) == 1 and html_three.count(timeline) == 3
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_page_reads_its_decided_primary_sources_in_their_order(tarnek, publish_factcheck):
    """The page reads its primary sources by the statements it has (no join, no DISTINCT, no
    text): the decided ones, by statement (in Statement's order), then when accessed."""
    from django.utils import timezone

    from factcheck.models import PrimarySource
    from factcheck.publish.context import appearances, published_alignments

    first = quote_in(article_with(), tarnek)
    second = quote_in(article_with(text="He said rents doubled.", url="https://herald.example/r", day=6),
                      tarnek, text="rents doubled")
    Statement.objects.filter(pk=second.pk).update(score=0.9)  # first in Statement's order
    factcheck = publish_factcheck(first, claim="Tarnek on the tunnel and rents")
    factcheck.statements.add(second)
    decided = factcheck.updated_at - timezone.timedelta(minutes=1)
    for statement, title, accessed in ((first, "B", 2), (second, "C", 3), (second, "A", 1), (first, "D", 1)):
        PrimarySource.objects.create(statement=statement, title=title, text=f"{statement.text}.",
                                     proposed="verbatim", decision="verbatim", decided_at=decided,
                                     accessed_at=when(accessed))
    PrimarySource.objects.create(statement=first, title="undecided", text=first.text, proposed="verbatim")
    statements, _ = appearances(factcheck)
    page = published_alignments(factcheck, statements)
    assert [p.title for p, _ in page] == ["A", "C", "D", "B"]
    assert all(a.found for _, a in page)
