"""schema.org ClaimReview for a published fact-check, as Google and the Fact Check Explorer read it."""

import json

from django.conf import settings
from django.urls import reverse

from factcheck.models import FactCheck

# The characters that could end a <script> element or confuse an HTML parser, escaped the
# way Django's json_script does.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _organisation() -> dict:
    org = {"@type": "Organization", "name": settings.ORG_NAME, "url": settings.SITE_URL + "/"}
    if settings.ORG_LOGO_URL:
        org["logo"] = settings.ORG_LOGO_URL
    return org


def _speaker(speaker) -> dict | None:
    if speaker is None:
        return None
    node = {"@type": "Organization" if speaker.kind == "organization" else "Person",
            "name": speaker.name}
    if speaker.wikidata_qid:
        node["sameAs"] = f"https://www.wikidata.org/wiki/{speaker.wikidata_qid}"
    return node


def _appearance(statement) -> dict:
    """Where the words appeared. A pasted article with no public URL has none here: our own
    article page is the login-only desk, which readers and crawlers cannot open."""
    article = statement.article
    node = {"@type": "CreativeWork"}
    if article.url:
        node["url"] = article.url
    if article.title:
        node["headline"] = article.title
    if article.published_at:
        node["datePublished"] = article.published_at.date().isoformat()
    if article.outlet:
        node["publisher"] = {"@type": "Organization", "name": article.outlet.name}
    return node


def _rating(factcheck: FactCheck) -> dict:
    rating = factcheck.rating
    node = {"@type": "Rating", "alternateName": rating.label if rating else "Unrated"}
    if rating is not None and rating.value is not None:
        node.update(ratingValue=rating.value, bestRating=rating.scale.max_value,
                    worstRating=max(rating.scale.min_value, 1))
    return node


def appearances_in_order(factcheck: FactCheck) -> list:
    """The statements a fact-check covers, first printed first (undated last). Uses the
    statements prefetched by FactCheck.objects.with_appearances() when they are there."""
    return sorted(factcheck.statements.all(),
                  key=lambda s: (s.article.published_at is None, s.article.published_at, s.pk))


def claim_review(factcheck: FactCheck, statements: list | None = None) -> dict:
    """`statements`: appearances_in_order(factcheck), when the caller has them already."""
    statements = appearances_in_order(factcheck) if statements is None else statements
    speaker = next((s.speaker for s in statements if s.speaker), None)
    claim = {"@type": "Claim"}
    if author := _speaker(speaker):
        claim["author"] = author
    if statements:
        appearances = [_appearance(s) for s in statements]
        claim["appearance"] = appearances
        claim["firstAppearance"] = appearances[0]
        if statements[0].article.published_at:
            claim["datePublished"] = statements[0].article.published_at.date().isoformat()
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute(reverse("factcheck", args=[factcheck.slug])),
        "claimReviewed": factcheck.claim_reviewed,
        "author": _organisation(),
        "reviewRating": _rating(factcheck),
        "itemReviewed": claim,
    }
    if factcheck.published_at:
        review["datePublished"] = factcheck.published_at.date().isoformat()
    if factcheck.headline:
        review["headline"] = factcheck.headline
    return review


def as_script_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1).translate(_SCRIPT_ESCAPES)
