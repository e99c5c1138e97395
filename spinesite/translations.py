"""Translated content: a page's text in another language, as rows linked to the page.

Linked translation rows rather than django-parler or django-modeltranslation:
modeltranslation adds a column per language to every English table, which would
change the English search vectors, triggers and content files; parler keeps a
translations table too but makes the English text one more translation, so every
English query, admin and loader would change. A row per (page, language) leaves
the English untouched and gives each translation what a translation needs here and
neither library has: its translator, its own clinical review, the English version
it was made from (to flag it when the English changes) and a search vector in its
own language.

Each app defines a concrete model on `Translation` (or `ArticleTranslation`) with a
foreign key `page` to what it translates, names the English fields it translates in
`source_fields`, and registers it: a kind of page through
`pagekinds.register(..., translation=Model)`, anything else through `register(Model)`.
"""

import hashlib

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import MD5, Concat, Lower

from .markdown import normalize_text, render_markdown, render_page
from .pageterms import explain_terms, page_terms

# The languages pages are translated into, with the PostgreSQL text search
# configuration of each: spinesite_spanish is `spanish` with `unaccent` first
# (migration 0009), so "ciatica" finds "ciática".
LANGUAGES = [("es", "Spanish")]
SEARCH_CONFIGS = {"es": "spinesite_spanish"}
SPANISH = "es"
SPANISH_CONFIG = SEARCH_CONFIGS[SPANISH]
# Between the fields of the English text when it is hashed: no editor types it.
SEPARATOR = "\x1f"


def search_config(language):
    return SEARCH_CONFIGS[language]


class TranslationQuerySet(models.QuerySet):
    def published(self, language=None):
        rows = self.filter(status=Translation.Status.PUBLISHED)
        return rows if language is None else rows.filter(language=language)

    def with_freshness(self):
        """Each row's `out_of_date`: whether the English text changed since it was translated."""
        return self.annotate(out_of_date=out_of_date(self.model))


