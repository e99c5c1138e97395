"""What patients send stays out of logs, error reports and emails."""

import logging

import pytest
from django.core import mail
from django.test import Client
from django.views.debug import ExceptionReporter

from contact.models import ConsultationRequest
from tests.contact_support import PATIENT, free_port, run_queued_tasks, valid_data

pytestmark = pytest.mark.django_db

URL = "/contact/"


def secrets_in(text):
    return [value for value in PATIENT.values() if value in text]


def test_the_view_marks_every_post_parameter_sensitive(client):
    response = client.post(URL, valid_data())
    request = response.wsgi_request
    assert request.sensitive_post_parameters == "__ALL__"
    from django.views.debug import get_default_exception_reporter_filter

    filtered = get_default_exception_reporter_filter().get_post_parameters(request)
    assert filtered and all(value == "********************" for value in filtered.values())


def test_an_error_report_holds_none_of_the_request(monkeypatch, settings):
    """If saving crashes, the report Django would email to ADMINS shows no patient data."""
    settings.ADMINS = [("Ops", "ops@example.org")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def explode(self, *args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(ConsultationRequest, "save", explode)
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client = Client(raise_request_exception=False)
        response = client.post(URL, valid_data())
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 500
    record = next(r for r in records if r.exc_info)
    for is_email in (True, False):
        reporter = ExceptionReporter(record.request, *record.exc_info, is_email=is_email)
        assert secrets_in(reporter.get_traceback_text()) == []
        assert secrets_in(reporter.get_traceback_html()) == []
    for message in mail.outbox:  # Django's own mail to ADMINS
        assert secrets_in(message.body) == []
        assert secrets_in(str(message.alternatives)) == []


def test_logs_hold_none_of_the_request(
    client, settings, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 1
    settings.CONSULTATION_NOTIFY_EMAILS = ["frontdesk@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid_data())  # stored; the mail server is down
        client.post(URL, valid_data(email="bad", message="<b>html</b>"))  # 400
        client.post(URL, valid_data(website="spam"))  # spam
    run_queued_tasks()  # the task worker's part, logging in the same way
    text = "\n".join(
        f"{r.getMessage()} {r.args!r} {getattr(r, 'request', '')!r}" for r in caplog.records
    )
    assert "Could not email staff about consultation request" in text
    assert secrets_in(text) == []
    assert "<b>html</b>" not in text


def test_the_privacy_filter_hides_admin_form_fields_too(admin_client):
    item = ConsultationRequest.objects.create(
        name="Ana", phone="5550100142", preferred_contact="phone", consented_at="2026-01-01T00:00Z"
    )
    response = admin_client.post(
        f"/admin/contact/consultationrequest/{item.pk}/change/",
        {"status": "closed", "internal_notes": "Diagnosed with something private"},
    )
    from django.views.debug import get_default_exception_reporter_filter

    report_filter = get_default_exception_reporter_filter()
    filtered = report_filter.get_post_parameters(response.wsgi_request)
    assert "Diagnosed" not in repr(filtered)
