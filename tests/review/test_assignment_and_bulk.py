"""Assignment to a colleague, who holds what, and the queue's bulk actions (#30)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from factcheck.models import Conflict, Notification, ReviewEvent, Statement
from factcheck.review import actions

pytestmark = pytest.mark.django_db
OTHER = "Critics said the cost had doubled since 2023."
THIRD = "Minister Ada Vance said the bridge would reopen in May."


@pytest.fixture
def ann(make_user):
    return make_user("ann", "Editor")


def _pick(*statements):
    return [f"{s.pk}:{s.version}" for s in statements]


# --------------------------------------------------------------------------- assignment


def test_an_editor_assigns_an_item_to_a_colleague_who_is_told(client, editor, ann, make_statement):
    item = make_statement()
    client.force_login(editor)
    response = client.post(reverse("statement_assign_to", args=[item.pk]),
                           {"to": "ann", "version": item.version}, follow=True)
    assert "Assigned to ann; they have been told." in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.assignee, item.assigned_by) == ("assigned", ann, editor)
    event = ReviewEvent.objects.get(statement=item, action="assigned_to")
    assert event.actor == editor and event.note == "to ann"
    told = Notification.objects.get(recipient=ann)
    assert told.kind == "assigned" and told.statement == item and told.actor == editor
    # The queue shows who holds it, and filters by that colleague.
    page = client.get(reverse("queue"), {"assignee": "ann"}).content.decode()
    assert item.text in page and ">Assignee</th>" in page and ">ann</a>" in page
    assert OTHER not in client.get(reverse("queue"), {"assignee": "ann"}).content.decode()


def test_an_item_a_colleague_assigned_does_not_lapse_but_one_taken_does(editor, ann, make_statement,
                                                                        settings):
    given = make_statement()
    taken = make_statement(OTHER, kind="claim")
    actions.assign_to(statement=given, to=ann, by=editor)
    actions.assign(statement=taken, by=ann)
    later = timezone.now() + timedelta(minutes=settings.FACTCHECK_ASSIGNMENT_TTL_MINUTES + 5)
    assert actions.expire_assignments(now=later) == 1
    given.refresh_from_db()
    taken.refresh_from_db()
    assert given.assignee == ann and taken.assignee is None


def test_only_the_holder_or_a_publisher_passes_an_item_on(editor, ann, publisher, make_user, make_statement):
    item = make_statement()
    actions.assign_to(statement=item, to=ann, by=editor)
    item.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.assign_to(statement=item, to=editor, by=make_user("bob", "Editor"))
    assert actions.assign_to(statement=item, to=editor, by=publisher)
    item.refresh_from_db()
    assert item.assignee == editor
    assert ReviewEvent.objects.filter(statement=item, action="assigned_to").last().note == "to ann"
    assert ReviewEvent.objects.filter(statement=item, action="assigned_to").first().note == "to ed, from ann"


def test_items_go_only_to_editors_and_only_from_the_queue(editor, make_user, make_statement):
    item = make_statement()
    with pytest.raises(ValidationError, match="not on the desk"):
        actions.assign_to(statement=item, to=make_user("reader"), by=editor)
    actions.dismiss(statement=item, by=editor, reason="opinion")
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="dismissed"):
        actions.assign_to(statement=item, to=editor, by=editor)


def test_assigning_from_a_stale_page_is_a_409_that_names_the_holder(client, editor, ann, make_user,
                                                                     make_statement):
    item = make_statement()
    seen = item.version
    actions.assign_to(statement=item, to=ann, by=make_user("pub2", "Publisher"))
    client.force_login(editor)
    response = client.post(reverse("statement_assign_to", args=[item.pk]), {"to": "ed", "version": seen})
    assert response.status_code in (403, 409)
    item.refresh_from_db()
    assert item.assignee == ann
    bad = client.post(reverse("statement_assign_to", args=[item.pk]), {"to": "nobody", "version": "x"})
    assert bad.status_code == 422


def test_a_repeated_assignment_is_not_a_second_event(editor, ann, make_statement):
    item = make_statement()
    assert actions.assign_to(statement=item, to=ann, by=editor, version=item.version)
    assert not actions.assign_to(statement=item, to=ann, by=editor, version=1)  # the double click
    assert ReviewEvent.objects.filter(action="assigned_to").count() == 1
    assert Notification.objects.count() == 1


def test_who_holds_what_and_for_how_long(client, editor, ann, publisher, make_statement):
    item = make_statement()
    actions.assign_to(statement=item, to=ann, by=editor)
    Statement.objects.filter(pk=item.pk).update(assigned_at=timezone.now() - timedelta(hours=3))
    client.force_login(publisher)
    page = client.get(reverse("holders")).content.decode()
    assert "ann" in page and "3\xa0hours" in page and item.text[:30] in page
    assert ">ed<" in page  # assigned by


# --------------------------------------------------------------------------- bulk


def test_bulk_assign_is_one_event_per_item_and_one_notice_for_the_batch(client, editor, ann,
                                                                        make_statement):
    a, b = make_statement(), make_statement(OTHER, kind="claim")
    client.force_login(editor)
    response = client.post(reverse("bulk_action"), {"action": "assign", "assign_to": "ann",
                                                    "statements": _pick(a, b), "next": "/queue/?kind=claim"})
    assert response.status_code == 302 and response["Location"] == "/queue/?kind=claim"
    assert set(Statement.objects.values_list("assignee__username", flat=True)) == {"ann"}
    assert ReviewEvent.objects.filter(action="assigned_to").count() == 2
    told = Notification.objects.get(recipient=ann, kind="assigned")
    assert told.text == "2 items" and told.statement is None
    client.force_login(ann)
    inbox = client.get(reverse("inbox")).content.decode()
    assert "ed assigned you 2 items" in inbox
    opened = client.post(reverse("inbox_read"), {"notification": told.pk})
    assert opened["Location"] == f"{reverse('queue')}?assignee=mine&status=assigned"


def test_a_batch_of_one_names_its_item(client, editor, ann, make_statement):
    item = make_statement()
    client.force_login(editor)
    client.post(reverse("bulk_action"), {"action": "assign", "assign_to": "ann", "statements": _pick(item)})
    assert Notification.objects.get(recipient=ann).statement == item


def test_a_stale_item_refuses_the_whole_batch(client, editor, ann, make_statement):
    a, b = make_statement(), make_statement(OTHER, kind="claim")
    picked = _pick(a, b)
    actions.set_priority(statement=b, by=ann, priority=2)  # someone changed b meanwhile
    client.force_login(editor)
    response = client.post(reverse("bulk_action"), {"action": "assign", "assign_to": "ann",
                                                    "statements": picked})
    assert response.status_code == 409
    assert "someone changed it since you loaded the page" in response.content.decode()
    assert f"Item {b.pk}" in response.content.decode()
    a.refresh_from_db()
    assert a.status == "new" and not ReviewEvent.objects.filter(action="assigned_to").exists()


def test_one_item_held_by_another_editor_refuses_the_batch(client, editor, ann, make_statement):
    a, b = make_statement(), make_statement(OTHER, kind="claim")
    actions.assign(statement=b, by=ann)
    b.refresh_from_db()
    client.force_login(editor)
    response = client.post(reverse("bulk_action"), {"action": "dismiss", "reason": "opinion",
                                                    "statements": _pick(a, b)})
    assert response.status_code == 403 and "Nothing was changed" in response.content.decode()
    assert not Statement.objects.filter(status="dismissed").exists()


def test_a_double_submitted_batch_changes_nothing_the_second_time(client, editor, make_statement):
    a, b = make_statement(), make_statement(OTHER, kind="claim")
    picked = _pick(a, b)
    client.force_login(editor)
    first = client.post(reverse("bulk_action"), {"action": "priority", "priority": "2", "statements": picked})
    second = client.post(reverse("bulk_action"), {"action": "priority", "priority": "2",
                                                  "statements": picked}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "Set the priority of 0 items. 2 already were." in second.content.decode()
    assert ReviewEvent.objects.filter(action="priority_set").count() == 2


def test_bulk_tag_dismiss_and_restore(client, editor, make_statement):
    a, b = make_statement(), make_statement(OTHER, kind="claim")
    client.force_login(editor)
    client.post(reverse("bulk_action"), {"action": "tag", "tag": " Public  health ",
                                         "statements": _pick(a, b)})
    assert sorted(t for s in (a, b) for t in s.tags.values_list("name", flat=True)) == ["Public health"] * 2
    client.post(reverse("bulk_action"), {"action": "dismiss", "reason": "opinion", "statements": _pick(a, b)})
    assert set(Statement.objects.values_list("status", flat=True)) == {"dismissed"}
    a.refresh_from_db()
    b.refresh_from_db()
    client.post(reverse("bulk_action"), {"action": "restore", "statements": _pick(a, b)})
    assert set(Statement.objects.values_list("status", flat=True)) == {"new"}
    assert ReviewEvent.objects.filter(action__in=["tagged", "dismissed", "restored"]).count() == 6


@pytest.mark.parametrize("data, message", [
    ({"action": "dismiss", "reason": " "}, "Say why these are not worth checking."),
    ({"action": "assign", "assign_to": ""}, "Choose the colleague to assign them to."),
    ({"action": "assign", "assign_to": "nobody"}, "Nobody on the desk is called"),
    ({"action": "tag", "tag": ""}, "Type the tag to add."),
    ({"action": "explode"}, "Choose what to do with the selected items."),
    ({"action": "dismiss", "reason": "x", "statements": ["1:abc"]}, "The selection was not understood"),
    ({"action": "dismiss", "reason": "x", "statements": []}, "Select at least one item."),
    ({"action": "dismiss", "reason": "x", "statements": ["999999:1"]}, "no longer exist"),
])
def test_bad_bulk_requests_are_422_with_a_message(client, editor, make_statement, data, message):
    item = make_statement()
    client.force_login(editor)
    data = {"statements": _pick(item), **data}
    response = client.post(reverse("bulk_action"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.status == "new" and item.version == 1


def test_bulk_over_the_limit_is_refused(editor, make_statement):
    with pytest.raises(ValidationError, match="at most"):
        actions.bulk_apply(by=editor, action="restore", items=[(n, 1) for n in range(actions.BULK_LIMIT + 1)])


def test_next_item_takes_a_raised_priority_first(editor, make_statement):
    make_statement(score=0.9)
    low_score = make_statement(OTHER, kind="claim", score=0.1)
    actions.set_priority(statement=low_score, by=editor, priority=Statement.Priority.URGENT)
    assert actions.take_next(by=editor) == low_score


def test_set_priority_from_a_stale_version_conflicts(editor, make_statement):
    item = make_statement()
    actions.set_priority(statement=item, by=editor, priority=1)
    with pytest.raises(Conflict):
        actions.set_priority(statement=item, by=editor, priority=2, version=1)
    item.refresh_from_db()
    assert item.priority == 1
    assert ReviewEvent.objects.get(action="priority_set").note == "High (was normal)"


def test_who_holds_what_shows_an_editor_only_their_own_drafts(client, editor, ann, publisher, make_statement):
    from factcheck.factchecks import actions as factchecks

    theirs = factchecks.start_factcheck(statement=make_statement(), by=ann)
    mine = factchecks.start_factcheck(statement=make_statement(OTHER, kind="claim"), by=editor)
    client.force_login(editor)
    page = client.get(reverse("holders")).content.decode()
    assert mine.claim_reviewed[:30] in page and theirs.claim_reviewed[:30] not in page
    client.force_login(publisher)
    page = client.get(reverse("holders")).content.decode()
    assert mine.claim_reviewed[:30] in page and theirs.claim_reviewed[:30] in page
