"""purge_consultation_requests: retention of requests, closed or not, and of the audit."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from contact.models import AccessEvent, ConsultationRequest
from spinesite.models import RateLimitHit

pytestmark = pytest.mark.django_db


def aged(status, days):
    item = ConsultationRequest.objects.create(
        name="Someone",
        phone="5550100142",
        preferred_contact="phone",
        consented_at=timezone.now(),
        status=status,
    )
    when = timezone.now() - timedelta(days=days)
    ConsultationRequest.objects.filter(pk=item.pk).update(created=when, updated=when)
    return item


def run(*args):
    out = StringIO()
    call_command("purge_consultation_requests", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def requests():
    return {
        "old_closed": aged("closed", 400),
        "old_spam": aged("spam", 366),
        "old_new": aged("new", 900),
        "old_contacted": aged("contacted", 900),
        "old_scheduled": aged("scheduled", 900),
        "recent_closed": aged("closed", 100),
        "recent_spam": aged("spam", 1),
        "old_possible_spam": aged("review", 900),  # never purged before someone looks
    }


def remaining():
    return set(ConsultationRequest.objects.values_list("pk", flat=True))


def test_dry_run_deletes_nothing_and_says_what_it_would_do(requests):
    before = remaining()
    output = run("--dry-run")
    assert remaining() == before
    assert "Dry run: would delete 5 request(s)" in output
    assert "1 closed, 3 never closed (closed now), 1 spam" in output
    assert f"#{requests['old_closed'].pk}" in output and "Nothing was deleted" in output


def test_deletes_requests_unchanged_for_the_retention_period_closed_or_not(requests):
    RateLimitHit.objects.create(
        scope="contact", client="x" * 64, created=timezone.now(), expires=timezone.now()
    )
    output = run()
    kept = {key for key, item in requests.items() if item.pk in remaining()}
    assert kept == {"recent_closed", "recent_spam", "old_possible_spam"}
    assert "Deleted 5 request(s)" in output and "(365 days ago)" in output
    purge = AccessEvent.objects.get()
    assert purge.username == "(retention purge)" and purge.action == "delete"
    assert len(purge.requests) == 5
    assert "Deleted 1 expired rate-limit count(s)" in output
    assert not RateLimitHit.objects.exists()
    assert "Deleted 0 request(s)" in run()  # running again is harmless


def test_retention_is_a_setting_and_an_option(requests, settings):
    settings.CONSULTATION_RETENTION_DAYS = 30
    assert "would delete 6 request(s)" in run("--dry-run")
    assert "would delete 7 request(s)" in run("--dry-run", "--days", "1")
    with pytest.raises(CommandError):
        run("--days", "0")


def test_purge_output_names_no_patient(requests):
    assert "Someone" not in run()


def test_open_requests_are_flagged_after_the_stale_period(settings):
    settings.CONSULTATION_STALE_DAYS = 90
    stale, fresh, closed = aged("contacted", 91), aged("new", 89), aged("closed", 200)
    assert list(ConsultationRequest.objects.stale()) == [stale]
    assert {fresh, stale} <= set(ConsultationRequest.objects.open())
    assert closed not in ConsultationRequest.objects.open()
