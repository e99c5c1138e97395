from django.contrib import admin, messages
from markdownx.admin import MarkdownxModelAdmin
from solo.admin import SingletonModelAdmin

from .models import ClinicDetails, MissedSearch
from .search import add_words

admin.site.site_header = "Clinic website"
admin.site.site_title = "Clinic website admin"
admin.site.index_title = "Pages, videos and requests"

admin.site.register(ClinicDetails, SingletonModelAdmin)


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
        for page in queryset:  # update() sends no post_save: their words join search's here
            add_words(self.model, page)

    @admin.action(
        description="Unpublish selected %(verbose_name_plural)s (back to draft)",
        permissions=["change"],
    )
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, self.model.Status.DRAFT)