class Translation(models.Model):
    """A translation of one page into one language, with its own translator and review."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    # The English fields this kind translates: a change to any of them after the
    # translation was made marks it out of date.
    source_fields = ()
    # What a public page shows of it, in place of the English (spinesite.translated_pages).
    shown_fields = ()
    # Shown in place of the English only when not empty (a video's own captions track,
    # a location's parking or a photo's description left blank): the English stays.
    optional_fields = ()
    # For Spanish search (spinesite.translated_search), when the model has a search_vector.
    search_fields = {"summary": "summary", "text": "body_text", "names": "also_called"}
    # False for what no clinician reviews (a clinician's bio, a location): its page
    # does not say it awaits clinical review.
    clinically_reviewed = True
    # The rendered fields that explain glossary terms (`explain()`), as the English
    # page's do: rendered again when a term or its translation changes (glossary.pages).
    explained_html = ()

    language = models.CharField(max_length=10, choices=LANGUAGES, default=SPANISH)
    translator = models.CharField(
        max_length=200, help_text="Who translated it (a person or an agency)."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    reviewer_name = models.CharField("medical reviewer", max_length=200, blank=True)
    reviewer_credentials = models.CharField(max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.PAGE_REVIEWER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="reviewed by (our clinician)",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    # The hash of the English text (source_fields) this translation was made from.
    source_digest = models.CharField(max_length=32, editable=False, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # As ReviewedPage.content_hash: the content file it was loaded from, cleared by
    # an admin edit so that `load_content` leaves the edit alone.
    content_hash = models.CharField(max_length=64, editable=False, blank=True)
    # As ReviewedPage's: set when a clinical reviewer approves this translation
    # (spinesite.review.approve_translation), a hash of the translated text they
    # approved, and whether that text has changed since.
    reviewed_hash = models.CharField(max_length=64, editable=False, blank=True)
    changed_since_review = models.BooleanField(editable=False, default=False)

    objects = TranslationQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_language_display()}: {getattr(self, self.title_field, '')}"

    title_field = "title"

    def save(self, *args, **kwargs):
        self.changed_since_review = bool(self.reviewed_hash) and (
            self.reviewed_hash != self.review_digest()
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "changed_since_review"}
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def reviewer(self):
        clinician = self.reviewed_by if self.reviewed_by_id else None
        if clinician is not None:
            return ", ".join(part for part in (clinician.title, clinician.credentials) if part)
        return ", ".join(part for part in (self.reviewer_name, self.reviewer_credentials) if part)

    def review_digest(self):
        """A hash of the translated text (this row's own `source_fields`): what a
        clinical reviewer approves, so that a later edit to any of it, not only the
        body, shows as "changed since clinical review"."""
        text = SEPARATOR.join(
            normalize_text(str(getattr(self, name) or "")) for name in self.source_fields
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def explain(self, html_fragment):
        """Sanitised HTML with the first use of each of this language's glossary
        terms explained, linking that language's glossary (spinesite.pageterms)."""
        return explain_terms(html_fragment, page_terms(self.language), language=self.language)

    def mark_current(self):
        """Record that this translation matches the English text as it is now."""
        self.source_digest = digest_of(self.page, self.source_fields)

    @property
    def is_out_of_date(self):
        if hasattr(self, "out_of_date"):
            return self.out_of_date
        return self.source_digest != digest_of(self.page, self.source_fields)


def digest_of(page, fields):
    """The hash of a page's English text, as `source_expression()` computes it in SQL."""
    text = SEPARATOR.join(str(getattr(page, name) or "") for name in fields)
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def source_expression(fields, prefix="page__"):
    """The hash of the English text in SQL (PostgreSQL's md5 of the same string)."""
    parts = []
    for name in fields:
        if parts:
            parts.append(Value(SEPARATOR))
        parts.append(F(f"{prefix}{name}"))
    return MD5(Concat(*parts, output_field=models.TextField()) if len(parts) > 1 else parts[0])


def out_of_date(model, prefix="page__"):
    """SQL: whether a row of `model` was made from English text that has changed since."""
    return Case(
        When(source_digest=source_expression(model.source_fields, prefix), then=Value(False)),
        default=Value(True),
        output_field=models.BooleanField(),
    )


class ArticleTranslation(Translation):
    """A translated Markdown page (a condition, a treatment): title, other names,
    summary and body, rendered on save through the one Markdown pipeline."""

    source_fields = ("title", "also_called", "summary", "body")
    shown_fields = ("title", "also_called", "summary", "body_html", "toc")
    explained_html = ("body_html",)

    title = models.CharField(max_length=200)
    also_called = models.TextField(blank=True, help_text="Other names, one per line.")
    # Spanish runs about a fifth longer than English: the English 160 would cut
    # most translated summaries.
    summary = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown. Use ## for sections.")
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    body_text = models.TextField(editable=False, default="")
    # Spanish search (spinesite.search): generated like the English page's vectors,
    # in the language's own configuration.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", "also_called", config=SPANISH_CONFIG, weight="A")
        + SearchVector("summary", config=SPANISH_CONFIG, weight="B")
        + SearchVector("body_text", config=SPANISH_CONFIG, weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    names_vector = models.GeneratedField(
        expression=SearchVector("title", "also_called", config=SPANISH_CONFIG, weight="A"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta(Translation.Meta):
        abstract = True
        indexes = [
            GinIndex(fields=["search_vector"], name="%(app_label)s_tr_search_idx"),
            GinIndex(fields=["names_vector"], name="%(app_label)s_tr_names_idx"),
            # The index in a language, by translated title (translated_lists.listed_queryset).
            models.Index(
                F("language"),
                Lower("title"),
                F("page"),
                condition=Q(status="published"),
                name="%(app_label)s_tr_a_to_z_idx",
            ),
        ]

    def save(self, *args, **kwargs):
        self.render()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html", "toc", "body_text"}
        super().save(*args, **kwargs)

    def render(self, terms=None):
        """Fill the rendered fields, explaining the glossary's terms in this language
        (their translated names, linking the entry on this language's glossary), as
        Article.render() does the English ones."""
        terms = page_terms(self.language) if terms is None else terms
        page = render_page(self.body, terms=terms, language=self.language)
        self.body_html, self.toc, self.body_text = page.html, page.toc, page.text

    @property
    def other_names(self):
        return [name.strip() for name in self.also_called.splitlines() if name.strip()]


class BodyTranslation(Translation):
    """A translated page that is one Markdown body (the new patients page)."""

    source_fields = ("body",)
    shown_fields = ("body_html",)
    title_field = "language"

    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")

    class Meta(Translation.Meta):
        abstract = True

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)


# The registry
# ------------------------------------------------------------------------------
_registry = {}


def register(model):
    """Make `model` (a concrete Translation) known site-wide: its table gets the
    content-version trigger, the review list shows it, and search finds it if it has
    a search vector. Kinds of page call this through pagekinds.register(translation=...)."""
    from django.db.models.signals import post_save

    from . import history
    from .translated_search import add_words

    _registry[model] = model
    # Each version is kept (django-reversion, spinesite.history): an inline edit is
    # saved in the page's own revision, so the page's history shows it too.
    history.register(model)
    # A published translation's words join its language's vocabulary (spelling help).
    post_save.connect(add_words, sender=model, dispatch_uid=f"translations.{model._meta.label}")
    return model


def models_registered():
    return list(_registry)


def translation_of(model):
    """The translation model of an English model, or None."""
    for translated in _registry:
        if translated._meta.get_field("page").related_model is model._meta.concrete_model:
            return translated
    return None
