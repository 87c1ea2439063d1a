"""Many editors at once: never two on one item, nobody waits for nothing."""

import threading

import pytest
from django.db import connection

from factcheck.factchecks import actions as factchecks
from factcheck.models import AlreadyAssigned, Article, Conflict, Statement
from factcheck.review import actions

# serialized_rollback: the flush after a transactional test would drop the migrations' groups.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _in_threads(count, work):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


@pytest.fixture
def editors(make_user):
    return [make_user(f"ed{i}", "Editor") for i in range(50)]


def _fill_queue(n):
    article = Article.objects.create(text="x" * (n + 10), content_hash="c")
    Statement.objects.bulk_create([
        Statement(article=article, kind="claim", text=f"claim {i}", start=i, end=i + 1,
                  score=(i % 17) / 17, fingerprint=str(i)) for i in range(n)])


def test_fifty_editors_pressing_next_get_distinct_items(editors):
    _fill_queue(200)

    def work(i):
        return [actions.take_next(by=editors[i]).pk for _ in range(4)]

    results, errors = _in_threads(50, work)
    assert not errors
    taken = [pk for batch in results for pk in batch]
    assert len(taken) == 200 and len(set(taken)) == 200
    assert Statement.objects.filter(status="assigned").count() == 200
    assert Statement.objects.filter(status="new").count() == 0
    # Each item went to exactly the editor who got it back.
    for i, batch in enumerate(results):
        assert set(Statement.objects.filter(pk__in=batch).values_list("assignee", flat=True)) == \
            {editors[i].pk}


def test_fifty_editors_taking_one_item_give_one_winner(editors):
    _fill_queue(1)
    statement = Statement.objects.get()

    def work(i):
        try:
            actions.assign(statement=Statement.objects.get(pk=statement.pk), by=editors[i])
            return True
        except AlreadyAssigned:
            return False

    results, errors = _in_threads(50, work)
    assert not errors
    assert results.count(True) == 1
    statement.refresh_from_db()
    assert statement.assignee == editors[results.index(True)]


def test_concurrent_saves_of_one_factcheck_never_lose_an_edit_silently(editors):
    from factcheck.models import FactCheck, ReviewEvent

    _fill_queue(1)
    statement = Statement.objects.get()
    factcheck = factchecks.start_factcheck(statement=statement, by=editors[0])
    version = factcheck.version

    def work(i):
        try:
            factchecks.save_factcheck(factcheck=FactCheck.objects.get(pk=factcheck.pk), by=editors[0],
                                   version=version, explanation=f"edit {i}")
            return f"edit {i}"
        except Conflict:
            return None

    results, errors = _in_threads(20, work)
    assert not errors
    winners = [r for r in results if r]
    assert len(winners) == 1  # everyone else got a Conflict, i.e. a 409 in the view
    factcheck.refresh_from_db()
    assert factcheck.explanation == winners[0] and factcheck.version == version + 1
    assert ReviewEvent.objects.filter(factcheck=factcheck, action="factcheck_saved").count() == 1


def test_ten_editors_saving_the_same_new_tag_get_one_tag_and_no_error(editors, make_statement):
    """The probe's 10 concurrent saves of one new tag gave 5 IntegrityErrors (500s)."""
    from factcheck.models import Tag

    statements = [make_statement(f"synthetic {i}", kind="claim") for i in range(10)]
    results, errors = _in_threads(10, lambda i: actions.set_tags(
        statement=statements[i], by=editors[i], names=["Tram budget"]))
    assert not errors
    assert Tag.objects.filter(name__iexact="tram budget").count() == 1
    assert all(statement.tags.get().name == "Tram budget" for statement in statements)


def test_ten_editors_creating_the_same_speaker_get_one_speaker(editors):
    """The probe's 10 concurrent "new speaker" requests with one name made two, and a 500."""
    from factcheck.models import Speaker

    results, errors = _in_threads(10, lambda i: actions.create_speaker(by=editors[i], name="Ilse Tellerman"))
    assert not errors
    assert Speaker.objects.filter(name__iexact="Ilse Tellerman").count() == 1
    assert len({speaker.pk for speaker in results}) == 1
