"""Journey 4: two editors at once. Pressing "next item" together gives each a different item;
saving over someone else's newer save shows the conflict and keeps your text."""

import re
import time

import pytest
from playwright.sync_api import expect

from factcheck.factchecks import actions as factchecks
from factcheck.models import FactCheck, Statement
from factcheck.review import actions
from tests.e2e.desk import build_desk
from tests.e2e.helpers import mark_window, window_kept

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_next_item_at_once_gives_different_items(new_context, make_desk_user, problems):
    build_desk()
    editors = [make_desk_user("ann"), make_desk_user("ben")]
    pages = [new_context(user=e).new_page() for e in editors]
    for page in pages:
        page.goto("/queue/")
        expect(page.get_by_role("button", name="Next item (n)")).to_be_visible()

    # Both press n at the same moment (by the shared clock), not one after the other.
    at = time.time() * 1000 + 500
    for page in pages:
        page.evaluate("""at => setTimeout(() => document.dispatchEvent(
                             new KeyboardEvent("keydown", {key: "n", bubbles: true})), at - Date.now())""",
                      at)
    for page in pages:
        page.wait_for_url(re.compile(r"/statements/\d+/$"))

    taken = [int(page.url.rstrip("/").rsplit("/", 1)[1]) for page in pages]
    assert taken[0] != taken[1]
    for page, editor, pk in zip(pages, editors, taken, strict=True):
        assert Statement.objects.get(pk=pk).assignee == editor
        expect(page.locator("#panel")).to_contain_text(f"Assigned ({editor.username})")
    # The two best items, one each.
    best = list(Statement.objects.order_by("-score").values_list("pk", flat=True)[:2])
    assert sorted(taken) == sorted(best)
    problems.assert_none()


def test_saving_a_stale_fact_check_shows_the_conflict_and_keeps_your_text(new_context, make_desk_user,
                                                                          problems):
    desk = build_desk()
    ann, ben = make_desk_user("ann"), make_desk_user("ben")
    statement = desk["statements"]["one in five patients left the clinics without being seen last month"]
    actions.assign(statement=statement, by=ann)
    factcheck = factchecks.start_factcheck(statement=statement, by=ann)
    factcheck.authors.add(ben)  # co-authors: both may edit the draft
    first, second = (new_context(user=u).new_page() for u in (ann, ben))
    for page in (first, second):
        page.goto(f"/desk/fact-checks/{factcheck.pk}/")
        expect(page.get_by_label("Explanation")).to_be_visible()

    first.get_by_label("Explanation").fill("Ann's version: the board's own figures say one in five.")
    first.get_by_role("button", name="Save draft").click()
    expect(first.locator(".messages")).to_contain_text("Draft saved.")

    # Ben's form still carries the version he opened.
    problems.allow_status(409)
    bens_text = "Ben's version: the board counted walk-outs only at two of its five clinics."
    second.get_by_label("Explanation").fill(bens_text)
    second.get_by_role("button", name="Save draft").click()
    conflict = second.get_by_role("alert")
    expect(conflict).to_contain_text("Someone saved this fact-check while you were editing")
    expect(conflict).to_contain_text("Ann's version")
    expect(second.get_by_label("Explanation")).to_have_value(bens_text)
    factcheck.refresh_from_db()
    assert factcheck.explanation.startswith("Ann's version")

    # Having seen Ann's change, saving again is a deliberate overwrite.
    second.get_by_role("button", name="Save draft").click()
    expect(second.locator(".messages")).to_contain_text("Draft saved.")
    factcheck.refresh_from_db()
    assert factcheck.explanation == bens_text
    assert factcheck.status == FactCheck.Status.DRAFT
    problems.assert_none()


def span_form(page):
    return page.locator("#panel details").filter(has=page.locator("summary", has_text="Fix kind and span"))


def test_a_stale_span_edit_swaps_in_the_conflict_with_htmx(new_context, make_desk_user, problems):
    desk = build_desk()
    ann, ben = make_desk_user("ann"), make_desk_user("ben")
    statement = desk["statements"]["it would be over within a week."]
    first, second = (new_context(user=u).new_page() for u in (ann, ben))
    for page in (first, second):
        page.goto(statement.get_absolute_url())
        page.get_by_text("Fix kind and span").click()
    mark_window(second)

    span_form(first).get_by_label("Kind").select_option(label="Direct quote")
    span_form(first).get_by_role("button", name="Save", exact=True).click()
    expect(first.locator("#panel").get_by_role("status")).to_have_text("Saved.")

    problems.allow_status(409)
    span_form(second).get_by_label("End").fill(str(statement.end - 1))  # drop the full stop
    span_form(second).get_by_role("button", name="Save", exact=True).click()
    panel = second.locator("#panel")
    expect(panel.get_by_role("status")).to_contain_text("Someone changed this item while you were editing")
    expect(panel.get_by_role("alert")).to_contain_text("Kind: Direct quote")
    expect(span_form(second).get_by_label("End")).to_have_value(str(statement.end - 1))
    assert window_kept(second), "the 409 answer replaced the page instead of the panel"
    statement.refresh_from_db()
    assert statement.kind == "direct" and statement.text == "it would be over within a week."

    # Having seen Ann's change, Ben saves his correction again: a deliberate overwrite.
    expect(span_form(second).get_by_label("End")).to_be_visible()  # the form is open, not folded away
    span_form(second).get_by_role("button", name="Save", exact=True).click()
    expect(panel.get_by_role("status")).to_have_text("Saved.")
    statement.refresh_from_db()
    assert statement.text == "it would be over within a week"
    problems.assert_none()
