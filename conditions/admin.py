from django.contrib import admin

from spinesite.adminpages import ArticleAdmin
from spinesite.editorial import ReviewDueFilter
from spinesite.translation_admin import TranslatedAdmin

from .models import Condition


@admin.register(Condition)
class ConditionAdmin(TranslatedAdmin, ArticleAdmin):
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
    autocomplete_fields = ["related"]
    kind_fields = ["region"]
