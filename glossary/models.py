"""Glossary terms: plain meanings of the words patients meet on the site.

Pages explain the first use of each published term in place (glossary.pages,
spinesite.pageterms.explain_terms); /glossary/ lists them A to Z.
"""

import re

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from spinesite.pages import PageQuerySet
from spinesite.searchvectors import CONFIG, title_vector
from spinesite.translations import Translation, search_config

SPANISH_CONFIG = search_config("es")

DEFINITION_MAX_LENGTH = 300
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def validate_definition(text):
    """One or two plain sentences: shown inside a sentence of a page, so no Markdown."""
    if "\n" in text.strip():
        raise ValidationError("Write the meaning as one short paragraph, without line breaks.")
    sentences = len(SENTENCE_END.findall(text.strip()))
    if not 1 <= sentences <= 2:
        raise ValidationError(
            f"Write one or two sentences, each ending with a full stop (this has {sentences})."
        )


class Term(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    term = models.CharField(max_length=80, help_text="As a patient reads it.")
    slug = models.SlugField(max_length=80, unique=True)
    also_called = models.TextField(
        "other forms",
        blank=True,
        help_text="Other words for it that pages use, one per line: other spellings "
        "(disk), other names, or plurals that are not just an added s (vertebrae). "
        "Each is explained like the term.",
    )
    definition = models.TextField(
        "plain meaning",
        max_length=DEFINITION_MAX_LENGTH,
        validators=[validate_definition],
        help_text="One or two short sentences in everyday words, no Markdown. "
        "Readers see it in the middle of a page, next to the word.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Hash of the content file this term was last loaded from; cleared by an admin
    # edit, so that `load_content` leaves the edit alone (spinesite.content).
    content_hash = models.CharField(max_length=64, editable=False, blank=True)
    # For site search (spinesite.search), kept by PostgreSQL like a page's.
    search_vector = models.GeneratedField(
        expression=SearchVector("term", "also_called", config=CONFIG, weight="A")
        + SearchVector("definition", config=CONFIG, weight="B"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    names_vector = models.GeneratedField(
        expression=title_vector(["term", "also_called"]),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = PageQuerySet.as_manager()  # .published(), as pages have

    class Meta:
        ordering = [Lower("term")]  # A to Z, "disc" before "Stenosis"
        indexes = [
            GinIndex(fields=["search_vector"], name="term_search_idx"),
            GinIndex(fields=["names_vector"], name="term_names_idx"),
        ]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return f"{reverse('glossary:index')}#{self.slug}"

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember what pages may show of the term as loaded: glossary.pages renders
        again the pages that showed its old name or slug."""
        term = super().from_db(db, field_names, values)
        term.loaded = (term.__dict__.get("slug"), term.__dict__.get("term"), term.forms)
        return term

    @property
    def forms(self):
        lines = self.__dict__.get("also_called", "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class TermTranslation(Translation):
    """A term and its plain meaning in another language (spinesite.translations)."""

    source_fields = ("term", "also_called", "definition")
    title_field = "term"

    page = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="translations")
    term = models.CharField(max_length=80)
    also_called = models.TextField("other forms", blank=True, help_text="One per line.")
    definition = models.TextField(
        "plain meaning",
        max_length=DEFINITION_MAX_LENGTH,
        validators=[validate_definition],
        help_text="One or two short sentences in everyday words, no Markdown.",
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("term", "also_called", config=SPANISH_CONFIG, weight="A")
        + SearchVector("definition", config=SPANISH_CONFIG, weight="B"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    names_vector = models.GeneratedField(
        expression=SearchVector("term", "also_called", config=SPANISH_CONFIG, weight="A"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta(Translation.Meta):
        ordering = [Lower("term")]
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="term_one_per_language")
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="termtranslation_search_idx"),
            GinIndex(fields=["names_vector"], name="termtranslation_names_idx"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        """As Term's: translated pages that showed its old names are rendered again."""
        row = super().from_db(db, field_names, values)
        row.loaded = (row.__dict__.get("page_id"), row.__dict__.get("term"), row.forms)
        return row

    @property
    def forms(self):
        lines = self.__dict__.get("also_called", "").splitlines()
        return [line.strip() for line in lines if line.strip()]
