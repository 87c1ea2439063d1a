import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from factcheck.models import (
    AlreadyAssigned,
    Article,
    Rating,
    RatingScale,
    ReviewEvent,
    Speaker,
    Statement,
    normalize_url,
)

pytestmark = pytest.mark.django_db

WIRE_TEXT = ("Officials in the fictional port of Brenmoor said on Friday that 300 containers "
             "had been held at the docks for a week.")


def test_tests_run_on_postgresql_unless_told_otherwise(settings):
    # The constraint tests below are only meaningful on the production database.
    if not settings.POSTGRES_UNAVAILABLE:
        assert connection.vendor == "postgresql"


def test_same_url_twice_returns_the_existing_article():
    first, created = Article.objects.ingest(text=WIRE_TEXT, url="https://news.example/a?utm_source=x")
    again, created_again = Article.objects.ingest(text=WIRE_TEXT, url="http://www.news.example/a/")
    assert created and not created_again
    assert again.pk == first.pk
    assert Article.objects.count() == 1


def test_url_hash_is_unique_in_the_database():
    article, _ = Article.objects.ingest(text=WIRE_TEXT, url="https://news.example/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(text="other", url="https://news.example/a", url_hash=article.url_hash,
                               content_hash="x")


def test_same_text_from_another_url_is_a_copy_of_the_first():
    original, _ = Article.objects.ingest(text=WIRE_TEXT, url="https://wire.example/story")
    copy, created = Article.objects.ingest(text=WIRE_TEXT + "\n", url="https://paper.example/s")
    third, _ = Article.objects.ingest(text=WIRE_TEXT, url="https://other.example/s")
    assert created and copy.pk != original.pk
    assert copy.copy_of == original and third.copy_of == original
    assert set(original.copies.all()) == {copy, third}


def test_pasted_text_without_url_that_matches_returns_that_article():
    original, _ = Article.objects.ingest(text=WIRE_TEXT, url="https://wire.example/story")
    pasted, created = Article.objects.ingest(text="  " + WIRE_TEXT.replace(" ", "\u00a0", 3))
    assert not created and pasted.pk == original.pk


def test_changed_text_at_the_same_url_keeps_the_old_version():
    article, _ = Article.objects.ingest(text=WIRE_TEXT, url="https://wire.example/story")
    updated, created = Article.objects.ingest(text=WIRE_TEXT + " Updated at noon.",
                                              url="https://wire.example/story")
    assert not created and updated.pk == article.pk
    assert updated.text.endswith("Updated at noon.")
    assert [v.text for v in updated.versions.all()] == [WIRE_TEXT]


def test_normalize_url_folds_tracking_and_trivia():
    assert normalize_url("HTTP://WWW.Example.com:80/a//b/?utm_medium=x&b=2&a=1#top") == \
        "https://example.com/a/b?a=1&b=2"


def _statement(article, **kw):
    defaults = {"kind": "direct", "text": "We will build it by 2030.", "start": 0, "end": 10}
    defaults.update(kw)
    return Statement.objects.create(article=article, **defaults)


def test_second_active_assignment_is_refused(make_user):
    article, _ = Article.objects.ingest(text=WIRE_TEXT)
    statement = _statement(article)
    alice, bob = make_user("alice", "Editor"), make_user("bob", "Editor")
    statement.assign(to=alice)
    statement.assign(to=alice)  # a double click is harmless
    with pytest.raises(AlreadyAssigned):
        Statement.objects.get(pk=statement.pk).assign(to=bob)
    statement.refresh_from_db()
    assert statement.assignee == alice and statement.status == "assigned"


def test_database_refuses_an_assigned_statement_without_editor():
    article, _ = Article.objects.ingest(text=WIRE_TEXT)
    statement = _statement(article)
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(status="assigned")


def test_released_statement_returns_to_the_queue(editor):
    article, _ = Article.objects.ingest(text=WIRE_TEXT)
    statement = _statement(article)
    statement.assign(to=editor)
    assert statement.release()
    assert statement.status == "new" and statement.assignee is None


def test_statement_score_outside_0_1_refused():
    article, _ = Article.objects.ingest(text=WIRE_TEXT)
    with pytest.raises(IntegrityError), transaction.atomic():
        _statement(article, score=1.5)


def test_statement_fingerprint_folds_quote_marks_case_and_spacing():
    article, _ = Article.objects.ingest(text=WIRE_TEXT)
    a = _statement(article, text="“We will build it,” by 2030.")
    b = _statement(article, text='"we will  build it" by 2030', start=20, end=30)
    assert a.fingerprint == b.fingerprint


