"""The library page's filters and pages, worked out in SQL.

A clinic group's library can hold thousands of videos, so the page never reads them
all: one query gives the filter choices (the topics and published conditions that
have published videos) and how many videos there are in all, kept once per content
version; one the twelve cards of the page asked for, with how many videos match when
a filter is on (a count subquery in the same query). A page number past the end
costs one more query (the count, to show the last page); the choices only ever offer topics and conditions that have videos,
and at most MOST_CHOICES of each: those with the most videos, and the one asked for
(one more query, when it is not among them).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.core.validators import slug_re
from django.db.models import Count, F, Func, IntegerField, OuterRef, Subquery, Value
from django.utils.translation import gettext

from spinesite import translated_lists, translated_pages
from spinesite.indexes import numbered

PER_PAGE = 12
# A list longer than this is one no one reads, and a group's library can have videos
# on thousands of conditions: the select offers those with the most videos, and every
# condition page links to its own videos (?condition=<slug>), which still filter.
MOST_CHOICES = 30


@dataclass
class Filter:
    """One of the library's filters: its choices and what the viewer asked for."""

    name: str
    label: str
    choices: list  # (slug, label), sorted by label
    langs: dict = field(default_factory=dict)  # {slug: "en"} for English shown elsewhere
    value: str = ""  # the requested slug, as given
    unknown: bool = False  # asked for a slug no video has
    more: bool = False  # there are more than the MOST_CHOICES choices offered
    most = MOST_CHOICES

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


def _offered(videos, name, language):
    """The topics or published conditions (filter `name`) that `videos` (published)
    have, each with its label in `language` (`t_title`, `t_lang`), and the ids of the
    most used of them, by their links (one more than offered, to tell if there are more)."""
    relation, label = RELATIONS[name]
    field = videos.model._meta.get_field(relation)
    related = field.related_model.objects.all()
    if hasattr(related, "published"):  # conditions: only the published ones
        related = related.published()
    if label == "title":
        named = translated_lists.title_in(field.related_model, language)
    else:
        english = translated_pages.is_default(language)
        named = {"t_title": F(label), "t_lang": Value("" if english else settings.LANGUAGE_CODE)}
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    links = field.remote_field.through.objects.order_by().filter(
        **{f"{source}__in": videos.order_by().values("pk")}
    )
    counted = links.values(target).annotate(n=Count("*")).values("n")
    having = (
        related.order_by()
        .filter(pk__in=videos.order_by().values(relation))
        .annotate(
            filter=Value(name),
            video_count=Subquery(counted.filter(**{target: OuterRef("pk")})),
            **named,
        )
    )
    most = (
        links.filter(**{f"{target}__in": related.order_by().values("pk")})
        .values(target)
        .annotate(n=Count("*"))
        .order_by("-n", target)
        .values(target)[: MOST_CHOICES + 1]
    )
    return having, most


ROW = ("filter", "slug", "t_title", "t_lang", "video_count", "pk", "everything")


@dataclass
class Choices:
    """What the filters offer: {filter name: [(slug, label)]} by label, {filter name:
    {slug: lang}}, {filter name: whether any were left out}; and, when asked about,
    {filter name: (slug, label, lang) or None} for a slug the select leaves out.
    `everything` is how many videos there are: the same on every page of the library,
    and counting 20,000 had been a third of a page's query."""

    found: dict
    langs: dict
    more: dict
    asked: dict = field(default_factory=dict)
    everything: int = 0


