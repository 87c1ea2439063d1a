"""Journey 2: an editor works the queue — filters, search, "next item" from the keyboard, a
speaker fixed with the autocomplete, both verdicts, a source, submitted for approval — and
the steps done with htmx never reload the page."""

import re

import pytest
from playwright.sync_api import expect

from factcheck.models import FactCheck
from tests.e2e.desk import build_desk
from tests.e2e.helpers import mark_window, window_kept

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_editor_filters_takes_fixes_and_submits_an_item(new_context, desk_editor, problems):
    desk = build_desk()
    item = desk["statements"]["Our people are exhausted"]  # the extractor gave it to the wrong person
    mendes = desk["speakers"]["mendes"]
    page = new_context(user=desk_editor).new_page()

    page.goto("/queue/")
    mark_window(page)
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(len(desk["statements"]))

    page.locator("#id_kind").select_option(label="Direct quote")
    expect(rows).to_have_count(7)
    for kind in rows.locator("td:nth-child(5)").all_inner_texts():
        assert kind == "Direct quote"

    speaker = page.locator("#id_speaker")
    speaker.fill("Halvorsen")  # a name, as an editor types it
    speaker.press("Tab")  # the filter applies on change
    expect(rows).to_have_count(2)

    page.locator("#id_q").press_sequentially("exhausted")  # the results follow as one types
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Our people are exhausted")
    expect(page).to_have_url(re.compile(r"q=exhausted"))  # the filtered view is a shareable link
    assert window_kept(page), "filtering reloaded the page"

    # "n" takes the best item matching what the queue shows now.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("n")
    page.wait_for_url(f"**{item.get_absolute_url()}")
    panel = page.locator("#panel")
    expect(panel).to_contain_text(f"Assigned ({desk_editor.username})")

    mark_window(page)
    panel.get_by_text("Fix the speaker").click()
    box = panel.get_by_label("Speaker", exact=True)
    box.fill("")
    box.press_sequentially("Mend")
    expect(page.locator(f"#speaker-options option[value='{mendes.name}']")).to_be_attached()
    box.fill(mendes.name)  # what choosing the suggestion puts in the box
    panel.get_by_role("button", name="Set speaker").click()
    expect(panel.get_by_role("status")).to_have_text("Speaker updated.")
    expect(panel.locator("dl")).to_contain_text("Paulo Mendes")
    assert window_kept(page), "setting the speaker reloaded the page"
    item.refresh_from_db()
    assert item.speaker == mendes

    panel.get_by_role("button", name="Start a fact-check").click()
    page.wait_for_url(re.compile(r"/desk/fact-checks/\d+/$"))
    factcheck = FactCheck.objects.get(statements=item)
    page.get_by_label("Claim reviewed").fill("x" * 80)
    counter = page.locator("[data-counter-for=id_claim_reviewed]")
    expect(counter).to_have_text("80 characters; longer than 75, search results will cut it.")
    expect(counter).to_have_class(re.compile(r"\berror\b"))
    page.get_by_label("Claim reviewed").fill("Nurses' union: 'Our people are exhausted'")
    expect(counter).to_have_text("41 characters; under 75 reads best in search results.")
    page.get_by_label("Attribution verdict").select_option(label="Accurate")
    page.get_by_label("Rating").select_option(label="Unproven")
    page.get_by_label("Explanation").fill("The union secretary said it to reporters; we heard "
                                          "the recording. Whether nurses are exhausted is not "
                                          "something a figure can settle.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Draft saved.")

    mark_window(page)
    sources = page.locator("#evidence")
    sources.get_by_label("URL").fill("https://nrtimes.example/health/clinic-waits-winter")
    sources.get_by_label("Title").fill("Clinic waits could double by winter")
    sources.get_by_role("button", name="Add source").click()
    expect(sources.get_by_role("link", name="Clinic waits could double by winter")).to_be_visible()
    assert window_kept(page), "adding a source reloaded the page"

    page.get_by_role("button", name="Save and submit for approval").click()
    expect(page.locator(".messages")).to_contain_text("Submitted for approval.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submitted")
    factcheck.refresh_from_db()
    assert factcheck.status == FactCheck.Status.SUBMITTED
    assert factcheck.attribution_verdict.slug == "accurate" and factcheck.rating.slug == "unproven"
    assert [e.title for e in factcheck.evidence.all()] == ["Clinic waits could double by winter"]
    problems.assert_none()


def test_the_keyboard_moves_through_the_queue_and_dismisses(new_context, desk_editor, problems):
    desk = build_desk()
    best = max(desk["statements"].values(), key=lambda s: s.score)
    page = new_context(user=desk_editor).new_page()
    page.goto("/queue/")

    page.keyboard.press("/")
    expect(page.locator("#id_q")).to_be_focused()
    page.evaluate("document.activeElement.blur()")
    rows = page.locator("#results tbody tr")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bselected\b"))
    expect(rows.nth(1).locator("[data-item-link]")).to_be_focused()
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bselected\b"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{best.get_absolute_url()}")

    mark_window(page)
    page.keyboard.press("d")
    reason = page.get_by_label("Why is this not worth checking?")
    expect(reason).to_be_focused()
    reason.fill("Checked last year; nothing new.")
    page.locator("#dismiss").get_by_role("button", name="Dismiss").click()
    panel = page.locator("#panel")
    expect(panel.get_by_role("status")).to_have_text("Dismissed.")
    expect(panel.locator("dl")).to_contain_text("Checked last year; nothing new.")
    assert window_kept(page), "dismissing reloaded the page"
    best.refresh_from_db()
    assert best.status == "dismissed"
    problems.assert_none()


def test_a_new_speaker_and_tags_are_set_in_place(new_context, desk_editor, problems):
    desk = build_desk()
    claim = desk["statements"]["ridership fell to 61 million trips in 2024, down from 74 million before "
                               "the pandemic"]
    page = new_context(user=desk_editor).new_page()
    page.goto(claim.get_absolute_url())
    mark_window(page)
    panel = page.locator("#panel")
    expect(panel.locator("dl")).to_contain_text("unknown")

    panel.get_by_text("Fix the speaker").click()
    new_speaker = panel.locator("form.subform")
    new_speaker.get_by_label("Name").fill("Harbour Gazette")
    new_speaker.get_by_label("Kind").select_option(label="Organisation")
    new_speaker.get_by_role("button", name="Create and set").click()
    expect(panel.get_by_role("status")).to_have_text("Harbour Gazette created and set.")
    expect(panel.locator("dl")).to_contain_text("Harbour Gazette")

    panel.locator("summary", has_text="Tags").click()
    panel.get_by_label("Tags").fill("transport, ridership")
    panel.get_by_role("button", name="Save tags").click()
    expect(panel.get_by_role("status")).to_have_text("Tags saved.")
    expect(panel.locator("dl a.tag")).to_have_text(["ridership", "transport"])
    assert window_kept(page), "an edit on the statement page reloaded it"
    claim.refresh_from_db()
    assert claim.speaker.name == "Harbour Gazette" and claim.speaker.kind == "organization"
    problems.assert_none()
