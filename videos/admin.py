from django.contrib import admin

from spinesite.adminpages import ContentAdmin, review_fieldset
from spinesite.editorial import ReviewDueFilter
from spinesite.translation_admin import TranslatedAdmin

from .forms import VideoAdminForm, translation_admin_form
from .models import Topic, Video


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Video)
class VideoAdmin(TranslatedAdmin, ContentAdmin):
    form = VideoAdminForm
    translation_fields = ["title", "description", "transcript", "captions"]

    @property
    def translation_form(self):
        return translation_admin_form()

    list_display = [
        "title",
        "provider",
        "duration",
        "status",
        "is_sample",
        "last_reviewed",
        "updated",
    ]
    list_filter = ["status", ReviewDueFilter, "is_sample", "provider", "topics"]
    # Not the transcript: as for a page's body, a substring of every transcript is
    # read row by row (a word under three letters has no trigram), 0.45 s a list at
    # 20,000 videos (bench/scale.py). Site search finds a published video's transcript.
    search_fields = ["title", "description"]
    search_help_text = "Searches titles and descriptions."
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics", "conditions", "treatments"]
    readonly_fields = ["provider", "video_id", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "duration", "thumbnail"]}),
        (
            "Video",
            {
                "description": "Either paste a YouTube or Vimeo link, or upload a video "
                "file with its captions. Nothing loads from YouTube or Vimeo until a "
                "viewer presses Play.",
                "fields": ["source_url", "video_file", "captions", "provider", "video_id"],
            },
        ),
        ("Transcript", {"fields": ["transcript"]}),
        review_fieldset("video"),
        (
            "Publishing",
            {
                "fields": [
                    *("status", "is_sample", "topics", "conditions", "treatments"),
                    *("created", "updated"),
                ]
            },
        ),
    ]
