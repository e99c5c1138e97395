"""The library page's filters and pages, worked out in SQL.

A clinic group's library can hold thousands of videos, so the page never reads them
all: one query gives the filter choices (the topics and published conditions that
have published videos), one the twelve cards of the page asked for, with how many
videos match and how many there are in all (count subqueries in the same query). A page number past the end costs one more query (the count, to show
the last page); the choices only ever offer topics and conditions that have videos.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F, Func, IntegerField, Subquery, Value
from django.utils.translation import gettext

from spinesite import translated_lists, translated_pages
from spinesite.indexes import numbered

PER_PAGE = 12


@dataclass
class Filter:
    """One of the library's filters: its choices and what the viewer asked for."""

    name: str
    label: str
    choices: list  # (slug, label), sorted by label
    langs: dict = field(default_factory=dict)  # {slug: "en"} for English shown elsewhere
    value: str = ""  # the requested slug, as given
    unknown: bool = False  # asked for a slug no video has

    @property
    def selected(self):
        return "" if self.unknown else self.value

    @property
    def options(self):
        """The choices as {value, label, lang}: `lang` marks a condition's English title
        on a page in another language (spinesite.translated_lists.title_in)."""
        return [
            {"value": value, "label": label, "lang": self.langs.get(value, "")}
            for value, label in self.choices
        ]

    @property
    def selected_label(self):
        return dict(self.choices).get(self.selected, "")


@dataclass
class Library:
    filters: list
    page: object  # a django.core.paginator.Page
    total: int
    unfiltered_total: int
    unknown: list = field(default_factory=list)  # filters asked for with unknown slugs

    @property
    def is_filtered(self):
        return any(f.value for f in self.filters)

    @property
    def selected(self):
        """(filter, label of the chosen value) for each filter in use."""
        return [(f, f.selected_label) for f in self.filters if f.selected]


# What each filter matches on: the relation from a video, and the label of a choice.
RELATIONS = {"topic": ("topics", "name"), "condition": ("conditions", "title")}
FILTERS = tuple(RELATIONS)  # the query parameters, in order


def choices(videos, language=settings.LANGUAGE_CODE):
    """({filter name: [(slug, label)]}, {filter name: {slug: lang}}): the topics and
    published conditions that `videos` (published) have, in one query (a UNION), by
    label; conditions titled in `language` where translated, and `lang` marking the
    English shown on a page in another language (topics are not translated)."""
    english = Value("" if translated_pages.is_default(language) else settings.LANGUAGE_CODE)
    parts = []
    for name, (relation, label) in RELATIONS.items():
        model = videos.model._meta.get_field(relation).related_model
        related = model.objects.all()
        if hasattr(related, "published"):  # conditions: only the published ones
            related = related.published()
        if label == "title":
            named = translated_lists.title_in(model, language)
        else:
            named = {"t_title": F(label), "t_lang": english}
        parts.append(
            related.filter(pk__in=videos.order_by().values(relation))
            .order_by()
            .annotate(filter=Value(name), **named)
            .values_list("filter", "slug", "t_title", "t_lang")
        )
    found = {name: [] for name in RELATIONS}
    langs = {name: {} for name in RELATIONS}
    for name, slug, label, lang in parts[0].union(*parts[1:], all=True):
        found[name].append((slug, label))
        if lang:
            langs[name][slug] = lang
    found = {name: sorted(rows, key=lambda pair: pair[1].lower()) for name, rows in found.items()}
    return found, langs


def _page_number(raw):
    """A page number from the query string: anything that is not a number is page 1;
    one past the end is found by its empty page (build_library shows the last)."""
    try:
        # Past any library's end (and PostgreSQL's OFFSET) is past the last page.
        return min(max(int(raw), 1), 10**9)
    except (TypeError, ValueError):
        return 1


def _count(queryset):
    """COUNT(*) of `queryset` as a subquery, for an annotation (run once: uncorrelated)."""
    counted = queryset.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")
    return Subquery(counted.values("n")[:1], output_field=IntegerField())


def build_library(
    videos, params, cards=lambda queryset: queryset, language=settings.LANGUAGE_CODE
):
    """Filter and page the published `videos` (a queryset) by the query `params`;
    `cards` makes the rows of the page (VideoQuerySet.cards, a language's titles)."""
    found, langs = choices(videos, language)
    filters = [
        Filter(name, label, found[name], langs[name])
        for name, label in (("topic", gettext("Topic")), ("condition", gettext("Condition")))
    ]
    matches = videos
    for item in filters:
        item.value = str(params.get(item.name, "")).strip()[:200]
        if not item.value:
            continue
        if item.value not in dict(item.choices):
            item.unknown = True
            continue
        relation = RELATIONS[item.name][0]
        matches = matches.filter(**{f"{relation}__slug": item.value})
    unknown = [item for item in filters if item.unknown]
    if unknown:
        paginator = Paginator([], PER_PAGE)
        return Library(filters, paginator.page(1), 0, videos.count(), unknown)
    number = _page_number(params.get("page"))
    rows = _rows(matches, videos, cards, number)
    if rows:
        total, everything = rows[0].matched, rows[0].everything
    else:  # past the last page (or nothing matches): count, and show the last
        total = matches.count()
        everything = total if matches is videos else videos.count()
        number = max(1, -(-total // PER_PAGE))
        rows = _rows(matches, videos, cards, number) if total else []
    paginator = Paginator(range(total), PER_PAGE, allow_empty_first_page=True)
    keep = {item.name: item.selected for item in filters}
    page = numbered(Page(rows, min(number, paginator.num_pages), paginator), keep)
    return Library(filters, page, total, everything)


def _rows(matches, videos, cards, number):
    """The cards of page `number`: the page's ids picked first (a narrow sort), then
    only those twelve rows made into cards, so a page far into the library does not
    build the cards of every page before it. The counts come along, computed once."""
    start = (number - 1) * PER_PAGE
    ids = matches.order_by("title", "pk").values("pk")[start : start + PER_PAGE]
    page = cards(videos.model.objects.filter(pk__in=ids)).order_by("title", "pk")
    return list(page.annotate(matched=_count(matches), everything=_count(videos)))
