"""Many articles extracted together give what extracting them one by one gives, for fewer queries."""

import pytest
from django.db import connection, transaction

from factcheck import extract
from factcheck.models import (
    Article,
    FactCheck,
    ReviewEvent,
    Speaker,
    SpeakerAlias,
    Statement,
    StatementMatch,
)
from factcheck.statements.extraction import run_extraction, run_extraction_batch

pytestmark = pytest.mark.django_db

TEXTS = [
    'Mayor Tarnek Szabo said on Monday: "The harbour bridge will reopen in May and the tolls will stay as '
    'they are." The repairs have cost 40 million crowns since 2031, according to the city budget office.',
    # The same quote from another outlet, and a new speaker.
    '"The harbour bridge will reopen in May and the tolls will stay as they are," Tarnek Szabo told '
    'reporters in Valdoria. Irena Kovac, the council treasurer, said: "We cannot pay for a second ferry '
    'this year."',
    # A near repeat (one word added), and an exact repeat of an indirect quote.
    '"The harbour bridge will reopen in early May and the tolls will stay as they are," said Tarnek Szabo. '
    'The repairs have cost 40 million crowns since 2031, according to the city budget office.',
    'Irena Kovac said: "We cannot pay for a second ferry this year." Opposition leader Mirela Dragan said '
    'the ferry had carried 2.1 million passengers in 2032. Unemployment in Valdoria rose to 9.4 per cent '
    'in 2032, the highest level in a decade.',
    # A reworded quote and a repeated claim.
    'Mirela Dragan said the ferry had carried 2.1 million passengers in 2032. "We cannot afford a second '
    'ferry this year," Irena Kovac said. Unemployment in Valdoria rose to 9.4 per cent in 2032, the highest '
    'level in a decade.',
]
EDITED = ('Irena Kovac said: "We cannot pay for a second ferry this year." She said the '
          'ferry fund was empty.')


@pytest.fixture
def archive(publish_factcheck):
    """An article extracted earlier with a published fact-check, and one whose text changed since
    it was extracted (its new version is extracted again in the batch)."""
    first = Article.objects.ingest(text='Tarnek Szabo said: "Tolls on the harbour bridge will double next '
                                        'year." The ferry carried 2.1 million passengers in 2032.',
                                   url="https://archive.example/1")[0]
    run_extraction(first)
    publish_factcheck(first.statements.order_by("start").first(),
                      claim="The ferry carried 2.1 million passengers in 2032",
                      explanation="The port's figures say 1.2 million.")
    edited = Article.objects.ingest(text="Irena Kovac said the ferry fund was empty.",
                                    url="https://archive.example/2")[0]
    run_extraction(edited)
    edited, _ = Article.objects.ingest(text=EDITED, url="https://archive.example/2")
    return edited


def _key(statement):
    return (statement.article.url, statement.kind, statement.start, statement.end) if statement else None


def _snapshot() -> dict:
    """Everything an extraction writes, by what identifies it rather than by ids."""
    statements = Statement.objects.select_related("article", "speaker", "duplicate_of__article")
    return {
        "statements": {_key(s): (s.text, s.speaker.name if s.speaker else None, _key(s.duplicate_of),
                                 s.appearance_count, s.status, s.fingerprint) for s in statements},
        "articles": {a.url: (a.extraction_status, a.extraction_error, a.extracted_at is not None)
                     for a in Article.objects.all()},
        "speakers": sorted(Speaker.objects.values_list("name", "kind")),
        "aliases": sorted(SpeakerAlias.objects.values_list("speaker__name", "normalized")),
        "matches": sorted((_key(m.statement), m.factcheck_id, m.same_speaker, round(m.score, 5))
                          for m in StatementMatch.objects.select_related("statement__article")),
        "covered": sorted((_key(s), fc.pk) for fc in FactCheck.objects.all()
                          for s in fc.statements.select_related("article")),
        "events": sorted((e.article.url if e.article else "", e.action, _key(e.statement),
                          sorted(e.data.items()))
                         for e in ReviewEvent.objects.select_related("article", "statement__article")),
    }


