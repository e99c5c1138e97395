"""The site under gunicorn with production settings: what a clinic's server runs.

Each test starts real gunicorn processes (gunicorn.conf.py, the settings from a clean
environment) against the test database, and talks HTTP to them.
"""

import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from spinesite.ratelimit import client_address  # noqa: F401 - the limiter under test
from tests.contact_support import valid_data
from tests.factories import UserFactory
from tests.production_support import (
    GUNICORN,
    Browser,
    Server,
    assert_security_headers,
    database_url,
    free_port,
    production_env,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"


@pytest.fixture
def server_env(static_root):
    """Production's environment against the test database, on plain local HTTP."""
    return production_env(
        DATABASE_URL=database_url(connection.settings_dict),
        SECRET_KEY=settings.SECRET_KEY,  # the tests sign contact-form tokens with it
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(static_root),
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CONSULTATION_RATE_LIMIT="2",
    )


@pytest.fixture
def servers(server_env, tmp_path):
    """Start gunicorn servers with `server_env` (plus overrides); stop them afterwards."""
    started = []

    def start(count=1, **overrides):
        env = {**server_env, **overrides}
        env = {key: value for key, value in env.items() if value is not None}
        new = [Server(env, tmp_path).start() for _ in range(count)]
        started.extend(new)
        return new

    yield start
    for server in started:
        server.stop()


def test_two_app_servers_share_login_lockouts(servers):
    """Failed logins on either server count towards one lockout (django-axes in
    PostgreSQL): 3 on one and 2 on the other lock the account on both."""
    staff = UserFactory(is_staff=True)
    first, second = servers(count=2)
    assert first.port != second.port
    browser = Browser()
    wrong = {"login": staff.username, "password": "not the password"}
    statuses = [
        browser.post_form(f"{server.url}/accounts/login/", wrong).status
        for server in (first, second, first, second, first)
    ]
    # Four plain failures, then the fifth, across both servers, locks.
    assert statuses == [200, 200, 200, 200, 429]

    right = {"login": staff.username, "password": PASSWORD}
    for server in (first, second):
        response = browser.post_form(f"{server.url}/accounts/login/", right)
        assert response.status == 429, server.log()
        assert "Sign-in paused after too many failed attempts" in response.text
        assert_security_headers(response.headers)


def test_a_correct_login_on_any_server_works_before_the_limit(servers):
    """The control for the test above: below the limit, the right password works."""
    staff = UserFactory(is_staff=True)
    first, second = servers(count=2)
    browser = Browser()
    wrong = {"login": staff.username, "password": "not the password"}
    for server in (first, second):
        assert browser.post_form(f"{server.url}/accounts/login/", wrong).status == 200
    response = browser.post_form(
        f"{first.url}/accounts/login/", {"login": staff.username, "password": PASSWORD}
    )
    assert response.status == 302
    assert browser.get(f"{second.url}/admin/").status == 200  # the session is shared too


def test_two_app_servers_share_rate_limits(servers):
    """The contact form's limit (2 per hour here) counts requests to both servers."""
    first, second = servers(count=2)
    browser = Browser()
    statuses = [
        browser.post_form(f"{server.url}/contact/", valid_data()).status
        for server in (first, second, first)
    ]
    assert statuses == [302, 302, 429]


def test_production_headers_redirects_and_cookies_under_gunicorn(servers):
    """Defaults as in production (HTTPS redirect, Secure cookies, HSTS) behind a proxy
    that ends TLS and sets X-Forwarded-Proto (trusted from 127.0.0.1 by gunicorn)."""
    (server,) = servers(SECURE_SSL_REDIRECT=None, SECURE_COOKIES=None)
    browser = Browser()
    proxied = {"X-Forwarded-Proto": "https"}

    plain = browser.get(f"{server.url}/conditions/")
    assert plain.status == 301
    assert plain.headers["Location"] == f"https://127.0.0.1:{server.port}/conditions/"

    health = browser.get(f"{server.url}/healthz")  # load balancers check over HTTP
    assert health.status == 200

    home = browser.get(f"{server.url}/", headers=proxied)
    assert home.status == 200
    assert_security_headers(home.headers)
    assert home.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )

    login = browser.get(f"{server.url}/accounts/login/", headers=proxied)
    cookie = login.headers["Set-Cookie"]
    assert cookie.startswith("csrftoken=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in cookie, cookie


def test_access_log_has_no_query_strings(servers):
    (server,) = servers()
    browser = Browser()
    assert browser.get(f"{server.url}/conditions/?region=neck&q=my+private+words").status == 200
    deadline = time.monotonic() + 5
    while "GET /conditions/ HTTP/1.1" not in server.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    log = server.log()
    assert re.search(r'"GET /conditions/ HTTP/1\.1" 200 \d+', log), log
    assert "private" not in log
    assert "region=neck" not in log


def test_with_the_database_down_pages_are_500_in_the_site_design_and_healthz_is_503(
    servers, static_root
):
    (server,) = servers(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/spinesite",
        DB_CONNECT_TIMEOUT="2",
        DB_POOL_TIMEOUT="2",
    )
    browser = Browser()

    page = browser.get(f"{server.url}/")
    assert page.status == 500, server.log()
    assert "<h1>Sorry, something went wrong on our side</h1>" in page.text
    assert 'class="site-header"' in page.text
    assert "In an emergency, call 911." in page.text
    assert "OperationalError" not in page.text and "5432" not in page.text
    assert_security_headers(page.headers)
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page.text)
    assert stylesheet, page.text
    css = browser.get(f"{server.url}{stylesheet.group(1)}")
    assert css.status == 200
    assert css.headers["Content-Type"].startswith("text/css")

    health = browser.get(f"{server.url}/healthz")
    assert health.status == 503
    assert json.loads(health.body) == {"status": "unavailable"}
    assert "no-store" in health.headers["Cache-Control"]


