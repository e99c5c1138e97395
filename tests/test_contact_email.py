"""Staff notifications through a real SMTP server (aiosmtpd) that the tests start and stop."""

import email
import email.policy
import logging
import threading
import time

import pytest
from django.core.management import CommandError, call_command

from contact.models import ConsultationRequest
from contact.notifications import FAILED, SENT, SKIPPED, notify
from spinesite.models import ClinicDetails
from tests.contact_support import (
    PATIENT,
    SMTPServer,
    free_port,
    run_queued_tasks,
    valid_data,
)

URL = "/contact/"
STAFF = ["frontdesk@example.org", "manager@example.org"]


@pytest.fixture
def mail_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens until a test starts a server
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.CONSULTATION_NOTIFY_EMAILS = STAFF
    settings.DEFAULT_FROM_EMAIL = "website@example.org"
    settings.SITE_URL = "https://clinic.example"
    return settings


@pytest.fixture
def smtp(mail_settings):
    server = SMTPServer(port=mail_settings.EMAIL_PORT).start()
    yield server
    server.stop()


def submit(client, capture, **changes):
    """Send the form, then let the task worker do its part."""
    with capture(execute=True):
        response = client.post(URL, valid_data(**changes))
    assert response.status_code == 302 and response["Location"] == "/contact/thanks/"
    run_queued_tasks()
    return ConsultationRequest.objects.latest("pk")


def parse(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


@pytest.mark.django_db
def test_staff_are_emailed_the_number_and_a_link_only(
    client, smtp, django_capture_on_commit_callbacks
):
    saved = submit(client, django_capture_on_commit_callbacks, topic="other")
    assert len(smtp.messages) == 1
    envelope = smtp.messages[0]
    assert sorted(envelope.rcpt_tos) == sorted(STAFF)
    message = parse(envelope)
    clinic = ClinicDetails.get_solo().name
    assert message["Subject"] == f"[{clinic}] New consultation request #{saved.pk}"
    assert message["From"] == "website@example.org"
    body = message.get_content()
    link = f"https://clinic.example/admin/contact/consultationrequest/{saved.pk}/change/"
    assert link in body
    raw = envelope.original_content.decode("utf-8", "replace")
    for value in PATIENT.values():
        assert value not in raw
    for word in ["Ana", "Quintero", "0142", "Sciatica", "morning"]:
        assert word not in raw
    saved.refresh_from_db()
    assert saved.notified_at is not None and saved.notify_attempts == 1


@pytest.mark.django_db
def test_nothing_lost_while_the_mail_server_is_down_and_the_retry_delivers_later(
    client, mail_settings, django_capture_on_commit_callbacks, caplog
):
    # Nobody listens on EMAIL_PORT: the patient still lands on the thanks page.
    started = time.monotonic()
    first = submit(client, django_capture_on_commit_callbacks)
    second = submit(client, django_capture_on_commit_callbacks, name="Bo Second")
    assert time.monotonic() - started < 5
    for saved in (first, second):
        saved.refresh_from_db()
        assert saved.notified_at is None and saved.notify_attempts == 1
    assert "send_pending_notifications will retry" in caplog.text

    # The retry command with the server still down: it says so and keeps them.
    with pytest.raises(CommandError, match="left for the next run"):
        call_command("send_pending_notifications")
    assert ConsultationRequest.objects.pending_notification().count() == 2

    # The server is back: the retry delivers each one once.
    server = SMTPServer(port=mail_settings.EMAIL_PORT).start()
    try:
        call_command("send_pending_notifications")
        call_command("send_pending_notifications")  # nothing left: sends nothing more
    finally:
        server.stop()
    subjects = sorted(parse(m)["Subject"] for m in server.messages)
    assert len(subjects) == 2
    assert subjects[0].endswith(f"#{first.pk}") and subjects[1].endswith(f"#{second.pk}")
    assert not ConsultationRequest.objects.pending_notification().exists()


@pytest.mark.django_db
def test_a_server_that_stops_mid_way(client, smtp, django_capture_on_commit_callbacks):
    submit(client, django_capture_on_commit_callbacks)
    smtp.stop()
    saved = submit(client, django_capture_on_commit_callbacks)
    saved.refresh_from_db()
    assert saved.notified_at is None
    assert ConsultationRequest.objects.count() == 2
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_a_refused_message_stays_pending(client, smtp, django_capture_on_commit_callbacks):
    smtp.handler.refuse = True
    saved = submit(client, django_capture_on_commit_callbacks)
    saved.refresh_from_db()
    assert saved.notified_at is None
    with pytest.raises(CommandError):
        call_command("send_pending_notifications")
    smtp.handler.refuse = False
    call_command("send_pending_notifications")
    saved.refresh_from_db()
    assert saved.notified_at is not None and saved.notify_attempts == 3
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_spam_is_never_emailed(client, smtp, django_capture_on_commit_callbacks):
    submit(client, django_capture_on_commit_callbacks, website="http://spam.example")
    call_command("send_pending_notifications")
    assert smtp.messages == []
    spam = ConsultationRequest.objects.get()
    assert notify(spam.pk) == SKIPPED


@pytest.mark.django_db
def test_without_recipients_nothing_is_sent_and_the_request_waits(
    client, smtp, mail_settings, django_capture_on_commit_callbacks, caplog
):
    mail_settings.CONSULTATION_NOTIFY_EMAILS = []
    saved = submit(client, django_capture_on_commit_callbacks)
    assert smtp.messages == []
    assert "CONSULTATION_NOTIFY_EMAILS is empty" in caplog.text
    assert notify(saved.pk) == FAILED
    mail_settings.CONSULTATION_NOTIFY_EMAILS = STAFF
    assert notify(saved.pk) == SENT
    assert notify(saved.pk) == SKIPPED


@pytest.mark.django_db
def test_subject_is_header_injection_safe(client, smtp, django_capture_on_commit_callbacks):
    clinic = ClinicDetails.get_solo()
    clinic.name = "Spine\r\nBcc: attacker@example.net\r\n\r\nInjected body"
    clinic.save()
    saved = submit(client, django_capture_on_commit_callbacks)
    assert len(smtp.messages) == 1
    envelope = smtp.messages[0]
    assert sorted(envelope.rcpt_tos) == sorted(STAFF)
    message = parse(envelope)
    assert message["Bcc"] is None
    subject = str(message["Subject"])
    assert "\n" not in subject and "\r" not in subject
    assert subject == (
        f"[Spine Bcc: attacker@example.net Injected body] New consultation request #{saved.pk}"
    )
    assert "Injected body" not in message.get_content()


@pytest.mark.django_db(transaction=True)
def test_two_retry_runs_at_once_send_each_notification_once(mail_settings, caplog):
    caplog.set_level(logging.WARNING)
    pending = [
        ConsultationRequest.objects.create(
            name=f"Person {i}",
            phone="5550100142",
            preferred_contact="phone",
            consented_at="2026-01-01T00:00Z",
        )
        for i in range(6)
    ]
    server = SMTPServer(port=mail_settings.EMAIL_PORT)
    server.handler.delay = 0.2  # slow enough for the two runs to overlap
    server.start()
    errors = []

    def run():
        try:
            call_command("send_pending_notifications")
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            from django.db import connection

            connection.close()

    try:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        server.stop()
    assert errors == []
    numbers = sorted(int(parse(m)["Subject"].rsplit("#", 1)[1]) for m in server.messages)
    assert numbers == sorted(p.pk for p in pending)
    assert not ConsultationRequest.objects.pending_notification().exists()
