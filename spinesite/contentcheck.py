"""The content check: what every condition and treatment page must have.

Each page needs a "call 911" box, a "call the clinic today" box and a "book a visit" box, at least two sources,
each a link to the page it comes from, a reading level of US grade 8 or below, and
"also called" names that no other page uses (a name should lead a patient to one
page). The same check runs in three places, with the same plain-English messages:

- the tests, over every shipped file in content/conditions and content/treatments;
- `load_content`, over the pages it creates or updates (printed as warnings);
- admin, as advice after a save (never blocking it).

Pages are checked as rendered HTML (`body_html`), so that the boxes are found the way
a patient sees them, whatever Markdown made them.
"""

import re
from dataclasses import dataclass

import nh3

from . import pagekinds, pages, readability
from .editorial import GRADE_TARGET, reading_grade, reading_level
from .markdown import render_page

MIN_SOURCES = 2

_CALLOUT = re.compile(r'<div class="callout callout-(\w+)">(.*?)</div>', re.S)
# One Markdown link to a web page, e.g. "[NHS: Back pain](https://www.nhs.uk/...)".
_LINK = re.compile(r"\[[^\]]+\]\(https?://[^\s)]+\)")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def normalize(name):
    """A name as compared across pages: case and spacing do not make it different."""
    return " ".join(name.casefold().split())


def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def check_page(title, body_html, sources, also_called="", names=None, this=None):
    """Plain-English problems with one page; an empty list if there are none.

    `body_html` is the rendered body (see `check_markdown` for Markdown). `names` maps
    each normalized name to the labels of the pages that use it (see `name_index`);
    `this` is this page's identity there (`NamedPage.identity`), so that its own names
    do not count against it.
    """
    return page_problems(body_html, sources) + name_problems(title, also_called, names, this)


def page_problems(body_html, sources):
    """`check_page`'s problems that need only the page itself: its boxes, its sources
    and its reading level (the loader finds them where it reads the file:
    spinesite.contentpass)."""
    problems = box_problems(body_html)

    listed = [_LIST_MARK.sub("", line) for line in lines(sources)]
    for number, source in enumerate(listed, start=1):
        if not _LINK.search(source):
            problems.append(
                f'Source {number} is not a link: "{source}". '
                "Write it as [Name of the page](https://address-of-the-page)."
            )
    if len(listed) < MIN_SOURCES:
        problems.append(
            f"The page has {len(listed)} source(s); give at least {MIN_SOURCES}, "
            "each a link to a reputable public page."
        )

    return problems + reading_problems(body_html, "en")


def name_problems(title, also_called, names=None, this=None):
    """`check_page`'s problems that need every other page: names another page uses."""
    problems = []
    for name in [title, *lines(also_called)]:
        others = [label for key, label in (names or {}).get(normalize(name), []) if key != this]
        if others:
            problems.append(
                f'"{name}" is also a name of {" and ".join(others)}. Each name should '
                "lead to one page; keep it on the page it fits best."
            )
    return problems


def box_problems(body_html):
    """Problems with a page's three "When to get help" boxes, in any language: each
    box is found by its kind, and the emergency box must say 911."""
    problems = []
    boxes = {}
    for kind, html in _CALLOUT.findall(body_html or ""):
        boxes.setdefault(kind, []).append(nh3.clean(html, tags=set()))
    if "emergency" not in boxes:
        problems.append(
            'There is no "Call 911" box. Add one: !!! emergency "Call 911 or go to the ER '
            'now if you have", then the signs as an indented list.'
        )
    elif not any("911" in text for text in boxes["emergency"]):
        problems.append('The emergency box does not say to call 911. Put "Call 911" in it.')
    if "urgent" not in boxes:
        problems.append(
            'There is no "Call the clinic today" box. Add one: !!! urgent "Call the clinic '
            'today if", then the signs as an indented list.'
        )
    if "routine" not in boxes:
        problems.append(
            'There is no "Book a visit" box. Add one: !!! routine "Book a visit if", '
            "then the reasons as an indented list."
        )
    return problems


def reading_problems(body_html, language="en"):
    """The reading level, measured on the scale of the page's language."""
    level = reading_level(body_html or "", language)
    scale = readability.scale(language)
    if scale.easy_enough(level):
        return []
    if scale.lower_is_easier:
        return [
            f"The text reads at US grade {level}, above grade {GRADE_TARGET}. "
            "Shorter sentences and everyday words make it easier."
        ]
    return [
        f"The text scores {level} on {scale.name}, below {scale.target:g} (bastante "
        "fácil). Shorter sentences and shorter, everyday words make it easier."
    ]


def check_translation(body_html, language):
    """Problems with a translated condition or treatment page: its boxes and its
    reading level in its own language. (Sources and "also called" names are the
    English page's business.)"""
    return box_problems(body_html) + reading_problems(body_html, language)


