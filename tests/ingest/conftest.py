"""A real HTTP server on 127.0.0.1 serving the pages the ingestion tests fetch.

Each route stands for one way the web goes wrong (redirect chains, 404s, slow and
dripping servers, oversized bodies, gzip bombs, binary data, lying charsets) or right
(an article page, feeds with conditional GET). `web.state` lets a test change what a
route serves, e.g. an article edited after publication.
"""

import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.ingest import pages


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _send(self, status=200, body=b"", content_type="text/html; charset=utf-8", headers=None):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: C901 — one branch per route reads best here
        server = self.server
        path = self.path.split("?", 1)[0]
        with server.lock:
            server.hits[path] = server.hits.get(path, 0) + 1
            server.seen_headers.append((path, dict(self.headers)))
        base = server.base
        state = server.state
        if path in ("/article", "/amp/article"):
            html = pages.article_html(canonical=f"{base}/article",
                                      paragraphs=state.get("paragraphs"))
            self._send(body=html.encode())
        elif path == "/syndicated":
            # The same story on another site (canonical points at itself).
            html = pages.article_html(canonical=f"{base}/syndicated")
            self._send(body=html.encode())
        elif path == "/second":
            self._send(body=pages.article_html(canonical=f"{base}/second", title="Ferry vote delayed",
                                               paragraphs=pages.SECOND_PARAGRAPHS).encode())
        elif path.startswith("/redirect/"):
            n = int(path.rsplit("/", 1)[1])
            target = f"/redirect/{n - 1}" if n > 1 else "/article"
            self._send(302, headers={"Location": target})
        elif path == "/redirect-to-localhost":
            port = server.server_address[1]
            self._send(301, headers={"Location": f"http://localhost:{port}/article"})
        elif path == "/redirect-to-garbage":
            self._send(302, headers={"Location": "http://[::1"})
        elif path == "/redirect-to-file":
            self._send(302, headers={"Location": "file:///etc/passwd"})
        elif path == "/slow":
            time.sleep(3)
            self._send(body=b"<p>too late</p>")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
        elif path == "/big":
            self._send(body=b"<p>" + b"a" * 6_000_000 + b"</p>")
        elif path == "/big-chunked":
            # No Content-Length: the cap must hold while streaming.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(120):
                    self.wfile.write(b"b" * 65536)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/bomb":
            self._send(body=server.bomb, headers={"Content-Encoding": "gzip"})
        elif path == "/deflate":
            html = pages.article_html(canonical=f"{base}/deflate").encode()
            self._send(body=zlib.compress(html), headers={"Content-Encoding": "deflate"})
        elif path == "/image":
            self._send(body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, content_type="image/png")
        elif path == "/binary-as-html":
            self._send(body=bytes(range(256)) * 40)
        elif path == "/wrong-charset":
            # Declared UTF-8, really Windows-1252.
            html = pages.article_html(canonical=f"{base}/wrong-charset", paragraphs=[
                "The caf\u00e9 owner, Ren\u00e9e Fa\u00e7ade, said the ferry \u201cis our lifeline\u201d "
                "and that trade fell by a fifth in January."])
            self._send(body=html.replace('<meta charset="utf-8">', "").encode("cp1252"))
        elif path == "/mislabelled-latin1":
            # Declared ISO-8859-1, really UTF-8.
            html = pages.article_html(canonical=f"{base}/mislabelled-latin1", paragraphs=[
                "Z\u00fcrich-born skipper Ana\u00efs Kowalczyk said the crossing takes 40 minutes."])
            self._send(body=html.encode(), content_type="text/html; charset=iso-8859-1")
        elif path == "/plain":
            text = "Harbour fees to rise\n\nThe harbour master said fees would rise by 4 per cent in May."
            self._send(body=text.encode(), content_type="text/plain; charset=utf-8")
        elif path == "/empty":
            self._send(body=b"<html><head><title>Elmridge Courier</title></head>"
                            b"<body><nav>Menu: Home, Local</nav></body></html>")
        elif path == "/rss-metadata":
            # A feed whose entry points inside the network, where a cloud metadata service lives.
            body = pages.RSS.replace("{base}/article", "http://169.254.169.254/latest/meta-data")
            self._send(body=body.format(base=base, title="Metadata").encode(),
                       content_type="application/rss+xml")
        elif path in ("/rss", "/atom"):
            etag = f'"{path}-v{state.get("feed_version", 1)}"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, content_type="", headers={"ETag": etag})
                return
            template = pages.RSS if path == "/rss" else pages.ATOM
            body = template.format(base=base, title=pages.ARTICLE_TITLE).encode()
            kind = "application/rss+xml" if path == "/rss" else "application/atom+xml"
            self._send(body=body, content_type=kind, headers={
                "ETag": etag, "Last-Modified": "Tue, 10 Feb 2026 10:00:00 GMT"})
        else:
            self._send(404, body=b"<h1>Not found</h1>")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client hanging up on a bomb or a drip is the point of those routes


class LocalWeb:
    def __init__(self, server):
        self.server = server
        self.base = server.base
        self.state = server.state
        self.hits = server.hits

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def headers_for(self, path: str) -> list[dict]:
        return [h for p, h in self.server.seen_headers if p == path]


def _gzip_bomb(megabytes: int) -> bytes:
    """`megabytes` MB of zeros as a gzip body of a few hundred kB, built a MB at a time so the
    test process never holds the inflated size (the test checks the fetcher does not either)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    chunk = b"0" * 1_000_000
    parts = [packer.compress(b"<p>")] + [packer.compress(chunk) for _ in range(megabytes)]
    return b"".join(parts) + packer.flush()


@pytest.fixture(scope="session")
def _web_server():
    server = _Server(("127.0.0.1", 0), _Handler)
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    server.lock = threading.Lock()
    server.hits, server.seen_headers, server.state = {}, [], {}
    server.bomb = _gzip_bomb(200)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture
def web(_web_server, settings):
    """The local server, allow-listed for this test (127.0.0.1 is otherwise refused)."""
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    _web_server.state.clear()
    _web_server.hits.clear()
    _web_server.seen_headers.clear()
    return LocalWeb(_web_server)
