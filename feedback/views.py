from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from spinesite import ratelimit

from .forms import AnswerForm, CommentForm
from .models import Answer, FeedbackPage

RATE_LIMIT_SCOPE = "feedback"
TOKEN_SALT = "feedback.comment"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = 24 * 60 * 60  # seconds a reader has to add a comment to an answer


def from_this_site(request):
    """Whether the browser says this POST comes from one of the site's own pages."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.get_host()


@csrf_exempt
@require_POST
def answer(request):
    """Store a yes or no, then offer the optional comment. Works without JavaScript.

    CSRF-exempt on purpose: an anonymous yes/no acts for nobody (a forged one is no
    different from a real one, and the rate limit caps both), while a token would
    make every condition and video page personal and uncacheable. The comment form
    that follows keeps its token. Answers that browsers say were posted from
    another site are still refused (from_this_site), so no other site can make
    its visitors' browsers vote.
    """
    if not from_this_site(request):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/problem.html", {"reason": "answer"}, status=400)
    page = form.cleaned_data["page"]
    with transaction.atomic():
        if not ratelimit.hit(request, RATE_LIMIT_SCOPE, settings.FEEDBACK_RATE_LIMIT):
            return ratelimit.too_many_requests(request)
        feedback_page, _ = FeedbackPage.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(page), object_id=page.pk
        )
        stored = Answer.objects.create(
            page=feedback_page, helpful=form.cleaned_data["helpful"] == "yes"
        )
    # The signed id is what lets this reader, and only this reader, add a comment.
    return redirect("feedback:comment", token=signing.dumps(stored.pk, salt=TOKEN_SALT))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def comment(request, token):
    try:
        pk = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        stored = Answer.objects.select_related("page").get(pk=pk)
    except (signing.BadSignature, Answer.DoesNotExist):
        return render(request, "feedback/problem.html", {"reason": "link"}, status=400)
    context = {"answer": stored, "page": stored.page.page}
    if stored.comment:
        return render(request, "feedback/thanks.html", context)

    form = CommentForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return render(request, "feedback/comment.html", {**context, "form": form})
    if not form.is_valid():
        return render(request, "feedback/comment.html", {**context, "form": form}, status=400)
    text = form.cleaned_data["comment"]
    if text:
        with transaction.atomic():
            if not ratelimit.hit(request, RATE_LIMIT_SCOPE, settings.FEEDBACK_RATE_LIMIT):
                return ratelimit.too_many_requests(request)
            Answer.objects.filter(pk=stored.pk, comment="").update(comment=text)
    return render(request, "feedback/thanks.html", context)
