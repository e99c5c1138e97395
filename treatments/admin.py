from django.contrib import admin

from spinesite.adminpages import ArticleAdmin
from spinesite.editorial import ReviewDueFilter
from spinesite.translation_admin import TranslatedAdmin

from .models import Treatment


@admin.register(Treatment)
class TreatmentAdmin(TranslatedAdmin, ArticleAdmin):
    list_display = [
        "title",
        "kind",
        "status",
        "featured",
        "last_reviewed",
        "next_review_due",
        "updated",
    ]
    list_filter = ["status", ReviewDueFilter, "kind", "featured"]
    autocomplete_fields = ["conditions", "related"]
    kind_fields = ["kind"]
    publishing_fields = ["conditions", "related"]
