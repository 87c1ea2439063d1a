"""One quote, many appearances; matching earlier fact-checks; search.

The texts are our own: a fictional minister's remarks as different outlets would print them.
"""

import pytest
from django.db import connection
from django.urls import reverse

from factcheck.models import Article, Speaker, Statement, fingerprint
from factcheck.review import actions as review
from factcheck.statements.lsh import APPEARANCE_THRESHOLD, similarity

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
    from factcheck.statements.store import store_new_statements

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


TARNEK_CLAIM = "Tarnek says nobody on the other side wants to fight"


def test_new_statement_matches_an_earlier_fact_check_and_can_reuse_it(tarnek, editor, client,
                                                                    publish_factcheck):
    old = _extracted(0, ORIGINAL, tarnek)
    factcheck = publish_factcheck(old, claim=TARNEK_CLAIM)
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


def test_factcheck_covers_all_appearances_and_public_page_lists_them(tarnek, client, publish_factcheck):
    first = _extracted(0, ORIGINAL, tarnek)
    copy = _extracted(1, REWORDED[1], tarnek)
    factcheck = publish_factcheck(first, claim=TARNEK_CLAIM)
    assert set(factcheck.statements.all()) == {first, copy}
    later = _extracted(2, REWORDED[0], tarnek)
    assert later in factcheck.statements.all()  # appearances found later join the check
    html = client.get(factcheck.get_absolute_url()).content.decode()
    for n in range(3):
        assert f"Outlet {n}" in html


UNLIKE_CLAIM = "Did the minister misstate how the border ceasefire began?"  # none of the quote's words
CLOSE_TO_THE_QUOTE = "Nobody over there is left who still wants a fight with us, he said."


def test_the_words_a_published_check_covers_match_new_statements_until_it_is_withdrawn(
        tarnek, publisher, publish_factcheck):
    from factcheck.factchecks import actions as factchecks
    from factcheck.statements.matching import FACTCHECK_THRESHOLD

    assert similarity(UNLIKE_CLAIM, CLOSE_TO_THE_QUOTE) < FACTCHECK_THRESHOLD  # not by its claim
    assert FACTCHECK_THRESHOLD <= similarity(ORIGINAL, CLOSE_TO_THE_QUOTE) < APPEARANCE_THRESHOLD
    first = _extracted(0, ORIGINAL, tarnek)
    copy = _extracted(1, REWORDED[1], tarnek)
    factcheck = publish_factcheck(first, claim=UNLIKE_CLAIM)
    other = publish_factcheck(_extracted(2, UNRELATED_SAME_SPEAKER[0], tarnek), claim="Grain exports")
    covered = set(Statement.objects.filter(in_published_factcheck=True))
    assert covered == {first, copy, *other.statements.all()}
    later = _extracted(3, REWORDED[0], tarnek)  # a repeat found later is stored covered
    assert later.in_published_factcheck and later in factcheck.statements.all()

    close = _extracted(4, CLOSE_TO_THE_QUOTE, tarnek)
    assert close.duplicate_of is None and not close.in_published_factcheck
    assert [m.factcheck for m in close.matches.all()] == [factcheck]

    factchecks.withdraw(factcheck=factcheck, by=publisher, reason="The recording was misdated.")
    assert set(Statement.objects.filter(in_published_factcheck=True)) == set(other.statements.all())
    again = _extracted(5, "Nobody over there is left who still wants a fight with us, he added.", tarnek)
    assert not again.matches.exists()  # the withdrawn check's words no longer match


def test_a_checked_quote_printed_by_many_outlets_is_searched_once_through_its_first_appearance(
        tarnek, publish_factcheck):
    first = _extracted(0, ORIGINAL, tarnek)
    factcheck = publish_factcheck(first, claim=UNLIKE_CLAIM)
    repeats = [_extracted(n, ORIGINAL, tarnek) for n in range(1, 4)]  # wire copies, found later
    assert all(r.duplicate_of == first and r.in_published_factcheck for r in repeats)
    close = _extracted(4, CLOSE_TO_THE_QUOTE, tarnek)
    match = close.matches.get()
    assert match.factcheck == factcheck
    assert match.score == pytest.approx(similarity(ORIGINAL, CLOSE_TO_THE_QUOTE), abs=1e-6)
    if connection.vendor == "postgresql":  # the repeats are not in the index the search reads
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'stmt_checked_match_bands'")
            assert "duplicate_of_id IS NULL" in cursor.fetchone()[0]