def _ingested(edited) -> list[Article]:
    articles = [Article.objects.ingest(text=text, url=f"https://outlet{i}.example/story")[0]
                for i, text in enumerate(TEXTS)]
    return [*articles[:3], edited, *articles[3:]]


def test_a_batch_stores_what_one_by_one_stores(archive):
    rollback_to = transaction.savepoint()
    for article in _ingested(archive):
        run_extraction(article)
    one_by_one = _snapshot()
    transaction.savepoint_rollback(rollback_to)

    articles = _ingested(archive)
    outcomes = run_extraction_batch(articles)
    assert outcomes == {a.pk: a.statements.count() for a in articles}
    together = _snapshot()
    assert together == one_by_one

    # The batch did hold repeats of its own statements: exact, reworded, claims, across speakers.
    repeats = [(k, v[2]) for k, v in together["statements"].items() if v[2] and "outlet" in v[2][0]]
    assert {k[1] for k, _ in repeats} >= {"direct", "indirect", "claim"}
    assert any(together["statements"][k][0] != together["statements"][first][0] for k, first in repeats)
    assert any(k[0] == "https://archive.example/2" for k, _ in repeats)  # the one extracted again
    assert together["matches"]  # the published fact-check matched a statement of the batch
    assert all(a.extraction_status == Article.Extraction.DONE for a in articles)


def test_one_article_failing_does_not_cost_the_others_theirs(monkeypatch):
    whole_batch, one_by_one = extract.extract_many, extract.extract

    def refusing(text):
        if "Glarn" in text:
            raise ValueError("the engine chokes on Glarn")
        return one_by_one(text)

    def refusing_many(texts, **options):
        if any("Glarn" in t for t in texts):
            raise ValueError("the engine chokes on Glarn")
        return whole_batch(texts, **options)

    monkeypatch.setattr(extract, "extract", refusing)
    monkeypatch.setattr(extract, "extract_many", refusing_many)
    articles = [Article.objects.ingest(text=text, url=f"https://outlet{i}.example/story")[0]
                for i, text in enumerate([TEXTS[0], 'Glarn said: "Nothing will change."', TEXTS[1]])]
    outcomes = run_extraction_batch(articles)
    failed = Article.objects.get(pk=articles[1].pk)
    assert isinstance(outcomes[failed.pk], ValueError)
    assert failed.extraction_status == Article.Extraction.FAILED
    assert failed.extraction_error == "ValueError: the engine chokes on Glarn"
    assert not failed.statements.exists()
    for article in (articles[0], articles[2]):
        article.refresh_from_db()
        assert article.extraction_status == Article.Extraction.DONE and outcomes[article.pk] > 0
        assert article.statements.count() == outcomes[article.pk]
    assert ReviewEvent.objects.filter(action="extracted").count() == 2
    # Alone, the same failure is raised to the caller (the task), as before.
    with pytest.raises(ValueError):
        run_extraction(failed)


