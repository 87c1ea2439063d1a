"""One speaker per real person or organisation: only names make speakers, a shared surname
never merges two people, aliases link new mentions, and two workers create one speaker."""

import importlib
import threading

import pytest
from django.apps import apps
from django.db import connection, transaction

from factcheck import extract
from factcheck.extract import Speaker as Found
from factcheck.models import Article, ReviewEvent, Speaker, SpeakerAlias, Statement
from factcheck.review import actions
from factcheck.statements.extraction import run_extraction
from factcheck.statements.speakers import is_a_name, names_the_same, resolve_speakers


def found(name, mention=None, entity_type="PERSON"):
    mention = name if mention is None else mention
    return Found(name=name, mention=mention or "", start=0, end=len(mention or ""), entity_type=entity_type)


@pytest.mark.parametrize("name", [
    "Tamsin Orrell", "Orrell", "Bank of Valdoria", "Ludwig van Brandt", "Bashar al-Nadim",
    "NATO", "The Harbour Gazette", "Harbour City Council", "Ministry of Ports", "President Orrell",
    "Jean-Luc Perrin", "O'Malley", "McAllister's", "AT&T", "Theresa May", "Edward Said",
])
def test_names_are_names(name):
    assert is_a_name(name)


@pytest.mark.parametrize("mention", [
    None, "", "he", "He", "she", "They", "who", "the official", "The official", "a spokesman",
    "A Spokesman", "officials", "Officials", "U.S. officials", "the city's mayor", "the ministry",
    "The Ministry", "The President", "Police", "Prime Minister", "city council",
    "Council Approves New Cycle Lanes", "Mayor Says Bridge Will Reopen",
    "Orrell's spokeswoman", "—", "...", ", ", "Orrell, Varga", "Orrell\nHarbour News",
    "One Two Three Four Five Six Seven Eight Nine Ten",
])
def test_mentions_that_are_no_names(mention):
    assert not is_a_name(mention)


@pytest.mark.django_db
def test_no_speaker_is_made_of_a_mention_that_is_no_name():
    mentions = [None, found(None, "he"), found(None, "the official"), found("a spokesman"),
                found("Officials", entity_type=None), found("The Ministry", entity_type="ORG"),
                found("Council Approves New Cycle Lanes", "Council Approves New Cycle Lanes", "ORG"),
                found("—"), found("U.S. officials", entity_type="NORP")]
    assert resolve_speakers(mentions) == [None] * len(mentions)
    assert not Speaker.objects.exists() and not SpeakerAlias.objects.exists()


@pytest.mark.django_db
def test_a_pronoun_or_description_never_becomes_an_alias():
    orrell, = resolve_speakers([found("Tamsin Orrell", "Tamsin Orrell")])
    again = resolve_speakers([found("Tamsin Orrell", "she"), found("Tamsin Orrell", "the minister"),
                              found("Tamsin Orrell", "The Minister"), found("Tamsin Orrell", "Orrell")])
    assert again == [orrell] * 4
    assert list(orrell.aliases.values_list("normalized", flat=True)) == ["orrell"]


@pytest.mark.django_db
def test_two_people_sharing_a_surname_are_two_speakers():
    bill, = resolve_speakers([found("Bill Clinton", "Clinton")])
    hillary, = resolve_speakers([found("Hillary Clinton", "Clinton")])
    assert bill != hillary
    assert {s.name for s in Speaker.objects.all()} == {"Bill Clinton", "Hillary Clinton"}
    # A full name never links to a speaker with another full name.
    assert resolve_speakers([found("Hillary Clinton")]) == [hillary]
    assert resolve_speakers([found("Bill Clinton")]) == [bill]


@pytest.mark.django_db
def test_a_bare_surname_two_speakers_answer_to_links_to_neither():
    resolve_speakers([found("Bill Clinton", "Clinton")])
    resolve_speakers([found("Hillary Clinton", "Clinton")])
    assert resolve_speakers([found("Clinton")]) == [None]
    assert Speaker.objects.count() == 2


@pytest.mark.django_db
def test_a_bare_surname_one_speaker_has_as_an_alias_links_to_that_one():
    bill, = resolve_speakers([found("Bill Clinton", "Clinton")])
    assert resolve_speakers([found("Clinton")]) == [bill]
    assert Speaker.objects.count() == 1


@pytest.mark.django_db
def test_a_surname_nobody_answers_to_makes_its_own_speaker():
    varga, = resolve_speakers([found("Varga")])
    assert varga.name == "Varga" and Speaker.objects.count() == 1
    # and a later full name is another speaker: its surname does not merge it into "Varga"
    piet, = resolve_speakers([found("Piet Varga", "Varga")])
    assert piet != varga and resolve_speakers([found("Varga")]) == [varga]


