from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from markdownx.models import MarkdownxField

from spinesite.markdown import page_terms, render_markdown, render_page
from spinesite.search import document_vector, title_vector


class ConditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Condition.Status.PUBLISHED)


class Condition(models.Model):
    class Region(models.TextChoices):
        LOWER_BACK = "lower-back", "Lower back"
        NECK = "neck", "Neck"
        UPPER_MID_BACK = "upper-mid-back", "Upper and middle back"
        WHOLE_SPINE = "whole-spine", "Whole spine"

        @classmethod
        def filter_choices(cls):
            """The regions a reader can filter by: parts of the spine, not "whole spine"."""
            return [(value, label) for value, label in cls.choices if value != cls.WHOLE_SPINE]

        @classmethod
        def shown_under(cls, region):
            """The filter regions a page of `region` is listed under: a "whole spine"
            page concerns every part of the spine, so it shows under each."""
            if region == cls.WHOLE_SPINE:
                return {value for value, _ in cls.filter_choices()}
            return {region}

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    also_called = models.TextField(
        blank=True,
        help_text="Other names patients or doctors use, one per line.",
    )
    summary = models.CharField(
        max_length=160,
        help_text="One plain sentence. Search engines show it under the title.",
    )
    region = models.CharField(max_length=20, choices=Region)
    body = MarkdownxField(help_text="Markdown. Use ## for sections.")
    sources = MarkdownxField(blank=True, help_text="Markdown list of sources, one per line.")
    reviewer_name = models.CharField("medical reviewer", max_length=200, blank=True)
    reviewer_credentials = models.CharField(
        max_length=200, blank=True, help_text="e.g. MD, board-certified in pain medicine"
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name="related conditions"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    featured = models.BooleanField(default=False, help_text="Shown on the home page.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    # Rendered once on save so that a page view never runs Markdown.
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    body_text = models.TextField(editable=False, default="")
    sources_html = models.TextField(editable=False, default="")
    # Hash of the content file this page was last loaded from; cleared when the
    # page is edited in admin so that `load_content` will not overwrite the edit.
    content_hash = models.CharField(max_length=64, editable=False, blank=True)
    # For site search (spinesite.search): computed by PostgreSQL from the columns,
    # so it can never go stale, whichever way a row is written. Stored in the row
    # itself (STORAGE MAIN, set in migration 0002_search), which makes search fast.
    search_vector = models.GeneratedField(
        expression=document_vector(["title", "also_called"], "summary", "body_text"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    names_vector = models.GeneratedField(
        expression=title_vector(["title", "also_called"]),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="condition_search_idx"),
            GinIndex(fields=["names_vector"], name="condition_names_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        page = render_page(self.body, terms=page_terms())
        self.body_html, self.toc, self.body_text = page.html, page.toc, page.text
        self.sources_html = render_markdown(self.sources)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "body_html",
                "toc",
                "body_text",
                "sources_html",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("conditions:detail", args=[self.slug])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def other_names(self):
        return [name.strip() for name in self.also_called.splitlines() if name.strip()]

    @property
    def reviewer(self):
        return ", ".join(part for part in (self.reviewer_name, self.reviewer_credentials) if part)