@pytest.mark.postgres
def test_batch_queries_do_not_grow_with_the_articles(monkeypatch, archive):
    """Extracting eight articles together takes as many queries as extracting two."""
    import random

    from django.test.utils import CaptureQueriesContext

    speakers = ["Tarnek Szabo", "Irena Kovac"]
    words = ["harbour", "clinic", "budget", "ferry", "bridge", "council", "grain", "fuel", "wages",
             "rents", "flood", "school", "pension", "airport", "police", "hospital", "pipeline"]
    rng = random.Random(7)
    sentences = [f"Ferry {i} " + " ".join(rng.sample(words, 9)) + " each week." for i in range(40)]

    def texts(batch: int, n: int) -> list[str]:
        # Each article repeats a quote of the one before it (reworded), and brings one of its own.
        return [f"{sentences[i]} {sentences[i + 1].replace('each week', 'every week')}"
                for i in range(batch * 10, batch * 10 + n)]

    def found_in(text):
        quotes = []
        for sentence in text.split(". "):
            words = sentence if sentence.endswith(".") else sentence + "."
            start, name = text.index(words), speakers[int(words.split()[1]) % 2]
            quotes.append(extract.Quote(kind="direct", text=words, start=start, end=start + len(words),
                                        parts=[], score=0.6,
                                        speaker=extract.Speaker(name, name, None, None)))
        return extract.Extraction(quotes=quotes)

    monkeypatch.setattr(extract, "extract_many", lambda texts: [found_in(t) for t in texts])

    def extracted(batch: int, n: int) -> int:
        articles = [Article.objects.ingest(text=text, url=f"https://outlet{batch}-{i}.example/story")[0]
                    for i, text in enumerate(texts(batch, n))]
        with CaptureQueriesContext(connection) as queries:
            run_extraction_batch(articles)
        return len(queries)

    extracted(0, 2)  # creates the speakers and sets the trigram cut-off, as earlier batches would have
    few, many = extracted(1, 2), extracted(2, 8)
    assert many == few
    in_batch = "https://outlet2-"
    grouped = Statement.objects.filter(article__url__startswith=in_batch, duplicate_of__isnull=False)
    assert grouped.filter(duplicate_of__article__url__startswith=in_batch).count() >= 7


@pytest.fixture
def queued(monkeypatch):
    """The article ids of each extraction task queued, the tasks still run (inline in tests)."""
    from factcheck.ingest import queueing

    calls, task = [], queueing.extract_articles

    class Recording:
        def enqueue(self, article_ids):
            calls.append(list(article_ids))
            return task.enqueue(article_ids)

    monkeypatch.setattr(queueing, "extract_articles", Recording())
    monkeypatch.setattr(queueing, "EXTRACTION_BATCH", 2)
    return calls


def test_a_bulk_import_queues_its_articles_in_batches(queued, django_capture_on_commit_callbacks):
    import json

    from factcheck.ingest.batches import run_batch
    from factcheck.ingest.tasks import start_batch

    records = [{"text": text, "url": f"https://outlet{i}.example/story"} for i, text in enumerate(TEXTS[:3])]
    with django_capture_on_commit_callbacks(execute=False):
        batch = start_batch(name="b.jsonl", data="\n".join(json.dumps(r) for r in records).encode())
    with django_capture_on_commit_callbacks(execute=True):
        assert run_batch(batch.pk) == 3
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    assert queued == [ids[:2], ids[2:]]
    assert set(Article.objects.values_list("extraction_status", flat=True)) == {"done"}
    first = Statement.objects.get(article_id=ids[0], kind="direct")
    assert first.appearance_count == 3  # outlet1 and outlet2 printed it, in the same batch