@pytest.mark.django_db
def test_another_full_name_never_becomes_an_alias():
    bill, = resolve_speakers([found("Bill Clinton", "Hillary Clinton")])
    assert not bill.aliases.exists()
    hillary, = resolve_speakers([found("Hillary Clinton")])
    assert hillary != bill


def test_an_alias_names_the_same_one():
    assert names_the_same("Clinton", "Bill Clinton")
    assert names_the_same("President Orrell", "Tamsin Orrell")
    assert names_the_same("Mrs Orrell", "Tamsin Orrell")
    assert names_the_same("NPA", "National Ports Authority")
    assert names_the_same("The NPA", "National Ports Authority")
    assert not names_the_same("Hillary Clinton", "Bill Clinton")
    assert not names_the_same("the Valdorian leader", "Tamsin Orrell")
    assert not names_the_same("The Kremlin", "Tamsin Orrell")
    assert not names_the_same("she", "Tamsin Orrell")


@pytest.mark.django_db
def test_an_existing_speakers_aliases_link_new_mentions(editor):
    speaker = actions.create_speaker(by=editor, name="Tamsin Orrell")
    speaker.add_alias("Minister Orrell")  # as an editor adds one
    speaker.add_alias("Tam Orrell")
    mentions = [found("Minister Orrell"), found("MINISTER  ORRELL"), found("Tam Orrell")]
    assert resolve_speakers(mentions) == [speaker] * 3
    assert Speaker.objects.count() == 1
    # and create_speaker, for the same name, finds the one extraction made
    made, = resolve_speakers([found("Piet Varga")])
    assert actions.create_speaker(by=editor, name="Piet  Varga") == made


@pytest.mark.django_db
def test_within_one_batch_earlier_quotes_count_for_later_ones():
    speakers = resolve_speakers([found("Bill Clinton", "Clinton"), found("Clinton"),
                                 found("Hillary Clinton", "Clinton"), found("Clinton")])
    bill, hillary = Speaker.objects.get(name="Bill Clinton"), Speaker.objects.get(name="Hillary Clinton")
    # As one by one: "Clinton" is Bill's alone until Hillary's article makes it ambiguous.
    assert speakers == [bill, bill, hillary, None]


@pytest.mark.django_db
def test_extraction_makes_no_speaker_of_a_headline_or_a_description(monkeypatch):
    text = ("Council Approves New Cycle Lanes\n\nThe city council said the lanes would open in June. "
            '"It is a good day for cyclists," a spokesman said. Officials said the work would cost '
            "two million.")
    article = Article.objects.ingest(text=text)[0]
    run_extraction(article)
    assert article.statements.exists()
    assert not Speaker.objects.exists()
    # Whatever the extractor names: a headline handed over as a name makes no speaker either.
    start = text.index("the lanes")
    headline = extract.Quote(kind="indirect", text="the lanes would open in June", start=start,
                             end=start + 28, parts=[], score=0.5,
                             speaker=found("Council Approves New Cycle Lanes", "The city council", "ORG"))
    monkeypatch.setattr(extract, "extract", lambda text: extract.Extraction(quotes=[headline]))
    run_extraction(article)
    statement = article.statements.get(start=start)
    assert statement.speaker is None and statement.mention == "The city council"
    assert not Speaker.objects.exists()


@pytest.mark.django_db
def test_extracted_clintons_in_different_articles_stay_two_people():
    for i, text in enumerate([
            'Bill Clinton said on Monday that the harbour deal was "a mistake from the start".',
            'Hillary Clinton said on Tuesday that the ferry tax "will cost the island dearly".']):
        run_extraction(Article.objects.ingest(text=text, url=f"https://paper.example/{i}")[0])
    assert sorted(Speaker.objects.values_list("name", flat=True)) == ["Bill Clinton", "Hillary Clinton"]


# serialized_rollback: the flush after a transactional test would drop the migrations' groups.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_creating_the_same_speakers_at_once_create_one_each():
    names = ["Tamsin Orrell", "Piet Varga", "Lena Brandt"]
    count = 8
    barrier, errors = threading.Barrier(count), []

    def work(i):
        try:
            barrier.wait()
            order = names if i % 2 else names[::-1]  # the other way round: no deadlock either
            with transaction.atomic():
                resolve_speakers([found(n) for n in order])
        except Exception as exc:  # asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(Speaker.objects.values_list("name", flat=True)) == sorted(names)


