"""Patient pages: what every reviewed page shares, whatever its kind.

`ReviewedPage` (title, slug, status, schedule, clinical review) and `Article` (a page
written in Markdown) are the abstract models a kind of page builds on; `live()` and
`PageQuerySet` say which pages the public sees. Kinds register with
spinesite.pagekinds, which every site-wide feature reads instead of naming them.
"""

import hashlib

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import JSONObject, Upper
from django.utils import timezone
from markdownx.models import MarkdownxField

from .markdown import normalize_text, render_markdown, render_page
from .pagekinds import kind_of, page_url
from .pageterms import page_terms
from .searchvectors import document_vector, title_vector


class StatementTime(models.Func):
    """The time the SQL statement started. A queryset that asks the database for the
    time (rather than Python, when it is built) can be built once and run for years:
    the views keep theirs per process. Not now(), which inside a transaction is the
    time the transaction began."""

    template = "statement_timestamp()"
    output_field = models.DateTimeField()


def live(now=None, model=None):
    """What makes a page public at `now` (by default, whenever the query runs):
    published, and within its schedule (for models with one: content that is no kind
    of page, such as glossary terms, uses `published()` too and has only a status)."""
    published = Q(status=ReviewedPage.Status.PUBLISHED)
    if model is not None and not issubclass(model, ReviewedPage):
        return published
    now = now or StatementTime()
    return (
        published
        & (Q(publish_at__isnull=True) | Q(publish_at__lte=now))
        & (Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now))
    )


class PageQuerySet(models.QuerySet):
    def published(self):
        """Pages the public sees now. The schedule needs no cron job: each query asks
        about the time it runs (the page cache learns when the next change is due,
        see spinesite.contentsnapshot)."""
        return self.filter(live(model=self.model))

    def visible_to(self, request):
        return self.filter(self.visibility(request))

    def visibility(self, request):
        """What a detail view may show, as a condition: every page to staff; to anyone
        else the published pages, and the one page a signed preview link names
        (spinesite.review)."""
        if request.user.is_staff:
            return Q()
        preview = getattr(request, "preview_page", None)
        if preview is not None and preview[0] == self.model._meta.label:
            return live(model=self.model) | Q(pk=preview[1])
        return live(model=self.model)

    def visibility_key(self, request):
        """What `visibility(request)` lets through, as a value to key a cache by:
        every page (staff), the public pages plus one previewed page, or the public
        pages (spinesite.fragments keeps a view's page per content version)."""
        if request.user.is_staff:
            return "all"
        preview = getattr(request, "preview_page", None)
        if preview is not None and preview[0] == self.model._meta.label:
            return f"live+{preview[1]}"
        return "live"

    def links(self):
        """Each page as {title, slug, summary}, by title: what a list of links to pages
        shows. Made for an ArraySubquery, so that a page's links come in its own query."""
        return self.order_by("title").values(
            page=JSONObject(title="title", slug="slug", summary="summary")
        )


def admin_search_indexes(*fields):
    """Trigram indexes (pg_trgm) for the admin's search of `fields`: its icontains is
    UPPER(column) LIKE '%words%', which PostgreSQL answers from these instead of
    reading every row (at 50,000 pages, 0.6 s a query, and a list page runs two)."""
    return [
        GinIndex(OpClass(Upper(name), name="gin_trgm_ops"), name=f"%(class)s_{name}_trgm")
        for name in fields
    ]