def test_the_sweep_queues_stuck_articles_together(queued, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from factcheck.ingest.queueing import sweep_stuck_extractions

    long_ago = timezone.now() - timezone.timedelta(hours=2)
    stuck = [Article.objects.create(text=text, content_hash=f"h{i}", extraction_status="running",
                                    extraction_changed_at=long_ago) for i, text in enumerate(TEXTS[:3])]
    with django_capture_on_commit_callbacks(execute=True):
        assert sorted(sweep_stuck_extractions()) == [a.pk for a in stuck]
    assert sorted(map(len, queued)) == [1, 2] and sorted(sum(queued, [])) == [a.pk for a in stuck]
    assert not Article.objects.exclude(extraction_status="done").exists()


def test_ingest_command_extracts_several_files_together(tmp_path, monkeypatch):
    import io

    from django.core.management import CommandError, call_command

    from factcheck.management.commands import ingest as command

    batches = []
    whole = command.extract_or_copy_batch
    monkeypatch.setattr(command, "extract_or_copy_batch", lambda articles: batches.append(len(articles))
                        or whole(articles))
    paths = []
    for i, text in enumerate(TEXTS[:3]):
        paths.append(tmp_path / f"story{i}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 5 sources refused, 0 failed"):
        call_command("ingest", *map(str, paths), str(tmp_path / "missing.txt"), str(paths[0]),
                     "--quiet-statements", stdout=out, stderr=err)
    assert batches == [3] and "missing.txt: refused" in err.getvalue()
    assert Article.objects.filter(extraction_status="done").count() == 3
    assert "[5/5]" in out.getvalue() and out.getvalue().count(": found ") == 3


@pytest.mark.parametrize("long_text, shown", [(10, "running"), (10_000, "pending")])
def test_only_a_long_parse_is_shown_running(monkeypatch, long_text, shown):
    from factcheck.statements import extraction as pipeline

    monkeypatch.setattr(pipeline, "LONG_TEXT", long_text)
    article = Article.objects.ingest(text=TEXTS[0], url="https://outlet0.example/story")[0]
    seen = []
    whole = extract.extract

    def watching(text):
        seen.append(Article.objects.get(pk=article.pk).extraction_status)
        return whole(text)

    monkeypatch.setattr(extract, "extract", watching)
    assert run_extraction(article) == 2
    assert seen == [shown] and Article.objects.get(pk=article.pk).extraction_status == "done"


def test_a_statement_added_by_hand_before_the_first_extraction_keeps_its_place():
    """Someone may add a statement (in the admin) to an article not yet extracted; the
    extraction must take it as one it found, not collide on its span and fail the batch."""
    article = Article.objects.ingest(text=TEXTS[0], url="https://hand.example/1")[0]
    other = Article.objects.ingest(text=TEXTS[3], url="https://hand.example/2")[0]
    quote = extract.extract(TEXTS[0]).to_dict()["quotes"][0]
    by_hand = Statement.objects.create(article=article, kind=quote["kind"], text=quote["text"],
                                       start=quote["start"], end=quote["end"])
    outcomes = run_extraction_batch([article, other])
    assert not any(isinstance(o, Exception) for o in outcomes.values())
    article.refresh_from_db()
    assert article.extraction_status == Article.Extraction.DONE
    assert article.statements.filter(pk=by_hand.pk).exists()
    assert other.statements.exists()


def test_a_worker_takes_waiting_articles_along_and_their_own_tasks_then_return(settings):
    from factcheck.statements import tasks

    settings.FACTCHECK_EXTRACTION_TAKE_ALONG = True
    waiting = [Article.objects.ingest(text=text, url=f"https://along.example/{i}")[0]
               for i, text in enumerate(TEXTS[:3])]
    elsewhere = Article.objects.ingest(text=TEXTS[3], url="https://along.example/running")[0]
    Article.objects.filter(pk=elsewhere.pk).update(extraction_status=Article.Extraction.RUNNING)

    stored = tasks.extract_article.call(waiting[0].pk)
    for article in waiting:
        article.refresh_from_db()
        assert article.extraction_status == "done" and article.statements.exists()
    assert stored == Statement.objects.filter(article__in=waiting).count()
    # The same as extracting them one by one: the second article's quote repeats the first's.
    assert Statement.objects.get(article=waiting[1], text__startswith="The harbour bridge").duplicate_of \
        == Statement.objects.get(article=waiting[0], text__startswith="The harbour bridge")
    elsewhere.refresh_from_db()  # another worker's: left alone
    assert elsewhere.extraction_status == "running" and not elsewhere.statements.exists()

    extracted_at = waiting[1].extracted_at
    assert tasks.extract_article.call(waiting[1].pk) == 0  # its own task finds it done
    assert tasks.extract_articles.call([waiting[1].pk, waiting[2].pk]) == 0
    waiting[1].refresh_from_db()
    assert waiting[1].extracted_at == extracted_at


def test_without_take_along_a_task_extracts_its_own_article_only():
    from factcheck.statements import tasks

    first, second = (Article.objects.ingest(text=text, url=f"https://alone.example/{i}")[0]
                     for i, text in enumerate(TEXTS[:2]))
    tasks.extract_article.call(first.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.extraction_status, second.extraction_status) == ("done", "pending")
