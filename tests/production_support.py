"""Helpers for tests that run the site the way production does: settings read from a
clean environment in a subprocess, and real gunicorn servers."""

import http.cookiejar
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def database_url(settings_dict):
    """A DATABASE_URL for the database Django is connected to (the test database)."""
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def production_env(**overrides):
    """Only what production must set, plus `overrides` (None removes a variable)."""
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "SITE_URL": "https://example.org",
        "ENV_FILE": "",  # no .env: exactly this environment
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spinesite"
        ),
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(*args, env, timeout=120):
    return subprocess.run(  # noqa: S603 - our own scripts and interpreter
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def python(code, env, timeout=60):
    """Run `code` after django.setup() in a fresh interpreter with `env`."""
    return subprocess.run(  # noqa: S603 - our own scripts and interpreter
        [PYTHON, "-c", f"import django\ndjango.setup()\n{code}"],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "spinesite.settings"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def settings_in(env, *names):
    """The values of settings `names` as the site computes them from `env`."""
    result = python(
        "import json; from django.conf import settings\n"
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))",
        env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Background:
    """A server process a test starts (`self.process`), logging to `self.log_path`."""

    process = None
    log_path = None

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class Server(Background):
    """`gunicorn` as `make serve` runs it (gunicorn.conf.py), on a free local port."""

    def __init__(self, env, log_dir, workers=1):
        self.port = free_port()
        self.env = env
        self.workers = workers
        self.log_path = Path(log_dir) / f"gunicorn-{self.port}.log"
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30):
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        env["WEB_CONCURRENCY"] = str(self.workers)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn
                [GUNICORN], cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn stopped:\n{self.log()}")
            if "Booting worker" in self.log() and self._answers():
                return self
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start in {timeout} s:\n{self.log()}")

    def _answers(self):
        """True once a worker has loaded the site and answers (the port alone opens
        before that, and a request then can be reset on a loaded machine)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5):  # noqa: S310
                return True
        except urllib.error.HTTPError:
            return True  # it answered (e.g. with the HTTPS redirect or a 503)
        except OSError:
            return False


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """A minimal HTTP client with cookies that does not follow redirects."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def request(self, url, data=None, headers=None, timeout=30):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read())

    def get(self, url, **kwargs):
        return self.request(url, **kwargs)

    def post_form(self, url, data):
        """GET `url`, then POST `data` to it with the form's CSRF token."""
        page = self.get(url)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on {url}: {page.status}"
        return self.request(url, {**data, "csrfmiddlewaretoken": match.group(1)})


def parse_csp(value):
    """{directive: [sources]} from a Content-Security-Policy header."""
    policy = {}
    for part in value.split(";"):
        name, *sources = part.split()
        policy[name.lower()] = sources
    return policy


def assert_security_headers(headers):
    """The headers every response of the site carries, whatever its status."""
    policy = parse_csp(headers.get("Content-Security-Policy", ""))
    for directive, sources in policy.items():
        assert "'unsafe-inline'" not in sources, f"{directive} allows inline code"
        assert "'unsafe-eval'" not in sources, f"{directive} allows eval"
        assert "*" not in sources, f"{directive} allows any origin"
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert [s for s in policy["script-src"] if not s.startswith("'nonce-")] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["media-src"][0] == "'self'"
    assert sorted(policy["frame-src"]) == [
        "https://player.vimeo.com",
        "https://www.youtube-nocookie.com",
    ]
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") in (
        "strict-origin-when-cross-origin",
        "strict-origin",
        "same-origin",
        "no-referrer",
    )
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin"
    assert headers.get("X-Frame-Options") == "DENY"
    permissions = dict(
        item.strip().split("=", 1) for item in headers.get("Permissions-Policy", "").split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "interest-cohort"):
        assert permissions.get(feature) == "()", f"Permissions-Policy allows {feature}"
    return policy
