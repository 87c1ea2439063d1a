"""Fetching pages and feeds from the open web without letting a URL reach inside our network.

Built on urllib3 (already installed as trafilatura's HTTP client) rather than requests or
httpx because it lets us do the one thing SSRF safety needs and the others hide: connect
to the very address we checked. Each hop resolves the host once, refuses any non-public
address, then opens a connection pool on that IP address while sending the real host name
as `Host` and as the TLS server name, so certificates are still verified against the name.
A DNS answer that changes between the check and the connection (DNS rebinding) has nothing
left to change. Redirects are followed here, one checked hop at a time; the body is
decoded while streaming, so a size cap also stops a gzip bomb (urllib3 >= 2.6 decompresses
at most what is asked for).

The timeout is one wall-clock budget for the whole fetch: DNS, connecting, TLS, the headers
and the body of every hop. urllib3's read timeout bounds each socket read and restarts on the
next, so a server sending a header line every 0.3 s could hold a fetch for minutes; a
watchdog timer shuts the connection down when the budget is spent (_Deadline).
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import socket
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/xml", "text/xml", "application/feed+json", "text/html", "text/plain")
USER_AGENT = "factcheck-ingest/1.0 (+newsroom fact-check desk)"
CHUNK = 64 * 1024
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class FetchError(Exception):
    """A URL could not be fetched; the message is written for the person who gave it, and
    `status` is the HTTP status a view should answer with: 422, the request was understood
    but its content refused (also keeps django-htmx's debug handler, which replaces the
    page on a 400, from hiding the form and its message)."""

    status = 422

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status


class Refused(FetchError):
    """Fetching this URL is against the rules (scheme, address, size, content type)."""


class Unreachable(FetchError):
    """The server could not be reached or did not answer usefully."""

    status = 422


@dataclass
class FetchResult:
    url: str  # after redirects
    status: int
    content_type: str = ""
    charset: str = ""
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


def address_problem(address: str) -> str:
    """Why `address` is not a public internet address ("" when it is).

    IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, 6to4, Teredo, NAT64) are
    judged by the IPv4 address inside, so ::ffff:127.0.0.1 is loopback like 127.0.0.1.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:  # 64:ff9b::a.b.c.d reaches a.b.c.d through NAT64
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    for test, label in (("is_loopback", "loopback"), ("is_unspecified", "unspecified"),
                        ("is_link_local", "link-local"), ("is_multicast", "multicast"),
                        ("is_reserved", "reserved"), ("is_private", "private")):
        if getattr(ip, test):
            return label
    if not ip.is_global:
        return "non-public"
    return ""


def _host_allowed(host: str) -> bool:
    allowed = {h.lower().rstrip(".") for h in settings.FACTCHECK_FETCH_ALLOWED_HOSTS}
    return host in allowed


@dataclass
class _Target:
    scheme: str
    host: str  # IDNA-encoded, lower case
    port: int
    address: str
    path: str
    host_header: str


# getaddrinfo has no timeout of its own; a lookup runs here so the total budget bounds it.
_resolver = ThreadPoolExecutor(max_workers=8, thread_name_prefix="fetch-dns")


def _resolve(host: str, port: int, timeout: float):
    future = _resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        return future.result(timeout=max(timeout, 0.01))
    except FutureTimeout:
        raise Unreachable(f"Looking up {host} timed out.") from None