CORRECTED_CLAIM = "Tarnek says the harbour tunnel will not cost taxpayers a single crown"
TUNNEL_PROMISE = "The harbour tunnel will not cost the taxpayers a single crown, the minister promised."


def test_a_corrected_claim_is_matched_in_its_new_words(tarnek, editor, publisher, publish_factcheck):
    """The workflow writes a claim with a conditional update, past Model.save(): matching
    notices the claim its bands were computed from is not the claim any more."""
    from factcheck.factchecks import actions as factchecks
    from factcheck.statements.matching import FACTCHECK_THRESHOLD

    assert similarity(UNLIKE_CLAIM, TUNNEL_PROMISE) < FACTCHECK_THRESHOLD <= similarity(CORRECTED_CLAIM,
                                                                                       TUNNEL_PROMISE)
    assert similarity(ORIGINAL, TUNNEL_PROMISE) < FACTCHECK_THRESHOLD
    factcheck = publish_factcheck(_extracted(0, ORIGINAL, tarnek), claim=UNLIKE_CLAIM)
    assert not _extracted(1, TUNNEL_PROMISE, tarnek).matches.exists()
    proposal = factchecks.propose_correction(factcheck=factcheck, by=editor, claim_reviewed=CORRECTED_CLAIM,
                                             note="The claim named the wrong promise.")
    factchecks.publish_correction(proposal=proposal, by=publisher)
    later = _extracted(2, TUNNEL_PROMISE.replace("promised", "said"), tarnek)
    match = later.matches.get()
    assert match.factcheck == factcheck
    assert match.score == pytest.approx(similarity(CORRECTED_CLAIM, later.text), abs=1e-6)


def test_checked_words_stored_before_match_bands_still_match(tarnek, publish_factcheck):
    """Statements stored before migration 0025 have no match bands: once a published check
    covers one, matching computes them, and a paraphrase of its words is still found."""
    from factcheck.statements.lsh import stored_fields

    first = _extracted(0, ORIGINAL, tarnek)
    factcheck = publish_factcheck(first, claim=UNLIKE_CLAIM)
    Statement.objects.filter(pk=first.pk).update(match_bands=None)
    close = _extracted(1, CLOSE_TO_THE_QUOTE, tarnek)
    assert [m.factcheck for m in close.matches.all()] == [factcheck]
    if connection.vendor == "postgresql":
        first.refresh_from_db()
        assert first.match_bands == stored_fields([ORIGINAL])[0]["match_bands"]


@pytest.mark.postgres
def test_published_checks_are_found_through_the_match_bands_alone(tarnek, publish_factcheck):
    first = _extracted(0, ORIGINAL, tarnek)
    factcheck = publish_factcheck(first, claim=TARNEK_CLAIM)
    close = _extracted(1, CLOSE_TO_THE_QUOTE, tarnek)
    assert [m.factcheck for m in close.matches.all()] == [factcheck]
    # Bands that share nothing with anyone's: neither the claim nor the checked words are read.
    Statement.objects.filter(pk=first.pk).update(match_bands=[])
    type(factcheck).objects.filter(pk=factcheck.pk).update(claim_bands=[])
    assert not _extracted(2, CLOSE_TO_THE_QUOTE.replace("said", "added"), tarnek).matches.exists()


@pytest.mark.postgres
def test_checked_words_are_read_through_their_index_when_few_are_checked(tarnek, publish_factcheck):
    """With few published checks among many statements the planner once joined every new
    statement with every checked row, comparing their 70 match bands each way, instead of
    looking each statement's bands up (9.6 s for a batch against 1,000 checked rows)."""
    from factcheck.models import FactCheck
    from factcheck.statements import matching
    from factcheck.statements.lsh import set_lsh_fields
    from factcheck.statements.store import insert_all

    first = _extracted(0, ORIGINAL, tarnek)
    publish_factcheck(first, claim=TARNEK_CLAIM)
    texts = [f"Story {i} of the harbour, told by someone else entirely." for i in range(2000)]
    others = [Statement(article=first.article, kind="claim", text=text, start=i, end=i + 1,
                        fingerprint=fingerprint(text)) for i, text in enumerate(texts)]
    set_lsh_fields(others)
    insert_all(others)
    new = _extracted(1, CLOSE_TO_THE_QUOTE, tarnek)
    bands, sketch = matching._match_probes([new])[0]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("EXPLAIN " + matching._FACTCHECK_SCORES_SQL.format(
            factcheck=FactCheck._meta.db_table, statement=Statement._meta.db_table,
            checks=FactCheck.statements.through._meta.db_table, published="published"), {
            "ids": [new.pk] * 300, "texts": [new.text] * 300, "sketches": [sketch] * 300,
            "bands": ["{" + ",".join(map(str, bands)) + "}"] * 300,
            "max_differing": 165, "threshold": matching.FACTCHECK_THRESHOLD})
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "stmt_checked_match_bands" in plan, plan
    assert [m.factcheck for m in new.matches.all()] == list(first.factchecks.all())


