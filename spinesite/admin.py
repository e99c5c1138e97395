import logging

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import FileField
from django.http import HttpResponseRedirect
from markdownx.admin import MarkdownxModelAdmin
from markdownx.fields import MarkdownxFormField
from solo.admin import SingletonModelAdmin

from .markdown import check_limits
from .models import ClinicDetails
from .storage import STORAGE_FAILED

admin.site.site_header = "Clinic website"
admin.site.site_title = "Clinic website admin"
admin.site.index_title = "Pages, videos and requests"

logger = logging.getLogger(__name__)

admin.site.register(ClinicDetails, SingletonModelAdmin)


class LoginForm(AdminAuthenticationForm):
    """The admin's login form, refusing a username longer than any account's before
    anything looks it up: Django sets the field's max_length without its validator,
    so a 300-character name reached authentication and the lockout log, whose column
    is 255 long (a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


admin.site.login_form = LoginForm


def validate_markdown(text):
    try:
        check_limits(text)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class ContentAdmin(MarkdownxModelAdmin):
    """Admin for pages that also come from content files (conditions, videos).

    An edit here clears the page's content hash, so `load_content` leaves it alone.
    """

    actions = ["publish", "unpublish"]

    class Media:
        js = ["admin/upload-errors.js"]

    def get_form(self, request, obj=None, **kwargs):
        """Markdown fields refuse text too long or too nested to render (spinesite.markdown)."""
        form = super().get_form(request, obj, **kwargs)
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