def _sockets_of_workers(server):
    """[(the worker's listening sockets, its connections)] on the server's port, from /proc."""
    port = f"{server.port:04X}"
    states = {}  # socket inode: "0A" listening, "01" established
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if fields[1].endswith(f":{port}"):
                states[fields[9]] = fields[3]
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    found = []
    for pid in children.read_text().split():
        inodes = []
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                inodes.append(os.readlink(fd).removeprefix("socket:[").removesuffix("]"))
        listening = {inode for inode in inodes if states.get(inode) == "0A"}
        found.append((listening, [states.get(inode) for inode in inodes].count("01")))
    return found


def test_each_worker_takes_a_share_of_the_connections(server_env, tmp_path):
    """Each worker listens on a socket of its own (SO_REUSEPORT), and the kernel spreads
    new connections over them. On one shared socket, the worker that woke first could
    take every connection of a burst and keep them all (keep-alive): the other worker
    idle, and the site at half its speed (bench/http.sh had shown some pages served
    from the cache at 0.4 of the static file's rate, others at 1.2)."""
    # Counted while open: kept alive for longer than the test takes on a busy machine
    # (gunicorn closes an idle one after 2 s by default).
    env = {**server_env, "GUNICORN_CMD_ARGS": "--keep-alive 120"}
    server = Server(env, tmp_path, workers=2).start()
    try:
        deadline = time.monotonic() + 30
        while len(set().union(*(listening for listening, _ in _sockets_of_workers(server)))) < 2:
            assert time.monotonic() < deadline, (
                f"one socket for all: {_sockets_of_workers(server)}"
            )
            time.sleep(0.2)
        connections = []
        for _ in range(24):  # all on one worker by chance: one time in 8 million
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            connection.request("GET", "/healthz")
            assert connection.getresponse().read()
            connections.append(connection)
        shares = [served for _, served in _sockets_of_workers(server)]
        assert sum(shares) == 24 and min(shares) > 0, shares
    finally:
        server.stop()


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("127.0.0.1", timeout=10)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


@pytest.mark.parametrize("variable", ["GUNICORN_BIND", "GUNICORN_CMD_ARGS"])
def test_gunicorn_serves_on_a_unix_socket(server_env, tmp_path, variable):
    """A unix socket, in GUNICORN_BIND or gunicorn's own arguments: each worker's own
    socket (reuse_port) is for TCP only; asked for on a unix socket, every worker
    would exit at start."""
    path = tmp_path / "gunicorn.sock"
    address = f"unix:{path}" if variable == "GUNICORN_BIND" else f"--bind unix:{path}"
    env = {**server_env, variable: address, "WEB_CONCURRENCY": "1"}
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own gunicorn
            [GUNICORN], cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()
            with contextlib.suppress(OSError):
                connection = _UnixConnection(str(path))
                connection.request("GET", "/healthz")
                assert connection.getresponse().status == 200
                break
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=30)
