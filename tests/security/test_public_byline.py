"""The public byline names people by their display name, never by their login (issue #28,
finding 13): a username is half a credential. Someone without a full name is credited as
the desk. Checked on the page, its ClaimReview JSON-LD, the ClaimReview feed and both feeds."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

DESK = "the fact-check desk"
SECOND = "a second editor"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # public pages are cached by id and version
    yield
    cache.clear()


@pytest.fixture
def people(make_user):
    return {
        "named-editor": make_user("zq-login-jane", "Editor", first_name="Jane", last_name="Okafor"),
        "unnamed-editor": make_user("zq-login-ghost", "Editor"),
        "second-unnamed-editor": make_user("zq-login-shade", "Editor", first_name=" ", last_name=""),
        "named-publisher": make_user("zq-login-sam", "Publisher", first_name="Sam", last_name="Reyes"),
        "unnamed-publisher": make_user("zq-login-pat", "Publisher"),
    }


USERNAMES = re.compile(r"zq-login-\w+")


def _publish(people, make_statement, author, approver, co_authors=()):
    from factcheck.factchecks import actions as factchecks
    from factcheck.models import AttributionVerdict, Rating

    by = people[author]
    factcheck = factchecks.start_factcheck(statement=make_statement(), by=by)
    factchecks.save_factcheck(factcheck=factcheck, by=by, version=factcheck.version,
                              claim_reviewed="Repairs cost 40 million", explanation="Records say 38.",
                              attribution_verdict=AttributionVerdict.objects.get(slug="accurate"),
                              rating=Rating.objects.get(slug="false"))
    factcheck.authors.add(*(people[name] for name in co_authors))
    factchecks.submit_factcheck(factcheck=factcheck, by=by,
                                no_sources_reason="The claim is checked against its own recording.")
    factchecks.approve(factcheck=factcheck, by=people[approver])
    factchecks.publish(factcheck=factcheck, by=people[approver])
    return factcheck


def _byline(html: str) -> str:
    match = re.search(r'<footer class="byline">\s*<p>(.*?)</p>', html, re.S)
    assert match, "no byline"
    return " ".join(match.group(1).split())


@pytest.mark.parametrize("author,approver,co_authors,expected", [
    ("named-editor", "named-publisher", (), "By Jane Okafor; reviewed by Sam Reyes."),
    ("named-editor", "unnamed-publisher", (), f"By Jane Okafor; reviewed by {SECOND}."),
    ("unnamed-editor", "named-publisher", (), f"By {DESK}; reviewed by Sam Reyes."),
    ("unnamed-editor", "unnamed-publisher", (), f"By {DESK}; reviewed by {SECOND}."),
    ("unnamed-editor", "unnamed-publisher", ("second-unnamed-editor",), f"By {DESK}; reviewed by {SECOND}."),
])
def test_page_and_jsonld_never_show_a_username(client, people, make_statement, author, approver,
                                               co_authors, expected):
    factcheck = _publish(people, make_statement, author, approver, co_authors)
    html = client.get(factcheck.get_absolute_url()).content.decode()
    assert _byline(html) == expected
    assert not USERNAMES.findall(html)
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert not USERNAMES.findall(json.dumps(json.loads(jsonld)))
    for name in ("claimreview_feed", "feed_rss", "feed_atom", "factcheck_index", "corrections"):
        assert not USERNAMES.findall(client.get(reverse(name)).content.decode()), name


def test_named_and_unnamed_co_authors(client, people, make_statement):
    factcheck = _publish(people, make_statement, "named-editor", "named-publisher", ("unnamed-editor",))
    byline = _byline(client.get(factcheck.get_absolute_url()).content.decode())
    assert "Jane Okafor" in byline and DESK in byline and "zq-login" not in byline
