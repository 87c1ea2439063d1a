"""The public site as crawlers, caches and feed readers meet it (issue #31's small defects)."""

from urllib.robotparser import RobotFileParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_robots_txt_allows_the_public_site_and_names_the_sitemap(client, settings):
    settings.SITE_URL = "https://checks.example"
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: https://checks.example/sitemap.xml" in text.splitlines()
    robots = RobotFileParser()
    robots.parse(text.splitlines())
    for public in ("/fact-checks/", "/fact-checks/some-check/", "/speakers/ada-vance/", "/methodology/",
                   "/corrections/", "/feeds/fact-checks.rss", "/sitemap.xml", "/claimreview.json"):
        assert robots.can_fetch("*", public), public
    for desk in (reverse("queue"), reverse("login"), reverse("approvals"), reverse("search"),
                 reverse("article", args=[1]), reverse("factcheck_edit", args=[1]), "/admin/",
                 reverse("api_articles"), reverse("statement", args=[1]), reverse("speaker_options")):
        assert not robots.can_fetch("*", desk), desk


# --------------------------------------------------------------------------- caching


@pytest.fixture
def published(make_statement, publish_factcheck):
    return publish_factcheck(make_statement(), claim="Vance says bridge repairs cost 40 million")


@pytest.mark.parametrize("url", ["/feeds/fact-checks.rss", "/feeds/fact-checks.atom", "/claimreview.json",
                                 "/sitemap.xml"])
