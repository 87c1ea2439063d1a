"""Share cards (og:image) and the evidence bundle: one per published version, made once, served
from disk after that, and following corrections and withdrawals (#31)."""

import hashlib
import io
import json
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from factcheck.factchecks import actions as factchecks
from factcheck.models import Article, Evidence, FactCheck, Speaker, Statement, Tag
from factcheck.publish import cards

pytestmark = pytest.mark.django_db

LONG_QUOTE = ("We have spent forty million crowns on the bridge repairs and every single one of them "
              "went on steel, concrete and the people who poured it, not on consultants or on the "
              "glossy brochures that the opposition keeps waving about in the chamber every week")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def published(make_statement, publish_factcheck):
    speaker = Speaker.objects.create(name="Ada Vance")
    return publish_factcheck(make_statement(speaker=speaker, mention="the minister"),
                             claim="Vance says bridge repairs cost 40 million")


@pytest.fixture
def renders(monkeypatch):
    """Counts the cards actually drawn (the real drawing still runs)."""
    counted = {"card": 0, "site": 0}
    draw_card, draw_site_card = cards.draw_card, cards.draw_site_card

    def card(text):
        counted["card"] += 1
        return draw_card(text)

    def site(*args):
        counted["site"] += 1
        return draw_site_card(*args)

    monkeypatch.setattr(cards, "draw_card", card)
    monkeypatch.setattr(cards, "draw_site_card", site)
    return counted


def og(html: str, prop: str) -> str:
    return re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html).group(1)


def card_path(factcheck) -> str:
    return reverse("factcheck_card", args=[factcheck.slug, factcheck.version])


# --------------------------------------------------------------------------- share cards


def test_a_fact_check_page_names_its_own_card_and_the_card_is_a_1200x630_png(published, client, settings):
    settings.SITE_URL = "https://checks.example"
    html = client.get(published.get_absolute_url()).content.decode()
    image_url = og(html, "og:image")
    assert image_url == f"https://checks.example{card_path(published)}"
    assert og(html, "twitter:image") == image_url and og(html, "twitter:card") == "summary_large_image"
    assert "Ada Vance" in og(html, "og:image:alt")
    response = client.get(card_path(published))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"] and response["ETag"]
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.format == "PNG" and image.size == (1200, 630)


def test_a_card_is_drawn_once_and_a_cached_hit_draws_nothing(published, client, renders):
    first = client.get(card_path(published))
    body = b"".join(first.streaming_content)
    assert renders["card"] == 1
    for _ in range(3):
        again = client.get(card_path(published))
        assert b"".join(again.streaming_content) == body and again["ETag"] == first["ETag"]
    assert renders["card"] == 1
    assert client.get(card_path(published), headers={"If-None-Match": first["ETag"]}).status_code == 304
    listed = f'"something-else", {first["ETag"]}'
    assert client.get(card_path(published), headers={"If-None-Match": listed}).status_code == 304
    assert client.get(card_path(published), headers={"If-None-Match": '"other"'}).status_code == 200
    assert renders["card"] == 1


def test_a_correction_makes_a_new_card_at_a_new_url(published, client, renders, editor, make_user):
    old_url = card_path(published)
    client.get(old_url)
    proposal = factchecks.propose_correction(factcheck=published, by=editor, note="Rating revised.",
                                             rating=published.rating.scale.ratings.get(slug="half-true"))
    factchecks.publish_correction(proposal=proposal, by=make_user("second", "Publisher"))
    published.refresh_from_db()
    new_url = card_path(published)
    assert new_url != old_url
    html = client.get(published.get_absolute_url()).content.decode()
    assert og(html, "og:image").endswith(new_url)
    assert client.get(new_url).status_code == 200 and renders["card"] == 2
    old = client.get(old_url)
    assert old.status_code == 302 and old["Location"] == new_url
    assert "max-age=300" in old["Cache-Control"]  # the next correction moves it again
    assert "max-age=86400" in client.get(new_url)["Cache-Control"]


def test_withdrawn_and_draft_fact_checks_have_no_card_or_bundle(published, client, publisher, editor,
                                                                make_statement):
    card, bundle = card_path(published), reverse("factcheck_bundle", args=[published.slug, published.version])
    factchecks.withdraw(factcheck=published, by=publisher, reason="Misattributed.")
    published.refresh_from_db()
    assert client.get(card).status_code == 410 and client.get(bundle).status_code == 410
    assert client.get(card_path(published)).status_code == 410
    statement = make_statement("Critics said the cost had doubled since 2023")
    draft = factchecks.start_factcheck(statement=statement, by=editor)
    assert client.get(card_path(draft)).status_code == 404
    assert client.get(reverse("factcheck_bundle", args=[draft.slug, draft.version])).status_code == 404
    assert client.get("/fact-checks/no-such-check/card-v1.png").status_code == 404


