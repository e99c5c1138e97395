from datetime import timedelta

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from markdownx.models import MarkdownxField

from conditions.models import Condition
from spinesite.markdown import plain_text, render_markdown, render_page
from spinesite.pages import ReviewedPage, admin_search_indexes
from spinesite.pageterms import page_terms
from spinesite.searchvectors import document_vector, title_vector
from spinesite.translations import SPANISH_CONFIG, Translation

from . import sources
from .durations import iso_duration
from .querysets import VideoQuerySet
from .uploads import captions_upload_to, thumbnail_upload_to, video_upload_to

MAX_DURATION = timedelta(hours=10)


class Topic(models.Model):
    """A subject viewers can filter the library by, such as "Treatments"."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Video(ReviewedPage):
    """A video page: the player, its transcript and description, and what it relates to."""

    class Provider(models.TextChoices):
        FILE = "file", "Uploaded file"
        YOUTUBE = sources.YOUTUBE, "YouTube"
        VIMEO = sources.VIMEO, "Vimeo"

    description = MarkdownxField(
        help_text="Markdown. What the video covers, in one or two short paragraphs."
    )
    source_url = models.CharField(
        "YouTube or Vimeo link",
        max_length=sources.MAX_URL_LENGTH,
        blank=True,
        help_text="Paste the video's link, e.g. https://www.youtube.com/watch?v=… or "
        "https://vimeo.com/…. Leave empty if you upload the video file below.",
    )
    video_file = models.FileField(
        upload_to=video_upload_to,
        blank=True,
        help_text="An MP4 or WebM file, if the video is not on YouTube or Vimeo.",
    )
    captions = models.FileField(
        upload_to=captions_upload_to,
        blank=True,
        help_text="WebVTT captions (.vtt) for an uploaded video file. Required with a file.",
    )
    duration = models.DurationField(help_text="How long the video runs, e.g. 2:05 or 0:38.")
    thumbnail = models.ImageField(
        upload_to=thumbnail_upload_to,
        width_field="thumbnail_width",
        height_field="thumbnail_height",
        help_text="A still picture from the video (JPEG, PNG or WebP). "
        "Shown before the video plays; nothing loads from YouTube or Vimeo until then.",
    )
    thumbnail_width = models.PositiveIntegerField(editable=False, null=True)
    thumbnail_height = models.PositiveIntegerField(editable=False, null=True)
    transcript = MarkdownxField(
        help_text="Markdown. Everything that is said and shown in the video, as text."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="videos")
    conditions = models.ManyToManyField(
        Condition, blank=True, related_name="videos", verbose_name="related conditions"
    )
    treatments = models.ManyToManyField(
        "treatments.Treatment",
        blank=True,
        related_name="videos",
        verbose_name="related treatments",
    )
    is_sample = models.BooleanField(
        "sample video",
        default=False,
        help_text="A demonstration video made by the website team, not by clinicians. "
        "The page says so.",
    )

    # Parsed from `source_url` on save; only these reach a page, never the pasted link.
    provider = models.CharField(max_length=10, choices=Provider, editable=False)
    video_id = models.CharField(max_length=20, editable=False, blank=True)
    vimeo_hash = models.CharField(max_length=20, editable=False, blank=True)
    # Rendered once on save so that a page view never runs Markdown.
    description_html = models.TextField(editable=False, default="")
    description_text = models.TextField(editable=False, default="")
    transcript_html = models.TextField(editable=False, default="")
    transcript_text = models.TextField(editable=False, default="")
    # For site search (spinesite.search): computed by PostgreSQL from the columns,
    # so it can never go stale, whichever way a row is written. Stored in the row
    # itself (STORAGE MAIN, set in migration 0002_search), which makes search fast;
    # the row's other small columns stay with it (0014_whole_rows).
    search_vector = models.GeneratedField(
        expression=document_vector(["title"], "description_text", "transcript_text"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    names_vector = models.GeneratedField(
        expression=title_vector(["title"]),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = VideoQuerySet.as_manager()

    class Meta(ReviewedPage.Meta):
        indexes = [
            *ReviewedPage.Meta.indexes,
            *admin_search_indexes("title", "description"),
            # The library's pages (videos.library): published videos by title, read
            # in order from the index alone, never sorted (at 2,000 videos a sort of
            # the table's titles cost 100 to 200 ms, the index 0.2 ms).
            models.Index(
                fields=["status", "title", "id"],
                include=["publish_at", "unpublish_at"],
                name="video_library_idx",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.source_url.strip():
            hosted = sources.parse_video_url(self.source_url)
            self.provider, self.video_id = hosted.provider, hosted.video_id
            self.vimeo_hash = hosted.vimeo_hash
        else:
            self.provider, self.video_id, self.vimeo_hash = self.Provider.FILE, "", ""
        self.description_html = render_markdown(self.description)
        self.description_text = plain_text(self.description_html)
        page = render_page(self.transcript, terms=page_terms())
        self.transcript_html, self.transcript_text = page.html, page.text
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "provider",
                "video_id",
                "vimeo_hash",
                "description_html",
                "description_text",
                "transcript_html",
                "transcript_text",
            }
        super().save(*args, **kwargs)

    def clean(self):
        """One source per video: a hosted link, or a file with captions."""
        super().clean()  # the schedule's check (spinesite.pages.ReviewedPage)
        if self.source_url.strip():
            try:
                sources.parse_video_url(self.source_url)
            except ValidationError as error:
                raise ValidationError({"source_url": error.messages}) from None
            if self.video_file:
                raise ValidationError(
                    {
                        "source_url": "Use a YouTube or Vimeo link or an uploaded file, not "
                        "both. Empty this field or remove the file."
                    }
                )
            if self.captions:
                raise ValidationError(
                    {
                        "captions": "Captions files are for uploaded videos only. Add "
                        "captions to the video on YouTube or Vimeo instead."
                    }
                )
        elif not self.video_file:
            raise ValidationError(
                {"source_url": "Paste a YouTube or Vimeo link, or upload a video file."}
            )
        elif not self.captions:
            raise ValidationError(
                {
                    "captions": "Upload a WebVTT captions file (.vtt) for this video. "
                    "Every video needs captions."
                }
            )
        if self.duration is not None and not timedelta(0) < self.duration <= MAX_DURATION:
            raise ValidationError({"duration": "Enter how long the video runs, e.g. 2:05."})

    @property
    def hosted(self):
        """The HostedVideo for a YouTube or Vimeo video, None for an uploaded file."""
        if self.provider == self.Provider.FILE:
            return None
        return sources.HostedVideo(self.provider, self.video_id, self.vimeo_hash)

    @property
    def iso_duration(self):
        """The duration in ISO 8601, as schema.org and <time datetime> want it."""
        return iso_duration(self.duration)

    def structured_data(self, absolute_url):
        """schema.org VideoObject; `absolute_url` turns a path into a full URL."""
        data = {
            "@context": "https://schema.org",
            "@type": "VideoObject",
            "name": self.title,
            "description": self.description_text or self.title,
            "thumbnailUrl": absolute_url(self.thumbnail.url),
            "uploadDate": self.created.isoformat(),
            "duration": self.iso_duration,
            "transcript": self.transcript_text,
            "url": absolute_url(self.get_absolute_url()),
        }
        if self.hosted:
            data["embedUrl"] = self.hosted.embed_url
        else:
            data["contentUrl"] = absolute_url(self.video_file.url)
        return data


class VideoTranslation(Translation):
    """A video's title, description and transcript in another language, with its own
    captions track if the video has one in that language (spinesite.translations)."""

    source_fields = ("title", "description", "transcript", "captions")
    shown_fields = ("title", "description_html", "transcript_html")
    # Shown only when this translation has its own: else the English track stays.
    optional_fields = ("captions",)
    search_fields = {"summary": "description_text", "text": "transcript_text", "names": ""}
    explained_html = ("transcript_html",)

    page = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="Markdown. What the video covers.")
    transcript = models.TextField(help_text="Markdown. Everything said and shown, as text.")
    captions = models.FileField(
        upload_to=captions_upload_to,
        blank=True,
        help_text="WebVTT captions (.vtt) in this language, if the video has a track in it.",
    )
    description_html = models.TextField(editable=False, default="")
    description_text = models.TextField(editable=False, default="")
    transcript_html = models.TextField(editable=False, default="")
    transcript_text = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=SearchVector("title", config=SPANISH_CONFIG, weight="A")
        + SearchVector("description_text", config=SPANISH_CONFIG, weight="B")
        + SearchVector("transcript_text", config=SPANISH_CONFIG, weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    names_vector = models.GeneratedField(
        expression=SearchVector("title", config=SPANISH_CONFIG, weight="A"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta(Translation.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="video_one_per_language")
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="videotranslation_search_idx"),
            GinIndex(fields=["names_vector"], name="videotranslation_names_idx"),
        ]

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        self.description_text = plain_text(self.description_html)
        terms = page_terms(self.language)  # as the English transcript explains them
        page = render_page(self.transcript, terms=terms, language=self.language)
        self.transcript_html, self.transcript_text = page.html, page.text
        super().save(*args, **kwargs)
