"""Property tests: whatever arrives, the answer is a stored article or a clear refusal."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.ingest.fetch import FetchError, check_url
from factcheck.ingest.html import NotAnArticle, decode_bytes, parse_html
from factcheck.ingest.importers import IngestRefused, ingest_record, ingest_text
from factcheck.models import Article

pytestmark = pytest.mark.django_db
relaxed = settings(max_examples=60, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture])


@relaxed
@given(text=st.text(max_size=400), title=st.text(max_size=60))
def test_any_pasted_text_is_stored_or_refused(text, title):
    try:
        outcome = ingest_text(text, title=title)
    except IngestRefused as exc:
        assert str(exc) and 400 <= exc.status < 500
        return
    article = Article.objects.get(pk=outcome.article.pk)
    assert article.text.strip() and "\x00" not in article.text


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=40),
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=3), max_leaves=8)


@relaxed
@given(record=st.dictionaries(st.sampled_from(["text", "title", "outlet", "byline", "published_at", "x"]),
                              json_values, max_size=5) | json_values)
def test_any_json_record_is_stored_or_refused(record):
    try:
        ingest_record(record)
    except IngestRefused as exc:
        assert str(exc) and 400 <= exc.status < 500


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=600), declared=st.sampled_from(["", "utf-8", "latin-1", "bogus", "utf-16"]))
def test_any_bytes_decode_to_text(data, declared):
    assert isinstance(decode_bytes(data, declared), str)


@settings(max_examples=100, deadline=None)
@given(html=st.text(alphabet=st.sampled_from(list("<>/=\"' abcdpqr!-&;#\n")), max_size=300))
def test_any_markup_parses_or_is_refused(html):
    try:
        parse_html(html)
    except NotAnArticle as exc:
        assert str(exc)


@settings(max_examples=200, deadline=None)
@given(url=st.text(max_size=60) | st.from_regex(r"https?://[a-z0-9.:\[\]%@-]{0,30}/?", fullmatch=True))
def test_any_url_is_checked_without_crashing(url):
    import socket

    original = socket.getaddrinfo

    def no_dns(host, port, *args, **kwargs):  # no real lookups: names resolve to a public address
        try:
            return original(host, port, *args, flags=socket.AI_NUMERICHOST, **kwargs)
        except socket.gaierror:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    socket.getaddrinfo = no_dns
    try:
        check_url(url)
    except FetchError as exc:
        assert str(exc)
    finally:
        socket.getaddrinfo = original