def test_the_admin_cannot_take_statements_from_a_published_check(
        tarnek, publish_factcheck, client, django_user_model):
    """Published means settled (#28): even staff change a published check through a correction,
    so the admin refuses, and what matching flags stays as it was."""
    first = _extracted(0, ORIGINAL, tarnek)
    extra = _extracted(1, UNRELATED_SAME_SPEAKER[1], tarnek)
    factcheck = publish_factcheck(first, claim=UNLIKE_CLAIM)
    admin = django_user_model.objects.create_superuser("root-admin", "root@example.org", "pw-Long-enough-1")
    client.force_login(admin)
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from factcheck.models import FactCheck

    model_admin = site._registry[FactCheck]
    request = RequestFactory().get("/")
    request.user = admin
    form = model_admin.get_form(request, factcheck)(instance=factcheck)
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(statements=str(extra.pk), authors=[u.pk for u in factcheck.authors.all()], tags=[])
    for formset, _ in model_admin.get_formsets_with_inlines(request, factcheck):
        prefix = formset.get_default_prefix()
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(reverse("admin:factcheck_factcheck_change", args=[factcheck.pk]), data)
    assert response.status_code == 403
    assert set(Statement.objects.filter(in_published_factcheck=True)) == {first}
    assert set(factcheck.statements.all()) == {first}


# SQLite cannot alter its schema inside the transaction a test runs in.
@pytest.mark.postgres
def test_migration_flags_the_statements_published_checks_cover(tarnek, publish_factcheck):
    from django.db.migrations.executor import MigrationExecutor

    first = _extracted(0, ORIGINAL, tarnek)
    _extracted(1, UNRELATED_SAME_SPEAKER[1], tarnek)
    publish_factcheck(first, claim=UNLIKE_CLAIM)
    with connection.cursor() as cursor:  # ALTER TABLE refuses to run with FK checks pending
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    before = [("factcheck", "0012_drop_statement_text_trigram_index")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(Statement.objects.filter(in_published_factcheck=True)) == [first]


def test_desk_search_ranks_and_highlights(tarnek, editor, client):
    _extracted(0, ORIGINAL, tarnek)
    _extracted(1, "Grain exports will stop the day they move, the minister said.", tarnek)
    client.force_login(editor)
    html = client.get(reverse("search"), {"q": "fight"}).content.decode()
    assert "<mark>fight</mark>" in html
    assert "Statements (1)" in html


def test_desk_search_ranks_articles_and_follows_a_changed_text(editor, client):
    passing = Article.objects.ingest(
        url="https://harbour.example/ferry", title="Ferry timetable changes",
        text="The ferry now leaves at noon. A tram stop opens near the pier next year.")[0]
    about = Article.objects.ingest(
        url="https://harbour.example/trams", title="Tram fares to rise",
        text="Tram fares rise in May. The tram operator blames fuel, and tram drivers agree.")[0]
    client.force_login(editor)

    def articles(q):
        return [hit.obj for hit in client.get(reverse("search"), {"q": q}).context["results"]["articles"]]

    assert articles("tram") == [about, passing]  # the article about trams first
    # The operator re-publishes the page with another story: search follows the new text.
    about.record_version(text="The council voted to close the public baths for repairs.",
                         title="Baths close")
    assert articles("tram") == [passing]
    assert articles("baths repairs") == [about]


def test_public_search_finds_published_only(tarnek, client, publish_factcheck):
    factcheck = publish_factcheck(_extracted(0, ORIGINAL, tarnek), claim=TARNEK_CLAIM,
                                  explanation="Reports from the border say otherwise.")
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


# --------------------------------------------------------------------------- LSH bands

KNOWN_TEXT = ("Minister Tarnek told Valdoria radio that the harbour tunnel would open in spring and cost "
              "nobody a single crown.")
KNOWN_BANDS = [-1627577417, 1034320765, 1340470455, 1570487922]  # stored rows depend on these staying put
KNOWN_SKETCH = "00000011001011011111100111101101"  # its first 32 bits, likewise
KNOWN_MATCH_BANDS = [-402979386, -430935702, 815128217, -679433248]  # and its first match bands
# Twenty-word quotes by fictional people; each repeat changes one word, as another outlet prints it.
QUOTES = [
    ("The Valdoria harbour tunnel will be finished by next spring and it will not cost the taxpayers "
     "a single crown.", "single", "solitary"),
    ("Szabo told the council that the northern ferry line loses money every winter and should be sold "
     "to the port.", "winter", "season"),
    ("Our farmers have waited eleven years for the new irrigation canal and they will not wait another "
     "eleven, Tarnek said.", "canal", "channel"),
    ("Nobody in the ministry read the report on the flooded mines before the budget for the repairs "
     "was signed.", "flooded", "collapsed"),
]


def test_bands_are_deterministic_across_processes():
    import os
    import subprocess
    import sys

    from factcheck.statements.lsh import (
        LSH_BANDS,
        LSH_ROWS,
        MATCH_BANDS,
        lsh_fields,
        statement_bands,
        stored_fields,
    )

    bands = statement_bands([KNOWN_TEXT])[0]
    assert len(bands) == LSH_BANDS and bands[:4] == KNOWN_BANDS
    sketch = lsh_fields([KNOWN_TEXT])[0]["sketch"]
    assert len(sketch) == LSH_BANDS * LSH_ROWS and sketch.startswith(KNOWN_SKETCH)
    match_bands = stored_fields([KNOWN_TEXT])[0]["match_bands"]
    assert len(match_bands) == MATCH_BANDS and match_bands[:4] == KNOWN_MATCH_BANDS
    assert stored_fields([""])[0]["match_bands"] == []
    assert lsh_fields(["", "... !"]) == [{"bands": [], "sketch": ""}] * 2
    # Another interpreter, another PYTHONHASHSEED: nothing may depend on hash() or process state.
    code = ("import django; django.setup(); "
            "from factcheck.statements.lsh import statement_bands, stored_fields; "
            f"print(statement_bands([{KNOWN_TEXT!r}])[0]); "
            f"print(stored_fields([{KNOWN_TEXT!r}])[0]['match_bands'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "12345",
                              "DJANGO_SETTINGS_MODULE": "tests.settings"})
    assert out.stdout.strip().splitlines()[-2:] == [str(bands), str(match_bands)]


