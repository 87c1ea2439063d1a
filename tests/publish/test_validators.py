"""The public site as the desk's validators read it (#31): the ClaimReview as extruct extracts
it (the structured-data reader search tools use), with every field Google's ClaimReview
documentation requires, the Open Graph card, and the sitemap against the sitemaps.org 0.9 XSD."""

from pathlib import Path

import extruct
import pytest
from django.urls import reverse
from lxml import etree

from factcheck.models import Outlet, Speaker

pytestmark = pytest.mark.django_db

SITEMAP_XSD = Path(__file__).parent / "schemas" / "sitemap-0.9.xsd"


@pytest.fixture
def published(article, make_statement, publish_factcheck):
    article.outlet = Outlet.objects.create(name="Paper Example")
    article.save()
    speaker = Speaker.objects.create(name="Ada Vance")
    return publish_factcheck(make_statement(speaker=speaker),
                             claim="Vance says bridge repairs cost 40 million")


def extracted(client, factcheck, settings) -> dict:
    url = f"{settings.SITE_URL}{factcheck.get_absolute_url()}"
    html = client.get(factcheck.get_absolute_url()).content.decode()
    return extruct.extract(html, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True)


def test_claimreview_has_every_field_google_requires(published, client, settings):
    settings.SITE_URL = "https://checks.example"
    reviews = [item for item in extracted(client, published, settings)["json-ld"]
               if item.get("@type") == "ClaimReview"]
    assert len(reviews) == 1
    review = reviews[0]
    # Required by Google: claimReviewed, reviewRating (with alternateName), url (the page itself).
    assert review["claimReviewed"] == "Vance says bridge repairs cost 40 million"
    assert review["url"] == f"https://checks.example{published.get_absolute_url()}"
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] == "False"
    if "ratingValue" in rating:  # a numeric rating carries its scale, within it
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    # Recommended, and given: the reviewing organisation, the date, and the claim with its
    # author and where it appeared.
    assert review["author"]["@type"] == "Organization" and review["author"]["name"] == settings.ORG_NAME
    assert review["datePublished"] == published.published_at.date().isoformat()
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim" and claim["author"]["name"] == "Ada Vance"
    assert claim["appearance"][0]["url"] == "https://paper.example/bridge"
    assert claim["firstAppearance"]["publisher"]["name"] == "Paper Example"


def test_open_graph_names_the_pages_card(published, client, settings):
    og = extracted(client, published, settings)["opengraph"][0]
    assert og["@type"] == "article"
    assert og["og:image"].endswith(reverse("factcheck_card", args=[published.slug, published.version]))
    assert og["og:image:width"] == "1200" and og["og:image:height"] == "630"
    assert og["og:url"] == f"{settings.SITE_URL}{published.get_absolute_url()}"


def test_sitemap_validates_against_the_sitemaps_org_schema(published, client):
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    document = etree.fromstring(client.get("/sitemap.xml").content)
    schema.assertValid(document)
    locs = document.findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url/"
                            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    assert any(loc.text.endswith(published.get_absolute_url()) for loc in locs)


def test_the_schema_refuses_what_the_protocol_refuses():
    """A check that cannot fail proves nothing: the shipped XSD rejects a loc too short to be an
    absolute URL, an unknown changefreq and a priority above 1."""
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    for url in ("<loc>/x/</loc>",
                "<loc>https://checks.example/a/</loc><changefreq>sometimes</changefreq>",
                "<loc>https://checks.example/a/</loc><priority>1.5</priority>"):
        document = etree.fromstring(f'<urlset xmlns="{ns}"><url>{url}</url></urlset>')
        assert not schema.validate(document), url