def test_site_wide_lists_answer_304_to_either_validator(published, client, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_a_withdrawal_changes_the_feeds_validators(published, publisher, client):
    from factcheck.factchecks import actions as factchecks

    before = client.get("/feeds/fact-checks.atom")
    factchecks.withdraw(factcheck=published, by=publisher, reason="Misreported.")
    after = client.get("/feeds/fact-checks.atom", headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200 and after["ETag"] != before["ETag"]


def test_methodology_has_a_validator(client):
    first = client.get(reverse("methodology"))
    assert first.status_code == 200 and first["ETag"]
    assert client.get(reverse("methodology"), headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_public_pages_may_be_cached_a_short_while_desk_pages_never(published, client, editor):
    for url in (published.get_absolute_url(), reverse("factcheck_index"), reverse("methodology"),
                reverse("corrections"), "/feeds/fact-checks.rss", "/claimreview.json", "/sitemap.xml",
                "/robots.txt"):
        cache_control = client.get(url)["Cache-Control"]
        assert "public" in cache_control and "max-age=300" in cache_control, url
        assert "private" not in cache_control and "no-store" not in cache_control, url
    client.force_login(editor)
    for url in (reverse("queue"), reverse("statement", args=[published.statements.get().pk])):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control and "public" not in cache_control


# --------------------------------------------------------------------------- feeds


def test_atom_feed_names_the_organisation_as_its_author(published, client, settings):
    import xml.etree.ElementTree as ET

    import feedparser

    content = client.get("/feeds/fact-checks.atom").content
    atom = feedparser.parse(content)
    assert not atom.bozo and atom.feed.author == settings.ORG_NAME
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    assert ET.fromstring(content).find("atom:author/atom:name", ns).text == settings.ORG_NAME


# --------------------------------------------------------------------------- withdrawal


def test_withdrawn_page_names_no_url_and_the_log_lists_the_withdrawal(published, publisher, client, settings):
    from factcheck.factchecks import actions as factchecks

    url = published.get_absolute_url()
    assert f'rel="canonical" href="{settings.SITE_URL}{url}"' in client.get(url).content.decode()
    factchecks.withdraw(factcheck=published, by=publisher, reason="The quote was misreported.")
    gone = client.get(url)
    html = gone.content.decode()
    assert gone.status_code == 410 and "The quote was misreported." in html
    assert 'rel="canonical"' not in html and 'property="og:url"' not in html and url not in html
    log = client.get(reverse("corrections")).content.decode()
    assert "Withdrawn" in log and "The quote was misreported." in log
    assert published.claim_reviewed in log and f'href="{url}' not in log


# --------------------------------------------------------------------------- error pages


def test_404_page_has_the_site_header_and_navigation(client, settings):
    assert not settings.DEBUG
    response = client.get("/fact-checks/no-such-check/")
    html = response.content.decode()
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert 'class="site-header"' in html and '<nav aria-label="Main">' in html
    assert f'href="{reverse("factcheck_index")}"' in html and "Page not found" in html
    assert 'rel="canonical"' not in html and 'property="og:url"' not in html
    assert client.get("/no/such/address/").status_code == 404


def test_410_page_has_the_site_header_and_navigation(published, publisher, client):
    from factcheck.factchecks import actions as factchecks

    factchecks.withdraw(factcheck=published, by=publisher, reason="Misreported.")
    response = client.get(published.get_absolute_url())
    assert response.status_code == 410 and b'class="site-header"' in response.content


# --------------------------------------------------------------------------- slugs and titles

LONG_CLAIM = ("Tarnek says the army has moved forty thousand soldiers and three hundred tanks "
              "into Valdoria since January")


def test_a_new_slug_is_cut_at_a_word_within_the_limit(publisher):
    from factcheck.models import FactCheck, cut_at_word

    first = FactCheck.objects.create(claim_reviewed=LONG_CLAIM, created_by=publisher)
    second = FactCheck.objects.create(claim_reviewed=LONG_CLAIM, created_by=publisher)
    limit = FactCheck.slug_max_length
    assert first.slug == (
        "tarnek-says-the-army-has-moved-forty-thousand-soldiers-and-three-hundred-tanks-into-valdoria-since")
    assert len(first.slug) <= limit and second.slug == first.slug + "-2"
    third = FactCheck.objects.create(claim_reviewed="x" * 150, created_by=publisher)
    assert third.slug == "x" * limit  # one word longer than the limit: cut where it must be
    assert cut_at_word("ab-cd-ef", 5) == "ab-cd" and cut_at_word("ab-cd-ef", 4) == "ab"


def test_an_existing_slug_is_kept(publisher):
    from factcheck.models import FactCheck

    old = FactCheck.objects.create(claim_reviewed=LONG_CLAIM, created_by=publisher,
                                   slug="tarnek-says-the-army-has-moved-forty-thousand-soldiers-into-valdoria-since-jan")
    old.claim_reviewed = "Tarnek says the army moved"
    old.save()
    old.refresh_from_db()
    assert old.slug.endswith("since-jan")


def test_feed_titles_name_the_speaker_or_use_the_headline(make_statement, publish_factcheck, client):
    import feedparser

    from factcheck.models import Speaker

    tarnek = Speaker.objects.create(name="Miroslav Tarnek")
    publish_factcheck(make_statement(speaker=tarnek), claim="army moved 40,000 soldiers into Valdoria")
    publish_factcheck(make_statement("The work is nearly done"), claim="the work is nearly done",
                      rating="mostly-true")
    headlined = publish_factcheck(make_statement("Critics said the cost had doubled since 2023",
                                                 speaker=tarnek),
                                  claim="the cost had doubled since 2023", rating="half-true")
    type(headlined).objects.filter(pk=headlined.pk).update(headline="Did the cost double? Only in part")
    for name in ("feed_rss", "feed_atom"):
        feed = feedparser.parse(client.get(reverse(name)).content)
        assert not feed.bozo
        assert sorted(e.title for e in feed.entries) == [
            "False: Miroslav Tarnek: Army moved 40,000 soldiers into Valdoria",
            "Half true: Did the cost double? Only in part (Miroslav Tarnek)",
            "Mostly true: The work is nearly done",
        ]


def test_500_page_is_the_sites_own(rf):
    from factcheck.views import server_error

    response = server_error(rf.get("/fact-checks/"))
    html = response.content.decode()
    assert response.status_code == 500 and 'class="site-header"' in html and "css/site.css" in html
    assert f'href="{reverse("factcheck_index")}"' in html and "Something went wrong" in html


def test_sitemap_and_feeds_use_site_url_like_the_canonical_links(published, client, settings):
    import xml.etree.ElementTree as ET

    import feedparser

    settings.SITE_URL = "https://checks.example"
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locs = [el.text for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith("https://checks.example/") for loc in locs), locs
    assert f"https://checks.example{published.get_absolute_url()}" in locs
    for name in ("feed_rss", "feed_atom"):
        feed = feedparser.parse(client.get(reverse(name)).content)
        assert not feed.bozo
        links = [feed.feed.link, *(link.href for link in feed.feed.get("links", [])),
                 *(entry.link for entry in feed.entries), *(entry.id for entry in feed.entries)]
        assert all(link.startswith("https://checks.example/") for link in links), links
        assert "testserver" not in client.get(reverse(name)).content.decode()


def test_claimreview_never_points_at_the_desk(published, client):
    import json
    import re

    from factcheck.models import Article

    article = published.statements.get().article
    Article.objects.filter(pk=article.pk).update(url="")
    type(published).objects.filter(pk=published.pk).update(version=published.version + 1)  # a new page
    html = client.get(published.get_absolute_url()).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    claim = json.loads(block)["itemReviewed"]
    assert "url" not in claim["firstAppearance"] and claim["firstAppearance"]["headline"] == article.title
    feed = client.get("/claimreview.json").content.decode()
    assert article.get_absolute_url() not in block and article.get_absolute_url() not in feed
