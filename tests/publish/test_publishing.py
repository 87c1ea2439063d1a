import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from factcheck.factchecks import actions as factchecks
from factcheck.models import AttributionVerdict, Evidence, FactCheck, Rating, Speaker
from factcheck.review import actions as review

pytestmark = pytest.mark.django_db


@pytest.fixture
def speaker():
    return Speaker.objects.create(name="Ada Vance", description="Minister of Works (fictional)",
                                  wikidata_qid="Q4115189")


@pytest.fixture
def submitted(editor, make_statement, speaker):
    statement = make_statement(speaker=speaker, venue="Morning Radio")
    factcheck = factchecks.start_factcheck(statement=statement, by=editor)
    factchecks.save_factcheck(
        factcheck=factcheck, by=editor, version=factcheck.version,
        claim_reviewed="Vance says bridge repairs cost 40 million",
        explanation="Budget papers show **38 million**. <script>alert(1)</script>",
        attribution_verdict=AttributionVerdict.objects.get(slug="accurate"),
        rating=Rating.objects.get(slug="mostly-true"))
    Evidence.objects.create(factcheck=factcheck, url="https://budget.example/2025",
                            title="Budget 2025", publisher="Treasury")
    factchecks.submit_factcheck(factcheck=factcheck, by=editor)
    return factcheck


@pytest.fixture
def published(submitted, make_user):
    approver = make_user("approver", "Publisher")
    factchecks.approve(factcheck=submitted, by=approver)
    factchecks.publish(factcheck=submitted, by=approver)
    return submitted


# --------------------------------------------------------------------------- approval rules


def test_own_work_cannot_be_approved(submitted, editor):
    editor.groups.add(*type(editor.groups.first()).objects.filter(name="Publisher"))
    editor = type(editor).objects.get(pk=editor.pk)  # drop the permission cache
    with pytest.raises(PermissionDenied):
        factchecks.approve(factcheck=submitted, by=editor)
    assert FactCheck.objects.get(pk=submitted.pk).status == "submitted"


def test_editor_cannot_approve_or_publish(submitted, make_user):
    other_editor = make_user("other", "Editor")
    with pytest.raises(PermissionDenied):
        factchecks.approve(factcheck=submitted, by=other_editor)
    with pytest.raises(PermissionDenied):
        factchecks.publish(factcheck=submitted, by=other_editor)


def test_publish_needs_approval_first(submitted, publisher):
    assert not factchecks.publish(factcheck=submitted, by=publisher)
    assert submitted.status == "submitted"


def test_returned_work_goes_back_to_its_editor(submitted, publisher, editor, client):
    with pytest.raises(ValidationError):
        factchecks.return_to_draft(factcheck=submitted, by=publisher, note=" ")
    assert factchecks.return_to_draft(factcheck=submitted, by=publisher, note="Cite the budget page.")
    assert submitted.status == "draft" and submitted.return_note == "Cite the budget page."
    client.force_login(editor)
    inbox = client.get(reverse("approvals")).content.decode()
    assert "Returned to you" in inbox and "Cite the budget page." in inbox
    # The editor can edit and resubmit it.
    assert factchecks.may_edit(submitted, editor)


def test_approval_views_post_only_and_repeat_safe(submitted, publisher, client):
    client.force_login(publisher)
    assert client.get(reverse("approve", args=[submitted.pk])).status_code == 405
    assert client.post(reverse("approve", args=[submitted.pk])).status_code == 302
    assert client.post(reverse("approve", args=[submitted.pk])).status_code == 302
    assert submitted.events.filter(action="approved").count() == 1
    assert client.post(reverse("publish", args=[submitted.pk])).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "published" and submitted.approver == publisher


def test_editor_posting_approve_gets_403(submitted, make_user, client):
    client.force_login(make_user("other", "Editor"))
    # Not their fact-check and not a publisher: it does not exist for them.
    assert client.post(reverse("approve", args=[submitted.pk])).status_code == 404


def test_author_posting_approve_gets_403(submitted, editor, client):
    client.force_login(editor)
    assert client.post(reverse("approve", args=[submitted.pk])).status_code == 403


def test_approvals_inbox_lists_submissions_oldest_first(submitted, publisher, client):
    client.force_login(publisher)
    page = client.get(reverse("approvals"))
    assert list(page.context["submitted"]) == [submitted]
    assert b'aria-label="1 waiting"' in page.content


# --------------------------------------------------------------------------- public page


def _jsonld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, "one ClaimReview per page"
    return json.loads(blocks[0])


