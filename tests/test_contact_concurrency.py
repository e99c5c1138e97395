"""The site in real gunicorn processes: 100 parallel requests, and a shared rate limit."""

import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from contact.models import ConsultationRequest
from tests.contact_support import free_port, valid_data

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start_server(port, **env):
    db = connection.settings_dict  # the test database
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.contact_server_settings",
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "DB_POOL_MIN_SIZE": "1",
        "DB_POOL_MAX_SIZE": "2",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CONSULTATION_NOTIFY_EMAILS": "frontdesk@example.org",
        "LOG_LEVEL": "ERROR",
        **env,
    }
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [sys.executable, "-m", "gunicorn", "--access-logfile", "/dev/null"],
        cwd=ROOT,  # gunicorn.conf.py: production's worker settings
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped: " + process.stderr.read().decode()[-3000:])
        try:
            with urllib.request.urlopen(base + "/contact/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return process, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not answer within 30 s")


@pytest.fixture
def server():
    processes = []

    def start(**env):
        process, base = start_server(free_port(), **env)
        processes.append(process)
        return base

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Visitor:
    """One browser: its own cookies, CSRF token and form token."""

    def __init__(self, base, number):
        self.base = base
        self.number = number
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect
        )

    def open_form(self):
        with self.opener.open(self.base + "/contact/", timeout=30) as response:
            html = response.read().decode()
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        self.started = re.search(r'name="started" value="([^"]+)"', html).group(1)

    def send(self):
        data = valid_data(
            name=f"Visitor {self.number}",
            email=f"visitor{self.number}@example.org",
            started=self.started,
            csrfmiddlewaretoken=self.csrf,
        )
        request = urllib.request.Request(  # noqa: S310 - http:// to our own test server
            self.base + "/contact/",
            data=urllib.parse.urlencode(data).encode(),
            method="POST",
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers.get("Location")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location")


def open_forms(base, count):
    visitors = [Visitor(base, number) for number in range(count)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(Visitor.open_form, visitors))
    return visitors


def send_all_at_once(visitors):
    barrier = threading.Barrier(len(visitors))

    def go(visitor):
        barrier.wait(timeout=60)
        return visitor.send()

    with ThreadPoolExecutor(max_workers=len(visitors)) as pool:
        return list(pool.map(go, visitors))


def test_100_parallel_requests_are_all_stored_exactly_once(server, settings):
    base = server(CONSULTATION_RATE_LIMIT="1000", CONSULTATION_MIN_FILL_SECONDS="0")
    visitors = open_forms(base, 100)
    results = send_all_at_once(visitors)
    assert [status for status, _ in results] == [302] * 100, results
    assert {location for _, location in results} == {"/contact/thanks/"}
    names = list(ConsultationRequest.objects.values_list("name", flat=True))
    assert len(names) == 100
    assert sorted(names) == sorted(f"Visitor {n}" for n in range(100))
    assert ConsultationRequest.objects.filter(status="new").count() == 100
    # Each was queued with its request; the task worker announces each to staff once.
    settings.CONSULTATION_NOTIFY_EMAILS = ["frontdesk@example.org"]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert not ConsultationRequest.objects.filter(notified_at__isnull=True).exists()
    assert set(ConsultationRequest.objects.values_list("notify_attempts", flat=True)) == {1}

    # One person's form sent ten times at once (an impatient double click, a retry):
    # stored once, and each copy gets the thanks page.
    impatient = Visitor(base, "impatient")
    impatient.open_form()
    copies = send_all_at_once([impatient] * 10)
    assert copies == [(302, "/contact/thanks/")] * 10
    assert ConsultationRequest.objects.filter(name="Visitor impatient").count() == 1
    assert ConsultationRequest.objects.count() == 101


def test_the_rate_limit_holds_across_processes(server):
    base = server(CONSULTATION_RATE_LIMIT="5", CONSULTATION_MIN_FILL_SECONDS="0")
    visitors = open_forms(base, 30)
    statuses = sorted(status for status, _ in send_all_at_once(visitors))
    assert statuses == [302] * 5 + [429] * 25
    assert ConsultationRequest.objects.count() == 5
