"""The admin every kind of page shares (ContentAdmin, ArticleAdmin) and the pieces each
kind's admin builds its own from (review_fieldset, with_page_fields). Its lists, their
columns and actions are spinesite.adminlist's.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import FileField
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from markdownx.admin import MarkdownxModelAdmin
from markdownx.fields import MarkdownxFormField
from markdownx.models import MarkdownxField

from . import contentcheck, history, markdown, redirects, review
from .adminforms import CleanTextField, PageAdminForm
from .adminhistory import PageHistoryAdmin
from .adminlist import PageListAdmin
from .adminpaging import IdsFirstPaging
from .editorial import ReviewDueFilter, reading_advice, reading_grade
from .markdown import check_limits
from .storage import STORAGE_FAILED

logger = logging.getLogger(__name__)

# Set by a clinical reviewer's approval (spinesite.review), never typed in.
REVIEW_FIELDS = (
    "clinical_review",
    "reviewed_by",
    "reviewer_name",
    "reviewer_credentials",
    "last_reviewed",
    "next_review_due",
)


def review_fieldset(noun="page"):
    """The "Clinical review" fieldset every kind of page (spinesite.pages) shows."""
    return (
        "Clinical review",
        {
            "description": f"Set when a clinical reviewer approves the {noun} (select it "
            "in the list, then \u201cApprove as clinical reviewer\u201d): one of our "
            "clinicians if the reviewer's login is theirs, else the reviewer's name. "
            "Until then the page says it is awaiting clinical review.",
            "fields": list(REVIEW_FIELDS),
        },
    )


def validate_markdown(text):
    try:
        check_limits(text)
    except ValueError as error:
        raise ValidationError(str(error)) from None


TEXT_FIELDS = (models.CharField, models.TextField, MarkdownxField)


class ContentAdmin(PageListAdmin, IdsFirstPaging, PageHistoryAdmin, MarkdownxModelAdmin):
    """Admin for every kind of page (conditions, treatments, videos, clinicians,
    locations, and any kind registered later): history and restore, no phantom or
    lost edits, scheduling, clinical sign-off and preview links.

    An edit here clears the page's content hash, so `load_content` leaves it alone.
    """

    form = PageAdminForm
    change_form_template = "admin/page_change_form.html"
    # A clinic group's site may have tens of thousands of pages: links to other pages
    # are picked by searching (autocomplete_fields in each kind's admin), never from a
    # list of every page, and the list is paged and counted as IdsFirstPaging says.

    class Media:
        js = ["admin/editor.js"]
        css = {"all": ["admin/page-editor.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) in TEXT_FIELDS and not db_field.choices:
            kwargs.setdefault("form_class", CleanTextField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            *(REVIEW_FIELDS if self.is_page else ()),
        ]

    def get_fieldsets(self, request, obj=None):
        return with_page_fields(super().get_fieldsets(request, obj))

    def get_form(self, request, obj=None, **kwargs):
        """The model's form: Markdown fields refuse text too long or too nested to
        render (spinesite.markdown), and the body refuses Markdown the pipeline cannot
        render as meant (a figure without alt text or caption, an unknown figure)."""
        form = super().get_form(request, obj, **kwargs)
        if "body" in form.base_fields:

            class CheckedForm(form):
                def clean_body(self):
                    clean = getattr(super(), "clean_body", None)
                    body = clean() if clean else self.cleaned_data["body"]
                    problems = markdown.problems(body)
                    if problems:
                        raise forms.ValidationError(problems)
                    return body

            # A ModelForm subclass makes its fields afresh: validators go on its own.
            form = CheckedForm
        markdown_fields = {
            f.name for f in self.model._meta.get_fields() if isinstance(f, MarkdownxField)
        }
        for name, field in form.base_fields.items():
            # A Markdown field's form field is a CleanTextField (see formfield_for_dbfield).
            if isinstance(field, MarkdownxFormField) or name in markdown_fields:
                field.validators.append(validate_markdown)
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A file that cannot be stored leaves nothing behind (the save's transaction
        rolls back, `save_model` removes its files) and tells staff why."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError as error:
            logger.error("An upload could not be stored: %s", error.strerror or error)
            self.message_user(request, STORAGE_FAILED, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # nothing changed: no save, no version, "Last updated" stays
        if change:
            history.keep_baseline(type(obj), obj.pk)
        obj.content_hash = ""
        earlier = redirects.taken_from(obj)
        try:
            super().save_model(request, obj, form, change)
        except OSError:
            # Files this save had already stored belong to a row that will not exist.
            for field in obj._meta.get_fields():
                if isinstance(field, FileField) and field.name in form.changed_data:
                    stored = getattr(obj, field.name)
                    if stored and stored._committed:
                        stored.storage.delete(stored.name)
            raise
        if earlier is not None:
            messages.info(
                request,
                f"The address {obj.get_absolute_url()} used to lead to \u201c{earlier}\u201d "
                f"(now at {earlier.get_absolute_url()}); it now shows this page.",
            )
        # Advice only: the page is saved whatever the checks find.
        problems = contentcheck.check_instance(obj) + contentcheck.editor_advice(obj)
        if problems:
            items = format_html_join("", "<li>{}</li>", ((problem,) for problem in problems))
            messages.warning(
                request,
                format_html("Saved. The content check suggests fixing:<ul>{}</ul>", items),
            )

    def save_related(self, request, form, formsets, change):
        """Rows that belong to the page (a location's hours, a clinician's
        certifications) changed alone: the page records a version with them and its
        "Last updated" moves, as for any edit; unchanged, nothing happens."""
        parts_only = change and not form.has_changed() and any(fs.has_changed() for fs in formsets)
        if parts_only:
            history.keep_baseline(type(form.instance), form.instance.pk)
        super().save_related(request, form, formsets, change)
        if parts_only:
            form.instance.content_hash = ""
            form.instance.save(update_fields=["updated", "content_hash"])

    @admin.display(description="clinical review")
    def clinical_review(self, obj):
        if not obj.reviewed_hash:
            return "Not approved by a clinical reviewer yet."
        approved = f"Approved by {review.approver(obj)} on {obj.last_reviewed:%b %d, %Y}."
        if obj.changed_since_review:
            return f"Changed since clinical review. {approved} Ask a reviewer to approve it again."
        return approved


def with_page_fields(fieldsets):
    """Add what every kind of page has to a kind's fieldsets: the edit token (to the
    first), and the schedule after the status (under "Publishing")."""
    result = []
    for number, (name, options) in enumerate(fieldsets):
        options = {**options, "fields": list(options["fields"])}
        fields = options["fields"]
        if number == 0 and "edit_token" not in fields:
            fields.append("edit_token")
        if name == "Publishing" and "publish_at" not in fields:
            at = fields.index("status") + 1 if "status" in fields else 0
            fields[at:at] = ["publish_at", "unpublish_at"]
            options["description"] = (
                (options["description"] + " " if options.get("description") else "")
                + "A published page is public from \u201cpublish at\u201d until "
                "\u201cunpublish at\u201d (either may be empty). Times are "
                f"{settings.TIME_ZONE} time."
            )
        result.append((name, options))
    return result


class ArticleAdmin(ContentAdmin):
    """Admin for pages written in Markdown (spinesite.pages.Article): conditions, treatments.

    Subclasses name their own fields in `kind_fields` (after the summary) and
    `publishing_fields` (after status and featured).
    """

    kind_fields = []
    publishing_fields = ["related"]
    list_filter = ["status", ReviewDueFilter, "featured"]
    search_fields = ["title", "also_called", "summary"]
    search_help_text = "Searches titles, other names and summaries."
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "updated", "reading_level"]

    def get_fieldsets(self, request, obj=None):
        head = ["title", "slug", "also_called", "summary", *self.kind_fields]
        return with_page_fields(
            [
                (None, {"fields": [*head, "body", "reading_level"]}),
                ("Sources", {"fields": ["sources"]}),
                review_fieldset(),
                (
                    "Publishing",
                    {
                        "fields": [
                            "status",
                            "featured",
                            *self.publishing_fields,
                            "created",
                            "updated",
                        ]
                    },
                ),
            ]
        )

    @admin.display(description="reading level")
    def reading_level(self, obj):
        """Advice only: a hard page can still be saved (see spinesite.editorial)."""
        if obj.pk is None:
            return "Shown after the page is saved."
        return reading_advice(reading_grade(obj.body_html))
