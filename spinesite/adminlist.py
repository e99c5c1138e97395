"""Admin lists of pages (spinesite.adminpages.ContentAdmin): the columns a list shows
and reads, its order, and the actions on the pages selected in it (publish, unpublish,
approve, preview links).
"""

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from . import history, review
from .pages import ReviewedPage
from .vocabulary import add_words

# Columns a list of pages never shows: read only on a page's own change form.
WIDE_FIELDS = (models.TextField, models.JSONField)


class PageListAdmin:
    """ModelAdmin mixin: a list of pages, with its columns and actions. Content with a
    status that is no reviewed page (glossary terms) keeps its own columns and order,
    and only the publish actions."""

    actions = ["publish", "unpublish", "approve", "preview_links"]

    @property
    def is_page(self):
        """Whether the model is a reviewed page (a kind of page), not other content
        with a status, such as glossary terms, which get history and no more."""
        return issubclass(self.model, ReviewedPage)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if request.method == "GET" and match and (match.url_name or "").endswith("_changelist"):
            # A list shows a few short columns: a page's body, rendered text and search
            # vectors (kilobytes a row, sorted with it) stay on disk.
            shown = set(self.get_list_display(request))
            queryset = queryset.defer(
                *(
                    field.name
                    for field in self.model._meta.concrete_fields
                    if field.name not in shown
                    and (field.generated or isinstance(field, WIDE_FIELDS))
                )
            )
        return queryset

    def get_ordering(self, request):
        """Pages by title, then id: the order of their (title, id) index (see
        spinesite.pages), so a page of the list is read from it; Django's own
        tie-break (id descending) made PostgreSQL sort the whole table instead."""
        if self.is_page and not self.ordering:
            return ["title", "pk"]
        return super().get_ordering(request)

    def action_checkbox(self, obj):
        """Django's own checkbox, written out: its widget renders a template per row,
        a third of the time a list of a hundred pages took."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def get_list_display(self, request):
        if not self.is_page:
            return super().get_list_display(request)
        shown = [
            "publishing" if name == "status" else name
            for name in super().get_list_display(request)
        ]
        return [*shown, "review_flag"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.is_page:
            actions.pop("approve", None)
            actions.pop("preview_links", None)
        return actions

    def _set_status(self, request, queryset, status):
        count = 0
        with reversion.create_revision():
            for page in queryset.exclude(status=status):
                history.keep_baseline(type(page), page.pk)
                page.status, page.content_hash = status, ""
                page.save()
                count += 1
            reversion.set_user(request.user)
            reversion.set_comment(f"Marked {status} from the list.")
        noun = self.model._meta.verbose_name_plural
        self.message_user(request, f"{count} {noun} now {status}.", messages.SUCCESS)

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, self.model.Status.PUBLISHED)
        for page in queryset:  # update() sends no post_save: their words join search's here
            add_words(self.model, page)

    @admin.action(
        description="Unpublish selected %(verbose_name_plural)s (back to draft)",
        permissions=["change"],
    )
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, self.model.Status.DRAFT)

    def has_approve_permission(self, request):
        return review.is_reviewer(request.user)

    @admin.action(description="Approve as clinical reviewer", permissions=["approve"])
    def approve(self, request, queryset):
        for page in queryset:
            review.approve(page, request.user)
        self.message_user(
            request,
            f"You approved {queryset.count()} {self.model._meta.verbose_name_plural}; "
            "the next review is due in "
            f"{settings.CLINICAL_REVIEW_INTERVAL_DAYS} days.",
            messages.SUCCESS,
        )

    @admin.action(description="Make preview links for a clinician", permissions=["change"])
    def preview_links(self, request, queryset):
        days = settings.PREVIEW_LINK_SECONDS / 86400
        links = format_html_join(
            "",
            '<li>{}: <a href="{}">{}</a></li>',
            (
                (page, url, url)
                for page, url in ((p, review.preview_url(p, request)) for p in queryset)
            ),
        )
        self.message_user(
            request,
            format_html(
                "Anyone with one of these links can read that page, as it is when they "
                "open it, for {} days:<ul>{}</ul>",
                f"{days:g}",
                links,
            ),
            messages.SUCCESS,
        )

    @admin.display(description="publishing", ordering="status")
    def publishing(self, obj):
        if obj.status != obj.Status.PUBLISHED:
            return "Draft"
        now = timezone.now()
        if obj.publish_at and obj.publish_at > now:
            return f"Scheduled: goes up {_when(obj.publish_at)}"
        if obj.unpublish_at and obj.unpublish_at <= now:
            return f"Taken down {_when(obj.unpublish_at)}"
        if obj.unpublish_at:
            return f"Published; scheduled to come down {_when(obj.unpublish_at)}"
        return "Published"

    @admin.display(description="clinical review")
    def review_flag(self, obj):
        if obj.changed_since_review:
            return "Changed since clinical review"
        return "Approved" if obj.reviewed_hash else "Not approved yet"


def _when(moment):
    return timezone.localtime(moment).strftime("%b %d, %Y %H:%M")
