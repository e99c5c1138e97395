"""What site search finds: every kind of page (spinesite.pagekinds), then the
`Searchable`s apps register for things that are no kind of page (a glossary entry,
the new patients page). spinesite.search runs the query over them; the vocabulary
(spinesite.vocabulary) reads them for the words misspellings are corrected to.
"""

from dataclasses import dataclass

from django.db.models.signals import post_save
from django.urls import reverse


@dataclass(frozen=True)
class Searchable:
    """Something search finds that is not a kind of page (spinesite.pagekinds): a glossary
    entry, say. It answers what search asks of a PageKind; field names are the model's.

    An app registers one with `register()` from its AppConfig.ready(), as django-watson's
    apps do; every kind of page is searched without one.
    """

    model: type  # its manager needs a published() method
    label: str  # what a result says it is, e.g. "Word explained"
    url_name: str  # the page the entries share, linked as #slug
    summary: str
    text: str  # plain text the snippet is cut from
    names: str = ""  # other names, one per line, shown when they match
    title: str = "title"

    @property
    def key(self):
        return self.model._meta.label

    def url(self, slug):
        return f"{reverse(self.url_name)}#{slug}"

    def queryset(self):
        return self.model.objects.published()

    @property
    def word_fields(self):
        return [name for name in (self.title, self.names, self.summary, self.text) if name]

    def words_of(self, entry):
        """The vocabulary an entry brings: words of its title, names, summary and text."""
        from .vocabulary import words_in  # not at the top: see register()

        return words_in(" ".join(getattr(entry, name) for name in self.word_fields))


_extra = {}


def register(searchable):
    """Make search find `searchable`'s published rows, after every kind of page."""
    # Here, not at the top: vocabulary imports this module (searchable_of) at its top.
    from .vocabulary import add_words

    model = searchable.model
    _extra[model] = searchable
    post_save.connect(
        add_words, sender=model, dispatch_uid=f"spinesite.searchables.{model._meta.label}"
    )


def all_searchables():
    """What search finds: every kind of page (in registry order), then the extras."""
    from .pagekinds import kinds

    return [*kinds(), *_extra.values()]


def searchable_of(model):
    """The kind of page or extra searchable that `model` is, or None."""
    from .pagekinds import kind_of

    return kind_of(model) or _extra.get(model._meta.concrete_model)
