"""A translation's clinical sign-off in admin, and the review list of translations.

As an English page's (spinesite.adminlist, spinesite.review): a clinical reviewer selects
pages in their list and "Approve the Spanish translation as clinical reviewer", or
presses "Approve the Spanish translation" at the top of one page's change form (the
only way for a page with no list, such as the new patients page); the reviewer and
dates are set by that act, one language at a time, and an edit to the translated
text afterwards shows "changed since clinical review" in the page's admin, in the
review list on the admin home page and on the public page.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from . import review
from .translations import LANGUAGES, out_of_date, translation_of


def clinical_review(row):
    """A translation's own sign-off, as the English page's "Clinical review" says it
    (not shown for a kind no clinician reviews: translation_admin)."""
    if row is None or row.pk is None or not row.reviewed_hash:
        return (
            "Not approved by a clinical reviewer yet: once it is saved, a clinical "
            "reviewer presses \u201cApprove the "
            f"{row.get_language_display() if row else 'translation'} translation\u201d "
            "at the top of this page."
        )
    # The dates come with the approval; a row from before approvals kept them apart
    # may lack them, which must not break the admin page.
    when = f" on {row.last_reviewed:%b %d, %Y}" if row.last_reviewed else ""
    approved = f"Approved by {review.approver(row)}{when}."
    if row.changed_since_review:
        return format_html(
            '<strong class="translation-changed">{}</strong> {} {}',
            "Changed since clinical review.",
            approved,
            "Ask a reviewer to approve it again.",
        )
    return approved


def approve_translation_action(language, name):
    """The admin action approving the selected pages' translations into `language`."""

    def action(modeladmin, request, queryset):
        if not review.is_reviewer(request.user):  # get_actions offers it to them only
            return
        model = translation_of(modeladmin.model)
        rows = model.objects.filter(page__in=queryset.values("pk"), language=language)
        approved = 0
        for row in rows.select_related("page"):
            review.approve_translation(row, request.user)
            approved += 1
        missing = queryset.count() - approved
        modeladmin.message_user(
            request,
            f"You approved {approved} {name} translation(s); the next review is due in "
            f"{settings.CLINICAL_REVIEW_INTERVAL_DAYS} days."
            + (f" {missing} selected page(s) have no {name} translation." if missing else ""),
            messages.SUCCESS if approved else messages.WARNING,
        )

    action.__name__ = f"approve_translation_{language}"
    action.short_description = f"Approve the {name} translation as clinical reviewer"
    return action


# Approving from the change form (TranslatedAdmin: its URL, its buttons)
# ------------------------------------------------------------------------------
def approve_url_name(model):
    opts = model._meta
    return f"{opts.app_label}_{opts.model_name}_approve_translation"


def approve_buttons(model_admin, request, object_id):
    """[(label, url)]: one button per language the page has a translation in, on its
    change form, for a clinical reviewer and a kind whose translations clinicians
    review; none for anyone else."""
    translated = translation_of(model_admin.model)
    if not (object_id and translated.clinically_reviewed and review.is_reviewer(request.user)):
        return []
    # get_object, not the address as it is: a mangled id is "no such page", not a 500.
    page = model_admin.get_object(request, unquote(object_id))
    if page is None:
        return []
    found = set(translated.objects.filter(page=page).values_list("language", flat=True))
    name = f"admin:{approve_url_name(model_admin.model)}"
    return [
        (f"Approve the {label} translation", reverse(name, args=[page.pk, code]))
        for code, label in LANGUAGES
        if code in found
    ]


def approve_view(model_admin, request, object_id, language):
    """Approve the page's translation into `language` as it is saved now (POST only,
    with the CSRF token, admin_view and require_POST see to both), then back to the
    change form with a message. Only a clinical reviewer may (403 otherwise)."""
    if not review.is_reviewer(request.user):
        raise PermissionDenied
    translated = translation_of(model_admin.model)
    names = dict(LANGUAGES)
    page = model_admin.get_object(request, unquote(object_id))
    if page is None or not translated.clinically_reviewed or language not in names:
        raise Http404
    if not model_admin.has_view_or_change_permission(request, page):
        raise PermissionDenied
    opts = model_admin.model._meta
    back = redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk]))
    row = translated.objects.filter(page=page, language=language).select_related("page").first()
    if row is None:
        messages.warning(request, f"This page has no {names[language]} translation to approve.")
        return back
    review.approve_translation(row, request.user)
    messages.success(
        request,
        f"You approved the {names[language]} translation; the next review is due in "
        f"{settings.CLINICAL_REVIEW_INTERVAL_DAYS} days.",
    )
    return back


# The review list (admin home page, spinesite.templatetags.editorial)
# ------------------------------------------------------------------------------
def translations_to_check(models, days=30, today=None):
    """Translations of `models` (English models) that are out of date, or whose own
    clinical review is overdue or due within `days`: [(row, label, admin_url, reason)]."""
    from datetime import timedelta

    from django.db.models import Q
    from django.urls import reverse
    from django.utils import timezone

    today = today or timezone.localdate()
    found = []
    for model in models:
        translated = translation_of(model)
        if translated is None:
            continue
        rows = (
            translated.objects.annotate(stale=out_of_date(translated))
            .filter(
                Q(stale=True)
                | Q(changed_since_review=True)
                | Q(next_review_due__lte=today + timedelta(days=days))
            )
            .select_related("page")
        )
        opts = model._meta
        for row in rows:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.page_id])
            reasons = []
            if row.stale:
                reasons.append("Translation out of date: the English changed since")
            if row.changed_since_review:
                reasons.append("Changed since clinical review: the translation was edited since")
            if row.next_review_due and row.next_review_due <= today + timedelta(days=days):
                reasons.append(f"Clinical review due {row.next_review_due:%b %-d, %Y}")
            label = f"{opts.verbose_name.capitalize()}, {row.get_language_display()}"
            found.append((row, label, url, "; ".join(reasons)))
    return sorted(found, key=lambda item: str(item[0]))