def test_an_unrelated_statement_sharing_common_words_shares_no_band():
    from factcheck.statements.lsh import probe_bands, statement_bands

    a = ("We will not let them close the hospital in Valdoria, and we will not let them raise the price "
         "of bread for our families.")
    b = ("We will not let them sell the railway in Tarnek, and we will not let them cut the pensions of "
         "the miners and their families.")
    assert 0.3 < similarity(a, b) < APPEARANCE_THRESHOLD
    assert not set(probe_bands([a])[0].keys) & set(statement_bands([b])[0])
    assert not set(probe_bands([b])[0].keys) & set(statement_bands([a])[0])


def test_probes_look_up_the_stored_bands_of_every_size_that_can_be_similar():
    from factcheck.statements.lsh import (
        _size_class,
        _size_classes_near,
        probe_bands,
        statement_bands,
        trigrams,
    )

    text = "Nobody in the ministry read the report"
    longer = text + " on the flooded"
    assert similarity(text, longer) >= APPEARANCE_THRESHOLD
    assert _size_class(len(trigrams(text))) != _size_class(len(trigrams(longer)))
    for a, b in [(text, longer), (longer, text)]:
        assert set(statement_bands([b])[0]) & set(probe_bands([a])[0].keys)
    # ... at the price of at most two lookups a band, whatever the size.
    assert max(len(_size_classes_near(n)) for n in range(1, 20_000)) == 2


def _differing_bits(a: str, b: str) -> int:
    from factcheck.statements.lsh import lsh_fields

    one, other = (fields["sketch"] for fields in lsh_fields([a, b]))
    return sum(x != y for x, y in zip(one, other, strict=True))


def test_sketches_tell_near_repeats_from_sentences_sharing_common_words():
    from factcheck.statements.lsh import SKETCH_MAX_DIFFERING

    for text, old, new in QUOTES:
        assert _differing_bits(text, text.replace(old, new)) <= SKETCH_MAX_DIFFERING
    a = ("We will not let them close the hospital in Valdoria, and we will not let them raise the price "
         "of bread for our families.")
    b = ("We will not let them sell the railway in Tarnek, and we will not let them cut the pensions of "
         "the miners and their families.")
    assert _differing_bits(a, b) > SKETCH_MAX_DIFFERING
    assert _differing_bits(a, a) == 0


