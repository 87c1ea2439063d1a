"""The desk's day (#30), in the browser: two editors and a publisher. Erin assigns an item to Sam;
Sam finds it in the inbox, checks it and mentions the publisher in a note; Paul reads the note
on the approval page and returns the draft; Sam sees the note as a banner, resubmits; Paul
approves, and Sam is told."""

import pytest
from playwright.sync_api import expect

from factcheck.factchecks import actions as factchecks
from factcheck.models import AttributionVerdict, Evidence, FactCheck, Notification, Rating
from tests.e2e.desk import build_desk
from tests.e2e.helpers import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_notification(page, text):
    page.locator("#inbox-link").click()
    page.get_by_role("button", name=text).click()


def test_two_editors_and_a_publisher_work_one_item(new_context, desk_editor, desk_publisher, make_desk_user,
                                                   problems):
    desk = build_desk()
    sam = make_desk_user("sam", email="sam@desk.example")
    item = desk["statements"]["national funding for city trams rose by 6 per cent over the same period"]

    # Erin gives the item to Sam from its page (an htmx swap of the panel).
    erin = new_context(user=desk_editor).new_page()
    erin.goto(item.get_absolute_url())
    erin.get_by_label("Assign to").select_option("sam")
    erin.get_by_role("button", name="Assign", exact=True).click()
    expect(erin.locator("#panel").get_by_role("status")).to_have_text("Assigned to sam; they have been told.")
    expect(erin.locator("#panel")).to_contain_text("Assigned (sam)")

    # Sam: the header counts it; the inbox opens the item.
    sams = new_context(user=sam).new_page()
    sams.goto("/queue/")
    expect(sams.locator("#inbox-link .count")).to_have_text("1")
    open_notification(sams, "erin assigned you an item")
    sams.wait_for_url(f"**{item.get_absolute_url()}")
    expect(sams.locator("#panel")).to_contain_text("assigned by erin")
    sams.get_by_role("button", name="Start a fact-check").click()
    sams.wait_for_url("**/desk/fact-checks/*/")
    factcheck = FactCheck.objects.get(statements=item)
    # The draft's content is the editor's work the other journeys cover; here it is filled in.
    factchecks.save_factcheck(factcheck=factcheck, by=sam, version=factcheck.version,
                              claim_reviewed="National tram funding rose 6 per cent", headline="",
                              internal_notes="", explanation="The ministry's tables show 6.1 per cent.",
                              attribution_verdict=AttributionVerdict.objects.get(slug="accurate"),
                              rating=Rating.objects.get(scale__is_default=True, slug="mostly-true"))
    Evidence.objects.create(factcheck=factcheck, url="https://transport.example/tables/2025",
                            title="Funding tables 2025", kind=Evidence.Kind.PRIMARY, added_by=sam)
    sams.reload()
    sams.get_by_label("Add a note").fill("@paul the ministry's table is on page 4; @erin thanks!")
    sams.get_by_role("button", name="Add note").click()
    expect(sams.locator(".messages")).to_contain_text("Nobody was told for @erin")  # not an author here
    expect(sams.locator("#notes")).to_contain_text("the ministry's table is on page 4")
    sams.get_by_role("button", name="Save and submit for approval").click()
    expect(sams.locator(".messages")).to_contain_text("Submitted for approval.")

    # Paul: mentioned; the approval page shows the note; he returns the draft with a note.
    paul = new_context(user=desk_publisher).new_page()
    paul.goto("/approvals/")
    open_notification(paul, "sam mentioned you in a note")
    paul.wait_for_url(f"**/approvals/{factcheck.pk}/")
    expect(paul.locator("#notes")).to_contain_text("the ministry's table is on page 4")
    screenshot(paul, "approval-with-notes")
    paul.get_by_label("Return to the editor with a note").fill("Say which table, and quote the row.")
    paul.get_by_role("button", name="Return").click()
    expect(paul.locator(".messages")).to_contain_text("Returned to its editor.")

    # Sam: told, with the note; the draft carries it as a banner.
    sams.goto("/queue/")
    expect(sams.locator("#inbox-link .count")).to_have_text("1")
    sams.locator("#inbox-link").click()
    note = "Say which table, and quote the row."
    expect(sams.locator("li[data-notification=returned]")).to_contain_text(note)
    sams.get_by_role("button", name="paul returned your fact-check to draft").click()
    expect(sams.locator("#returned")).to_contain_text(note)
    screenshot(sams, "returned-draft")
    sams.get_by_role("button", name="Save and submit for approval").click()
    expect(sams.locator(".messages")).to_contain_text("Submitted for approval.")

    # Paul approves; Sam hears of it.
    paul.goto(f"/approvals/{factcheck.pk}/")
    paul.get_by_role("button", name="Approve").click()
    expect(paul.locator(".messages")).to_contain_text("Approved.")
    sams.goto("/queue/")
    expect(sams.locator("#inbox-link .count")).to_have_text("1")
    kinds = list(Notification.objects.filter(recipient=sam).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["assigned", "returned", "approved"]
    assert list(Notification.objects.filter(recipient=desk_publisher).values_list("kind", flat=True)) \
        == ["mentioned"]
    problems.assert_none()