def test_rating_value_outside_its_scale_is_refused():
    scale = RatingScale.objects.get(is_default=True)
    with pytest.raises(ValidationError):
        Rating.objects.create(scale=scale, label="Pants on fire", value=0)
    with pytest.raises(ValidationError):
        Rating.objects.create(scale=scale, label="Beyond true", value=6)
    assert Rating.objects.create(scale=scale, label="Lopsided", value=3).pk


def test_default_scale_and_verdicts_exist():
    scale = RatingScale.objects.get(is_default=True)
    labels = {r.label: r.value for r in scale.ratings.all()}
    assert labels == {"True": 5, "Mostly true": 4, "Half true": 3, "Mostly false": 2,
                      "False": 1, "Unproven": None}
    from factcheck.models import AttributionVerdict
    assert list(AttributionVerdict.objects.values_list("label", flat=True)) == [
        "Accurate", "Paraphrased", "Altered", "Out of context", "Misattributed",
        "Fabricated", "Unverifiable"]


def test_groups_carry_their_role_permissions(editor, publisher):
    assert editor.has_perm("factcheck.review_statement")
    assert editor.has_perm("factcheck.submit_factcheck")
    assert not editor.has_perm("factcheck.approve_factcheck")
    assert publisher.has_perm("factcheck.approve_factcheck")
    assert publisher.has_perm("factcheck.publish_factcheck")


def test_factcheck_cannot_be_approved_by_its_author(editor):
    from factcheck.models import FactCheck
    fc = FactCheck.objects.create(claim_reviewed="A claim", created_by=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        FactCheck.objects.filter(pk=fc.pk).update(approver=editor)


def test_review_events_are_append_only(editor):
    article, _ = Article.objects.ingest(text=WIRE_TEXT)
    event = ReviewEvent.record(ReviewEvent.Action.INGESTED, article=article, by=editor)
    event.note = "rewritten history"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_the_audit_log_takes_only_its_own_actions(editor):
    """Every entry goes through ReviewEvent.record/new, which refuse a misspelt action before
    it reaches the log, and the desk shows each action's label."""
    article, _ = Article.objects.ingest(text=WIRE_TEXT)
    with pytest.raises(ValueError):
        ReviewEvent.record("factcheck_strated", article=article, by=editor)
    event = ReviewEvent.record("extraction_requested", article=article, by=editor)
    assert event.get_action_display() == "Asked for the statements to be extracted again"
    assert list(ReviewEvent.objects.filter(article=article)) == [event]  # the refused one is not kept


def test_speaker_found_by_alias():
    speaker = Speaker.objects.create(name="Miroslav Tarnek")
    speaker.add_alias("President Miroslav Tarnek")
    speaker.add_alias("Tarnek")
    assert list(Speaker.objects.matching("tarnek")) == [speaker]
    assert list(Speaker.objects.matching("Miroslav  Tarnek")) == [speaker]
    assert speaker.slug == "miroslav-tarnek"


def test_insert_all_stores_every_field_as_bulk_create_does():
    """Extraction stores its statements through insert_all (one UNNEST on PostgreSQL): every
    column, the JSON and the bands included, and ids in the order given."""
    from factcheck.statements.lsh import lsh_fields
    from factcheck.statements.store import insert_all

    article = Article.objects.ingest(text=WIRE_TEXT, url="https://news.example/insert-all")[0]
    speaker = Speaker.objects.create(name="Ilse Tellerman")

    def made(start, end, **extra):
        text = WIRE_TEXT[start:end]
        return Statement(article=article, kind="indirect", text=text, start=start, end=end,
                         speaker=speaker, cue="said", via=[{"text": "a port notice"}],
                         parts=[[start, end]], score=0.25, **lsh_fields([text])[0], **extra)

    first = made(0, 40)
    rows = [first, made(41, 90, duplicate_of=first), made(91, 120, mention="Officials")]
    first_only = insert_all(rows[:1])  # one row: bulk_create itself
    rest = insert_all(rows[1:])
    assert [s.pk for s in first_only + rest] == sorted(s.pk for s in rows)
    for row in rows:
        stored = Statement.objects.get(pk=row.pk)
        assert (stored.text, stored.start, stored.speaker_id, stored.cue, stored.via, stored.parts,
                stored.score, stored.bands, stored.sketch, stored.mention, stored.status, stored.version) == (
                row.text, row.start, speaker.pk, "said", [{"text": "a port notice"}], [[row.start, row.end]],
                0.25, row.bands, row.sketch, row.mention, "new", 1)
        assert stored.created_at and stored.updated_at
    assert Statement.objects.get(pk=rows[1].pk).duplicate_of_id == first.pk
