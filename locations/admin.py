from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin
from solo.admin import SingletonModelAdmin

from spinesite.adminpages import ContentAdmin
from spinesite.editorial import ReviewDueFilter
from spinesite.translation_admin import TranslatedAdmin

from .forms import HoursExceptionForm, LocationForm, OpeningHoursFormSet
from .models import HoursException, InsurancePlan, Location, NewPatientsPage, OpeningHours


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet
    extra = 0


class HoursExceptionInline(admin.TabularInline):
    model = HoursException
    form = HoursExceptionForm
    extra = 0


@admin.register(Location)
class LocationAdmin(TranslatedAdmin, ContentAdmin):
    form = LocationForm
    inlines = [OpeningHoursInline, HoursExceptionInline]
    translation_fields = ["summary", "about", "parking", "transit", "access", "map_alt"]
    list_display = ["title", "phone", "status", "is_sample", "next_review_due", "updated"]
    list_filter = ["status", ReviewDueFilter, "is_sample"]
    search_fields = ["title", "address", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "is_sample", "about"]}),
        ("How to reach it", {"fields": ["address", "phone", "fax", "email"]}),
        (
            "Getting here",
            {"fields": ["parking", "transit", "step_free", "access", "map_image", "map_alt"]},
        ),
        (
            "Publishing",
            {
                "description": "Review dates: when a clinical reviewer last approved the "
                "details (select it in the list, then \u201cApprove as clinical "
                "reviewer\u201d), and when to check them again.",
                "fields": ["status", "last_reviewed", "next_review_due", "created", "updated"],
            },
        ),
    ]


class InsurancePlanInline(admin.TabularInline):
    model = InsurancePlan
    extra = 1


@admin.register(NewPatientsPage)
class NewPatientsPageAdmin(TranslatedAdmin, SingletonModelAdmin, MarkdownxModelAdmin):
    # One page, no list: its translation's sign-off is a button on this form.
    change_form_template = "admin/singleton_page_change_form.html"
    inlines = [InsurancePlanInline]
    fields = ["body", "insurance_note"]
    translation_fields = ["body", "insurance_note"]
