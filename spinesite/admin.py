import logging

import reversion
from allauth.account.decorators import secure_admin_login
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import FileField
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from markdownx.admin import MarkdownxModelAdmin
from markdownx.fields import MarkdownxFormField
from markdownx.models import MarkdownxField
from solo.admin import SingletonModelAdmin

from . import contentcheck, history, markdown, redirects, review
from .adminforms import CleanTextField, PageAdminForm
from .adminhistory import PageHistoryAdmin
from .adminpaging import IdsFirstPaging
from .editorial import ReviewDueFilter, reading_advice, reading_grade
from .markdown import check_limits
from .models import ClinicDetails, MissedSearch
from .pages import ReviewedPage
from .storage import STORAGE_FAILED
from .theme import prepare_logo
from .vocabulary import add_words

admin.site.site_header = "Clinic website"
admin.site.site_title = "Clinic website admin"
admin.site.index_title = "Pages, videos and requests"

logger = logging.getLogger(__name__)

# Logging in happens on allauth's page, with the second factor (spinesite.staffauth).
admin.site.login = secure_admin_login(admin.site.login)


class ClinicDetailsForm(forms.ModelForm):
    """Clinic details; a new logo is checked and stored as a PNG with its favicon."""

    class Meta:
        model = ClinicDetails
        fields = ["name", "phone", "address", "opening_hours", "brand_colour", "logo"]
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):  # a new file, not the one already stored
            self.prepared_logo = prepare_logo(logo)
        return logo

    def save(self, commit=True):
        clinic = super().save(commit=False)
        prepared = getattr(self, "prepared_logo", None)
        if prepared:
            png, clinic.logo_width, clinic.logo_height, favicon = prepared
            clinic.logo.save("logo.png", ContentFile(png), save=False)
            clinic.favicon.save("favicon.png", ContentFile(favicon), save=False)
        elif not clinic.logo:  # cleared
            clinic.logo_width = clinic.logo_height = None
            clinic.favicon = ""
        if commit:
            clinic.save()
        return clinic


@admin.register(ClinicDetails)
class ClinicDetailsAdmin(SingletonModelAdmin):
    form = ClinicDetailsForm


def review_fieldset(noun="page"):
    """The "Clinical review" fieldset every kind of page (spinesite.pages) shows."""
    return (
        "Clinical review",
        {
            "description": f"Set when a clinical reviewer approves the {noun} (select it "
            "in the list, then \u201cApprove as clinical reviewer\u201d): one of our "
            "clinicians if the reviewer's login is theirs, else the reviewer's name. "
            "Until then the page says it is awaiting clinical review.",
            "fields": [
                "clinical_review",
                "reviewed_by",
                "reviewer_name",
                "reviewer_credentials",
                "last_reviewed",
                "next_review_due",
            ],
        },
    )


def validate_markdown(text):
    try:
        check_limits(text)
    except ValueError as error:
        raise ValidationError(str(error)) from None


@admin.register(MissedSearch)
class MissedSearchAdmin(admin.ModelAdmin):
    """What patients looked for and did not find: read-only, written by site search.

    Words that come up often are worth a page, or an "also called" name on one.
    """

    list_display = ["words", "day", "count"]
    list_filter = ["day"]
    search_fields = ["words"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


TEXT_FIELDS = (models.CharField, models.TextField, MarkdownxField)
# Set by a clinical reviewer's approval (spinesite.review), never typed in.
REVIEW_FIELDS = (
    "clinical_review",
    "reviewed_by",
    "reviewer_name",
    "reviewer_credentials",
    "last_reviewed",
    "next_review_due",
)


# Columns a list of pages never shows: read only on a page's own change form.
WIDE_FIELDS = (models.TextField, models.JSONField)


class ContentAdmin(IdsFirstPaging, PageHistoryAdmin, MarkdownxModelAdmin):
    """Admin for every kind of page (conditions, treatments, videos, clinicians,
    locations, and any kind registered later): history and restore, no phantom or
    lost edits, scheduling, clinical sign-off and preview links.

    An edit here clears the page's content hash, so `load_content` leaves it alone.
    """

    form = PageAdminForm
    change_form_template = "admin/page_change_form.html"
    actions = ["publish", "unpublish", "approve", "preview_links"]
    # A clinic group's site may have tens of thousands of pages: links to other pages
    # are picked by searching (autocomplete_fields in each kind's admin), never from a
    # list of every page, and the list is paged and counted as IdsFirstPaging says.

    class Media:
        js = ["admin/editor.js"]
        css = {"all": ["admin/page-editor.css"]}

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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) in TEXT_FIELDS and not db_field.choices:
            kwargs.setdefault("form_class", CleanTextField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @property
    def is_page(self):
        """Whether the model is a reviewed page (a kind of page), not other content
        with a status, such as glossary terms, which get history and no more."""
        return issubclass(self.model, ReviewedPage)

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            *(REVIEW_FIELDS if self.is_page else ()),
        ]

    def get_fieldsets(self, request, obj=None):
        return with_page_fields(super().get_fieldsets(request, obj))

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

    @admin.display(description="clinical review")
    def clinical_review(self, obj):
        if not obj.reviewed_hash:
            return "Not approved by a clinical reviewer yet."
        approved = f"Approved by {review.approver(obj)} on {obj.last_reviewed:%b %d, %Y}."
        if obj.changed_since_review:
            return f"Changed since clinical review. {approved} Ask a reviewer to approve it again."
        return approved


def _when(moment):
    return timezone.localtime(moment).strftime("%b %d, %Y %H:%M")


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
