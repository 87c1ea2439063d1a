"""Journey 3: a publisher approves and publishes a submitted fact-check; the public page shows
the verdicts with ClaimReview JSON-LD that parses, and a correction appears on it."""

import json
import re

import pytest
from playwright.sync_api import expect

from factcheck.models import FactCheck
from tests.e2e.desk import build_desk, submitted_factcheck

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLAIM = "Harbour City's tram budget was cut by 48% since 2019"


def claim_review(page) -> dict:
    scripts = page.locator('script[type="application/ld+json"]')
    expect(scripts).to_have_count(1)
    return json.loads(scripts.text_content())


def test_publisher_approves_publishes_and_corrects(new_context, desk_editor, desk_publisher, make_desk_user,
                                                   problems):
    desk = build_desk()
    statement = desk["statements"]["the city's tram budget had been cut by 48 per cent since 2019"]
    factcheck = submitted_factcheck(statement, editor=desk_editor, claim=CLAIM, rating="mostly-false",
                                    verdict="accurate")
    page = new_context(user=desk_publisher).new_page()

    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Approvals").click()
    waiting = page.get_by_role("heading", name="Waiting for approval (1)")
    expect(waiting).to_be_visible()
    page.get_by_role("link", name=CLAIM).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submitted")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Approved.")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Published.")
    factcheck.refresh_from_db()
    assert factcheck.status == FactCheck.Status.PUBLISHED and factcheck.approver == desk_publisher

    page.get_by_role("link", name="View the public page").click()
    expect(page).to_have_url(re.compile(re.escape(factcheck.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM)
    expect(page.locator(".verdict-box", has_text="Did they say it?")).to_contain_text("Accurate")
    expect(page.locator(".verdict-box", has_text="Is it true?")).to_contain_text("Mostly false")
    review = claim_review(page)
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == CLAIM
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    assert review["itemReviewed"]["author"]["name"] == "Adaeze Okonkwo"
    assert review["url"].endswith(factcheck.get_absolute_url())
    expect(page.locator("#corrections")).to_have_count(0)

    page.goto(f"/approvals/{factcheck.pk}/")
    page.get_by_label("Kind").select_option(label="Correction")
    page.get_by_label("Public note").fill("We first gave the 2025 tram budget as 250 million "
                                          "crowns; it was 205 million. The rating is now False.")
    page.get_by_label("Rating").select_option(label="False")
    page.get_by_role("button", name="Propose correction").click()
    expect(page.locator(".messages")).to_contain_text("another publisher publishes it")
    expect(page.get_by_role("button", name="Publish correction")).to_have_count(0)  # not their own
    page.goto(factcheck.get_absolute_url())
    expect(page.locator("#corrections")).to_have_count(0)  # nothing public until a second publisher

    page = new_context(user=make_desk_user("petra", "Publisher", first_name="Petra",
                                           last_name="Second")).new_page()
    page.goto(f"/approvals/{factcheck.pk}/")
    expect(page.locator("#corrections-proposed")).to_contain_text("Rating: False")
    page.get_by_role("button", name="Publish correction").click()
    expect(page.locator(".messages")).to_contain_text("Correction published.")

    page.get_by_role("link", name="View the public page").click()
    expect(page.locator("#corrections")).to_contain_text("it was 205 million")
    expect(page.locator(".verdict-box", has_text="Is it true?")).to_contain_text("False")
    assert claim_review(page)["reviewRating"]["alternateName"] == "False"
    page.goto("/corrections/")
    expect(page.get_by_role("main")).to_contain_text("it was 205 million")
    problems.assert_none()


def test_a_returned_fact_check_reaches_its_editor_and_own_work_cannot_be_approved(
        new_context, desk_editor, desk_publisher, make_desk_user, problems):
    desk = build_desk()
    statement = desk["statements"]["national funding for city trams rose by 6 per cent over the same period"]
    factcheck = submitted_factcheck(statement, editor=desk_editor, claim="Ministry: tram funding rose 6%")
    publisher = new_context(user=desk_publisher).new_page()
    publisher.goto(f"/approvals/{factcheck.pk}/")
    publisher.get_by_label("Return to the editor with a note").fill("Say which years the 6% compares.")
    publisher.get_by_role("button", name="Return").click()
    expect(publisher.locator(".messages")).to_contain_text("Returned to its editor.")

    editor = new_context(user=desk_editor).new_page()
    editor.goto("/approvals/")
    returned = editor.locator("section", has=editor.get_by_role("heading", name="Returned to you"))
    expect(returned).to_contain_text("Say which years the 6% compares.")
    returned.get_by_role("link", name="Ministry: tram funding rose 6%").click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Draft")
    expect(editor.get_by_label("Explanation")).to_be_editable()

    # A publisher who wrote a fact-check may not approve it.
    author = make_desk_user("pia", "Publisher")
    own = submitted_factcheck(desk["statements"]["a creative reading of the accounts"], editor=author,
                              claim="Reyes: the figure is 'a creative reading of the accounts'")
    mine = new_context(user=author).new_page()
    mine.goto(f"/approvals/{own.pk}/")
    expect(mine.locator(".note")).to_contain_text("This is your own work")
    expect(mine.get_by_role("button", name="Approve")).to_have_count(0)
    problems.assert_none()
