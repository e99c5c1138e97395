from django import forms

from spinesite.adminforms import PageAdminForm
from spinesite.images import checked_image

from .models import Clinician


class ClinicianForm(PageAdminForm):
    class Meta:
        model = Clinician
        fields = ["photo", "photo_alt"]  # the admin adds its fieldsets' fields
        # A plain file field: prepare_image() then says what is wrong with a bad image.
        field_classes = {"photo": forms.FileField}

    def clean_photo(self):
        return checked_image(self.cleaned_data.get("photo"), "photo")
