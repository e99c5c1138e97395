"""Search in another language: the published translations, in that language's text
search configuration (spinesite_spanish: Spanish stems, accents ignored), with a
vocabulary of its own for spelling help. spinesite.search does the searching; this
module says what to search and how (`searchables()`, `LANGUAGES`).

The views pass `language_for(code)` to `search.search()`; under /es/ that searches
the Spanish pages only, and each result links the Spanish page.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from . import pages, search
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
        return search.words_in(" ".join(getattr(row, name) for name in self.word_fields))


_extra = {}


def register(model, **options):
    """Make search find a translation model that is no kind of page's (the glossary's)."""
    _extra[model] = options


def searchables(language):
    """What search finds in `language`: each kind's translations, then the extras."""
    found = []
    for kind in pages.kinds():
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
