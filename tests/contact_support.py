"""Helpers for the contact tests (tests/test_contact_*.py)."""

import asyncio
import socket
import threading
import time
import uuid

from aiosmtpd.controller import Controller
from django.core import signing

from contact.forms import SIGNING_SALT

PATIENT = {
    "name": "Ana Quintero-Patient",
    "phone": "(555) 010-0142",
    "email": "ana.quintero@example.org",
    "message": "Sciatica in my left leg since March, worse when sitting.",
}


def form_token(age=60, submission_id=None):
    """A form token as the server signs it, issued `age` seconds ago."""
    return signing.dumps(
        {"id": (submission_id or uuid.uuid4()).hex, "t": round(time.time() - age, 2)},
        salt=SIGNING_SALT,
    )


def valid_data(**overrides):
    data = {
        **PATIENT,
        "preferred_contact": "phone",
        "preferred_time": "morning",
        "topic": "other",
        "consent": "on",
        "website": "",
        "started": form_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_design(response):
    """True if the page is a full page of the site, with the clinic's phone number."""
    html = response.content.decode()
    return (
        'href="/static/css/site.css"' in html
        and 'class="site-header"' in html
        and "tel:" in html
        and "Request a consultation" in html
    )


class RecordingHandler:
    """An aiosmtpd handler that keeps every message; optionally refuses or is slow."""

    def __init__(self):
        self.messages = []
        self.refuse = False
        self.delay = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 5.7.1 Message refused"
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.messages.append(envelope)
        return "250 OK"


class SMTPServer:
    """A real SMTP server on a local port that tests start and stop."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.handler = RecordingHandler()
        self.controller = None

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


def run_queued_tasks():
    """Run the queued tasks as the worker (`manage.py db_worker`) does, in this test's
    own transaction (the worker's loop would close the connection of a test that runs
    inside one). Returns how many ran. The worker itself: tests/test_contact_worker.py."""
    from django_tasks_db.models import DBTaskResult

    ran = 0
    for row in DBTaskResult.objects.ready().order_by("enqueued_at"):
        row.claim("tests")
        try:
            value = row.task.call(*row.task_result.args, **row.task_result.kwargs)
        except Exception as error:  # noqa: BLE001 - the worker records any failure
            row.set_failed(error)
        else:
            row.set_successful(value)
        ran += 1
    return ran
