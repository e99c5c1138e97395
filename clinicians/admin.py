from django.contrib import admin

from spinesite.adminpages import ContentAdmin
from spinesite.editorial import ReviewDueFilter
from spinesite.translation_admin import TranslatedAdmin

from .forms import ClinicianForm
from .models import BoardCertification, Clinician, Language, Specialty


class BoardCertificationInline(admin.TabularInline):
    model = BoardCertification
    extra = 0


@admin.register(Clinician)
class ClinicianAdmin(TranslatedAdmin, ContentAdmin):
    form = ClinicianForm
    inlines = [BoardCertificationInline]
    translation_fields = ["summary", "bio", "photo_alt"]
    list_display = [
        "title",
        "credentials",
        "summary",
        "accepting_new_patients",
        "status",
        "is_sample",
        "updated",
    ]
    list_filter = [
        "status",
        ReviewDueFilter,
        "is_sample",
        "accepting_new_patients",
        "specialties",
        "locations",
    ]
    search_fields = ["title", "credentials", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    # A group's tags and places are few: picked from a list. Its condition and
    # treatment pages may be tens of thousands: picked by searching, as in their admins.
    filter_horizontal = ["specialties", "languages", "locations"]
    autocomplete_fields = ["conditions", "treatments"]
    raw_id_fields = ["user"]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "credentials", "summary", "is_sample", "bio"]},
        ),
        ("Photo", {"fields": ["photo", "photo_alt"]}),
        (
            "What they do and where",
            {
                "fields": [
                    "specialties",
                    "languages",
                    "conditions",
                    "treatments",
                    "locations",
                    "accepting_new_patients",
                ]
            },
        ),
        (
            "Publishing",
            {
                "description": "Review dates: when a clinical reviewer last approved the "
                "profile (select it in the list, then \u201cApprove as clinical "
                "reviewer\u201d), and when to check it again. The staff login links "
                "the clinician to pages they approve.",
                "fields": [
                    "status",
                    "user",
                    "last_reviewed",
                    "next_review_due",
                    "created",
                    "updated",
                ],
            },
        ),
    ]


@admin.register(Specialty, Language)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
