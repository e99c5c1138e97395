"""The library page's filters and pages, worked out from one query's rows.

A clinic's library holds tens of videos, not thousands. So the page reads every
published video once, with its topics and conditions (VideoQuerySet.cards), and picks
the filter choices, the matches and the page from that list in Python. The whole page
then costs one query, however the viewer filters it, and the choices only ever offer
topics and conditions that have videos.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.utils.translation import gettext

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
        on a page in another language (spinesite.translated_pages.title_in)."""
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


def _choices(videos, attribute, label_key):
    found = {
        item["slug"]: item[label_key] for video in videos for item in getattr(video, attribute)
    }
    return sorted(found.items(), key=lambda pair: pair[1].lower())


def _page_number(raw, num_pages):
    """A page number from the query string: out-of-range numbers go to the nearest
    page, anything that is not a number to the first."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), num_pages)


def build_library(videos, params):
    """Filter and page `videos` (from VideoQuerySet.cards) by the query `params`."""
    videos = list(videos)
    filters = [
        Filter("topic", gettext("Topic"), _choices(videos, "topic_list", "name")),
        Filter(
            "condition",
            gettext("Condition"),
            _choices(videos, "condition_list", "title"),
            langs={
                item["slug"]: item.get("lang", "")
                for video in videos
                for item in video.condition_list
            },
        ),
    ]
    attributes = {"topic": "topic_list", "condition": "condition_list"}
    matches = videos
    for item in filters:
        item.value = str(params.get(item.name, "")).strip()[:200]
        if not item.value:
            continue
        if item.value not in dict(item.choices):
            item.unknown = True
            matches = []
            continue
        matches = [
            video
            for video in matches
            if any(entry["slug"] == item.value for entry in getattr(video, attributes[item.name]))
        ]
    paginator = Paginator(matches, PER_PAGE, allow_empty_first_page=True)
    page = paginator.page(_page_number(params.get("page"), paginator.num_pages))
    return Library(
        filters=filters,
        page=page,
        total=len(matches),
        unfiltered_total=len(videos),
        unknown=[item for item in filters if item.unknown],
    )
