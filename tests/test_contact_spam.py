"""Spam without puzzles: a honeypot field and a signed minimum fill time."""

import re
from pathlib import Path

import pytest
from django.core import mail

from contact.models import ConsultationRequest
from tests.contact_support import form_token, run_queued_tasks, valid_data

pytestmark = pytest.mark.django_db

URL = "/contact/"


@pytest.fixture(autouse=True)
def _recipients(settings):
    settings.CONSULTATION_NOTIFY_EMAILS = ["frontdesk@example.org"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def submit(client, data, capture):
    with capture(execute=True):
        response = client.post(URL, data)
    run_queued_tasks()  # the task worker's part
    return response


def test_a_person_gets_through_and_staff_are_emailed(client, django_capture_on_commit_callbacks):
    response = submit(client, valid_data(), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    saved = ConsultationRequest.objects.get()
    assert saved.status == "new" and saved.spam_reason == ""
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"website": "http://cheap-pills.example"}, "honeypot"),
        ({"started": None}, "missing or forged form token"),
        ({"started": "forged:token:value"}, "missing or forged form token"),
        ({"started": lambda: form_token()[:-2] + "xx"}, "missing or forged form token"),
    ],
)
def test_spam_gets_the_same_thanks_is_stored_flagged_and_not_emailed(
    client, settings, django_capture_on_commit_callbacks, changes, reason
):
    # Well above the "too fast" token's age, however slow the machine running this.
    settings.CONSULTATION_MIN_FILL_SECONDS = 30
    changes = {key: value() if callable(value) else value for key, value in changes.items()}
    response = submit(client, valid_data(**changes), django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/contact/thanks/"
    saved = ConsultationRequest.objects.get()
    assert saved.status == ConsultationRequest.Status.SPAM
    assert saved.spam_reason == reason
    assert mail.outbox == []
    assert not ConsultationRequest.objects.pending_notification().exists()


def test_a_fast_form_is_never_filed_as_spam_on_timing_alone(
    client, settings, django_capture_on_commit_callbacks
):
    """Autofill fills a form in a second: the request is kept, the front desk is
    emailed, and it waits in "possible spam" for someone to look, never purged."""
    settings.CONSULTATION_MIN_FILL_SECONDS = 30
    response = submit(
        client, valid_data(started=form_token(age=0.5)), django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    saved = ConsultationRequest.objects.get()
    assert saved.status == ConsultationRequest.Status.POSSIBLE_SPAM
    assert saved.spam_reason == "sent too fast"
    assert len(mail.outbox) == 1
    thanks = client.get(response["Location"]).content.decode()
    assert f"Your request number is <strong>{saved.pk}</strong>" in thanks


def test_minimum_fill_time_is_a_setting(client, settings, django_capture_on_commit_callbacks):
    settings.CONSULTATION_MIN_FILL_SECONDS = 120
    submit(client, valid_data(started=form_token(age=60)), django_capture_on_commit_callbacks)
    assert ConsultationRequest.objects.get().spam_reason == "sent too fast"


def test_a_token_from_the_future_is_forged(client, django_capture_on_commit_callbacks):
    submit(client, valid_data(started=form_token(age=-3600)), django_capture_on_commit_callbacks)
    assert ConsultationRequest.objects.get().status == "spam"


def test_the_form_issues_a_fresh_signed_token(client):
    html = client.get(URL).content.decode()
    token = re.search(r'name="started" value="([^"]+)"', html).group(1)
    from contact.forms import read_token

    submission_id, elapsed = read_token(token)
    assert -0.01 <= elapsed < 5  # the token keeps the time to 1/100 s, rounded


def test_honeypot_is_hidden_by_the_stylesheet_and_skipped_by_keyboards(client):
    html = client.get(URL).content.decode()
    trap = html[html.index('<div class="contact-hp">') :]
    trap = trap[: trap.index("</div>")]
    assert 'name="website"' in trap and 'tabindex="-1"' in trap and 'autocomplete="off"' in trap
    assert "<label" in trap  # labelled, in case the stylesheet does not load
    css = Path("static/css/site.css").read_text()
    assert re.search(r"\.contact-hp\s*\{\s*display:\s*none", css)


def test_no_puzzle_anywhere(client):
    html = client.get(URL).content.decode().lower()
    for word in ["captcha", "recaptcha", "hcaptcha", "turnstile", "what is", "puzzle"]:
        assert word not in html
