"""A bulk import stores its records together: the same articles, copies and known ones as storing
them one by one, in a fixed number of queries."""

import pytest
from django.db import transaction

from factcheck.models import Article, ArticleVersion

pytestmark = pytest.mark.django_db

WIRE = "The harbour board said on Monday that the new crane would double the port's capacity."
LOCAL = "Residents of the east quay complained about the noise, a council spokesman said."
SECOND_WIRE = "Fishing quotas will be cut by a fifth next year, the ministry announced."
LETTER = "Sir, the ferry timetable changes every winter and nobody tells the islanders."


def _earlier():
    return {"A": Article.objects.ingest(text=WIRE, url="https://one.example/crane")[0],
            "B": Article.objects.ingest(text=LOCAL)[0]}


BATCH = [
    dict(text=WIRE, url="https://two.example/crane-story"),  # a copy of A
    dict(text=WIRE, url="https://one.example/crane"),  # A again
    dict(text=LOCAL),  # B pasted again
    dict(text=SECOND_WIRE, url="https://one.example/quotas"),  # new
    dict(text=SECOND_WIRE, url="https://three.example/q"),  # a copy of the one before
    dict(text=SECOND_WIRE),  # pasted: the first article with that text
    dict(text=LETTER, title="Letters"),  # new, no URL
    dict(text=LETTER),  # the same letter again
]


def _described(results, earlier):
    """Each result as (created, which article it is or copies), naming articles by the label of
    an earlier one or the batch position that created them."""
    names = {a.pk: label for label, a in earlier.items()}
    described = []
    for i, (article, created) in enumerate(results):
        if created:
            names[article.pk] = i
        described.append((created, names[article.pk], names.get(article.copy_of_id)))
    return described


def test_a_batch_gives_what_storing_its_articles_one_by_one_gives(django_assert_max_num_queries):
    earlier = _earlier()
    with transaction.atomic():
        one_by_one = _described([Article.objects.ingest(**item) for item in BATCH], earlier)
        transaction.set_rollback(True)
    assert one_by_one == [(True, 0, "A"), (False, "A", None), (False, "B", None), (True, 3, None),
                          (True, 4, 3), (False, 3, None), (True, 6, None), (False, 6, None)]
    # savepoint, known URLs, known texts, the pasted ones read back, 2 inserts, release
    with django_assert_max_num_queries(7):
        together = Article.objects.ingest_many(BATCH)
    assert _described(together, earlier) == one_by_one
    assert Article.objects.count() == 2 + 4
    assert together[6][0].title == "Letters"


def test_a_known_url_with_changed_text_or_a_url_given_twice_is_stored_one_by_one():
    earlier = _earlier()
    changed = [dict(text=LETTER, url="https://new.example/l"),
               dict(text=WIRE + " It will open in May.", url="https://one.example/crane")]
    results = Article.objects.ingest_many(changed)
    assert [created for _, created in results] == [True, False]
    assert results[1][0] == earlier["A"] and results[1][0].version_recorded
    assert ArticleVersion.objects.get().text == WIRE

    twice = [dict(text=SECOND_WIRE, url="https://four.example/q"),
             dict(text=SECOND_WIRE + " Fishermen protested.", url="https://four.example/q")]
    results = Article.objects.ingest_many(twice)
    assert [created for _, created in results] == [True, False]
    assert results[0][0].pk == results[1][0].pk and results[1][0].version_recorded


def test_a_bulk_import_records_each_created_article_once_with_its_copy(editor):
    from factcheck.ingest.importers import FetchedRecord, IngestRefused, store_records
    from factcheck.models import ReviewEvent

    earlier = _earlier()
    fetched = [FetchedRecord(1, {"text": WIRE, "url": "https://two.example/crane-story"}),
               FetchedRecord(2, {"text": "   "}),
               FetchedRecord(3, {"text": LETTER, "outlet": "Island Gazette"}),
               FetchedRecord(4, refused=IngestRefused("The page could not be fetched."))]
    results = store_records(fetched, by=editor)
    assert isinstance(results[1], IngestRefused) and str(results[3]) == "The page could not be fetched."
    copy, letter = results[0].article, results[2].article
    assert results[0].created and copy.copy_of == earlier["A"] and copy.source == "bulk"
    assert letter.outlet.name == "Island Gazette" and letter.ingested_by == editor
    events = ReviewEvent.objects.filter(action="ingested", article__in=[copy, letter])
    assert sorted((e.article_id, e.data["copy_of"]) for e in events) == sorted(
        [(copy.pk, earlier["A"].pk), (letter.pk, None)])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the migrated groups
def test_bulk_imports_racing_over_the_same_urls_make_one_article_each():
    import threading

    from django.db import connection

    from factcheck.ingest.importers import FetchedRecord, store_records
    from factcheck.models import Outlet, ReviewEvent

    # Known already: creating it would make the imports wait for each other before the articles.
    Outlet.objects.create(name="Race", domain="race.example")
    texts = [WIRE, LOCAL, SECOND_WIRE, LETTER, WIRE + " Updated.", LOCAL + " More."]
    records = [{"text": text, "url": f"https://race.example/{i}"} for i, text in enumerate(texts)]
    orders = [records, records[::-1], records[2:] + records[:2], records[1::2] + records[::2]]
    barrier = threading.Barrier(len(orders))
    outcomes, errors = [], []

    def bulk_import(chunk):
        try:
            barrier.wait()
            with transaction.atomic():  # as a bulk import stores a chunk
                outcomes.extend(store_records([FetchedRecord(n, r) for n, r in enumerate(chunk)]))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=bulk_import, args=(order,)) for order in orders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Article.objects.count() == len(records)
    assert sum(o.created for o in outcomes) == len(records)
    assert ReviewEvent.objects.filter(action="ingested").count() == len(records)
    assert set(Article.objects.values_list("url", flat=True)) == {r["url"] for r in records}


def test_a_chunk_of_one_outlets_records_looks_its_outlet_up_once():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from factcheck.ingest.importers import FetchedRecord, store_records

    records = [FetchedRecord(n, {"text": f"{LETTER} ({n})", "url": f"https://www.gazette.example/l{n}"})
               for n in range(5)]
    with CaptureQueriesContext(connection) as queries:
        results = store_records(records)
    assert {r.article.outlet.domain for r in results} == {"gazette.example"}
    # looked up once, then created (its name and slug checked, inserted); one by one, 5 lookups
    assert sum('"factcheck_outlet"' in q["sql"] for q in queries.captured_queries) == 4
    again = store_records([FetchedRecord(9, {"text": LOCAL, "url": "https://gazette.example/x"})])
    assert again[0].article.outlet == results[0].article.outlet  # the memo ends with the call
