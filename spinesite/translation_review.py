"""A translation's clinical sign-off in admin, and the review list of translations.

As an English page's (spinesite.admin, spinesite.review): a clinical reviewer selects
pages in their list and "Approve the Spanish translation as clinical reviewer"; the
reviewer and dates are set by that act, one language at a time, and an edit to the
translated text afterwards shows "changed since clinical review" in the page's
admin, in the review list on the admin home page and on the public page.
"""

from django.conf import settings
from django.contrib import messages
from django.utils.html import format_html

from . import review
from .translations import out_of_date, translation_of


def clinical_review(row):
    """A translation's own sign-off, as the English page's "Clinical review" says it
    (not shown for a kind no clinician reviews: translation_admin)."""
    if row is None or row.pk is None or not row.reviewed_hash:
        return (
            "Not approved by a clinical reviewer yet: a clinical reviewer selects the "
            "page in the list, then \u201cApprove the "
            f"{row.get_language_display() if row else 'translation'} translation as "
            "clinical reviewer\u201d."
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