@pytest.mark.django_db
def test_the_migration_removes_untouched_speakers_that_are_no_names(editor):
    article = Article.objects.ingest(text="x" * 200)[0]
    junk = [Speaker.objects.create(name=name)
            for name in ("the official", "Officials", "he", "Council Approves New Lanes")]
    kept_name = Speaker.objects.create(name="Tamsin Orrell")
    described = Speaker.objects.create(name="The Ministry", description="Ministry of Ports of Valdoria")
    logged = Speaker.objects.create(name="The Council")
    ReviewEvent.record(ReviewEvent.Action.SPEAKER_CREATED, by=editor, speaker=logged)
    edited = Speaker.objects.create(name="a spokesman")
    statements = [Statement.objects.create(article=article, kind="direct", text=f"words {i}", start=i * 10,
                                           end=i * 10 + 5, speaker=s, mention=s.name)
                  for i, s in enumerate([*junk, kept_name, described, logged, edited])]
    Statement.objects.filter(pk=statements[-1].pk).update(version=2)  # an editor changed it
    SpeakerAlias.objects.create(speaker=junk[0], alias="The Official")
    migration = importlib.import_module("factcheck.migrations.0021_speakers_are_names")
    migration.remove_speakers_that_are_no_names(apps, None)
    assert set(Speaker.objects.values_list("name", flat=True)) == {
        "Tamsin Orrell", "The Ministry", "The Council", "a spokesman"}
    for statement in statements[:4]:
        statement.refresh_from_db()
        assert statement.speaker is None and statement.mention  # the mention stays
    assert not SpeakerAlias.objects.exists()


@pytest.mark.django_db
def test_a_statement_of_reported_speech_reads_without_the_reporters_that():
    text = ('Harbour master Ines Moreau said that the ferry would run on Sundays. '
            'She argued that the tram plan was "a fairy tale for the suburbs".')
    article = Article.objects.ingest(text=text, url="https://paper.example/that")[0]
    run_extraction(article)
    statements = list(article.statements.exclude(kind=Statement.Kind.CLAIM).order_by("start"))
    assert [(s.kind, s.text) for s in statements] == [
        ("indirect", "the ferry would run on Sundays"),
        ("partial", 'the tram plan was "a fairy tale for the suburbs"')]
    for statement in statements:
        assert text[statement.start:statement.end] == statement.text
        assert statement.parts[0][0] == statement.start
    # the same words reported without "that" by another outlet are the same statement
    other = Article.objects.ingest(text="Harbour master Ines Moreau said the ferry would run "
                                        "on Sundays.", url="https://other.example/that")[0]
    run_extraction(other)
    assert other.statements.get(kind="indirect").fingerprint == statements[0].fingerprint


@pytest.mark.django_db
@pytest.mark.parametrize("text, kind, said", [
    # the reporter's "that" before a quotation
    ('Harbour master Ines Moreau said that "the ferry will run on Sundays."', "direct",
     "the ferry will run on Sundays."),
    # the relative pronoun standing for what a name in quote marks names
    ('The fee rose under a model which Lind called "a disgrace."', "partial", '"a disgrace."'),
    # the relative pronoun before a reporting clause, standing for the clause's subject
    ("The judge gave Vik probation, which he said was not a prison sentence.", "indirect",
     "was not a prison sentence"),
])
def test_a_quotation_reads_without_the_words_that_lead_into_it(text, kind, said):
    article = Article.objects.ingest(text=text, url="https://paper.example/lead-in")[0]
    run_extraction(article)
    statement = article.statements.exclude(kind=Statement.Kind.CLAIM).get()
    assert (statement.kind, statement.text) == (kind, said)
    assert text[statement.start:statement.end] == statement.text
    assert statement.parts == [[statement.start, statement.end]]


@pytest.mark.django_db
def test_the_topic_of_a_stance_is_reported_but_stays_out_of_the_queue():
    text = ("Councillor Vera Lind criticised the tram plan on Monday. She said that the "
            "ferry would run on Sundays.")
    found = extract.extract(text).quotes
    assert [(q.kind, q.text, q.topic) for q in found] == [
        ("indirect", "the tram plan", True),
        ("indirect", "that the ferry would run on Sundays", False)]
    article = Article.objects.ingest(text=text, url="https://paper.example/topic")[0]
    run_extraction(article)
    assert list(article.statements.exclude(kind=Statement.Kind.CLAIM)
                .values_list("text", flat=True)) == ["the ferry would run on Sundays"]


@pytest.mark.django_db
def test_a_that_which_is_the_subject_of_what_was_said_stays():
    article = Article.objects.ingest(text="Harbour master Ines Moreau said that was the last "
                                          "ferry of the season.", url="https://paper.example/that2")[0]
    run_extraction(article)
    assert article.statements.get(kind="indirect").text == "that was the last ferry of the season"
