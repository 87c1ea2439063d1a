"""An article's language is detected when it is stored and shown on its page; one that is not
English is kept, marked, and never run through the English pipeline."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from factcheck.extract.language import detect_language, is_supported, language_name
from factcheck.ingest.queueing import request_extraction, sweep_stuck_extractions
from factcheck.models import Article, ReviewEvent, Statement
from factcheck.statements.extraction import extract_or_copy_batch, run_extraction

GERMAN = ("Der Plan ist viel zu teuer, sagte Weber am Montag vor dem Stadtrat. Die Brücke über den "
          "Hafen soll nach seinen Angaben erst im nächsten Jahr fertig werden. \"Wir haben das Geld "
          "nicht\", sagte die Kämmerin Lena Brandt.")
FRENCH = ("Le projet coûte beaucoup trop cher, a déclaré lundi le maire devant le conseil municipal. "
          "Selon lui, le pont ne sera pas terminé avant l'année prochaine.")
ENGLISH = ('Mayor Orla Quint said on Monday that the harbour bridge would reopen in May. "We have '
           'spent 40 million on repairs," she told the council. The cost has doubled since 2031.')


@pytest.mark.parametrize("text, code", [
    (GERMAN, "de"), (FRENCH, "fr"), (ENGLISH, "en"),
    ("Мэр сказал в понедельник, что мост через гавань откроется в мае.", "ru"),
    ("El alcalde dijo el lunes que el puente del puerto abrirá en mayo.", "es"),
])
def test_the_language_of_a_text_is_detected(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize("text", [
    "Hello", "Weber: Plan teuer", "   ", "",
    "123 456 789 2031-05-01 12:00 +44 20 7946 0000 ## 42%",  # no language in it
])
def test_a_text_too_short_to_tell_is_unknown_and_tried_as_english(text):
    assert detect_language(text) == ""
    assert is_supported("")


def test_an_english_sentence_full_of_foreign_names_is_not_refused():
    # The model leans German or Nigerian Pidgin on names alone: unsure, so unknown, so English.
    for text in ["Angela Merkel, Olaf Scholz and Friedrich Merz met in Berlin.",
                 "Wladimir Klitschko and Petro Poroschenko met in Kyiv.",
                 "Minister Olusegun Adebayo and Chief Emeka Nwosu visited Abuja and Kano."]:
        assert is_supported(detect_language(text)), text


def test_language_names():
    assert language_name("de") == "German" and language_name("en") == "English"
    assert language_name("pcm") == "Nigerian Pidgin"
    assert language_name("") == "" and language_name("xx") == "xx"


@pytest.mark.django_db
def test_the_language_is_stored_with_the_article_and_a_new_version():
    german, _ = Article.objects.ingest(text=GERMAN, url="https://zeitung.example/bruecke")
    english, _ = Article.objects.ingest(text=ENGLISH)
    short, _ = Article.objects.ingest(text="Quiet day.")
    german.refresh_from_db()
    assert (german.language, german.extraction_status) == ("de", Article.Extraction.SKIPPED)
    assert (english.language, english.extraction_status) == ("en", Article.Extraction.PENDING)
    assert (short.language, short.extraction_status) == ("", Article.Extraction.PENDING)
    # The page is rewritten in English: its new version waits for extraction.
    again, created = Article.objects.ingest(text=ENGLISH, url="https://zeitung.example/bruecke")
    again.refresh_from_db()
    assert not created and again.pk == german.pk
    assert (again.language, again.extraction_status) == ("en", Article.Extraction.PENDING)


@pytest.mark.django_db
def test_bulk_ingest_detects_each_language():
    results = Article.objects.ingest_many([
        {"text": GERMAN, "url": "https://zeitung.example/1"},
        {"text": ENGLISH, "url": "https://paper.example/1"},
        {"text": FRENCH, "url": "https://journal.example/1"},
    ])
    stored = Article.objects.in_bulk([a.pk for a, _ in results])
    assert [stored[a.pk].language for a, _ in results] == ["de", "en", "fr"]
    assert [stored[a.pk].extraction_status for a, _ in results] == ["skipped", "pending", "skipped"]


@pytest.mark.django_db
def test_a_german_article_yields_no_statements_and_an_english_one_still_does():
    german = Article.objects.ingest(text=GERMAN)[0]
    english = Article.objects.ingest(text=ENGLISH)[0]
    assert run_extraction(german) == 0
    assert not german.statements.exists()
    german.refresh_from_db()
    assert german.extraction_status == Article.Extraction.SKIPPED and german.extraction_error == ""
    assert run_extraction(english) > 0
    english.refresh_from_db()
    assert english.extraction_status == Article.Extraction.DONE
    assert english.statements.filter(text__contains="We have spent 40 million on repairs").exists()


@pytest.mark.django_db
def test_a_batch_extracts_its_english_articles_and_skips_the_others():
    articles = [Article.objects.ingest(text=text)[0] for text in (ENGLISH, GERMAN, FRENCH)]
    Article.objects.update(extraction_status=Article.Extraction.PENDING)  # as a retry leaves them
    outcomes = extract_or_copy_batch(articles)
    assert outcomes[articles[0].pk] > 0 and outcomes[articles[1].pk] == outcomes[articles[2].pk] == 0
    statuses = dict(Article.objects.values_list("pk", "extraction_status"))
    assert [statuses[a.pk] for a in articles] == ["done", "skipped", "skipped"]
    assert Statement.objects.exclude(article=articles[0]).count() == 0
    assert ReviewEvent.objects.filter(action="extracted", article=articles[1]).exists()


@pytest.mark.django_db
def test_a_copy_of_a_german_article_is_skipped_too():
    original = Article.objects.ingest(text=GERMAN, url="https://zeitung.example/a")[0]
    copy = Article.objects.ingest(text=GERMAN, url="https://blatt.example/a")[0]
    assert copy.copy_of_id == original.pk
    run_extraction(original)
    outcomes = extract_or_copy_batch([Article.objects.select_related("copy_of").get(pk=copy.pk)])
    assert outcomes == {copy.pk: 0}
    assert Article.objects.get(pk=copy.pk).extraction_status == Article.Extraction.SKIPPED


@pytest.mark.django_db
def test_an_article_rewritten_in_german_loses_its_untouched_statements(django_capture_on_commit_callbacks):
    article = Article.objects.ingest(text=ENGLISH, url="https://paper.example/bridge")[0]
    run_extraction(article)
    kept = article.statements.order_by("start").first()
    Statement.objects.filter(pk=kept.pk).update(status=Statement.Status.DISMISSED)  # an editor's
    assert article.statements.count() > 1
    article, _ = Article.objects.ingest(text=GERMAN, url="https://paper.example/bridge")
    with django_capture_on_commit_callbacks(execute=True):
        request_extraction(article)  # as every door does for a new version
    article.refresh_from_db()
    assert article.extraction_status == Article.Extraction.SKIPPED
    assert list(article.statements.values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.django_db
def test_the_sweep_leaves_a_skipped_article_alone():
    article = Article.objects.ingest(text=GERMAN)[0]
    Article.objects.filter(pk=article.pk).update(
        extraction_changed_at=timezone.now() - timezone.timedelta(days=2))
    article.refresh_from_db()
    assert not article.is_stuck() and not Article.objects.stuck().exists()
    assert sweep_stuck_extractions() == []


@pytest.fixture
def ed_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.django_db
def test_the_article_page_shows_the_language_and_the_english_only_marker(ed_client):
    response = ed_client.post("/articles/new/", {"tab": "paste", "title": "", "outlet": "",
                                                 "url": "", "published_at": "", "text": GERMAN},
                              follow=True)
    page = response.content.decode()
    assert "it is in German, and extraction supports English only" in page  # the message
    assert "Extraction: <strong>English only</strong>" in page
    assert "Extraction supports English only: this article is in\n    German" in page
    assert " · German" in page and 'lang="de"' in page
    assert "Retry" not in page and "Extract again" not in page and "every 2s" not in page
    article = Article.objects.get()
    status = ed_client.get(reverse("article_extraction", args=[article.pk]), {"was": "pending"},
                           headers={"HX-Request": "true"})
    assert b"English only" in status.content and "HX-Refresh" not in status
    english = Article.objects.ingest(text=ENGLISH)[0]
    page = ed_client.get(english.get_absolute_url()).content.decode()
    assert " · English" in page and "supports English only" not in page


@pytest.mark.django_db
def test_the_recent_list_says_english_only(ed_client, editor):
    Article.objects.ingest(text=GERMAN, by=editor)
    recent = ed_client.get("/articles/new/", {"part": "recent"}, headers={"HX-Request": "true"})
    assert b"English only" in recent.content


@pytest.mark.django_db
def test_the_migration_fills_the_language_of_stored_articles():
    # As the migration leaves them: every row taken to be English when the column is added.
    old = timezone.now() - timezone.timedelta(days=30)
    german = Article.objects.create(text=GERMAN, content_hash="g", language="en",
                                    extraction_status="done", extraction_changed_at=old)
    english = Article.objects.create(text=ENGLISH, content_hash="e", language="en",
                                     extraction_status="done", extraction_changed_at=old)
    short = Article.objects.create(text="Quiet day.", content_hash="s", language="en",
                                   extraction_status="done", extraction_changed_at=old)
    migration = importlib.import_module("factcheck.migrations.0020_article_language")
    migration.detect_stored_languages(apps, None)
    rows = {a.pk: a for a in Article.objects.all()}
    assert (rows[german.pk].language, rows[german.pk].extraction_status) == ("de", "pending")
    assert rows[german.pk].extraction_changed_at > old  # the sweep queues it after the timeout
    assert (rows[english.pk].language, rows[english.pk].extraction_status) == ("en", "done")
    assert (rows[short.pk].language, rows[short.pk].extraction_status) == ("", "done")
    assert rows[english.pk].extraction_changed_at == old