def check_markdown(title, body, sources, also_called="", names=None, this=None):
    """`check_page` for a Markdown body, as in a content file."""
    html = render_page(body).html
    return check_page(title, html, sources, also_called, names=names, this=this)


@dataclass(frozen=True)
class NamedPage:
    """A page's names. `key` tells pages apart (two pages may share a title, which is
    just what the check must catch); it defaults to the label shown in messages."""

    label: str
    title: str
    also_called: str = ""
    key: str = ""

    @property
    def identity(self):
        return self.key or self.label


def name_index(pages):
    """Map each normalized title and "also called" name to the (identity, label) of
    the pages (NamedPage) that use it."""
    index = {}
    for page in pages:
        for name in [page.title, *lines(page.also_called)]:
            users = index.setdefault(normalize(name), [])
            if (page.identity, page.label) not in users:
                users.append((page.identity, page.label))
    return index


def checked_models():
    """Every registered kind of page written as an article (conditions, treatments)."""
    return [kind.model for kind in pagekinds.kinds() if issubclass(kind.model, pages.Article)]


def identity(page):
    return identity_of(type(page), page.pk)


def identity_of(model, pk):
    """A saved page's `NamedPage.identity` in `names_in_database`, from its plain row."""
    return f"{model._meta.label}:{pk}"


def label(page):
    return f"the {page._meta.verbose_name} page \u201c{page.title}\u201d"


def names_in_database():
    """`name_index` of every page of every checked kind in the database.

    From plain rows, not model instances: the loader builds this for every run that
    changes a page, over every page (ten thousand and more); as `label`/`identity`."""
    return name_index(
        NamedPage(
            f"the {model._meta.verbose_name} page \u201c{title}\u201d",
            title,
            also_called,
            key=identity_of(model, pk),
        )
        for model in checked_models()
        for pk, title, also_called in model.objects.order_by().values_list(
            "pk", "title", "also_called"
        )
    )


CHECKED_FIELDS = ("title", "body_html", "sources", "also_called")  # check_instance's


def check_instance(page, names=None):
    """Problems with a saved page of a checked kind; [] for any other model.

    `names` may be passed in (from `names_in_database`) when many pages are checked.
    """
    if not isinstance(page, pages.Article):
        return []
    if names is None:
        names = names_in_database()
    return check_page(
        page.title, page.body_html, page.sources, page.also_called, names, this=identity(page)
    )


# Editor's advice at save, for every kind of page (admin shows it with the above)
# ------------------------------------------------------------------------------
PLACEHOLDER_ALT = "describe the image"
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)")
_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)
_ANCHOR = re.compile(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_H1 = re.compile(r"^#\s", re.M)


def editor_advice(page):
    """Plain-English advice on a saved page's text: images without a description,
    headings out of order, links without words, links to pages that do not exist, and
    (for kinds the content check does not read) a reading grade above the target."""
    from django.urls import Resolver404, resolve

    kind = pagekinds.kind_of(page)
    if kind is None:
        return []
    text = getattr(page, kind.body, "") or ""
    html = render_page(text).html
    advice = []
    if not isinstance(page, pages.Article):  # an Article's grade is in check_instance's
        grade = reading_grade(getattr(page, kind.html, "") or "")
        if grade is not None and grade > GRADE_TARGET:
            advice.append(
                f"The text reads at US grade {grade}, above grade {GRADE_TARGET}. "
                "Shorter sentences and everyday words make it easier."
            )
    for alt, src in _IMAGE.findall(text):
        if not alt.strip() or alt.strip().casefold() == PLACEHOLDER_ALT:
            advice.append(
                f'The image {src.rsplit("/", 1)[-1]} has no description ("alt text"). '
                "Replace the words in ![...] with what the image shows, for readers who "
                "cannot see it."
            )
    if _H1.search(text):
        advice.append(
            'A heading starts with a single "#", the level of the page title, and is not '
            'shown as a heading. Use "##" for sections and "###" under them.'
        )
    level = 1
    for found, words in _HEADING.findall(html):
        if int(found) > level + 1:
            title = nh3.clean(words, tags=set()).strip()
            advice.append(
                f'The heading "{title}" skips a level (h{found} after h{level}). Use '
                f"{'#' * (level + 1)} for it, so screen readers show the outline right."
            )
        level = int(found)
    for href, words in _ANCHOR.findall(html):
        if not nh3.clean(words, tags=set()).strip():
            advice.append(f"A link to {href} has no words. Write them between [ and ].")
        if href.startswith("/") and not href.startswith("//"):
            path = href.split("#")[0].split("?")[0]
            try:
                match = resolve(path)
            except Resolver404:
                advice.append(f"The link to {href} leads to no page on this site.")
                continue
            target = next((k for k in pagekinds.kinds() if k.url_name == match.view_name), None)
            slug = match.kwargs.get("slug")
            if target and not target.queryset().filter(slug=slug).exists():
                advice.append(
                    f"The link to {href} leads to a page that is not published (or no "
                    "longer at that address)."
                )
    return advice
