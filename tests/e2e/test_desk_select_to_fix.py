"""Select to fix (#30), in the browser: selecting words in the article sets the item's span, or adds
the item the extractor missed, with its kind and speaker; no offset is typed."""

import pytest
from playwright.sync_api import expect

from factcheck.models import ReviewEvent, Statement
from factcheck.review.highlight import context_paragraphs
from tests.e2e.desk import build_desk
from tests.e2e.helpers import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Selects `words` inside the page's article text (the first occurrence, even across pieces),
# then lets go of the mouse, as an editor dragging over them does.
SELECT = """words => {
  const root = document.querySelector("[data-article-text]");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = []; let all = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
  const at = all.indexOf(words);
  if (at < 0) throw new Error("not on the page: " + words);
  const locate = (i) => {
    for (const [node, from] of nodes) if (i <= from + node.data.length) return [node, i - from];
  };
  const range = document.createRange();
  range.setStart(...locate(at)); range.setEnd(...locate(at + words.length));
  const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def test_select_to_fix_the_span_and_to_add_a_missed_item(new_context, desk_editor, problems):
    desk = build_desk()
    item = desk["statements"]["it would be over within a week."]
    article = item.article
    page = new_context(user=desk_editor).new_page()
    page.goto(item.get_absolute_url())
    tool = page.locator("#select-to-fix")
    expect(tool).to_be_hidden()

    # The item's words without the full stop: selected, not typed.
    page.evaluate(SELECT, "it would be over within a week")
    expect(tool).to_be_visible()
    expect(tool).to_contain_text("Selected: “it would be over within a week”")
    tool.get_by_role("button", name="Make these the item's words").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    expect(page.locator("[data-article-text] mark")).to_have_text("it would be over within a week")
    item.refresh_from_db()
    assert item.text == "it would be over within a week"
    assert article.text[item.start:item.end] == item.text

    # Words of its paragraph the extractor did not take.
    lo, hi = context_paragraphs(article.text, item.start, item.end)  # what the page shows
    shown = article.text[lo:hi].strip()
    words = shown[:60].rsplit(" ", 1)[0]  # the paragraph's opening words, well before the item
    assert item.text not in words
    page.evaluate(SELECT, words)
    expect(tool).to_contain_text(words)
    # (taken here: an htmx swap after a screenshot meets the empty style attributes Playwright
    # leaves on the page, which the CSP then reports)
    screenshot(page, "select-to-fix")
    tool.get_by_label("Kind").select_option(label="Claim")
    tool.get_by_role("button", name="Add as a new item").click()
    expect(page.locator(".messages")).to_contain_text("Added to the queue and assigned to you.")
    added = Statement.objects.get(kind="claim", text=words, article=article)
    page.wait_for_url(f"**{added.get_absolute_url()}")
    assert article.text[added.start:added.end] == words
    assert added.assignee == desk_editor
    assert ReviewEvent.objects.filter(statement=added, action="created").exists()
    expect(page.locator("#panel")).to_contain_text("Added the item from a selection in the article")
    problems.assert_none()
