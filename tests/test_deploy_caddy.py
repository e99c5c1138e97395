"""The production set-up of docs/deploy.md, for real: Debian's Caddy with
deploy/Caddyfile in front of gunicorn (gunicorn.conf.py, production settings).

Slow clients cannot take the site down, the security headers and the HTTPS
redirect work through the proxy, Caddy replaces any X-Forwarded-* a client sends,
enforces the body limits, and serves /media/ itself with the site's own headers.
"""

import http.client
import json
import os
import socket
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from spinesite.media import INLINE_TYPES, MEDIA_CSP
from tests.caddy_support import Caddy
from tests.production_support import (
    Server,
    assert_security_headers,
    database_url,
    free_port,
    production_env,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, static_root, tmp_path_factory):
    """gunicorn (2 workers, as on a small server) behind Caddy, both as deployed."""
    work = tmp_path_factory.mktemp("deploy")
    media = work / "media"
    (media / "videos").mkdir(parents=True)
    with django_db_blocker.unblock():
        db = database_url(connection.settings_dict)
    https_port = free_port()
    env = production_env(
        DATABASE_URL=db,
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SITE_URL=f"https://localhost:{https_port}",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media),
        TRUST_X_FORWARDED_FOR="true",
    )
    server = Server(env, work, workers=2).start()
    caddy = Caddy(f"127.0.0.1:{server.port}", media, work)
    caddy.https_port = https_port
    try:
        caddy.start()
        yield caddy, server, media
    finally:
        caddy.stop()
        server.stop()


