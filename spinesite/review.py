"""Clinical sign-off, and signed preview links for clinicians without an admin login.

A member of the "Clinical reviewers" group (contact.groups makes it) approves a page
in admin; the reviewer, "last reviewed" and the next review date come from that act,
never typed by hand. The body's hash is kept, so an edit to the body afterwards shows
as "changed since clinical review" (in admin, and on the public page) until a
reviewer approves it again.

A preview link names one page and carries its own expiry, signed with SECRET_KEY
(django.core.signing): no table, nothing to clean up, and a changed link fails.
"""

from datetime import timedelta

import reversion
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from . import pagekinds

CLINICAL_REVIEWERS = "Clinical reviewers"
PREVIEW_SALT = "spinesite.review.preview"


def is_reviewer(user):
    return user.is_active and (
        user.is_superuser or user.groups.filter(name=CLINICAL_REVIEWERS).exists()
    )


def approve(page, user):
    """Record `user`'s approval of the page as it is now (a new version).

    The reviewer is the clinician whose staff login `user` is (the reviewer model,
    settings.PAGE_REVIEWER_MODEL, links logins by its `user` field), so the page names
    them with their credentials and links their profile; a reviewer whose login is no
    clinician's is named by their name. Kinds with no reviewer (a clinician's own
    profile) keep only the dates and the approved text.
    """
    _sign_off(page, user, "clinical review")


def approve_translation(row, user):
    """As approve(), for one translation (spinesite.translations): its own reviewer,
    dates and hash of the translated text, apart from the English page's and from
    other languages'. The version is kept with the English page's too, so the page's
    history shows who approved its translation."""
    _sign_off(
        row,
        user,
        f"clinical review of the {row.get_language_display()} translation",
        also=[row.page],
    )


def _sign_off(obj, user, what, also=()):
    """Set what the act of approving sets (never typed in), and save it as a version."""
    from .history import keep_baseline

    # A page that keeps no history of its own (the new patients page) is left out;
    # the version of what was approved is kept all the same.
    also = [each for each in also if reversion.is_registered(type(each))]
    for each in (obj, *also):
        keep_baseline(type(each), each.pk)
    today = timezone.localdate()
    fields = {field.name for field in obj._meta.get_fields()}
    if "reviewed_by" in fields:
        clinician = reviewer_of(user)
        obj.reviewed_by = clinician
        obj.reviewer_name = "" if clinician else user.get_full_name() or user.get_username()
        obj.reviewer_credentials = ""
    obj.last_reviewed = today
    obj.next_review_due = today + timedelta(days=settings.CLINICAL_REVIEW_INTERVAL_DAYS)
    obj.reviewed_hash = obj.review_digest()
    with reversion.create_revision():
        obj.save()
        for each in also:
            reversion.add_to_revision(each)
        reversion.set_user(user)
        reversion.set_comment(f"Approved by {approver(obj, user)} ({what}).")


def reviewer_of(user):
    """The clinician (settings.PAGE_REVIEWER_MODEL) whose login `user` is, or None."""
    model = apps.get_model(settings.PAGE_REVIEWER_MODEL)
    return model._base_manager.filter(user=user).first()


def approver(page, user=None):
    """Who approved the page, as admin and history say it."""
    if any(field.name == "reviewed_by" for field in page._meta.get_fields()):
        return page.reviewer or "a clinical reviewer"
    if user is not None:
        return user.get_full_name() or user.get_username()
    return "a clinical reviewer"


def preview_url(page, request):
    token = signing.dumps([page._meta.label, page.pk], salt=PREVIEW_SALT, compress=True)
    return request.build_absolute_uri(reverse("page_preview", args=[token]))


def preview(request, token):
    """One page as the public will see it, for whoever holds a valid link.

    The page is rendered by its kind's own view, which shows it through
    `PageQuerySet.visible_to`. Never indexed, never cached by anyone.
    """
    try:
        label, pk = signing.loads(token, salt=PREVIEW_SALT, max_age=settings.PREVIEW_LINK_SECONDS)
    except signing.SignatureExpired:
        return _refused(request, "This preview link has expired. Ask for a new one.", 410)
    except (signing.BadSignature, ValueError, TypeError):
        return _refused(request, "This preview link is not valid: it may be incomplete.", 400)
    kind = next((k for k in pagekinds.kinds() if k.key == label), None)
    page = kind.model._base_manager.filter(pk=pk).first() if kind else None
    if page is None:
        return _refused(request, "The page this link shows no longer exists.", 404)
    request.preview_page = (label, pk)
    view = _view_of(kind, page)
    response = view.func(request, *view.args, **view.kwargs)
    return _private(response)


def _view_of(kind, page):
    from django.urls import resolve

    return resolve(reverse(kind.url_name, args=[page.slug]))


def _refused(request, message, status):
    return _private(render(request, "preview_refused.html", {"message": message}, status=status))


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
