"""HTTPS through the pinned address: certificates are still checked against the host name.

A throw-away CA and server certificate for "courier.test" are made with the openssl CLI;
the name is mapped to 127.0.0.1 for the one lookup the fetcher makes.
"""

import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from factcheck.ingest import fetch as fetch_module
from factcheck.ingest.fetch import Unreachable, fetch

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
             "-days", "2", "-subj", "/CN=factcheck test CA",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
             cwd=d)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr",
             "-subj", "/CN=courier.test", cwd=d)
    (d / "ext.cnf").write_text("subjectAltName=DNS:courier.test\nbasicConstraints=CA:FALSE\n"
                               "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    _openssl("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "srv.pem", "-days", "2", "-extfile", "ext.cnf", cwd=d)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = (b"<html><head><title>Secure harbour</title></head><body><article><p>The harbour "
                    b"master said the new gates would open in April, two months late.</p></article>"
                    b"</body></html>")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Seen-Host", self.headers.get("Host", ""))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(d / "srv.pem", d / "srv.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.handle_error = lambda *args: None  # clients refusing our certificate hang up
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], str(d / "ca.pem")
    server.shutdown()


@pytest.fixture
def names_to_localhost(monkeypatch, settings):
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        return real("127.0.0.1" if host.endswith(".test") else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = ["courier.test", "other.test"]


def test_https_to_the_pinned_address_verifies_the_certificate_name(tls_server, names_to_localhost,
                                                                   monkeypatch):
    port, ca = tls_server
    monkeypatch.setattr(fetch_module.certifi, "where", lambda: ca)
    result = fetch(f"https://courier.test:{port}/story")
    assert b"harbour master" in result.body
    assert result.headers["X-Seen-Host"] == f"courier.test:{port}"
    # Same address, another name: the certificate does not cover it.
    with pytest.raises(Unreachable, match="secure connection to other.test failed"):
        fetch(f"https://other.test:{port}/story")


def test_untrusted_certificate_is_refused(tls_server, names_to_localhost):
    port, _ca = tls_server
    with pytest.raises(Unreachable, match="secure connection to courier.test failed"):
        fetch(f"https://courier.test:{port}/story")