def choices(videos, language=settings.LANGUAGE_CODE, asked=None):
    """Of the topics and published conditions that `videos` (published) have, the
    MOST_CHOICES of each with the most videos, in one query (a UNION); with them, the
    slug `asked` for ({filter name: slug}) where it has videos. Conditions are titled
    in `language` where translated, and `lang` marks the English shown on a page in
    another language."""
    # Only a slug can name one (a NUL byte, say, would be an error in SQL).
    asked = {name: slug for name, slug in (asked or {}).items() if slug and slug_re.match(slug)}
    parts = []
    for name in RELATIONS:
        having, most = _offered(videos, name, language)
        # The library's size comes with the first part's rows (the topics): counted once.
        size = Value(0) if parts else _count(videos)
        parts.append(having.filter(pk__in=most).annotate(everything=size).values_list(*ROW))
        if name in asked:
            one = having.filter(slug=asked[name]).annotate(filter=Value(f"asked:{name}"))
            parts.append(one.annotate(everything=Value(0)).values_list(*ROW))
    rows = {name: [] for name in RELATIONS}
    offered = Choices({}, {}, {}, dict.fromkeys(asked))
    for name, *row in parts[0].union(*parts[1:], all=True):
        offered.everything = max(offered.everything, row[-1])
        if name.startswith("asked:"):
            offered.asked[name.removeprefix("asked:")] = (row[0], row[1], row[2])
        else:
            rows[name].append(row)
    for name, read in rows.items():
        offered.more[name] = len(read) > MOST_CHOICES
        if offered.more[name]:  # the least used (as `most` ordered them), read only to tell
            read.remove(max(read, key=lambda row: (-row[3], row[4])))
        offered.found[name] = sorted(((slug, label) for slug, label, *_ in read), key=_label)
        offered.langs[name] = {slug: lang for slug, _, lang, *_ in read if lang}
    if not offered.everything:  # no topic rows carried it
        offered.everything = videos.count()
    return offered


def _label(choice):
    return choice[1].lower()


def asked_choice(videos, name, slug, language=settings.LANGUAGE_CODE):
    """(slug, label, lang) of the topic or condition `slug` if `videos` have it, else
    None: one the select leaves out, asked for by a link (a condition page's)."""
    if not slug_re.match(slug):  # only a slug can name one (a NUL byte is an SQL error)
        return None
    having, _ = _offered(videos, name, language)
    return having.filter(slug=slug).values_list("slug", "t_title", "t_lang").first()


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
    videos,
    params,
    cards=lambda queryset: queryset,
    language=settings.LANGUAGE_CODE,
    offered=None,
):
    """Filter and page the published `videos` (a queryset) by the query `params`;
    `cards` makes the rows of the page (VideoQuerySet.cards, a language's titles);
    `offered`, what choices() returns, if the caller has kept it."""
    asked = {name: str(params.get(name, "")).strip()[:200] for name in FILTERS}
    offered = offered or choices(videos, language, asked)
    filters = [
        Filter(name, label, list(offered.found[name]), dict(offered.langs[name]), asked[name])
        for name, label in (("topic", gettext("Topic")), ("condition", gettext("Condition")))
    ]
    matches = videos
    for item in filters:
        item.more = offered.more[item.name]
        if not item.value:
            continue
        if item.value not in dict(item.choices):
            if item.name in offered.asked:  # asked about with the choices
                extra = offered.asked[item.name]
            else:
                extra = item.more and asked_choice(videos, item.name, item.value, language)
            if not extra:
                item.unknown = True
                continue
            slug, label, lang = extra
            item.choices = sorted([*item.choices, (slug, label)], key=_label)
            if lang:
                item.langs[slug] = lang
        relation = RELATIONS[item.name][0]
        matches = matches.filter(**{f"{relation}__slug": item.value})
    unknown = [item for item in filters if item.unknown]
    everything = offered.everything
    if unknown:
        paginator = Paginator([], PER_PAGE)
        return Library(filters, paginator.page(1), 0, everything, unknown)
    number = _page_number(params.get("page"))
    filtered = matches is not videos
    rows = _rows(matches, cards, number, counted=filtered)
    if not rows:  # past the last page (or nothing matches): show the last
        total = matches.count() if filtered else everything
        number = max(1, -(-total // PER_PAGE))
        rows = _rows(matches, cards, number, counted=filtered) if total else []
    total = (rows[0].matched if rows else 0) if filtered else everything
    paginator = Paginator(range(total), PER_PAGE, allow_empty_first_page=True)
    keep = {item.name: item.selected for item in filters}
    page = numbered(Page(rows, min(number, paginator.num_pages), paginator), keep)
    return Library(filters, page, total, everything)


def _rows(matches, cards, number, counted):
    """The cards of page `number`: the page's ids picked first (a narrow sort), then
    only those twelve rows made into cards, so a page far into the library does not
    build the cards of every page before it. When `counted`, each carries `matched`,
    how many videos match, computed once (the library's size is kept: Choices)."""
    start = (number - 1) * PER_PAGE
    ids = matches.order_by("title", "pk").values("pk")[start : start + PER_PAGE]
    page = cards(matches.model.objects.filter(pk__in=ids)).order_by("title", "pk")
    return list(page.annotate(matched=_count(matches)) if counted else page)
