"""Tools for editors: which pages are due for clinical review, and how hard each one reads.

Both are advice shown in admin and by `manage.py content_report`; neither ever stops
an editor from saving a page.
"""

import html
import re
from dataclasses import dataclass
from datetime import timedelta

import nh3
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from . import pagekinds, readability
from .markdown import BLOCK_BOUNDARY

REVIEW_WINDOW_DAYS = 30
GRADE_TARGET = readability.SCALES["en"].target  # English: US grade 8 or easier


_SENTENCE_END = re.compile(r"[.!?:;]$")
_BLOCK_MARK = "\x01"


def sentences(html_fragment):
    """A page's text, with headings, list items and table cells ended like sentences.

    Without this, a heading and the paragraph under it would count as one long
    sentence, and a page of short bullet points would look far harder than it is.
    """
    # No C0 control reaches a stored page (spinesite.markdown drops them), so one can
    # mark where each block starts; nh3 keeps it (not NUL), so the text is cleaned in
    # one call rather than one per block.
    marked = BLOCK_BOUNDARY.sub(_BLOCK_MARK, html_fragment)
    blocks = nh3.clean(marked, tags=set()).split(_BLOCK_MARK)
    texts = (" ".join(html.unescape(block).split()) for block in blocks)
    return " ".join(text if _SENTENCE_END.search(text) else f"{text}." for text in texts if text)


def reading_level(html_fragment, language="en"):
    """How hard a rendered page body reads in its language, or None if it has no words.

    A US grade for English, a Szigriszt-Pazos score for Spanish (spinesite.readability
    says which way is easier and what to aim for).
    """
    return readability.score(sentences(html_fragment), language)


def reading_grade(html_fragment):
    """Flesch-Kincaid grade level of a rendered English page body, or None if it has no words."""
    return reading_level(html_fragment, "en")


def easy_enough(level, language="en"):
    return readability.scale(language).easy_enough(level)


def reading_advice(level, language="en"):
    return readability.advice(level, language)


@dataclass
class PageStatus:
    page: object
    kind: str
    admin_url: str
    due: object = None
    grade: float | None = None

    @property
    def overdue(self):
        return self.due is not None and self.due < timezone.localdate()


def _admin_url(page):
    opts = page._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk])


def due_for_review(days=REVIEW_WINDOW_DAYS, today=None, kinds=None):
    """Pages whose next review is overdue or due within `days`, soonest first.

    Of every registered kind of page, or only of `kinds`.
    """
    today = today or timezone.localdate()
    due = []
    for kind in pagekinds.kinds() if kinds is None else kinds:
        soon = kind.model.objects.filter(next_review_due__lte=today + timedelta(days=days))
        for page in soon.only("title", "status", "next_review_due"):
            due.append(PageStatus(page, kind.label, _admin_url(page), due=page.next_review_due))
    return sorted(due, key=lambda status: (status.due, status.page.title))


def reading_grades():
    """Every page with its reading grade, hardest first."""
    graded = []
    for kind in pagekinds.kinds():
        for page in kind.model.objects.only("title", "status", kind.html):
            grade = reading_grade(getattr(page, kind.html))
            graded.append(PageStatus(page, kind.label, _admin_url(page), grade=grade))
    return sorted(graded, key=lambda status: (-(status.grade or 0), status.page.title))


class ReviewDueFilter(admin.SimpleListFilter):
    """Admin filter: pages whose clinical review is overdue or coming up."""

    title = "review due"
    parameter_name = "review_due"

    def lookups(self, request, model_admin):
        return [
            ("due", f"Overdue or within {REVIEW_WINDOW_DAYS} days"),
            ("overdue", "Overdue"),
            ("unset", "No review date"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            soon = today + timedelta(days=REVIEW_WINDOW_DAYS)
            return queryset.filter(next_review_due__lte=soon)
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if self.value() == "unset":
            return queryset.filter(next_review_due__isnull=True)
        return queryset
