"""Staff emails go out from the task worker, never from the patient's request: the
real worker (`manage.py db_worker`) against the test database and a real SMTP
server (aiosmtpd) that hangs until the test lets it answer."""

import asyncio
import subprocess
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from contact.models import ConsultationRequest
from tests.contact_support import SMTPServer, valid_data
from tests.production_support import BASE_DIR, PYTHON, database_url, production_env

pytestmark = pytest.mark.django_db(transaction=True)


class HangingHandler:
    """Takes each message, then says nothing until `release` is set."""

    def __init__(self):
        self.messages = []
        self.hanging = threading.Event()  # a sender is waiting for an answer
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.hanging.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def hanging_smtp():
    server = SMTPServer()
    server.handler = HangingHandler()
    server.start()
    yield server
    server.handler.release.set()
    server.stop()


@pytest.fixture
def worker(hanging_smtp, tmp_path):
    env = production_env(
        DATABASE_URL=database_url(connection.settings_dict),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(hanging_smtp.port),
        EMAIL_TIMEOUT="120",  # it hangs far longer than this test waits
        CONSULTATION_NOTIFY_EMAILS="frontdesk@example.org",
    )
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def submit_in_thread():
    """Send the form as a patient; return the thread and where its answer lands."""
    answer = {}

    def send():
        try:
            answer["status"] = Client().post("/contact/", valid_data()).status_code
        finally:
            connection.close()

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread, answer


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_hanging_mail_server_never_holds_the_patient(settings, hanging_smtp, worker):
    # The web side's own mail settings point at the hanging server too: were the
    # email sent in the request, the request would hang with it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", hanging_smtp.port
    settings.EMAIL_TIMEOUT = 120
    settings.CONSULTATION_NOTIFY_EMAILS = ["frontdesk@example.org"]
    handler = hanging_smtp.handler

    first, answer = submit_in_thread()
    first.join(timeout=30)
    assert answer.get("status") == 302, "the first patient's request did not return"
    # The worker takes the first notification and the mail server hangs on it.
    assert wait_for(handler.hanging.is_set), "the worker never reached the mail server"

    second, answer = submit_in_thread()
    second.join(timeout=30)
    assert answer.get("status") == 302
    # Answered while the mail server was still hanging, with nothing delivered yet.
    assert not handler.release.is_set() and handler.messages == []
    assert ConsultationRequest.objects.filter(notified_at__isnull=True).count() == 2

    # The mail server answers at last: both notifications go out, through the worker.
    handler.release.set()
    assert wait_for(
        lambda: not ConsultationRequest.objects.filter(notified_at__isnull=True).exists()
    ), "the worker did not send the notifications"
    numbers = sorted(
        int(m.original_content.split(b"#", 1)[1].split()[0]) for m in handler.messages
    )
    assert numbers == sorted(ConsultationRequest.objects.values_list("pk", flat=True))
    assert worker.poll() is None  # still running, ready for the next one
