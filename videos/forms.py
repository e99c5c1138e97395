from django import forms
from django.core.files.uploadedfile import UploadedFile

from spinesite.adminforms import PageAdminForm

from .models import Video
from .uploads import check_captions, check_video, prepare_thumbnail


class CheckedUploadsMixin:
    """Check newly uploaded files; files already stored were checked when they came in.

    Shared by the admin and the content loader, so a file is held to the same rules
    whichever way it arrives.
    """

    def _new_upload(self, name):
        value = self.cleaned_data.get(name)
        return value if isinstance(value, UploadedFile) else None

    def clean_video_file(self):
        upload = self._new_upload("video_file")
        return check_video(upload) if upload else self.cleaned_data.get("video_file")

    def clean_captions(self):
        upload = self._new_upload("captions")
        return check_captions(upload) if upload else self.cleaned_data.get("captions")

    def clean_thumbnail(self):
        upload = self._new_upload("thumbnail")
        return prepare_thumbnail(upload) if upload else self.cleaned_data.get("thumbnail")


class VideoAdminForm(CheckedUploadsMixin, PageAdminForm):
    class Meta:
        model = Video
        fields = [
            "title", "slug", "description", "duration", "thumbnail", "source_url",
            "video_file", "captions", "transcript", "reviewer_name", "reviewer_credentials",
            "last_reviewed", "status", "is_sample", "topics", "conditions",
        ]  # fmt: skip
        # A plain file field: prepare_image() then says what is wrong with a bad image.
        field_classes = {"thumbnail": forms.FileField}


class TranslationChecks(CheckedUploadsMixin, forms.ModelForm):
    """A video's translation, from a content file: its captions track checked as the
    admin checks the English one."""


def translation_admin_form():
    """The admin's translation form with the same captions check (spinesite.translation_admin)."""
    from spinesite.translation_admin import TranslationForm

    return type("VideoTranslationForm", (CheckedUploadsMixin, TranslationForm), {})