def check_url(url: str, timeout: float = 10.0) -> _Target:
    """Resolve `url`'s host and refuse it unless every address it resolves to is public."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise Refused(f"That is not a valid URL ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise Refused(f"Only http and https URLs can be fetched, not {scheme or 'a URL without a scheme'}"
                      f"{':' if scheme else ''}.")
    if parts.username is not None or parts.password is not None:
        raise Refused("URLs with a user name or password in them are not fetched.")
    raw_host = (parts.hostname or "").rstrip(".")
    if not raw_host:
        raise Refused("That URL has no host name.")
    try:
        host = raw_host.encode("idna").decode("ascii").lower() if not raw_host.isascii() else raw_host
    except UnicodeError:
        raise Refused(f"{raw_host!r} is not a valid host name.") from None
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = _resolve(host, port, timeout)
    except (socket.gaierror, UnicodeError, OSError):
        raise Unreachable(f"The host name {host} could not be resolved.") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise Unreachable(f"The host name {host} has no address.")
    if not _host_allowed(host):
        for address in addresses:
            problem = address_problem(address)
            if problem:
                shown = host if host == address else f"{host} resolves to {address}, which"
                raise Refused(f"Refused: {shown} is a {problem} address; only public internet "
                              "addresses are fetched.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    default_port = port == (443 if scheme == "https" else 80)
    bracketed = f"[{host}]" if ":" in host else host
    host_header = bracketed if default_port else f"{bracketed}:{port}"
    return _Target(scheme, host, port, addresses[0], path, host_header)


class _Deadline:
    """One fetch's wall-clock budget. A timer thread shuts down the sockets of the fetch's
    connections when it is spent: a read blocked in the middle of the headers or the body
    returns at once (end of stream) and the fetch reports the timeout. Cancelled when the
    fetch ends, however it ends."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._connections: list = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.name = "fetch-deadline"
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def watch(self, connection) -> None:
        with self._lock:
            self._connections.append(connection)
            expired = self.expired
        if expired:
            self._cut(connection)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            connections = list(self._connections)
        for connection in connections:
            self._cut(connection)

    @staticmethod
    def _cut(connection) -> None:
        sock = getattr(connection, "sock", None)
        if sock is not None:
            # The plain socket's shutdown, also for an SSLSocket (its own would drop the TLS
            # state under the reading thread); a socket already closed has no descriptor.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()

    def timed_out(self) -> Unreachable:
        return Unreachable(f"Timed out after {self.seconds:g} seconds.")


# The deadline of the fetch running in this thread, for the connections it opens.
_deadline: contextvars.ContextVar[_Deadline | None] = contextvars.ContextVar("fetch_deadline", default=None)


class _Watched:
    """A urllib3 connection the current fetch's deadline can cut."""

    def _new_conn(self):
        deadline = _deadline.get()
        if deadline is not None:
            deadline.watch(self)
        sock = super()._new_conn()
        if deadline is not None:
            # What is left after connecting bounds the TLS handshake (one call with one timeout).
            sock.settimeout(max(deadline.remaining(), 0.01))
        return sock


