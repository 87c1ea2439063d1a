"""The fetcher against a real local server: what it fetches, and everything it refuses."""

import socket
import time

import pytest

from factcheck.ingest.fetch import FEED_TYPES, Refused, Unreachable, address_problem, check_url, fetch


def test_fetches_an_article_page(web):
    result = fetch(web.url("/article"))
    assert result.status == 200 and result.content_type == "text/html"
    assert b"Port Elmridge" in result.body and result.url == web.url("/article")


def test_follows_a_redirect_chain_of_five_and_refuses_six(web):
    result = fetch(web.url("/redirect/5"))
    assert result.url == web.url("/article") and len(result.redirects) == 5
    with pytest.raises(Refused, match="Too many redirects"):
        fetch(web.url("/redirect/6"))


def test_every_redirect_is_checked_again(web):
    # 127.0.0.1 is allow-listed, but the redirect goes to "localhost", which is not.
    with pytest.raises(Refused, match="loopback"):
        fetch(web.url("/redirect-to-localhost"))
    with pytest.raises(Refused, match="Only http and https"):
        fetch(web.url("/redirect-to-file"))


def test_404_is_a_clear_error(web):
    with pytest.raises(Unreachable, match="HTTP 404"):
        fetch(web.url("/nope"))


def test_total_timeout(web, settings):
    settings.FACTCHECK_FETCH_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises(Unreachable, match="Timed out"):
        fetch(web.url("/slow"))
    assert time.monotonic() - started < 2.5


def test_a_dripping_server_cannot_stretch_the_timeout(web, settings):
    settings.FACTCHECK_FETCH_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises(Unreachable, match="Timed out"):
        fetch(web.url("/drip"))
    assert time.monotonic() - started < 2.5


def test_oversized_body_is_refused(web):
    with pytest.raises(Refused, match="larger than 5 MB") as declared:
        fetch(web.url("/big"))
    assert declared.value.status == 413
    with pytest.raises(Refused, match="larger than 5 MB"):
        fetch(web.url("/big-chunked"))  # no Content-Length: stopped while streaming


def test_gzip_bomb_stops_at_the_cap(web):
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(Refused, match="after decompression"):
        fetch(web.url("/bomb"))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100  # the 200 MB it inflates to was never held in memory


def test_deflate_is_decoded(web):
    assert b"Port Elmridge" in fetch(web.url("/deflate")).body


def test_binary_responses_are_refused(web):
    with pytest.raises(Refused, match="image/png, not a web page") as exc:
        fetch(web.url("/image"))
    assert exc.value.status == 415
    with pytest.raises(Refused, match="binary data"):
        fetch(web.url("/binary-as-html"))


def test_feed_types_accepted_only_when_asked(web):
    assert fetch(web.url("/rss"), accept=FEED_TYPES).content_type == "application/rss+xml"
    with pytest.raises(Refused, match="not a web page"):
        fetch(web.url("/rss"))


def test_conditional_get_returns_not_modified(web):
    first = fetch(web.url("/rss"), accept=FEED_TYPES)
    assert first.headers["etag"] == first.headers["ETag"]  # header names are case-insensitive
    again = fetch(web.url("/rss"), accept=FEED_TYPES, headers={"If-None-Match": first.headers["ETag"]})
    assert again.not_modified and again.body == b""


def test_local_server_refused_without_the_allow_list(web, settings):
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = []
    with pytest.raises(Refused, match="127.0.0.1 is a loopback address"):
        fetch(web.url("/article"))
    assert web.hits.get("/article") is None  # refused before connecting


@pytest.mark.parametrize("url, problem", [
    ("http://2130706433/", "loopback"),          # 127.0.0.1 as one decimal number
    ("http://0177.0.0.1/", "loopback"),          # octal
    ("http://0x7f.1/", "loopback"),              # hex, short form
    ("http://127.1/", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped IPv6
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://10.1.2.3/", "private"),
    ("http://192.168.0.1:8080/admin", "private"),
    ("http://172.16.5.4/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),  # cloud metadata
    ("http://[fe80::1]/", "link-local"),
    ("http://[fc00::1]/", "private"),
    ("http://224.0.0.1/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://100.64.0.1/", "non-public"),       # carrier-grade NAT
    ("http://[2002:7f00:1::]/", "loopback"),     # 6to4 wrapping 127.0.0.1
    ("http://[64:ff9b::a00:1]/", "private"),     # NAT64 wrapping 10.0.0.1
    ("http://localhost/", "loopback"),
])
def test_non_public_addresses_are_refused(url, problem, settings):
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = []
    with pytest.raises(Refused, match=f"a {problem} address"):
        check_url(url)


@pytest.mark.parametrize("url, message", [
    ("file:///etc/passwd", "Only http and https"),
    ("ftp://example.org/a.html", "Only http and https"),
    ("gopher://example.org/", "Only http and https"),
    ("example.org/article", "without a scheme"),
    ("http://user:secret@example.org/", "user name or password"),
    ("http://:80/", "no host name"),
    ("http://example.org:99999/", "not a valid URL"),
])
def test_malformed_or_other_scheme_urls_are_refused(url, message):
    with pytest.raises(Refused, match=message):
        check_url(url)


def test_a_host_with_any_private_address_is_refused(monkeypatch, settings):
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = []

    def fake_getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(Refused, match="news.example resolves to 10.0.0.7, which is a private"):
        check_url("https://news.example/story")


def test_connects_to_the_checked_address_not_a_second_lookup(web, monkeypatch, settings):
    """The name resolves once, to the local server; a second lookup (what a rebinding
    attacker would exploit) would fail, as the name does not exist. The server still sees
    the real name in the Host header."""
    port = web.server.server_address[1]
    real = socket.getaddrinfo
    lookups = []

    def fake_getaddrinfo(host, *args, **kwargs):
        lookups.append(host)
        if host == "courier.invalid" and len(lookups) == 1:
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = ["courier.invalid"]
    result = fetch(f"http://courier.invalid:{port}/article")
    assert b"Port Elmridge" in result.body
    assert lookups.count("courier.invalid") == 1
    assert web.headers_for("/article")[-1]["Host"] == f"courier.invalid:{port}"


def test_unresolvable_and_refused_connections_are_clear(settings):
    with pytest.raises(Unreachable, match="could not be resolved"):
        fetch("http://no-such-host.invalid/")
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free_port = s.getsockname()[1]
    with pytest.raises(Unreachable, match="connection refused"):
        fetch(f"http://127.0.0.1:{free_port}/")


def test_address_problem_of_public_addresses_is_empty():
    assert address_problem("93.184.215.14") == ""
    assert address_problem("2606:4700:4700::1111") == ""
    assert address_problem("::ffff:10.0.0.1") == "private"
    assert address_problem("64:ff9b::5db8:d70e") == ""  # NAT64 to a public address


def test_a_slow_dns_lookup_counts_against_the_timeout(monkeypatch, settings):
    settings.FACTCHECK_FETCH_TIMEOUT = 1

    def slow_getaddrinfo(*args, **kwargs):
        time.sleep(3)
        return []

    monkeypatch.setattr(socket, "getaddrinfo", slow_getaddrinfo)
    started = time.monotonic()
    with pytest.raises(Unreachable, match="Looking up slow.example timed out"):
        fetch("http://slow.example/")
    assert time.monotonic() - started < 2
