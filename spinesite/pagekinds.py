"""The registry of kinds of page.

A kind of page (a condition, a treatment, a video) is a model on `ReviewedPage`
(or on `Article`, a page written in Markdown; spinesite.pages) that its app registers
from its `AppConfig.ready()`::

    pagekinds.register(Treatment, label="Treatment", url_name="treatments:detail",
                       index_url_name="treatments:index", content=TREATMENTS)

Everything site-wide reads the registry instead of naming kinds: search, the
sitemap, the editorial lists and reading grades, feedback, the content loader, the
staff groups' permissions and the content-version triggers (spinesite.triggers).
So a new kind needs its model, one `register()` call, its admin, views and
templates, and nothing else.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models.signals import post_save

from . import translations
from .reversing import cached_reverse
from .vocabulary import add_words, words_in


def page_url(url_name, slug):
    """reverse(url_name, args=[slug]), reversed once per name, language and prefix
    (spinesite.reversing): an index page lists a hundred pages, a sitemap file 50,000."""
    return cached_reverse(url_name, (slug,))


@dataclass(frozen=True)
class PageKind:
    """How one kind of page takes part in the site. Field names are the model's."""

    model: type
    label: str  # what a search result says it is, e.g. "Condition"
    url_name: str  # the page, by slug
    index_url_name: str  # the list of every page of this kind
    summary: str = "summary"
    text: str = "body_text"  # plain text search snippets are cut from
    names: str = "also_called"  # other names, one per line ("" if none)
    html: str = "body_html"  # the rendered text whose reading grade is reported
    # The kind's content files (spinesite.content.ContentKind), or None.
    content: object = field(default=None, compare=False)
    # Models whose rows belong to a page through a foreign key (opening hours, board
    # certifications): their tables get the content-version trigger too.
    parts: tuple = ()
    # The kind's translation model (spinesite.translations), or None.
    translation: object = field(default=None, compare=False)
    title = "title"  # (not a field: every page's title is its `title`, for search)

    @property
    def body(self):
        """The field holding the page's main text."""
        return self.content.body_field if self.content is not None else "body"

    @property
    def key(self):
        """'conditions.Condition': names the kind in search rows."""
        return self.model._meta.label

    @property
    def section(self):
        """The kind's sitemap section and content folder: the app's label."""
        return self.model._meta.app_label

    def queryset(self):
        return self.model.objects.published()

    def url(self, slug):
        return page_url(self.url_name, slug)

    @property
    def word_fields(self):
        return [name for name in (self.title, self.names, self.summary, self.text) if name]

    def words_of(self, page):
        """The vocabulary a page brings: words of its title, names, summary and text."""
        return words_in(" ".join(getattr(page, name) for name in self.word_fields))


_registry = {}


def register(model, **options):
    """Make `model` a kind of patient page (call from its AppConfig.ready())."""
    from . import history, redirects

    kind = PageKind(model, **options)
    _registry[model] = kind
    history.register(model, parts=kind.parts)
    redirects.connect(model)
    if kind.translation is not None:
        translations.register(kind.translation)
    # Saved pages add their words to the vocabulary misspelt searches are corrected to.
    post_save.connect(
        add_words, sender=model, dispatch_uid=f"spinesite.pagekinds.{model._meta.label}"
    )
    return kind


def unregister(model):
    from . import history, redirects

    _registry.pop(model, None)
    history.unregister(model)
    redirects.disconnect(model)
    post_save.disconnect(sender=model, dispatch_uid=f"spinesite.pagekinds.{model._meta.label}")


def kinds():
    """Every registered kind, in the order registered (INSTALLED_APPS order)."""
    return list(_registry.values())


def kind_of(model_or_page):
    """The PageKind of a model or page, or None if it is not registered."""
    model = model_or_page if isinstance(model_or_page, type) else type(model_or_page)
    return _registry.get(model._meta.concrete_model)


def featured(language=None):
    """Published featured pages of every kind that can be featured: one query.

    Each is a dict with its kind's `label`, `title`, `summary`, `body_html` (for its
    first figure) and `url`. In another `language` than the default, only the pages
    published in it, with their translated title and summary (the figure is the
    English page's: pictures have no words).
    """
    language = language or settings.LANGUAGE_CODE
    arms = []
    for kind in kinds():
        if not any(f.name == "featured" for f in kind.model._meta.fields):
            continue
        pages = kind.queryset().filter(featured=True)
        if language == settings.LANGUAGE_CODE:
            title, summary = models.F("title"), models.F("summary")
        else:
            model = translations.translation_of(kind.model)
            if model is None:
                continue
            mine = model.objects.published(language).filter(page=models.OuterRef("pk"))
            pages = pages.filter(models.Exists(mine))
            title = models.Subquery(mine.values("title")[:1])
            summary = models.Subquery(mine.values("summary")[:1])
        arms.append(
            pages.values(
                "slug", "body_html", key=models.Value(kind.key), t_title=title, t_summary=summary
            ).order_by()
        )
    if not arms:
        return []
    by_key = {kind.key: kind for kind in kinds()}
    rows = arms[0].union(*arms[1:], all=True).order_by("t_title")
    return [
        {
            "label": by_key[row["key"]].label,
            "title": row["t_title"],
            "summary": row["t_summary"],
            "body_html": row["body_html"],
            "url": page_url(by_key[row["key"]].url_name, row["slug"]),
        }
        for row in rows
    ]
