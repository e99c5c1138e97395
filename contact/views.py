from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from spinesite.pagecache import PersonalPage

from . import ratelimit
from .forms import OTHER, ConsultationForm, new_token, read_token
from .models import ConsultationRequest
from .tasks import send_notification

# A filled-in form is a few kilobytes; anything much bigger is not from this form.
MAX_BODY_BYTES = 32 * 1024
RATE_LIMIT_SCOPE = "contact"


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_request(request):
    if request.method == "POST":
        return submit(request)
    return blank_form(request, preselected_topic(request))


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


def blank_form(request, topic):
    form = ConsultationForm(initial={"topic": topic})
    context = {"form": form, "form_token": STARTED_SLOT, "csrf_token": CSRF_SLOT}
    page = render_to_string("contact/form.html", context, request)
    response = fill_tokens(request, page)
    response.personal_page = PersonalPage(fill_tokens, page)
    return response


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

    form = ConsultationForm(request.POST)
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
    if spam_reason:
        # Same answer as for anyone else: a bot learns nothing; staff are not emailed.
        consultation.status = ConsultationRequest.Status.SPAM
        consultation.spam_reason = spam_reason

    try:
        stored = store(request, consultation, notify=not spam_reason)
    except IntegrityError:
        # The same form with the same words, sent again (a double click, a retried
        # POST): it is stored already. (Back, edit and send is a new request.)
        if consultation.submission_id is None or not (
            ConsultationRequest.objects.filter(submission_id=consultation.submission_id).exists()
        ):
            raise
        stored = True
    if not stored:
        return ratelimit.too_many_requests(request)
    return redirect("contact:thanks")


@sensitive_variables()
def store(request, consultation, notify):
    """Count the client's hit and commit the request together; False if over the limit."""
    with transaction.atomic():
        if not ratelimit.hit(request, RATE_LIMIT_SCOPE, settings.CONSULTATION_RATE_LIMIT):
            return False
        consultation.save()
        if notify:
            # Queued in this transaction: committed with the request, or not at all.
            # The task worker sends the email, never this request.
            send_notification.enqueue(consultation.pk)
    return True


# Nothing on it is personal, but that it was seen is: it follows a request sent.
@never_cache
@require_GET
def thanks(request):
    return render(request, "contact/thanks.html")


@require_GET
def privacy(request):
    return render(
        request,
        "contact/privacy.html",
        {"retention_days": settings.CONSULTATION_RETENTION_DAYS},
    )
