"""Claims and correction notes reach feed readers as text (issue #28, finding 6).

The RSS <description> and the Atom <summary type="html"> are HTML: a reader unescapes the
XML once and renders what is left. Markup typed into a claim or a correction note must come
out of that as visible text, never as an element.
"""

import html
from html.parser import HTMLParser

import feedparser
import pytest
from django.urls import reverse

from factcheck.models import Correction

pytestmark = pytest.mark.django_db

CLAIM = 'Bridge cost 40 million </script><script>alert(1)</script> & <b>more</b>'
NOTE = 'We misstated the year. <img src=x onerror=alert(2)>'


class Elements(HTMLParser):
    """The element names in an HTML fragment, as a browser-like reader would build them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _parse(markup: str) -> Elements:
    parser = Elements()
    parser.feed(markup)
    parser.close()
    return parser


@pytest.fixture
def hostile_factcheck(publish_factcheck, make_statement, publisher):
    factcheck = publish_factcheck(make_statement(), claim=CLAIM)
    Correction.objects.create(factcheck=factcheck, note=NOTE, created_by=publisher)
    return factcheck


@pytest.mark.parametrize("name", ["feed_rss", "feed_atom"])
def test_claim_and_correction_markup_reach_the_reader_as_text(client, hostile_factcheck, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    # sanitize_html=False: what a reader that trusts the feed's HTML would render.
    feed = feedparser.parse(response.content, sanitize_html=False)
    assert not feed.bozo, feed.bozo_exception
    (entry,) = feed.entries
    markup = entry.summary  # RSS <description> and Atom <summary type="html"> alike
    if name == "feed_atom":
        assert entry.summary_detail.type == "text/html"
    parsed = _parse(markup)
    assert not {"script", "img", "b"} & set(parsed.tags), (parsed.tags, markup)
    assert "<script" not in markup.lower() and "<img" not in markup.lower()
    shown = "".join(parsed.text)
    assert CLAIM in shown and NOTE in shown
    assert html.unescape(markup).count("<script>alert(1)</script>") == 1


def test_titles_stay_plain_text(client, hostile_factcheck):
    """Titles are text in both formats (RSS readers and Atom type="text"): not escaped twice."""
    for name in ("feed_rss", "feed_atom"):
        feed = feedparser.parse(client.get(reverse(name)).content, sanitize_html=False)
        assert feed.entries[0].title == f"False: {CLAIM}"
