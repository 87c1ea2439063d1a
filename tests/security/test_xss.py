"""Hostile text in every field that is rendered stays text: escaped, or sanitised Markdown.

Each payload carries a marker (xss0, xss1, ...). After rendering every page that shows the
field, an HTML parser must find the markers only in text, in harmless attributes (a form
field's value, a meta description), or inside JSON-LD as a JSON string — never as a tag, an
event handler, a script, or a javascript: link.
"""

import json
import re
from html.parser import HTMLParser

import feedparser
import pytest
from django.urls import reverse

from factcheck.factchecks import actions as factchecks
from factcheck.models import (
    Article,
    AttributionVerdict,
    Correction,
    Evidence,
    Rating,
    RightOfReply,
    Speaker,
    Tag,
)

pytestmark = pytest.mark.django_db

VECTORS = [
    '<script>alert("{m}")</script>', '<img src=x onerror=alert("{m}")>', '<svg onload=alert("{m}")>',
    '"><script>alert("{m}")</script>', "'><img src=x onerror=alert('{m}')>",
    '<a href="javascript:alert(\'{m}\')">{m}</a>',
    '<iframe src="javascript:alert(\'{m}\')"></iframe>', '<body onload=alert("{m}")>',
    '" onmouseover="alert(\'{m}\')', "' onfocus='alert(\"{m}\")' autofocus='",
    '<details open ontoggle=alert("{m}")>',
    '</textarea><script>alert("{m}")</script>', '</title><script>alert("{m}")</script>',
    '<style>@import "//evil/{m}";</style>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("{m}")>',
    '[{m}](javascript:alert(1))', '![{m}](https://evil.example/x.png)',
    '<object data="javascript:alert(\'{m}\')">',
    '<embed src="javascript:alert(\'{m}\')">',
    '<form action="javascript:alert(\'{m}\')"><button>{m}</button></form>',
    '{{{{ {m} }}}}{{% debug %}}', '</script><script>alert("{m}")</script>',
    '<!--<script>alert("{m}")</script>-->',
    '<input autofocus onfocus=alert("{m}")>', '<video><source onerror=alert("{m}")></video>',
]
WRAPPERS = ["{v}", "Text before {v} text after", "{v}{v}", "**bold** {v}", "\u202e{v}", "{v}\x0b",
            "&lt;{v}&gt;", "%3Cscript%3E{v}"]
PAYLOADS = [w.format(v=v.format(m=f"xss{i}")) for i, (v, w) in
            enumerate((v, w) for v in VECTORS for w in WRAPPERS)]
assert len(PAYLOADS) >= 200

HARMLESS_ATTRIBUTES = {"value", "content", "title", "aria-label", "placeholder", "alt"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}
# The page's CSRF token is random letters and digits, so about one page in 4,000 holds
# "xss" in it by chance (CI failed once on exactly that). Input cannot reach this attribute.
CSRF_HEADER = re.compile(r'\{"X-CSRFToken": "[A-Za-z0-9]+"\}')