def test_index_speaker_and_topic_pages_have_the_site_card(published, client, renders):
    tag = Tag.objects.create(name="Bridges")
    published.tags.add(tag)
    speaker = published.statements.get().speaker
    for url in (reverse("factcheck_index"), reverse("speaker", args=[speaker.slug]),
                reverse("tag", args=[tag.slug])):
        html = client.get(url).content.decode()
        assert og(html, "og:image").endswith(reverse("site_card")), url
        assert og(html, "twitter:card") == "summary_large_image"
    response = client.get(reverse("site_card"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.get(reverse("site_card"))
    assert renders["site"] == 1


def test_long_words_and_quotes_wrap_inside_the_card_and_end_in_an_ellipsis():
    face = cards.font(46)
    lines = cards.wrap(LONG_QUOTE + " " + "x" * 300, face, 1072, 4)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(face.getlength(line) <= 1072 for line in lines)
    one_word = cards.wrap("https://example.org/" + "a" * 400, face, 1072, 2)
    assert len(one_word) == 2 and all(face.getlength(line) <= 1072 for line in one_word)
    assert cards.wrap("", face, 1072, 3) == []


def test_nothing_is_drawn_past_the_cards_margins():
    png = cards.draw_card(cards.CardText(quote=LONG_QUOTE * 3, speaker="Maximiliana " * 20,
                                         verdict="Misleadingly attributed " * 5, rating="Mostly false " * 8,
                                         rating_slug="mostly-false", site="A desk " * 30))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    right = image.crop((cards.WIDTH - 40, 0, cards.WIDTH, cards.HEIGHT))
    bottom = image.crop((0, cards.HEIGHT - 30, cards.WIDTH, cards.HEIGHT)).crop((20, 0, cards.WIDTH, 30))
    paper = Image.new("RGB", (1, 1), cards.PAPER).getpixel((0, 0))
    assert [colour for _, colour in right.getcolors()] == [paper]
    assert [colour for _, colour in bottom.getcolors()] == [paper]


# --------------------------------------------------------------------------- evidence bundle


@pytest.fixture
def with_sources(published):
    archived = Evidence(factcheck=published, url="https://budget.example/2025", title="Budget 2025",
                        publisher="Treasury", kind=Evidence.Kind.PRIMARY)
    page = b"<html><body>Repairs: 38 million</body></html>"
    archived.snapshot.save("budget.html", ContentFile(page), save=False)
    archived.snapshot_sha256 = hashlib.sha256(page).hexdigest()
    archived.save()
    Evidence.objects.create(factcheck=published, url="https://radio.example/interview",
                            title="Morning interview", kind=Evidence.Kind.SECONDARY)
    return published


def bundle_of(client, factcheck) -> tuple[zipfile.ZipFile, object]:
    response = client.get(reverse("factcheck_bundle", args=[factcheck.slug, factcheck.version]))
    assert response.status_code == 200, response.status_code
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))), response


def test_the_bundle_holds_claimreview_sources_excerpt_and_a_manifest_that_verifies(with_sources, client):
    html = client.get(with_sources.get_absolute_url()).content.decode()
    bundle_url = reverse("factcheck_bundle", args=[with_sources.slug, with_sources.version])
    assert f'href="{bundle_url}"' in html
    archive, response = bundle_of(client, with_sources)
    assert response["Content-Type"] == "application/zip"
    assert f"{with_sources.slug}-v{with_sources.version}-evidence.zip" in response["Content-Disposition"]
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) | {"manifest.json"} == set(archive.namelist())
    for path, entry in listed.items():
        data = archive.read(path)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"], path
    review = json.loads(archive.read("claimreview.json"))
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == with_sources.claim_reviewed
    archived, unarchived = manifest["sources"]
    assert archived["url"] == "https://budget.example/2025" and archived["accessed_at"]
    assert archive.read(archived["snapshot"]["path"]) == b"<html><body>Repairs: 38 million</body></html>"
    assert archived["snapshot"]["sha256"] == archived["snapshot"]["sha256_when_archived"]
    assert unarchived["snapshot"] is None and unarchived["title"] == "Morning interview"
    excerpt = archive.read("article-excerpt.txt").decode()
    assert "We have spent 40 million on repairs" in excerpt and "https://paper.example/bridge" in excerpt
    assert "Minister Ada Vance said the bridge would reopen in May." in excerpt  # the sentence before


def test_the_bundle_is_built_once_and_is_the_same_bytes_each_time(with_sources, client, monkeypatch):
    from factcheck.publish import views

    built = []
    build = views.build_bundle
    monkeypatch.setattr(views, "build_bundle", lambda *a: built.append(1) or build(*a))
    _, first = bundle_of(client, with_sources)
    _, second = bundle_of(client, with_sources)
    assert len(built) == 1 and first["ETag"] == second["ETag"]
    fc = FactCheck.objects.with_appearances().get(pk=with_sources.pk)
    from factcheck.publish.claimreview import appearances_in_order
    assert build(fc, appearances_in_order(fc)) == build(fc, appearances_in_order(fc))


def test_a_pasted_article_in_the_bundle_has_no_desk_url(publish_factcheck, client):
    pasted, _ = Article.objects.ingest(text="Ada Vance said the ferry runs hourly.", title="Pasted notes")
    text = "the ferry runs hourly"
    start = pasted.text.index(text)
    statement = Statement.objects.create(article=pasted, kind="indirect", text=text, start=start,
                                         end=start + len(text))
    factcheck = publish_factcheck(statement, claim="Vance says the ferry runs hourly")
    archive, _ = bundle_of(client, factcheck)
    excerpt = archive.read("article-excerpt.txt").decode()
    assert "/articles/" not in excerpt and "not published online" in excerpt


def test_a_snapshot_lost_from_storage_is_reported_not_a_500(with_sources, client):
    evidence = with_sources.evidence.exclude(snapshot="").get()
    evidence.snapshot.storage.delete(evidence.snapshot.name)
    archive, _ = bundle_of(client, with_sources)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["sources"][0]["snapshot"]["missing"] is True
