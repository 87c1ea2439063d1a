"""Journey (#32): an editor attaches the subtitles of a council meeting to a quote, reads the
passage and the word diff, decides the reading; once the fact-check is published, a reader
sees the quote beside the passage, the diff and our archived copy. The subtitles are written
for this test."""

import re

import pytest
from playwright.sync_api import expect

from factcheck.models import PrimarySource
from tests.e2e.desk import build_desk, published_factcheck
from tests.e2e.helpers import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUOTE = "We are running a 2025 network on a 2019 budget"
SUBTITLES = b"""WEBVTT

00:41:02.000 --> 00:41:05.500
Thank you, chair. Let me be plain with the committee.

00:41:05.500 --> 00:41:10.000
We are running a 2025 tram network on a 2019 budget,

00:41:10.000 --> 00:41:13.000
and every line we add is paid for by closing another one.
"""


def test_attach_subtitles_see_the_diff_decide_publish_and_read_it(new_context, desk_editor,
                                                                   desk_publisher, problems):
    desk = build_desk()
    statement = desk["statements"][QUOTE]
    page = new_context(user=desk_editor).new_page()
    page.goto(statement.get_absolute_url())

    page.get_by_text("Attach a primary source").click()
    page.get_by_label("Title").fill("Transport committee, 12 March: subtitles")
    page.get_by_label("Or upload a .txt, .srt or .vtt file").set_input_files(
        files=[{"name": "committee.vtt", "mimeType": "text/vtt", "buffer": SUBTITLES}])
    page.get_by_role("button", name="Attach and line up the quote").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Transport committee, 12 March: subtitles")
    expect(page.locator("h2", has_text="In the source")).to_contain_text("at 00:41:05")
    expect(page.locator(".passage")).to_contain_text("We are running a 2025 tram network on a 2019 budget")
    expect(page.locator(".alignment-diff del")).to_have_text(["tram"])
    expect(page.locator("#decision")).to_contain_text("Proposed: Trimmed.")
    expect(page.locator("#decision")).to_contain_text("suggests the attribution verdict “Accurate”")

    page.get_by_label("Trimmed").check()
    page.get_by_role("button", name="Decide").click()
    expect(page.locator("#decision .flash")).to_have_text("Decision saved.")
    expect(page.locator("#decision")).to_contain_text("Decided: Trimmed")
    primary = PrimarySource.objects.get()
    assert primary.decision == "trimmed" and primary.decided_by == desk_editor
    screenshot(page, "primary-source")

    factcheck = published_factcheck(statement, editor=desk_editor, publisher=desk_publisher,
                                    claim="The mayor said the 2025 network runs on a 2019 budget")
    reader = new_context().new_page()
    reader.goto(factcheck.get_absolute_url())
    section = reader.locator("#primary-source")
    expect(section).to_contain_text("Trimmed: words of the source were left out of the quote.")
    expect(section).to_contain_text("Transport committee, 12 March: subtitles, at 00:41:05")
    expect(section.locator(".alignment-diff del")).to_have_text(["tram"])
    section.scroll_into_view_if_needed()
    screenshot(reader, "public-primary-source")
    with reader.expect_response(re.compile(r"/sources/\d+/snapshot/$")) as snapshot:
        section.get_by_role("link", name="our archived copy").click()
    assert snapshot.value.status == 200
    assert snapshot.value.header_value("x-snapshot-sha256") == primary.snapshot_sha256
    problems.assert_none()
