"""Journey 6: a reader opens a published fact-check and can see where the words come from
(the sentences around them, outlet, date, venue, the translation they came through, who else
printed them), follows a related fact-check, and downloads the evidence bundle, whose
manifest's sha256s all match its files (#31)."""

import hashlib
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from factcheck.models import Article, Evidence, Outlet, Statement
from tests.e2e.desk import build_desk, published_factcheck
from tests.e2e.helpers import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHIPMENT = "We will stop every shipment the day they move against us"
SNAPSHOT = b"<html><body><p>Grain exports to the south: 1.2 million tonnes in 2025.</p></body></html>"


def reprinted(statement, *, outlet: str, url: str, day: str) -> Statement:
    """The same words in another outlet's article, grouped with the first as matching does."""
    text = f'Tarnek warned: "{statement.text}," according to Ostravan state media.'
    article, _ = Article.objects.ingest(text=text, url=url, title="Tarnek warns of export halt",
                                        outlet=Outlet.objects.create(name=outlet),
                                        published_at=f"2026-03-{day}T08:00:00+00:00")
    start = text.index(statement.text)
    return Statement.objects.create(article=article, kind="direct", text=statement.text, start=start,
                                    end=start + len(statement.text), speaker=statement.speaker,
                                    duplicate_of=statement)


def test_a_reader_sees_context_provenance_related_and_verifies_the_bundle(
        new_context, desk_editor, desk_publisher, problems, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    desk = build_desk()
    items = desk["statements"]
    shipment = items[SHIPMENT]
    reprinted(shipment, outlet="Southern Wire (demo)", url="https://southern-wire.example/tarnek", day="04")
    reprinted(shipment, outlet="Kessel Post (demo)", url="https://kessel-post.example/tarnek", day="02")
    sibling = published_factcheck(items["Nobody in Valdoria wants this"], editor=desk_editor,
                                  publisher=desk_publisher, claim="Tarnek: nobody in Valdoria wants war")
    factcheck = published_factcheck(shipment, editor=desk_editor, publisher=desk_publisher,
                                    claim="Tarnek says Valdoria will stop all exports south",
                                    rating="half-true")
    # An archived source, added as the desk's Archive button stores one.
    archived = Evidence(factcheck=factcheck, url="https://stats.valdoria.example/exports",
                        title="Export statistics 2025", publisher="Valdorian statistics office")
    archived.snapshot.save(f"{hashlib.sha256(SNAPSHOT).hexdigest()}.html", ContentFile(SNAPSHOT), save=False)
    archived.snapshot_sha256 = hashlib.sha256(SNAPSHOT).hexdigest()
    archived.save()

    page = new_context().new_page()
    page.goto(factcheck.get_absolute_url())
    context = page.locator("#context")
    expect(context.locator("mark")).to_have_text(SHIPMENT)
    expect(context.locator("blockquote.context")).to_contain_text("its first response would be halting grain")
    expect(context).to_contain_text("described in the article as “the Valdorian president”")
    expect(context).to_contain_text("Through a translation published by Ostravan state media")
    expect(context).to_contain_text("The Meridian Ledger (demo)")
    expect(context).to_contain_text("3 March 2026")
    expect(context.get_by_role("link", name=desk["articles"]["tarnek-valdoria-border.txt"].title)) \
        .to_have_attribute("href", "https://meridian-ledger.example/world/tarnek-vows-support")
    expect(context.locator(".appearances")).to_contain_text("Also printed by 2 other outlets")
    expect(context.locator(".appearances")).to_contain_text("Kessel Post (demo), 2 March 2026")
    expect(page.locator('a[href^="/articles/"]')).to_have_count(0)  # never the login-only desk

    related = page.locator("#related")
    expect(related).to_contain_text("Also said by Miroslav Tarnek")
    context.scroll_into_view_if_needed()
    screenshot(page, "public-factcheck-context")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the evidence bundle").click()
    bundle = zipfile.ZipFile(info.value.path())
    manifest = json.loads(bundle.read("manifest.json"))
    assert {entry["path"] for entry in manifest["files"]} | {"manifest.json"} == set(bundle.namelist())
    for entry in manifest["files"]:
        assert hashlib.sha256(bundle.read(entry["path"])).hexdigest() == entry["sha256"], entry["path"]
    source = manifest["sources"][-1]
    assert source["url"] == "https://stats.valdoria.example/exports" and source["accessed_at"]
    assert bundle.read(source["snapshot"]["path"]) == SNAPSHOT
    assert source["snapshot"]["sha256"] == archived.snapshot_sha256
    assert SHIPMENT in bundle.read("article-excerpt.txt").decode()

    related.get_by_role("link", name=sibling.claim_reviewed).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sibling.claim_reviewed)
    card = page.locator('meta[property="og:image"]').get_attribute("content")
    assert card.endswith(f"/card-v{sibling.version}.png")
    problems.assert_none()
