from django.contrib import admin

from spinesite.admin import ContentAdmin
from spinesite.editorial import ReviewDueFilter, reading_advice, reading_grade

from .models import Condition


@admin.register(Condition)
class ConditionAdmin(ContentAdmin):
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

    @admin.display(description="reading level")
    def reading_level(self, obj):
        """Advice only: a hard page can still be saved (see spinesite.editorial)."""
        if obj.pk is None:
            return "Shown after the page is saved."
        return reading_advice(reading_grade(obj.body_html))
