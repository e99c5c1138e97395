from django.contrib import admin, messages
from markdownx.admin import MarkdownxModelAdmin

from spinesite.editorial import ReviewDueFilter, reading_advice, reading_grade

from .models import Condition


@admin.register(Condition)
class ConditionAdmin(MarkdownxModelAdmin):
    list_display = [
        "title",
        "region",
        "status",
        "featured",
        "last_reviewed",
        "next_review_due",
        "updated",
    ]
    list_filter = ["status", ReviewDueFilter, "region", "featured"]
    search_fields = ["title", "also_called", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["related"]
    readonly_fields = ["created", "updated", "reading_level"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "also_called",
                    "summary",
                    "region",
                    "body",
                    "reading_level",
                ]
            },
        ),
        ("Sources", {"fields": ["sources"]}),
        (
            "Clinical review",
            {
                "description": "Leave empty until a clinician has reviewed the page: "
                "the page then says it is awaiting clinical review.",
                "fields": [
                    "reviewer_name",
                    "reviewer_credentials",
                    "last_reviewed",
                    "next_review_due",
                ],
            },
        ),
        ("Publishing", {"fields": ["status", "featured", "related", "created", "updated"]}),
    ]

    class Media:
        js = ["admin/upload-errors.js"]

    @admin.display(description="reading level")
    def reading_level(self, obj):
        """Advice only: a hard page can still be saved (see spinesite.editorial)."""
        if obj.pk is None:
            return "Shown after the page is saved."
        return reading_advice(reading_grade(obj.body_html))

    def save_model(self, request, obj, form, change):
        obj.content_hash = ""  # edited here: load_content must not overwrite it
        super().save_model(request, obj, form, change)

    def _set_status(self, request, queryset, status):
        count = queryset.update(status=status, content_hash="")
        self.message_user(request, f"{count} page(s) now {status}.", messages.SUCCESS)

    @admin.action(description="Publish selected pages", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Condition.Status.PUBLISHED)

    @admin.action(description="Unpublish selected pages (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Condition.Status.DRAFT)
