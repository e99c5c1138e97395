import logging

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models import FileField
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from markdownx.admin import MarkdownxModelAdmin
from markdownx.fields import MarkdownxFormField
from solo.admin import SingletonModelAdmin

from . import contentcheck, markdown
from .editorial import ReviewDueFilter, reading_advice, reading_grade
from .markdown import check_limits
from .models import ClinicDetails, MissedSearch
from .search import add_words
from .storage import STORAGE_FAILED
from .theme import prepare_logo

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
            "description": f"Leave empty until a clinician has reviewed the {noun}: "
            f"the page then says it is awaiting clinical review. Choose one of our "
            f"clinicians, or type an outside reviewer's name and credentials.",
            "fields": [
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


class ContentAdmin(MarkdownxModelAdmin):
    """Admin for pages that also come from content files (conditions, treatments, videos).

    An edit here clears the page's content hash, so `load_content` leaves it alone.
    """

    actions = ["publish", "unpublish"]
    # A clinic group's site may have tens of thousands of pages: links to other pages
    # are picked by searching (autocomplete_fields in each kind's admin), never from a
    # list of every page, and the list counts its rows once, not twice.
    show_full_result_count = False

    class Media:
        js = ["admin/upload-errors.js"]

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
        for field in form.base_fields.values():
            if isinstance(field, MarkdownxFormField):
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
        obj.content_hash = ""
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
        # Advice only: the page is saved whatever the content check finds.
        problems = contentcheck.check_instance(obj)
        if problems:
            items = format_html_join("", "<li>{}</li>", ((problem,) for problem in problems))
            messages.warning(
                request,
                format_html("Saved. The content check suggests fixing:<ul>{}</ul>", items),
            )

    def _set_status(self, request, queryset, status):
        count = queryset.update(status=status, content_hash="")
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


class ArticleAdmin(ContentAdmin):
    """Admin for pages written in Markdown (spinesite.pages.Article): conditions, treatments.

    Subclasses name their own fields in `kind_fields` (after the summary) and
    `publishing_fields` (after status and featured).
    """

    kind_fields = []
    publishing_fields = ["related"]
    list_filter = ["status", ReviewDueFilter, "featured"]
    search_fields = ["title", "also_called", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "updated", "reading_level"]

    def get_fieldsets(self, request, obj=None):
        head = ["title", "slug", "also_called", "summary", *self.kind_fields]
        return [
            (None, {"fields": [*head, "body", "reading_level"]}),
            ("Sources", {"fields": ["sources"]}),
            review_fieldset(),
            (
                "Publishing",
                {"fields": ["status", "featured", *self.publishing_fields, "created", "updated"]},
            ),
        ]

    @admin.display(description="reading level")
    def reading_level(self, obj):
        """Advice only: a hard page can still be saved (see spinesite.editorial)."""
        if obj.pk is None:
            return "Shown after the page is saved."
        return reading_advice(reading_grade(obj.body_html))
