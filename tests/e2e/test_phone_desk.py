"""The desk on a phone (390 px): a fact-check with a long source URL does not scroll sideways,
and the queue keeps each item's speaker, kind and status in view."""

import pytest
from playwright.sync_api import expect

from factcheck.models import Evidence
from tests.e2e.desk import build_desk, submitted_factcheck
from tests.e2e.helpers import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A document link as editors paste them: one long word, with nowhere a line may break.
LONG_URL = ("https://drive.harbour-city.example/file/d/"
            "1XqTzB7kPmWc9LrVsYd3NaE5GhJu0OiKfQ2ZxCvBnM4tSpRlAwDe8Fg6HyUo/view?usp=sharing")


def width_of(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_long_source_url_wraps_on_a_phone(new_context, desk_editor, desk_publisher, problems):
    desk = build_desk()
    statement = desk["statements"]["national funding for city trams rose by 6 per cent over the same period"]
    factcheck = submitted_factcheck(statement, editor=desk_editor)
    Evidence.objects.create(factcheck=factcheck, url=LONG_URL, kind=Evidence.Kind.PRIMARY, order=2)
    editor = new_context(user=desk_editor, viewport=PHONE).new_page()
    editor.goto(f"/desk/fact-checks/{factcheck.pk}/")
    expect(editor.get_by_role("link", name=LONG_URL)).to_be_visible()
    assert width_of(editor) <= PHONE["width"], f"the fact-check page is {width_of(editor)}px wide"
    publisher = new_context(user=desk_publisher, viewport=PHONE).new_page()
    publisher.goto(f"/approvals/{factcheck.pk}/")
    expect(publisher.get_by_role("link", name=LONG_URL)).to_be_visible()
    assert width_of(publisher) <= PHONE["width"], f"the approval page is {width_of(publisher)}px wide"
    problems.assert_none()


def test_the_phone_queue_shows_speaker_kind_and_status(new_context, desk_editor, problems):
    desk = build_desk()
    statement = next(s for s in desk["statements"].values() if s.speaker)
    page = new_context(user=desk_editor, viewport=PHONE).new_page()
    page.goto(f"/queue/?speaker={statement.speaker.slug}")
    row = page.locator("tr[data-item]").filter(has_text=statement.text[:40]).first
    expect(row.get_by_text(statement.speaker.name, exact=True)).to_be_visible()
    expect(row.get_by_text(statement.get_kind_display(), exact=True)).to_be_visible()
    expect(row.get_by_text(statement.get_status_display(), exact=True)).to_be_visible()
    assert width_of(page) <= PHONE["width"], f"the queue is {width_of(page)}px wide"
    problems.assert_none()
