from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from spinesite import ratelimit
from spinesite.contentsnapshot import layout
from spinesite.pagecache import PersonalPage

from .forms import OTHER, TOO_FAST, ConsultationForm, new_token, read_token
from .models import ConsultationRequest
from .tasks import send_notification

# A filled-in form is a few kilobytes; anything much bigger is not from this form.
MAX_BODY_BYTES = 32 * 1024
RATE_LIMIT_SCOPE = "contact"
THANKS_SESSION_KEY = "contact_reference"


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_request(request):
    if request.method == "POST":
        return submit(request)
    return blank_form(request, preselected_topic(request), request.GET.get("location", ""))


def preselected_topic(request):
    """The condition named in ?condition=<slug>, if it is one we list."""
    slug = request.GET.get("condition", "")
    if slug and slug != OTHER:
        choices = dict(ConsultationForm.base_fields["topic"].choices)
        if slug in choices:
            return slug
    return OTHER


# The blank form is the same for every visitor but for two tokens: Django's CSRF
# token and the signed time the form was shown. It is rendered with a slot for each,
# which fill_tokens() fills in; the page cache keeps the rendered form for anonymous
# visitors and calls fill_tokens() for each of them (spinesite.pagecache.PersonalPage).
# The response stays private (never_cache).
CSRF_SLOT, STARTED_SLOT = "\ufdd2csrf\ufdd2", "\ufdd2started\ufdd2"
csrf = CsrfViewMiddleware(lambda request: None)


def blank_form(request, topic, location=""):
    form = ConsultationForm(
        initial={"topic": topic, "location": location}, locations=_locations(request)
    )
    context = {"form": form, "form_token": STARTED_SLOT, "csrf_token": CSRF_SLOT}
    page = render_to_string("contact/form.html", context, request)
    response = fill_tokens(request, page)
    response.personal_page = PersonalPage(fill_tokens, page)
    return response


def _locations(request):
    return layout(request).get("locations", [])


def fill_tokens(request, page):
    """The blank form with this visitor's own tokens.

    Django's CSRF middleware hooks run here, because the page cache calls this
    without the middleware: the visitor's CSRF cookie is read (so a form open in
    another tab still submits), or made and set, as for any other view.
    """
    csrf.process_request(request)
    page = page.replace(CSRF_SLOT, get_token(request)).replace(STARTED_SLOT, new_token())
    return csrf.process_response(request, HttpResponse(page))


def show_form(request, form, token, status=200):
    errors = form.error_list() if form.is_bound else []
    return render(
        request,
        "contact/form.html",
        {"form": form, "form_token": token, "error_summary": errors},
        status=status,
    )


@sensitive_variables()
def submit(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return render(request, "413.html", status=413)

    form = ConsultationForm(request.POST, locations=_locations(request))
    if not form.is_valid():
        # 400, with every error explained and everything typed kept. The form keeps
        # its original token, so the time spent fixing errors counts as filling time.
        posted = request.POST.get("started", "")
        token = posted if read_token(posted) else new_token()
        return show_form(request, form, token, status=400)

    consultation = form.build_request()
    consultation.consented_at = timezone.now()
    consultation.submission_id = form.submission_id()
    spam_reason = form.spam_reason(settings.CONSULTATION_MIN_FILL_SECONDS)
    if spam_reason == TOO_FAST:
        # A person whose browser filled the form in (autofill) is fast too: never
        # dropped on timing alone. The front desk is told and reviews it.
        consultation.status = ConsultationRequest.Status.POSSIBLE_SPAM
        consultation.spam_reason = spam_reason
        spam_reason = ""
    elif spam_reason:
        # Same answer as for anyone else: a bot learns nothing; staff are not emailed.
        consultation.status = ConsultationRequest.Status.SPAM
        consultation.spam_reason = spam_reason

    stored = store(request, consultation, notify=not spam_reason)
    if stored is None:
        return ratelimit.too_many_requests(request)
    # The thanks page names the request's number; the session holds it, never the URL.
    request.session[THANKS_SESSION_KEY] = stored.pk
    return redirect("contact:thanks")


@sensitive_variables()
def store(request, consultation, notify):
    """Store the request, or find it stored already; None if the client is over the limit.

    The same form with the same words sent again (a double click, a retried POST) is
    found inside the transaction, under a lock on its submission id, before anything
    is inserted: an INSERT that failed on the unique constraint would put the
    patient's words in PostgreSQL's server log, which keeps failed statements.
    """
    with transaction.atomic():
        if consultation.submission_id is not None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended(%s, 14))",
                    [str(consultation.submission_id)],
                )
            existing = ConsultationRequest.objects.filter(
                submission_id=consultation.submission_id
            ).first()
            if existing is not None:
                return existing
        if not ratelimit.hit(request, RATE_LIMIT_SCOPE, settings.CONSULTATION_RATE_LIMIT):
            return None
        consultation.save()
        if notify:
            # Queued in this transaction: committed with the request, or not at all.
            # The task worker sends the email, never this request.
            send_notification.enqueue(consultation.pk)
    return consultation


# Nothing on it is personal, but that it was seen is: it follows a request sent.
@never_cache
@require_GET
def thanks(request):
    # Shown once: a reload or a shared computer's next visitor sees no number.
    reference = request.session.pop(THANKS_SESSION_KEY, None)
    return render(request, "contact/thanks.html", {"reference": reference})


@require_GET
def privacy(request):
    return render(
        request,
        "contact/privacy.html",
        {
            "retention_days": settings.CONSULTATION_RETENTION_DAYS,
            "stale_days": settings.CONSULTATION_STALE_DAYS,
            "feedback_days": settings.FEEDBACK_COMMENT_RETENTION_DAYS,
            "audit_years": round(settings.AUDIT_RETENTION_DAYS / 365.25, 1),
        },
    )
