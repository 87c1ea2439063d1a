import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factcheck.factchecks import actions as factchecks
from factcheck.models import AlreadyAssigned, Conflict, FactCheck, ReviewEvent, Speaker, Statement
from factcheck.review import actions

pytestmark = pytest.mark.django_db


def test_take_next_gives_the_highest_priority_unassigned_item(editor, make_user, make_statement):
    make_statement("Minister Ada Vance said the bridge would reopen in May.", kind="indirect",
                   score=0.4)
    top = make_statement(score=0.9)
    other = make_user("other", "Editor")
    assert actions.take_next(by=editor) == top
    second = actions.take_next(by=other)
    assert second is not None and second != top
    assert actions.take_next(by=make_user("third", "Editor")) is None
    assert ReviewEvent.objects.filter(action="assigned").count() == 2


def test_take_next_respects_the_queue_filter(editor, make_statement):
    make_statement(score=0.9)
    claim = make_statement("Critics said the cost had doubled since 2023.", kind="claim", score=0.1)
    taken = actions.take_next(by=editor, queryset=Statement.objects.filter(kind="claim"))
    assert taken == claim


def test_reader_without_role_cannot_take_items(make_user, make_statement):
    make_statement()
    with pytest.raises(PermissionDenied):
        actions.take_next(by=make_user("reader"))


def test_expired_assignments_return_to_the_queue(editor, make_statement, settings):
    from datetime import timedelta

    from django.utils import timezone

    statement = make_statement()
    actions.assign(statement=statement, by=editor)
    later = timezone.now() + timedelta(minutes=settings.FACTCHECK_ASSIGNMENT_TTL_MINUTES + 1)
    assert actions.expire_assignments(now=later) == 1
    statement.refresh_from_db()
    assert statement.status == "new" and statement.assignee is None
    assert ReviewEvent.objects.filter(statement=statement, action="assignment_expired").exists()


def test_someone_elses_item_cannot_be_taken_released_or_dismissed(editor, make_user, make_statement):
    statement = make_statement()
    actions.assign(statement=statement, by=editor)
    other = make_user("other", "Editor")
    with pytest.raises(AlreadyAssigned):
        actions.assign(statement=statement, by=other)
    with pytest.raises(PermissionDenied):
        actions.release(statement=statement, by=other)
    with pytest.raises(PermissionDenied):
        actions.dismiss(statement=statement, by=other, reason="opinion")


def test_dismiss_needs_a_reason_and_is_safe_to_repeat(editor, make_statement):
    statement = make_statement()
    with pytest.raises(ValidationError):
        actions.dismiss(statement=statement, by=editor, reason="  ")
    assert actions.dismiss(statement=statement, by=editor, reason="opinion")
    assert not actions.dismiss(statement=statement, by=editor, reason="opinion")
    assert statement.status == "dismissed" and statement.dismissed_reason == "opinion"
    assert ReviewEvent.objects.filter(statement=statement, action="dismissed").count() == 1
    assert actions.restore(statement=statement, by=editor)
    assert statement.status == "new"


def test_stale_statement_edit_is_refused(editor, make_statement):
    statement = make_statement()
    version = statement.version
    actions.update_statement(statement=statement, by=editor, version=version, kind="partial")
    with pytest.raises(Conflict) as conflict:
        actions.update_statement(statement=statement, by=editor, version=version, kind="claim")
    assert conflict.value.current.kind == "partial"
    statement.refresh_from_db()
    assert statement.kind == "partial"


def test_set_speaker_can_remember_the_mention(editor, make_statement):
    statement = make_statement(mention="Minister Ada Vance")
    speaker = actions.create_speaker(by=editor, name="Ada Vance")
    actions.set_speaker(statement=statement, by=editor, version=statement.version, speaker=speaker,
                        add_mention_as_alias=True)
    assert statement.speaker == speaker
    assert list(Speaker.objects.matching("Minister Ada Vance")) == [speaker]
    # Creating the same speaker twice (a double submit) returns the first.
    assert actions.create_speaker(by=editor, name="Ada  Vance") == speaker


def test_merge_speakers_moves_statements_and_aliases(editor, make_statement):
    keep = Speaker.objects.create(name="Ada Vance")
    dup = Speaker.objects.create(name="A. Vance")
    dup.add_alias("Minister Vance")
    statement = make_statement(speaker=dup)
    actions.merge_speakers(keep=keep, merge=dup, by=editor)
    statement.refresh_from_db()
    assert statement.speaker == keep
    assert not Speaker.objects.filter(pk=dup.pk).exists()
    assert set(keep.aliases.values_list("alias", flat=True)) == {"A. Vance", "Minister Vance"}


def test_start_factcheck_is_idempotent_and_moves_the_statement(editor, make_statement):
    statement = make_statement()
    first = factchecks.start_factcheck(statement=statement, by=editor)
    again = factchecks.start_factcheck(statement=statement, by=editor)
    assert first == again and FactCheck.objects.count() == 1
    statement.refresh_from_db()
    assert statement.status == "in_factcheck" and statement.assignee == editor
    assert list(first.authors.all()) == [editor]


def test_factcheck_stale_save_refused_and_submit_needs_content(editor, make_statement):
    from factcheck.models import AttributionVerdict, Rating

    factcheck = factchecks.start_factcheck(statement=make_statement(), by=editor)
    version = factcheck.version
    with pytest.raises(ValidationError):
        factchecks.submit_factcheck(factcheck=factcheck, by=editor)
    factchecks.save_factcheck(factcheck=factcheck, by=editor, version=version,
                           explanation="Budget papers show 38 million.",
                           attribution_verdict=AttributionVerdict.objects.get(slug="accurate"),
                           rating=Rating.objects.get(slug="mostly-true"))
    with pytest.raises(Conflict):
        factchecks.save_factcheck(factcheck=factcheck, by=editor, version=version, explanation="old")
    with pytest.raises(ValidationError, match="at least one source"):
        factchecks.submit_factcheck(factcheck=factcheck, by=editor)
    factchecks.add_evidence(factcheck=factcheck, by=editor, url="https://budget.example/2025")
    assert factchecks.submit_factcheck(factcheck=factcheck, by=editor)
    assert not factchecks.submit_factcheck(factcheck=factcheck, by=editor)
    assert factcheck.status == "submitted"
    with pytest.raises(PermissionDenied):  # a submitted fact-check is no longer a draft
        factchecks.save_factcheck(factcheck=factcheck, by=editor, version=factcheck.version,
                               explanation="late change")