class MarkerAudit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.stack, self.jsonld = [], [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append((tag, dict(attrs)))
        for name, value in attrs:
            value = value or ""
            if name in {"hx-headers", "data-hx-headers"} and CSRF_HEADER.fullmatch(value):
                continue
            live_handler = name.startswith("on") and "xss" in value
            live_url = "xss" in value and name in URL_ATTRIBUTES and not value.startswith(
                ("/", "?", "http://", "https://", "#"))
            if "xss" in name or live_handler or live_url:
                self.problems.append(f"<{tag} {name}={value[:40]!r}>")
            elif "xss" in value and name not in HARMLESS_ATTRIBUTES | URL_ATTRIBUTES \
                    and not (name.startswith("data-") and not name.startswith("data-hx-")):
                self.problems.append(f"marker in <{tag} {name}>")
        if tag in {"script", "iframe", "object", "embed", "style", "svg", "math"} and any(
                "xss" in (v or "") for k, v in attrs if k not in HARMLESS_ATTRIBUTES):
            self.problems.append(f"<{tag}> built from input")

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not self.stack or "xss" not in data:
            return
        tag, attrs = self.stack[-1]
        if tag == "script":
            if attrs.get("type") == "application/ld+json":
                self.jsonld.append(data)
            else:
                self.problems.append("marker inside a live <script>")
        elif tag == "style":
            self.problems.append("marker inside <style>")


def audit(html: str) -> list[str]:
    parser = MarkerAudit()
    parser.feed(html)
    for block in parser.jsonld:
        json.loads(block)  # stays one valid JSON document
        assert "</script" not in block.lower()
    return parser.problems


@pytest.fixture
def hostile_world(editor, publisher, make_user):
    payload = "\n\n".join(PAYLOADS)
    one_line = " ".join(p.replace("\n", " ") for p in PAYLOADS)[:480]
    article, _ = Article.objects.ingest(text=f"Headline\n\n{payload}", title=one_line,
                                        byline=one_line[:290], url="https://paper.example/hostile")
    speaker = Speaker.objects.create(name=one_line[:200], description=one_line[:300])
    from factcheck.models import Statement

    statement = Statement.objects.create(
        article=article, kind="direct", text=payload, start=10, end=len(article.text), speaker=speaker,
        mention=one_line[:300], cue=one_line[:100], venue=one_line[:300],
        via=[{"name": one_line[:100], "text": one_line[:100]}])
    tag = Tag.objects.create(name=one_line[:100])
    statement.tags.add(tag)
    factcheck = factchecks.start_factcheck(statement=statement, by=editor)
    factchecks.save_factcheck(factcheck=factcheck, by=editor, version=factcheck.version,
                              claim_reviewed=one_line, headline=one_line[:200], explanation=payload,
                              internal_notes=payload, attribution_verdict=AttributionVerdict.objects.first(),
                              rating=Rating.objects.first())
    Evidence.objects.create(factcheck=factcheck, url="https://source.example/doc", title=one_line,
                            publisher=one_line[:200], quote=payload)
    RightOfReply.objects.create(factcheck=factcheck, contact=one_line[:200], response=payload)
    factcheck.tags.add(tag)
    factchecks.submit_factcheck(factcheck=factcheck, by=editor)
    factchecks.approve(factcheck=factcheck, by=publisher)
    factchecks.publish(factcheck=factcheck, by=publisher)
    factchecks.publish_correction(proposal=factchecks.propose_correction(
        factcheck=factcheck, by=editor, note=payload, kind=Correction.Kind.CORRECTION), by=publisher)
    return {"article": article, "statement": statement, "factcheck": factcheck, "speaker": speaker,
            "tag": tag}


def test_the_audit_passes_the_csrf_header_and_nothing_else_in_hx_headers():
    assert audit("""<body hx-headers='{"X-CSRFToken": "Qxss9aZ"}'></body>""") == []
    assert audit("""<div hx-headers='{"X-CSRFToken": "x", "xss1": "1"}'></div>""")
    assert audit("""<div hx-vals='{"q": "xss1"}'></div>""")
    assert audit("""<body data-hx-headers='{"X-CSRFToken": "Qxss9aZ"}'></body>""") == []
    assert audit("""<div data-hx-vals='{"q": "xss1"}'></div>""")


def test_payloads_are_stored_as_text(hostile_world):
    assert hostile_world["factcheck"].explanation.count("xss") >= 200


def test_every_page_renders_the_payloads_inert(client, editor, publisher, hostile_world):
    w = hostile_world
    fc = w["factcheck"]
    public = [fc.get_absolute_url(), reverse("factcheck_index"), reverse("speaker", args=[w["speaker"].slug]),
              reverse("tag", args=[w["tag"].slug]), reverse("corrections")]
    desk = [reverse("queue"), w["statement"].get_absolute_url(), reverse("article", args=[w["article"].pk]),
            reverse("factcheck_edit", args=[fc.pk]), reverse("approval", args=[fc.pk]), reverse("approvals"),
            reverse("article_versions", args=[w["article"].pk]),
            reverse("speaker_options") + "?q=xss"]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not audit(response.content.decode()), (url, audit(response.content.decode())[:5])
    client.force_login(publisher)
    for url in desk:
        response = client.get(url)
        assert response.status_code == 200, url
        problems = audit(response.content.decode())
        assert not problems, (url, problems[:5])


def test_public_page_shows_payload_markers_as_text(client, hostile_world):
    html = client.get(hostile_world["factcheck"].get_absolute_url()).content.decode()
    assert "xss0" in html and "&lt;script&gt;" in html


def test_feeds_carry_payloads_as_text(client, hostile_world):
    for name in ("feed_rss", "feed_atom"):
        feed = feedparser.parse(client.get(reverse(name)).content)
        assert not feed.bozo
        assert "xss" in feed.entries[0].title
