"""One quote, many appearances; matching earlier fact-checks; search.

The texts are our own: a fictional minister's remarks as different outlets would print them.
"""

import pytest
from django.db import connection
from django.urls import reverse

from factcheck.matching import similarity
from factcheck.models import Article, AttributionVerdict, Rating, Speaker, Statement, fingerprint
from factcheck.publish import actions as publishing
from factcheck.review import actions as review

pytestmark = pytest.mark.django_db

ORIGINAL = "There is nobody left on the other side who wants to fight us."
REWORDED = [  # how other outlets print the same quote
    "There is nobody left on the other side who wants to fight us",  # punctuation
    "there is nobody left on the other side that wants to fight us.",  # a word changed
    "There is nobody left on the other side ... who wants to fight us.",  # an ellipsis
    "There's nobody left on the other side who wants to fight us.",  # a contraction
]
UNRELATED_SAME_SPEAKER = [
    "Our grain exports will stop on the day they move against us.",
    "The fighting would be over within a week if it ever started.",
    "Nobody in this country wants a war with our neighbours.",
]


def _article(n: int, text: str):
    from factcheck.models import Outlet

    outlet = Outlet.objects.create(name=f"Outlet {n}")
    return Article.objects.ingest(text=f"Story {n}. {text}", url=f"https://outlet{n}.example/s",
                                  outlet=outlet)[0]


def _extracted(n: int, text: str, speaker) -> Statement:
    """Stand-in for the extraction task's output: one statement, stored as the task stores it."""
    from factcheck.matching import store_new_statements

    article = _article(n, text)
    start = article.text.index(text)
    statement = Statement(article=article, kind="direct", text=text, start=start, end=start + len(text),
                          speaker=speaker, score=0.7, fingerprint=fingerprint(text))
    store_new_statements([statement])
    statement.refresh_from_db()
    return statement


@pytest.fixture
def tarnek():
    return Speaker.objects.create(name="Miroslav Tarnek")


def test_reworded_appearances_group_under_the_first(tarnek, client, editor):
    first = _extracted(0, ORIGINAL, tarnek)
    copies = [_extracted(i + 1, text, tarnek) for i, text in enumerate(REWORDED)]
    assert all(c.duplicate_of_id == first.pk for c in copies), [
        (c.text, similarity(ORIGINAL, c.text)) for c in copies if c.duplicate_of_id != first.pk]
    first.refresh_from_db()
    assert first.appearance_count == 1 + len(REWORDED)
    client.force_login(editor)
    queue = client.get(reverse("queue")).content.decode()
    assert queue.count("nobody left on the other side") == 1 and "×5" in queue
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Also printed by 4 other articles" in page
    assert "<ins>that</ins>" in page and "<del>who</del>" in page  # the word diff


def test_unrelated_quotes_by_the_same_speaker_are_not_grouped(tarnek):
    statements = [_extracted(i, text, tarnek) for i, text in
                  enumerate([ORIGINAL, *UNRELATED_SAME_SPEAKER])]
    assert all(s.duplicate_of_id is None for s in statements)


def test_same_words_by_another_speaker_are_not_grouped(tarnek):
    _extracted(0, ORIGINAL, tarnek)
    other = _extracted(1, ORIGINAL, Speaker.objects.create(name="Someone Else"))
    assert other.duplicate_of_id is None


def test_python_similarity_equals_postgres_pg_trgm(settings):
    if connection.vendor != "postgresql":
        pytest.skip("compares against PostgreSQL's pg_trgm")
    pairs = [(ORIGINAL, t) for t in REWORDED + UNRELATED_SAME_SPEAKER] + [("Café ÉTÉ", "cafe ete")]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            assert cursor.fetchone()[0] == pytest.approx(similarity(a, b), abs=1e-6), (a, b)


