"""Journey 5: every page, public and desk, loads with no console error, no uncaught script
error and no CSP violation; the screenshots in docs/screenshots/ come from here."""

import pytest
from playwright.sync_api import expect

from factcheck.factchecks import actions as factchecks
from factcheck.models import ArticleVersion, Correction, IngestBatch, Tag
from tests.e2e.desk import build_desk, published_factcheck, submitted_factcheck
from tests.e2e.helpers import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk(desk_editor, desk_publisher):
    desk = build_desk()
    items = desk["statements"]
    budget = items["the city's tram budget had been cut by 48 per cent since 2019"]
    desk["published"] = published_factcheck(
        budget, editor=desk_editor, publisher=desk_publisher,
        claim="Harbour City's tram budget was cut by 48% since 2019",
        explanation="The city's budgets show tram spending of **310 million** crowns in 2019 and "
                    "205 million in 2025: a fall of 34 per cent, not 48.")
    factchecks.publish_correction(proposal=factchecks.propose_correction(
        factcheck=desk["published"], by=desk_editor, kind=Correction.Kind.UPDATE,
        note="Added the 2025 budget figures."), by=desk_publisher)
    desk["submitted"] = submitted_factcheck(
        items["national funding for city trams rose by 6 per cent over the same period"],
        editor=desk_editor, rating="half-true")
    desk["tag"] = Tag.objects.create(name="Transport")
    desk["published"].tags.add(desk["tag"])
    desk["batch"] = IngestBatch.objects.create(name="feeds.jsonl", lines="", created_by=desk_editor)
    # A page edited after it was ingested, so the article page shows its versions.
    article = desk["articles"]["river-clinic-waiting.txt"]
    ArticleVersion.objects.create(article=article, title=article.title, content_hash="old",
                                  text=article.text.replace("150 more nurses", "120 more nurses"))
    return desk


