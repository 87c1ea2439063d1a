"""The desk's day (#30), in the browser: an editor selects items in the queue and assigns them to
a colleague at once, saves the view of that colleague's items with its live count, and the
colleague finds them in the inbox."""

import pytest
from playwright.sync_api import expect

from factcheck.models import Notification, ReviewEvent, Statement
from tests.e2e.desk import build_desk
from tests.e2e.helpers import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_bulk_assign_then_a_saved_view_with_its_count(new_context, desk_editor, make_desk_user, problems):
    desk = build_desk()
    sam = make_desk_user("sam")
    picked = sorted(desk["statements"].values(), key=lambda s: -s.score)[:3]
    page = new_context(user=desk_editor).new_page()
    page.goto("/queue/")
    for statement in picked:
        page.locator(f"#pick-{statement.pk}").check()
    page.get_by_label("Assign to").select_option("sam")
    page.get_by_role("button", name="Assign selected").click()
    expect(page.locator(".messages")).to_contain_text("Assigned 3 items to sam.")
    for statement in picked:
        row = page.locator("tr[data-item]").filter(has=page.locator(f"#pick-{statement.pk}"))
        expect(row.locator("td.assignee")).to_contain_text("sam")
    assert set(Statement.objects.filter(pk__in=[s.pk for s in picked])
               .values_list("assignee__username", flat=True)) == {"sam"}
    assert ReviewEvent.objects.filter(action="assigned_to").count() == 3

    # The colleague's items as a view, saved for the desk, listed with how many it holds.
    page.locator("#id_assignee").select_option("sam")
    expect(page.locator("#results tbody tr")).to_have_count(3)
    page.get_by_text("Save these filters as a view").click()
    page.get_by_label("Name", exact=True).fill("Sam's items")
    page.get_by_label("For the whole desk").check()
    page.get_by_role("button", name="Save view").click()
    expect(page.locator(".messages")).to_contain_text("Saved the view “Sam's items” for the desk.")
    expect(page.locator("[data-saved-view]", has_text="Sam's items")).to_contain_text("Sam's items: 3")
    screenshot(page, "queue-saved-views")

    # Sam sees the count in the header and the batch in the inbox.
    sams = new_context(user=sam).new_page()
    sams.goto("/queue/")
    expect(sams.locator("#inbox-link .count")).to_have_text("1")  # one line for the batch
    expect(sams.locator("[data-saved-view]", has_text="Sam's items")).to_contain_text("Sam's items: 3")
    sams.locator("#inbox-link").click()
    expect(sams.locator("li[data-notification=assigned]")).to_have_count(1)
    expect(sams.locator("li[data-notification=assigned]")).to_contain_text("erin assigned you 3 items")
    screenshot(sams, "inbox")
    sams.get_by_role("button", name="Mark all read").click()
    expect(sams.locator("#inbox-link .count")).to_have_count(0)
    assert not Notification.objects.filter(recipient=sam, read_at__isnull=True).exists()
    problems.assert_none()


def test_a_batch_with_a_row_changed_meanwhile_changes_nothing(new_context, desk_editor, make_desk_user,
                                                              problems):
    desk = build_desk()
    make_desk_user("sam")
    picked = sorted(desk["statements"].values(), key=lambda s: -s.score)[:2]
    page = new_context(user=desk_editor).new_page()
    page.goto("/queue/")
    for statement in picked:
        page.locator(f"#pick-{statement.pk}").check()
    # Someone else raises the second item while the page is open.
    Statement.objects.filter(pk=picked[1].pk).update(priority=2, version=picked[1].version + 1)
    problems.allow_status(409)
    page.get_by_label("Assign to").select_option("sam")
    page.get_by_role("button", name="Assign selected").click()
    expect(page.locator("#bulk-error")).to_contain_text("someone changed it since you loaded the page")
    assert not Statement.objects.filter(assignee__username="sam").exists()
    problems.assert_none()