def _publish_check_of(statement, editor, publisher):
    fc = review.start_factcheck(statement=statement, by=editor)
    review.save_factcheck(factcheck=fc, by=editor, version=fc.version,
                          claim_reviewed="Tarnek says nobody on the other side wants to fight",
                          explanation="Reports from the border say otherwise.",
                          attribution_verdict=AttributionVerdict.objects.get(slug="accurate"),
                          rating=Rating.objects.get(slug="false"))
    review.submit_factcheck(factcheck=fc, by=editor)
    publishing.approve(factcheck=fc, by=publisher)
    publishing.publish(factcheck=fc, by=publisher)
    return fc


def test_new_statement_matches_an_earlier_fact_check_and_can_reuse_it(tarnek, editor, publisher, client):
    old = _extracted(0, ORIGINAL, tarnek)
    factcheck = _publish_check_of(old, editor, publisher)
    # Weeks later, a different article has him repeating the claim in other words.
    again = _extracted(1, "He insisted nobody on the other side wants to fight us any more.", tarnek)
    assert again.duplicate_of_id is None  # not the same quote...
    match = again.matches.get()  # ...but the earlier check matches
    assert match.factcheck == factcheck and match.same_speaker
    client.force_login(editor)
    page = client.get(again.get_absolute_url()).content.decode()
    assert "Earlier fact-checks that match" in page and "Reuse this verdict" in page
    response = client.post(reverse("factcheck_start", args=[again.pk]), {"reuse": factcheck.pk})
    assert response.status_code == 302
    draft = again.factchecks.get()
    assert draft.rating.slug == "false" and draft.attribution_verdict.slug == "accurate"
    assert draft.status == "draft" and "earlier fact-check" in draft.explanation


def test_factcheck_covers_all_appearances_and_public_page_lists_them(tarnek, editor, publisher, client):
    first = _extracted(0, ORIGINAL, tarnek)
    copy = _extracted(1, REWORDED[1], tarnek)
    factcheck = _publish_check_of(first, editor, publisher)
    assert set(factcheck.statements.all()) == {first, copy}
    later = _extracted(2, REWORDED[0], tarnek)
    assert later in factcheck.statements.all()  # appearances found later join the check
    html = client.get(factcheck.get_absolute_url()).content.decode()
    for n in range(3):
        assert f"Outlet {n}" in html


def test_desk_search_ranks_and_highlights(tarnek, editor, client):
    _extracted(0, ORIGINAL, tarnek)
    _extracted(1, "Grain exports will stop the day they move, the minister said.", tarnek)
    client.force_login(editor)
    html = client.get(reverse("search"), {"q": "fight"}).content.decode()
    assert "<mark>fight</mark>" in html
    assert "Statements (1)" in html


def test_public_search_finds_published_only(tarnek, editor, publisher, client):
    factcheck = _publish_check_of(_extracted(0, ORIGINAL, tarnek), editor, publisher)
    html = client.get(reverse("factcheck_index"), {"q": "border"}).content.decode()
    assert factcheck.claim_reviewed in html and "<mark>" in html
    none = client.get(reverse("factcheck_index"), {"q": "zeppelin"}).content.decode()
    assert "No published fact-check matches" in none


def test_desk_search_pages(tarnek, editor, client):
    import random

    words = [
        "harbour", "clinic", "budget", "ferry", "bridge", "council", "grain", "fuel", "wages",
        "rents", "flood", "school", "pension", "airport", "police", "hospital", "pipeline",
        "harvest", "tariff", "deficit", "treaty", "summit", "vaccine", "prices", "bread", "petrol",
        "runway", "teachers", "drought", "refinery",
    ]
    rng = random.Random(3)
    for i in range(23):  # distinct sentences, so none groups with another
        _extracted(i, "Tram " + " ".join(rng.sample(words, 9)) + f" {i}.", tarnek)
    client.force_login(editor)
    first = client.get(reverse("search"), {"q": "tram"})
    assert len(first.context["results"]["statements"]) == 20 and first.context["has_next"]
    second = client.get(reverse("search"), {"q": "tram", "page": 2})
    assert len(second.context["results"]["statements"]) == 3 and not second.context["has_next"]
    assert client.get(reverse("search"), {"q": "tram", "page": "junk"}).status_code == 200
