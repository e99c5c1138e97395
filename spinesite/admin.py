"""The admin site itself (titles, login) and the site-wide admins that are no kind of
page: the clinic's details and the searches that found nothing. The admin every kind
of page shares is spinesite.adminpages'.
"""

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from solo.admin import SingletonModelAdmin

from .models import ClinicDetails, MissedSearch
from .theme import prepare_logo

admin.site.site_header = "Clinic website"
admin.site.site_title = "Clinic website admin"
admin.site.index_title = "Pages, videos and requests"

# Logging in happens on allauth's page, with the second factor (spinesite.staffauth).
admin.site.login = secure_admin_login(admin.site.login)


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