@pytest.mark.postgres
def test_near_repeats_are_found_through_the_bands(tarnek):
    firsts = [_extracted(i, text, tarnek) for i, (text, _, _) in enumerate(QUOTES)]
    assert all(f.bands for f in firsts)
    repeats = [_extracted(10 + i, text.replace(old, new), tarnek)
               for i, (text, old, new) in enumerate(QUOTES)]
    assert [r.duplicate_of_id for r in repeats] == [f.pk for f in firsts]
    # Found through the bands alone: without them the same row is never a candidate.
    Statement.objects.filter(pk=firsts[0].pk).update(bands=[])
    text, old, new = QUOTES[0]
    assert _extracted(20, text.replace(old, "lone"), tarnek).duplicate_of_id is None


@pytest.mark.postgres
def test_rows_whose_sketch_is_too_unlike_are_not_compared(tarnek):
    first = _extracted(0, QUOTES[1][0], tarnek)
    text, old, new = QUOTES[1]
    # The same bands with every bit of the sketch flipped: the search drops the row unchecked.
    flipped = "".join("1" if bit == "0" else "0" for bit in first.sketch)
    Statement.objects.filter(pk=first.pk).update(sketch=flipped)
    unmatched = _extracted(1, text.replace(old, new), tarnek)
    assert unmatched.duplicate_of_id is None
    unmatched.delete()
    # A row stored without a sketch is checked by similarity alone.
    Statement.objects.filter(pk=first.pk).update(sketch="")
    assert _extracted(2, text.replace(old, "spring"), tarnek).duplicate_of_id == first.pk


def test_edited_text_gets_new_bands(tarnek, editor):
    from factcheck.statements.lsh import lsh_fields

    statement = _extracted(0, QUOTES[0][0], tarnek)
    statement.assign(to=editor)
    review.update_statement(statement=statement, by=editor, version=statement.version, text=QUOTES[1][0])
    statement.refresh_from_db()
    assert {"bands": statement.bands, "sketch": statement.sketch} == lsh_fields([QUOTES[1][0]])[0]
    statement.text = QUOTES[2][0]
    statement.save(update_fields=["text"])
    statement.refresh_from_db()
    assert {"bands": statement.bands, "sketch": statement.sketch} == lsh_fields([QUOTES[2][0]])[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the migrated groups
def test_migration_backfills_bands_of_existing_statements():
    from django.db.migrations.executor import MigrationExecutor

    from factcheck.statements.lsh import lsh_fields

    before, after = ("factcheck", "0009_search_index_expressions"), ("factcheck", "0010_statement_bands")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old_apps = executor.loader.project_state([before]).apps
    OldArticle, OldStatement = (old_apps.get_model("factcheck", name) for name in ("Article", "Statement"))
    article = OldArticle.objects.create(url="https://old.example/1", url_hash="u" * 64, content_hash="c" * 64,
                                        text="Old story. " + QUOTES[0][0])
    texts = [QUOTES[0][0], QUOTES[1][0]]
    for i, text in enumerate(texts):
        OldStatement.objects.create(article=article, kind="direct", text=text, start=i, end=i + 5,
                                    fingerprint=str(i))
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    stored = list(Statement.objects.order_by("pk").values("bands", "sketch"))
    assert stored == lsh_fields(texts)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the migrated groups
def test_migration_salts_stored_bands_anew_and_stores_sketches():
    """0016 changed the size classes bands are salted with: rows stored before it must be found
    by the near repeats extracted after it, through a bands index built again (0017)."""
    from django.db.migrations.executor import MigrationExecutor

    from factcheck.statements.lsh import lsh_fields

    before = ("factcheck", "0015_stored_search_vectors")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old_apps = executor.loader.project_state([before]).apps
    OldArticle, OldStatement = (old_apps.get_model("factcheck", name) for name in ("Article", "Statement"))
    text, old, new = QUOTES[2]
    article = OldArticle.objects.create(url="https://old.example/1", url_hash="u" * 64, content_hash="c" * 64,
                                        text=text)
    # Bands as the old classes salted them: none equal what a probe looks up now.
    OldStatement.objects.create(article=article, kind="direct", text=text, start=0, end=len(text),
                                fingerprint="old", bands=[1, 2, 3])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    first = Statement.objects.get()
    assert {"bands": first.bands, "sketch": first.sketch} == lsh_fields([text])[0]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'stmt_bands_gin'")
            assert "gin (bands)" in cursor.fetchone()[0]
    assert _extracted(1, text.replace(old, new), Speaker.objects.create(name="Miroslav Tarnek")
                      ).duplicate_of_id == first.pk