class ReviewedPage(models.Model):
    """A patient page that a clinician reviews, loaded from a content file or edited in admin.

    Subclasses define `search_vector` and `names_vector` (generated columns; see
    `Article`), which the indexes below cover.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    reviewer_name = models.CharField("medical reviewer", max_length=200, blank=True)
    reviewer_credentials = models.CharField(
        max_length=200, blank=True, help_text="e.g. MD, board-certified in pain medicine"
    )
    # A reviewer from the clinic's own clinicians. The model is named by a setting, as
    # Django names the user model, so that spinesite imports no app; the free-text
    # fields above stay for reviewers from outside the clinic.
    reviewed_by = models.ForeignKey(
        settings.PAGE_REVIEWER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="reviewed by (our clinician)",
        help_text="Or leave empty and type an outside reviewer's name and credentials.",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        db_index=True,  # the page cache asks for the next one (spinesite.contentsnapshot)
        help_text="Optional: a published page appears only from this time.",
    )
    unpublish_at = models.DateTimeField(
        "unpublish at",
        null=True,
        blank=True,
        db_index=True,
        help_text="Optional: a published page disappears at this time.",
    )
    # Set when a clinical reviewer approves the page (spinesite.review): a hash of
    # the body they approved, and whether the body has changed since.
    reviewed_hash = models.CharField(max_length=64, editable=False, blank=True)
    changed_since_review = models.BooleanField(editable=False, default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Hash of the content file this page was last loaded from; cleared when the
    # page is edited in admin so that `load_content` will not overwrite the edit.
    content_hash = models.CharField(max_length=64, editable=False, blank=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="%(class)s_search_idx"),
            GinIndex(fields=["names_vector"], name="%(class)s_names_idx"),
            # Every page by title, whatever its status (the admin's list, a page of it
            # at a time): read in order from here instead of sorting the whole table.
            models.Index(fields=["title", "id"], name="%(class)s_title_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.changed_since_review = bool(self.reviewed_hash) and (
            self.reviewed_hash != self.review_digest()
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "changed_since_review"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_url(kind_of(self).url_name, self.slug)

    def review_digest(self):
        """What a clinical reviewer approves (spinesite.review): the body's hash."""
        return body_digest(self)

    def clean(self):
        super().clean()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError(
                {
                    "unpublish_at": "The page must come down after it goes up: choose a time "
                    "after \u201cpublish at\u201d, or leave one of them empty."
                }
            )

    @property
    def is_published(self):
        """Whether the public sees it now (as `published()` says, without a query)."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and (self.publish_at is None or self.publish_at <= now)
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def is_scheduled(self):
        """Published, but not yet up, or with a time to come down."""
        now = timezone.now()
        return self.status == self.Status.PUBLISHED and bool(
            (self.publish_at and self.publish_at > now)
            or (self.unpublish_at and self.unpublish_at > now)
        )

    @property
    def reviewer(self):
        """Who reviewed the page, with credentials: our clinician, or the outside reviewer."""
        clinician = self.reviewed_by if self.reviewed_by_id else None
        if clinician is not None:
            return ", ".join(part for part in (clinician.title, clinician.credentials) if part)
        return ", ".join(part for part in (self.reviewer_name, self.reviewer_credentials) if part)

    @property
    def reviewer_page(self):
        """The reviewing clinician's public profile, or None (outside reviewer, or a draft)."""
        clinician = self.reviewed_by if self.reviewed_by_id else None
        return clinician if clinician is not None and clinician.is_published else None


class Article(ReviewedPage):
    """A page written in Markdown: a summary, a body with sections, and its sources."""

    also_called = models.TextField(
        blank=True,
        help_text="Other names patients or doctors use, one per line.",
    )
    summary = models.CharField(
        max_length=160,
        help_text="One plain sentence. Search engines show it under the title.",
    )
    body = MarkdownxField(help_text="Markdown. Use ## for sections.")
    sources = MarkdownxField(blank=True, help_text="Markdown list of sources, one per line.")
    featured = models.BooleanField(default=False, help_text="Shown on the home page.")

    # Rendered once on save so that a page view never runs Markdown.
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    body_text = models.TextField(editable=False, default="")
    sources_html = models.TextField(editable=False, default="")
    # For site search (spinesite.search): computed by PostgreSQL from the columns,
    # so it can never go stale, whichever way a row is written. Stored in the row
    # itself (STORAGE MAIN, see conditions' migration 0002_search), which makes search fast;
    # the row's other small columns stay with it (conditions' 0012_whole_rows).
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

    class Meta(ReviewedPage.Meta):
        abstract = True
        indexes = [
            *ReviewedPage.Meta.indexes,
            *admin_search_indexes("title", "also_called", "summary"),
        ]

    RENDERED_FIELDS = ("body_html", "toc", "body_text", "sources_html")  # render() fills

    def save(self, *args, **kwargs):
        self.render()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.RENDERED_FIELDS}
        super().save(*args, **kwargs)

    def render(self, terms=None):
        """Fill the rendered fields from the Markdown ones (save() does this).

        Every Article explains the glossary's published terms in place; a loader
        saving thousands of pages passes `terms` (page_terms()) once for all.
        """
        page = render_page(self.body, terms=page_terms() if terms is None else terms)
        self.body_html, self.toc, self.body_text = page.html, page.toc, page.text
        self.sources_html = render_markdown(self.sources)

    @property
    def other_names(self):
        return [name.strip() for name in self.also_called.splitlines() if name.strip()]


def body_digest(page):
    """A hash of the page's main text (its kind's content-file body field): what a
    clinical reviewer approves."""
    kind = kind_of(page)
    name = kind.body if kind else "body"
    text = normalize_text(str(getattr(page, name, "")))  # as the admin form stores it
    return hashlib.sha256(text.encode()).hexdigest()