def test_public_page_claimreview_field_by_field(published, client, settings, speaker):
    html = client.get(published.get_absolute_url()).content.decode()
    data = _jsonld(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "ClaimReview"
    assert data["url"] == f"{settings.SITE_URL}/fact-checks/{published.slug}/"
    assert data["claimReviewed"] == "Vance says bridge repairs cost 40 million"
    assert data["datePublished"] == published.published_at.date().isoformat()
    assert data["author"] == {"@type": "Organization", "name": settings.ORG_NAME,
                              "url": settings.SITE_URL + "/"}
    assert data["reviewRating"] == {"@type": "Rating", "alternateName": "Mostly true",
                                    "ratingValue": 4, "bestRating": 5, "worstRating": 1}
    claim = data["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"] == {"@type": "Person", "name": "Ada Vance",
                               "sameAs": "https://www.wikidata.org/wiki/Q4115189"}
    assert claim["firstAppearance"]["url"] == "https://paper.example/bridge"
    assert claim["appearance"][0] == claim["firstAppearance"]


def test_public_page_shows_verdicts_sources_and_sanitised_explanation(published, client):
    response = client.get(published.get_absolute_url())
    html = response.content.decode()
    assert "Mostly true" in html and "Accurate" in html
    assert "<strong>38 million</strong>" in html and "<script>alert" not in html
    assert 'href="/speakers/ada-vance/"' in html and "Morning Radio" in html
    assert "Budget 2025" in html
    assert 'property="og:title"' in html and "Mostly true: Vance says" in html
    assert "csrfmiddlewaretoken" not in html and "editor" not in html.split("<main")[0]


def test_public_page_conditional_get(published, client):
    first = client.get(published.get_absolute_url())
    etag = first["ETag"]
    again = client.get(published.get_absolute_url(), headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_drafts_are_404_and_withdrawn_410(submitted, published, client, publisher):
    assert client.get(reverse("factcheck", args=["nope"])).status_code == 404
    draft = FactCheck.objects.create(claim_reviewed="Unpublished draft", created_by=publisher)
    assert client.get(draft.get_absolute_url()).status_code == 404
    factchecks.withdraw(factcheck=published, by=publisher, reason="The quote was misreported.")
    gone = client.get(published.get_absolute_url())
    assert gone.status_code == 410 and b"The quote was misreported." in gone.content


def test_correction_visible_on_page_log_and_feed(published, editor, publisher, client):
    before = client.get(published.get_absolute_url()).content
    proposal = factchecks.propose_correction(factcheck=published, by=editor, note="We misstated the year.",
                                             rating=Rating.objects.get(slug="half-true"))
    assert client.get(published.get_absolute_url()).content == before  # nothing until published
    factchecks.publish_correction(proposal=proposal, by=publisher)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "We misstated the year." in page and "Half true" in page
    assert page.encode() != before  # the cache was invalidated
    assert "We misstated the year." in client.get(reverse("corrections")).content.decode()
    feed = feedparser.parse(client.get(reverse("feed_rss")).content)
    assert "We misstated the year." in feed.entries[0].description


def test_feeds_parse(published, client):
    rss = feedparser.parse(client.get(reverse("feed_rss")).content)
    atom = feedparser.parse(client.get(reverse("feed_atom")).content)
    for feed in (rss, atom):
        assert not feed.bozo
        assert [e.title for e in feed.entries] == [
            "Mostly true: Ada Vance: Vance says bridge repairs cost 40 million"]
        assert feed.entries[0].link.endswith(published.get_absolute_url())


def test_sitemap_lists_published_only(published, publisher, client):
    FactCheck.objects.create(claim_reviewed="Secret draft", created_by=publisher)
    xml = client.get("/sitemap.xml").content
    locs = [el.text for el in ET.fromstring(xml).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith(published.get_absolute_url()) for loc in locs)
    assert any(loc.endswith("/speakers/ada-vance/") for loc in locs)
    assert not any("secret-draft" in loc for loc in locs)


def test_claimreview_datafeed(published, client):
    feed = client.get(reverse("claimreview_feed")).json()
    assert feed["@type"] == "DataFeed"
    assert [item["claimReviewed"] for item in feed["dataFeedElement"]] == [published.claim_reviewed]


def test_claimreview_datafeed_costs_the_same_queries_for_many_factchecks(
        published, client, make_statement, speaker, publish_factcheck):
    """Aggregators fetch the whole feed; one query per fact-check made it slower with every
    publication."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("claimreview_feed"))
    for n in range(3):
        publish_factcheck(make_statement(f"Synthetic statement number {n}", speaker=speaker),
                          claim=f"Vance says the tunnel cost {n} million", rating="mostly-true")
    with CaptureQueriesContext(connection) as four:
        feed = client.get(reverse("claimreview_feed")).json()
    assert len(feed["dataFeedElement"]) == 4
    assert all(item["itemReviewed"]["appearance"] for item in feed["dataFeedElement"])
    assert len(four) == len(one)


def test_speaker_and_tag_pages_404_until_something_is_published(submitted, speaker, editor, client):
    assert client.get(reverse("speaker", args=[speaker.slug])).status_code == 404
    review.set_tags(statement=submitted.statements.get(), by=editor, names=["Bridges"])
    assert client.get(reverse("tag", args=["bridges"])).status_code == 404


def test_speaker_page_chart(published, speaker, client):
    page = client.get(reverse("speaker", args=[speaker.slug])).content.decode()
    assert "<svg" in page and "Mostly true" in page


def test_index_filters(published, client):
    assert published.claim_reviewed in client.get(reverse("factcheck_index")).content.decode()
    filtered = client.get(reverse("factcheck_index"), {"rating": "false"}).content.decode()
    assert published.claim_reviewed not in filtered
    assert client.get(reverse("factcheck_index"), {"rating": "bogus"}).status_code == 400


def test_methodology_lists_the_configured_scales(client):
    html = client.get(reverse("methodology")).content.decode()
    assert "Mostly false" in html and "Misattributed" in html and "How we work" in html