class _HTTPConnection(_Watched, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def _pool(target: _Target, timeout: urllib3.Timeout):
    if target.scheme == "https":
        # Connect to the checked address; verify the certificate against the host name.
        return _HTTPSPool(
            target.address, target.port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=target.host, assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
    return _HTTPPool(target.address, target.port, timeout=timeout, retries=False, maxsize=1)


def _content_type(headers) -> tuple[str, str]:
    msg = Message()
    msg["content-type"] = headers.get("Content-Type", "")
    return msg.get_content_type() if headers.get("Content-Type") else "", msg.get_param("charset") or ""


def fetch(url: str, *, accept: tuple[str, ...] = HTML_TYPES, headers: dict | None = None,
          max_bytes: int | None = None, timeout: float | None = None,
          max_redirects: int | None = None) -> FetchResult:
    """GET `url` under the rules above; raises Refused or Unreachable with a clear message.

    `headers` may carry If-None-Match / If-Modified-Since: a 304 answer is then returned
    as a result with `not_modified` set and no body. `timeout` (FACTCHECK_FETCH_TIMEOUT)
    bounds the whole fetch, redirects included.
    """
    timeout = timeout or settings.FACTCHECK_FETCH_TIMEOUT
    deadline = _Deadline(timeout)
    token = _deadline.set(deadline)
    try:
        return _fetch(url, accept=accept, headers=headers, deadline=deadline,
                      max_bytes=max_bytes or settings.FACTCHECK_FETCH_MAX_BYTES,
                      max_redirects=settings.FACTCHECK_FETCH_MAX_REDIRECTS if max_redirects is None
                      else max_redirects)
    except FetchError:
        raise
    except Exception:
        if deadline.expired:  # whatever a connection cut mid-read looked like
            raise deadline.timed_out() from None
        raise
    finally:
        _deadline.reset(token)
        deadline.cancel()


def _fetch(url: str, *, accept: tuple[str, ...], headers: dict | None, deadline: _Deadline,
           max_bytes: int, max_redirects: int) -> FetchResult:
    request_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate",
                       "Accept": ", ".join(accept) + ", */*;q=0.1", **(headers or {})}
    redirects: list[str] = []
    current = url.strip()
    while True:
        target = check_url(current, timeout=deadline.remaining())
        remaining = deadline.remaining()
        if remaining <= 0 or deadline.expired:
            raise deadline.timed_out()
        pool = _pool(target, urllib3.Timeout(connect=remaining, read=remaining))
        try:
            response = pool.urlopen("GET", target.path,
                                    headers={**request_headers, "Host": target.host_header},
                                    redirect=False, retries=False, preload_content=False,
                                    decode_content=True, assert_same_host=False)
        except urllib3.exceptions.HTTPError as exc:
            pool.close()
            raise _connection_error(exc, target, deadline) from None
        try:
            if deadline.expired:  # cut while reading the headers: what arrived is not the answer
                raise deadline.timed_out()
            if response.status in {301, 302, 303, 307, 308} and response.headers.get("Location"):
                if len(redirects) >= max_redirects:
                    raise Refused(f"Too many redirects (more than {max_redirects}).")
                redirects.append(current)
                try:
                    current = urljoin(current, response.headers["Location"])
                except ValueError:
                    raise Refused("The server redirected to an invalid URL.") from None
                continue
            # urllib3's header dict, so "etag" and "ETag" are one header whatever the server sends.
            result = FetchResult(url=current, status=response.status, headers=response.headers,
                                 redirects=redirects)
            if response.status == 304 and any(h.lower().startswith("if-") for h in (headers or {})):
                return result
            if not 200 <= response.status < 300:
                raise Unreachable(f"{target.host} answered HTTP {response.status}"
                                  f"{' ' + response.reason if response.reason else ''}.")
            result.content_type, result.charset = _content_type(response.headers)
            if result.content_type and result.content_type not in accept:
                raise Refused(f"That URL is {result.content_type}, not a web page "
                              f"(accepted: {', '.join(sorted(set(accept)))}).", status=415)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes and not response.headers.get(
                    "Content-Encoding"):
                raise Refused(f"The page is larger than {_mb(max_bytes)}.", status=413)
            result.body = _read_capped(response, max_bytes, deadline)
            if b"\x00" in result.body[:8192] and not result.charset.lower().startswith("utf-16"):
                raise Refused("That URL returned binary data, not a web page.", status=415)
            return result
        finally:
            response.release_conn()
            pool.close()


def _connection_error(exc: Exception, target: _Target, deadline: _Deadline) -> FetchError:
    """What a failed request says to the person who gave the URL."""
    if deadline.expired:  # the watchdog cut the connection: a broken one is our doing
        return deadline.timed_out()
    if isinstance(exc, urllib3.exceptions.NewConnectionError):  # a subclass of the timeout error
        return Unreachable(f"Could not connect to {target.host}: {_reason(exc)}.")
    if isinstance(exc, urllib3.exceptions.TimeoutError):
        return deadline.timed_out()
    if isinstance(exc, urllib3.exceptions.SSLError):
        return Unreachable(f"The secure connection to {target.host} failed "
                           f"({exc.__class__.__name__}).")
    return Unreachable(f"Could not connect to {target.host}: {_reason(exc)}.")


def _read_capped(response, max_bytes: int, deadline: _Deadline) -> bytes:
    chunks, size = [], 0
    try:
        while True:
            remaining = deadline.remaining()
            if remaining <= 0 or deadline.expired:
                raise deadline.timed_out()
            _set_read_timeout(response, remaining)
            # read1: one socket read at most, so the deadline is checked between reads.
            chunk = response.read1(CHUNK, decode_content=True)
            if not chunk:
                if deadline.expired:  # the watchdog ended the stream, not the server
                    raise deadline.timed_out()
                break
            size += len(chunk)
            if size > max_bytes:
                raise Refused(f"The page is larger than {_mb(max_bytes)} (after decompression).",
                              status=413)
            chunks.append(chunk)
    except urllib3.exceptions.TimeoutError:
        raise deadline.timed_out() from None
    except urllib3.exceptions.HTTPError as exc:
        if deadline.expired:
            raise deadline.timed_out() from None
        if isinstance(exc, urllib3.exceptions.DecodeError):
            raise Unreachable("The server sent a corrupt compressed body.") from None
        raise Unreachable(f"The connection broke while reading: {_reason(exc)}.") from None
    return b"".join(chunks)


def _set_read_timeout(response, remaining: float) -> None:
    """Bound each socket read by what is left of the total budget, so a server dripping a
    byte at a time cannot stretch the 10 seconds."""
    sock = getattr(getattr(response, "connection", None), "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.settimeout(max(remaining, 0.01))


def _reason(exc: Exception) -> str:
    inner = getattr(exc, "reason", None) or exc
    text = str(inner)
    if "Connection refused" in text:
        return "connection refused"
    if "timed out" in text.lower():
        return "timed out"
    return text.split(": ", 1)[-1][:200] or exc.__class__.__name__