def fits_the_screen(page):
    """Nothing wider than the viewport: no sideways scrolling on a phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


UNLABELLED = """() => Array.from(document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]), select, textarea"))
  .filter(el => !el.labels.length && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
  .map(el => el.outerHTML.slice(0, 120))"""
DUPLICATE_IDS = """() => { const seen = new Set(), twice = new Set();
  document.querySelectorAll("[id]").forEach(el => seen.has(el.id) ? twice.add(el.id) : seen.add(el.id));
  return Array.from(twice); }"""


def visit(page, path, heading=None, *, our_markup=True):
    response = page.goto(path)
    assert response.ok, f"{path} answered {response.status}"
    page.wait_for_load_state("networkidle")
    if heading:
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    if our_markup:  # not Django's admin, whose tabular inlines label fields by column
        assert page.evaluate(UNLABELLED) == [], f"form fields without a label on {path}"
        assert page.evaluate(DUPLICATE_IDS) == [], f"ids used twice on {path}"


def test_every_page_is_free_of_console_errors_and_csp_violations(desk, new_context, desk_editor,
                                                                desk_publisher, make_desk_user,
                                                                problems):
    published, submitted = desk["published"], desk["submitted"]
    statement = desk["statements"]["We will stop every shipment the day they move against us"]
    article = desk["articles"]["river-clinic-waiting.txt"]
    speaker = desk["speakers"]["okonkwo"]

    reader = new_context().new_page()
    visit(reader, published.get_absolute_url(), "tram budget")
    expect(reader.locator("#corrections")).to_contain_text("Added the 2025 budget figures.")
    for path, heading in [
        ("/fact-checks/", None), ("/fact-checks/?rating=mostly-false", None),
        (f"/tags/{desk['tag'].slug}/", None), (f"/speakers/{speaker.slug}/", speaker.name),
        ("/methodology/", None),
        ("/corrections/", None), ("/accounts/login/", "Log in"),
        ("/accounts/password_reset/", None),
    ]:
        visit(reader, path, heading)

    editor = new_context(user=desk_editor).new_page()
    for path, heading in [
        ("/queue/", "Review queue"), ("/queue/?kind=direct&sort=recent", "Review queue"),
        (statement.get_absolute_url(), "Direct quote"), (article.get_absolute_url(), article.title),
        (f"/articles/{article.pk}/versions/", "Versions"),
        ("/articles/new/", "Add article"), ("/articles/new/?tab=paste", "Add article"),
        ("/articles/new/?tab=upload", "Add article"), ("/articles/new/?tab=bulk", "Add article"),
        (f"/desk/fact-checks/{submitted.pk}/", "Fact-check"), ("/approvals/", "Approvals"),
        (f"/speakers/merge/?keep={speaker.slug}", None), ("/search/?q=budget", None),
        (f"/articles/imports/{desk['batch'].pk}/", "Bulk import"),
    ]:
        visit(editor, path, heading)
    # The article page fetched its versions' diff with htmx.
    visit(editor, article.get_absolute_url())
    expect(editor.locator("#versions del", has_text="120")).to_be_visible()
    expect(editor.locator("#versions ins", has_text="150")).to_be_visible()
    # The shortcut help opens from the keyboard.
    visit(editor, "/queue/")
    editor.keyboard.press("?")
    expect(editor.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    editor.keyboard.press("Escape")

    admin = new_context(user=make_desk_user("ada", None, is_staff=True, is_superuser=True)).new_page()
    for path in ["/admin/", "/admin/factcheck/statement/",
                 f"/admin/factcheck/factcheck/{published.pk}/change/"]:
        visit(admin, path, our_markup=False)

    publisher = new_context(user=desk_publisher).new_page()
    for path, heading in [("/approvals/", "Approvals"), (f"/approvals/{submitted.pk}/", None),
                          (f"/approvals/{published.pk}/", None)]:
        visit(publisher, path, heading)

    problems.assert_none()
    assert len(problems.visited) >= 20


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screenshots(desk, new_context, desk_editor, viewport, problems):
    """The queue, a review page and a public fact-check, as people see them."""
    editor = new_context(user=desk_editor, viewport=viewport).new_page()
    visit(editor, "/queue/", "Review queue")
    fits_the_screen(editor)
    screenshot(editor, "queue")
    statement = desk["statements"]["We will stop every shipment the day they move against us"]
    visit(editor, statement.get_absolute_url(), "Direct quote")
    expect(editor.locator(".in-article mark")).to_have_text(statement.text)
    fits_the_screen(editor)
    screenshot(editor, "review")
    reader = new_context(viewport=viewport).new_page()
    visit(reader, desk["published"].get_absolute_url(), "tram budget")
    fits_the_screen(reader)
    screenshot(reader, "public-fact-check")
    problems.assert_none()


def test_desk_and_public_pages_fit_a_phone(desk, new_context, desk_editor, desk_publisher, problems):
    """No sideways scrolling at 390 px on the pages people open on a phone."""
    article = desk["articles"]["harbour-city-budget.txt"]
    editor = new_context(user=desk_editor, viewport=PHONE).new_page()
    for path in ["/queue/", article.get_absolute_url(), "/articles/new/?tab=paste",
                 f"/desk/fact-checks/{desk['submitted'].pk}/", "/approvals/", "/search/?q=budget"]:
        visit(editor, path)
        fits_the_screen(editor)
    publisher = new_context(user=desk_publisher, viewport=PHONE).new_page()
    for path in ["/approvals/", f"/approvals/{desk['submitted'].pk}/"]:
        visit(publisher, path)
        fits_the_screen(publisher)
    reader = new_context(viewport=PHONE).new_page()
    for path in ["/fact-checks/", "/methodology/", "/corrections/", "/accounts/login/",
                 f"/speakers/{desk['speakers']['okonkwo'].slug}/"]:
        visit(reader, path)
        fits_the_screen(reader)
    problems.assert_none()
