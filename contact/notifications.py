"""Tell the front desk that a request arrived, without a word of what it says.

The email names the request's number and links to it in admin; nothing else, so
that no health information travels by email. It is sent by the task worker
(contact.tasks), never in the patient's request. A failed send is logged (without the
request's content) and leaves the request marked as not notified, for
`manage.py send_pending_notifications` to retry.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from spinesite.models import ClinicDetails

from .models import ConsultationRequest

logger = logging.getLogger(__name__)

# What `notify` did.
SENT = "sent"
SKIPPED = "skipped"  # already notified, spam, or another process is sending it right now
FAILED = "failed"


def one_line(text, limit=200):
    """Header-safe: no line breaks or control characters, bounded length."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(cleaned.split())[:limit]


def build_message(request_id, connection=None, language=None):
    """The email to staff, in `language`: the one the patient asked to be answered in,
    when the site has it (`page_language`), so that staff see from the subject at once
    that the patient needs a Spanish speaker."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _build_message(request_id, connection)


def _build_message(request_id, connection=None):
    context = {
        "number": request_id,
        "clinic_name": one_line(ClinicDetails.get_solo().name, 80),
        "admin_url": settings.SITE_URL + ConsultationRequest(pk=request_id).get_admin_url(),
    }
    subject = one_line(render_to_string("contact/email/notify_subject.txt", context))
    body = render_to_string("contact/email/notify_body.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=settings.CONSULTATION_NOTIFY_EMAILS,
        connection=connection,
    )


def notify(request_id, connection=None):
    """Email staff about one request unless already done or being done: SENT, SKIPPED or FAILED.

    The row stays locked while the email is sent, and a row another process holds is
    skipped: two senders at once (the web request and the cron command, or two cron
    runs) never send the same notification twice.
    """
    if not settings.CONSULTATION_NOTIFY_EMAILS:
        logger.warning(
            "Consultation request #%s not notified: CONSULTATION_NOTIFY_EMAILS is empty.",
            request_id,
        )
        return FAILED
    with transaction.atomic():
        locked = list(
            ConsultationRequest.objects.pending_notification()
            .select_for_update(skip_locked=True)
            .filter(pk=request_id)
            .values_list("preferred_language", flat=True)
        )
        if not locked:
            return SKIPPED
        rows = ConsultationRequest.objects.filter(pk=request_id)
        try:
            build_message(request_id, connection, page_language(locked[0])).send()
        except Exception as error:  # noqa: BLE001 - any failure: keep it for the retry
            rows.update(notify_attempts=F("notify_attempts") + 1)
            logger.warning(
                "Could not email staff about consultation request #%s (%s); "
                "send_pending_notifications will retry.",
                request_id,
                type(error).__name__,
            )
            return FAILED
        rows.update(notified_at=timezone.now(), notify_attempts=F("notify_attempts") + 1)
    return SENT


def page_language(preferred):
    """The site's language for an email about a request: the patient's preferred
    language when the site has it, else the default."""
    codes = {code for code, _name in settings.LANGUAGES}
    return preferred if preferred in codes else settings.LANGUAGE_CODE
