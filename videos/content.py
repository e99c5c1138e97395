"""How `content/videos/*.md` maps onto Video (see spinesite.content).

The body of each file is the transcript. `video_file`, `captions` and `thumbnail` are
paths relative to the file (e.g. `media/sitting-and-standing.mp4`); the loader checks
them like uploads and copies them into media storage.
"""

from django import forms

from spinesite.content import ContentKind

from .forms import CheckedUploadsMixin
from .models import Video


class VideoFileForm(CheckedUploadsMixin, forms.ModelForm):
    class Meta:
        model = Video
        fields = [
            "title", "description", "source_url", "video_file", "captions", "duration",
            "thumbnail", "status", "is_sample", "reviewer_name", "reviewer_credentials",
            "last_reviewed", "next_review_due",
        ]  # fmt: skip
        field_classes = {"thumbnail": forms.FileField}


VIDEOS = ContentKind(
    folder="videos",
    form=VideoFileForm,
    body_field="transcript",
    links=("conditions", "treatments"),
    tags=("topics",),
    files=("video_file", "captions", "thumbnail"),
)
