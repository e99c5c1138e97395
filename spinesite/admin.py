from allauth.account.decorators import secure_admin_login
from django.contrib import admin, messages
from markdownx.admin import MarkdownxModelAdmin
from solo.admin import SingletonModelAdmin

from .models import ClinicDetails

admin.site.site_header = "Clinic website"
admin.site.site_title = "Clinic website admin"
admin.site.index_title = "Pages, videos and requests"

# Logging in happens on allauth's page, with the second factor (spinesite.staffauth).
admin.site.login = secure_admin_login(admin.site.login)

admin.site.register(ClinicDetails, SingletonModelAdmin)


class ContentAdmin(MarkdownxModelAdmin):
    """Admin for pages that also come from content files (conditions, videos).

    An edit here clears the page's content hash, so `load_content` leaves it alone.
    """

    actions = ["publish", "unpublish"]

    class Media:
        js = ["admin/upload-errors.js"]

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
