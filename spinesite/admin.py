from django import forms
from django.contrib import admin, messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from markdownx.admin import MarkdownxModelAdmin
from solo.admin import SingletonModelAdmin

from . import markdown
from .models import ClinicDetails
from .theme import prepare_logo

admin.site.site_header = "Clinic website"
admin.site.site_title = "Clinic website admin"
admin.site.index_title = "Pages, videos and requests"


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


class ContentAdmin(MarkdownxModelAdmin):
    """Admin for pages that also come from content files (conditions, videos).

    An edit here clears the page's content hash, so `load_content` leaves it alone.
    """

    actions = ["publish", "unpublish"]

    class Media:
        js = ["admin/upload-errors.js"]

    def get_form(self, request, obj=None, **kwargs):
        """The model's form, refusing Markdown the pipeline cannot render as meant
        (a figure without alt text or caption, an unknown figure)."""
        form = super().get_form(request, obj, **kwargs)
        if "body" not in form.base_fields:
            return form

        class CheckedForm(form):
            def clean_body(self):
                clean = getattr(super(), "clean_body", None)
                body = clean() if clean else self.cleaned_data["body"]
                problems = markdown.problems(body)
                if problems:
                    raise forms.ValidationError(problems)
                return body

        return CheckedForm

    def save_model(self, request, obj, form, change):
        obj.content_hash = ""
        super().save_model(request, obj, form, change)

    def _set_status(self, request, queryset, status):
        count = queryset.update(status=status, content_hash="")
        noun = self.model._meta.verbose_name_plural
        self.message_user(request, f"{count} {noun} now {status}.", messages.SUCCESS)

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, self.model.Status.PUBLISHED)

    @admin.action(
        description="Unpublish selected %(verbose_name_plural)s (back to draft)",
        permissions=["change"],
    )
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, self.model.Status.DRAFT)
