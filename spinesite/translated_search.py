"""Search in another language: the published translations, in that language's text
search configuration (spinesite_spanish: Spanish stems, accents ignored), with a
vocabulary of its own for spelling help. spinesite.search does the searching; this
module says what to search and how (`searchables()`, `LANGUAGES`).

The views pass `language_for(code)` to `search.search()`; under /es/ that searches
the Spanish pages only, and each result links the Spanish page.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db.models import Exists, F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.urls import reverse

from . import pagekinds, search, vocabulary
from .models import SpanishSearchTerm
from .translations import SPANISH, SPANISH_CONFIG

LANGUAGES = {
    SPANISH: search.Language(config=SPANISH_CONFIG, vocabulary=SpanishSearchTerm, fold="unaccent")
}


def language_for(code):
    """The search.Language of a language code; English for the default or unknown."""
    return LANGUAGES.get(code, search.ENGLISH)


@dataclass(frozen=True)
class TranslatedSearchable:
    """Published translations into one language of one kind (or the glossary), as
    spinesite.search asks of a PageKind. Field names are the translation model's."""

    model: type
    language: str
    label: str
    url_name: str
    anchor: bool = False  # the glossary: one page, each term at #slug
    title: str = "title"
    summary: str = "summary"
    text: str = "body_text"
    names: str = "also_called"
    slug: str = "page__slug"

    @property
    def key(self):
        return f"{self.model._meta.label}:{self.language}"

    def queryset(self):
        # Of pages the public sees now (published, and within their schedule).
        source = self.model._meta.get_field("page").related_model
        return self.model.objects.published(self.language).filter(
            page__in=source.objects.published().values("pk")
        )

    def url(self, slug):
        if self.anchor:
            return f"{reverse(self.url_name)}#{slug}"
        return reverse(self.url_name, args=[slug])

    @property
    def word_fields(self):
        return [name for name in (self.title, self.names, self.summary, self.text) if name]

    def words_of(self, row):
        return vocabulary.words_in(" ".join(getattr(row, name) for name in self.word_fields))


@dataclass(frozen=True)
class EveryPageSearchable:
    """Every published page of a kind whose untranslated pages are shown in English
    (`shown_untranslated`: clinicians, locations), searched in `language`: by name,
    and by the published translation's text where there is one, else the English.

    Their vectors are made at query time in the language's configuration, not kept
    in a column: a clinic has tens of clinicians and locations, not thousands, and
    most have no translation to keep a vector in. `model` is the translation model
    (as TranslatedSearchable's, for its words); `source` the English one.
    """

    model: type
    source: type
    language: str
    label: str
    url_name: str
    english_text: str  # the English page's plain text field (PageKind.text)
    title: str = "title"
    summary: str = "s_summary"
    text: str = "s_text"
    names: str = ""
    slug: str = "slug"
    search_vector: str = "s_vector"
    names_vector: str = "s_names"

    @property
    def key(self):
        return f"{self.model._meta.label}:{self.language}:all"

    def queryset(self):
        config = LANGUAGES[self.language].config
        mine = self.model.objects.published(self.language).filter(page=OuterRef("pk"))
        fields = self.model.searched_fields  # the translation's Markdown fields
        parts = [
            Coalesce(plain(Subquery(mine.values(name)[:1])), Value(""), output_field=TextField())
            for name in fields
        ]
        if len(parts) > 1:
            text = Concat(*intersperse(parts, Value("\n\n")), output_field=TextField())
        else:
            text = parts[0]
        return (
            self.source.objects.published()
            .annotate(
                s_summary=Coalesce(
                    NullIf(Subquery(mine.values("summary")[:1]), Value("")),
                    F("summary"),
                    output_field=TextField(),
                ),
                s_text=Coalesce(
                    NullIf(Trim(text), Value("")), F(self.english_text), output_field=TextField()
                ),
                s_translated=Exists(mine),
            )
            .annotate(
                s_vector=SearchVector("title", config=config, weight="A")
                + SearchVector("s_summary", config=config, weight="B")
                + SearchVector("s_text", config=config, weight="C"),
                s_names=SearchVector("title", config=config, weight="A"),
            )
        )

    def url(self, slug):
        return reverse(self.url_name, args=[slug])

    def words_of(self, row):
        """The words a translation (or a page read with its translation) brings to
        the language's vocabulary; an untranslated page's English brings none."""
        if isinstance(row, self.model):
            fields = ("summary", *self.model.searched_fields)
        elif getattr(row, "s_translated", False):
            fields = ("s_summary", "s_text")
        else:
            return set()
        return vocabulary.words_in(" ".join(getattr(row, name) or "" for name in fields))


def plain(markdown):
    """SQL: Markdown as words, for the vector and the snippets: a link's text without
    its address, and no markup characters (these fields are a bio or a location's
    notes, rendered on the page but stored as Markdown only)."""
    # A link's address, an autolink, a bare address, a reference link's definition.
    addresses = r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+|^\s*\[[^\]]+\]:.*$"
    without_addresses = Func(
        markdown,
        Value(addresses),
        Value(" "),
        Value("gn"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return Func(
        without_addresses,
        Value(r"[#*_>`\[\]|]+"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def intersperse(items, separator):
    found = []
    for item in items:
        found += [separator, item] if found else [item]
    return found


_extra = {}


def register(model, **options):
    """Make search find a translation model that is no kind of page's (the glossary's)."""
    _extra[model] = options


def searchables(language):
    """What search finds in `language`: each kind's translations, then the extras."""
    found = []
    for kind in pagekinds.kinds():
        if kind.translation is not None and hasattr(kind.translation, "search_vector"):
            found.append(
                TranslatedSearchable(
                    kind.translation,
                    language,
                    kind.label,
                    kind.url_name,
                    **kind.translation.search_fields,
                )
            )
        elif getattr(kind.translation, "shown_untranslated", False):
            found.append(
                EveryPageSearchable(
                    kind.translation, kind.model, language, kind.label, kind.url_name, kind.text
                )
            )
    for model, options in _extra.items():
        found.append(TranslatedSearchable(model, language, **options))
    return found


def searchable_of(model, language):
    return next((each for each in searchables(language) if each.model is model), None)


def add_words(sender, instance, **kwargs):
    """post_save: a published translation's words join its language's vocabulary."""
    language = LANGUAGES.get(instance.language)
    searchable = searchable_of(sender, instance.language)
    if language is None or searchable is None or not instance.is_published:
        return
    vocabulary = language.vocabulary
    words = [vocabulary(word=word) for word in searchable.words_of(instance)]
    vocabulary.objects.bulk_create(words, ignore_conflicts=True, batch_size=1000)


def rebuild_vocabulary():
    """Every published translation's words, afresh, per language."""
    for code, language in LANGUAGES.items():
        words = set()
        for searchable in searchables(code):
            for row in searchable.queryset().iterator():
                words |= searchable.words_of(row)
        language.vocabulary.objects.all().delete()
        language.vocabulary.objects.bulk_create(
            [language.vocabulary(word=word) for word in words], batch_size=1000
        )


def is_default(code):
    return code == settings.LANGUAGE_CODE