def https(caddy, method, path, body=None, headers=None, timeout=10):
    conn = http.client.HTTPSConnection(
        "localhost", caddy.https_port, context=caddy.ssl_context(), timeout=timeout
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def in_log(server, text, timeout=5):
    """Whether gunicorn's log shows `text` (it writes the access line just after
    the response goes out)."""
    deadline = time.monotonic() + timeout
    while text not in server.log():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


# Through the proxy: HTTPS, headers, redirect, X-Forwarded-*
# ------------------------------------------------------------------------------


def test_pages_over_https_carry_every_security_header(stack):
    caddy, server, _ = stack
    status, headers, body = https(caddy, "GET", "/")
    assert status == 200, server.log()
    assert_security_headers(headers)
    # Django saw the request as HTTPS (X-Forwarded-Proto from Caddy, trusted by
    # gunicorn from 127.0.0.1): HSTS is only ever sent on secure requests.
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    status, headers, _ = https(caddy, "GET", "/accounts/login/")  # staff log in on allauth's page
    assert status == 200
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("csrftoken=") and "Secure" in cookie and "HttpOnly" in cookie


def test_plain_http_is_redirected_to_https(stack):
    caddy, server, _ = stack
    conn = http.client.HTTPConnection("localhost", caddy.http_port, timeout=10)
    conn.request("GET", "/conditions/?region=neck")
    response = conn.getresponse()
    assert response.status in (301, 308)
    assert response.headers["Location"].startswith("https://localhost")
    assert response.headers["Location"].endswith("/conditions/?region=neck")
    conn.close()
    assert "/conditions/" not in server.log()  # Caddy answered it alone


class Echo(BaseHTTPRequestHandler):
    """An upstream that answers with the headers and body size it was sent."""

    def do_GET(self):  # noqa: N802 - http.server's API
        self.do_POST()

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        out = json.dumps({"headers": dict(self.headers), "length": len(body)}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


def test_caddy_replaces_forwarded_headers_a_client_sends(tmp_path):
    echo = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=echo.serve_forever, daemon=True).start()
    caddy = Caddy(f"127.0.0.1:{echo.server_address[1]}", tmp_path, tmp_path)
    try:
        caddy.start()
        forged = {
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "http",
            "X-Forwarded-Host": "evil.example",
        }
        status, _, body = https(caddy, "GET", "/", headers=forged)
        assert status == 200
        seen = json.loads(body)["headers"]
        assert seen["X-Forwarded-For"] == "127.0.0.1"  # the client's real address
        assert seen["X-Forwarded-Proto"] == "https"
        assert seen["X-Forwarded-Host"] == f"localhost:{caddy.https_port}"
        assert seen["Host"] == f"localhost:{caddy.https_port}"
        # A body within the limit reaches the upstream whole.
        status, _, body = https(caddy, "POST", "/contact/", body=b"x" * 60_000)
        assert json.loads(body)["length"] == 60_000
    finally:
        caddy.stop()
        echo.shutdown()


# Body limits
# ------------------------------------------------------------------------------


def test_caddy_refuses_large_bodies_before_gunicorn_sees_them(stack):
    caddy, server, _ = stack
    status, _, body = https(caddy, "POST", "/contact/", body=b"x" * 100_000)
    assert status == 413
    # In chunks, without a Content-Length: cut at the limit.
    chunks = iter([b"x" * 10_000] * 10)
    status, _, _ = https(caddy, "POST", "/feedback/", body=chunks)  # http.client chunks it
    assert status == 413
    # The site never saw the first (nor would a body over the limit reach it whole).
    assert "POST /contact/" not in server.log()


def test_larger_bodies_reach_the_site_only_on_staff_paths(stack):
    caddy, server, _ = stack
    # Through Caddy to the site, which refuses it: the visitor is not staff.
    status, _, body = https(caddy, "POST", "/admin/videos/video/add/", body=b"x" * 1_000_000)
    assert status == 413
    assert b"too much to send" in body  # the site's page, not Caddy's
    assert in_log(server, '"POST /admin/videos/video/add/ HTTP/1.1" 413')


# Uploads, served by Caddy
# ------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", [*INLINE_TYPES, ".html", ".svg", ".js", ""])
def test_media_is_served_by_caddy_as_the_site_would(stack, extension):
    caddy, server, media = stack
    name = f"videos/file{extension}"
    (media / name).write_bytes(b"<script>alert(1)</script>")
    status, headers, body = https(caddy, "GET", f"/media/{name}")
    assert status == 200
    assert body == b"<script>alert(1)</script>"
    assert headers["Server"] == "Caddy" and f"/media/{name}" not in server.log()
    if extension in INLINE_TYPES:
        assert headers["Content-Type"] == INLINE_TYPES[extension]
        assert headers.get("Content-Disposition") is None
    else:
        assert headers["Content-Type"] == "application/octet-stream"
        assert headers["Content-Disposition"].startswith("attachment")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == MEDIA_CSP
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_media_ranges_and_hostile_names(stack):
    caddy, _, media = stack
    (media / "videos" / "walk.mp4").write_bytes(bytes(range(100)))
    status, headers, body = https(
        caddy, "GET", "/media/videos/walk.mp4", headers={"Range": "bytes=10-19"}
    )
    assert (status, body) == (206, bytes(range(10, 20)))
    for path, expected in [
        ("/media/videos/" + "a" * 300 + ".mp4", 404),
        ("/media/videos/" + "%C3%A9" * 200 + ".mp4", 404),
        ("/media/../../etc/passwd", 404),
        ("/media/videos/nothing.mp4", 404),
    ]:
        assert https(caddy, "GET", path)[0] == expected, path
    status, _, _ = https(
        caddy, "GET", "/media/videos/walk.mp4", headers={"Range": "bytes=" + "9" * 5000 + "-"}
    )
    assert status == 416


# Slow clients
# ------------------------------------------------------------------------------


class SlowClient(threading.Thread):
    """One connection that sends or reads a byte a second until `stop` is set, and
    connects again if the server gives up on it."""

    def __init__(self, caddy, kind, stop):
        super().__init__(daemon=True)
        self.caddy, self.kind, self.stop = caddy, kind, stop
        self.connected = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.once()
            except OSError:
                time.sleep(0.2)

    def once(self):
        raw = socket.socket()
        if self.kind == "slow-read":
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.settimeout(15)
        raw.connect(("127.0.0.1", self.caddy.https_port))
        with self.caddy.ssl_context().wrap_socket(raw, server_hostname="localhost") as sock:
            if self.kind == "slow-header":
                sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
                trickle = b"X-Slow: y\r\n"
            elif self.kind == "slow-body":
                sock.sendall(
                    b"POST /contact/ HTTP/1.1\r\nHost: localhost\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n"
                    b"Content-Length: 60000\r\n\r\nname="
                )
                trickle = b"a"
            else:
                sock.sendall(b"GET /media/videos/big.mp4 HTTP/1.1\r\nHost: localhost\r\n\r\n")
                trickle = None
            self.connected.set()
            while not self.stop.wait(1):
                if trickle:
                    sock.sendall(trickle)
                elif not sock.recv(1):
                    return


def test_slow_clients_cannot_take_the_site_down(stack):
    """50 slow-header, 50 slow-body and 20 slow-reading connections at once, the
    readers on a 20 MB video: a normal page still answers in under a second.

    With sync workers and the video served by the site, as before, the page did not
    answer at all while they held on (the probes time out)."""
    caddy, server, media = stack
    (media / "videos" / "big.mp4").write_bytes(os.urandom(20 * 1024 * 1024))
    assert https(caddy, "GET", "/")[0] == 200  # the page, ready and cached

    stop = threading.Event()
    clients = [
        SlowClient(caddy, kind, stop)
        for kind, count in (("slow-header", 50), ("slow-body", 50), ("slow-read", 20))
        for _ in range(count)
    ]
    try:
        for client in clients:
            client.start()
        assert all(client.connected.wait(30) for client in clients)
        time.sleep(1.5)  # every one of them now holds on to its connection

        timings = []
        for _ in range(10):
            started = time.monotonic()
            status, _, body = https(caddy, "GET", "/", timeout=10)
            timings.append(time.monotonic() - started)
            assert status == 200 and b"site-header" in body
            time.sleep(0.2)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=5)
    # Robust on a busy machine: the typical probe, and nearly all of them, under 1 s.
    assert statistics.median(timings) < 1, timings
    assert sorted(timings)[8] < 1, timings
    assert "/media/videos/big.mp4" not in server.log()
