"""Lists of pages in another language: each page with its published translation's
title or summary in place where it has one, else the English marked `lang="en"`
(an index, related pages, a filter's choices), each in one query as the English.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, FilteredRelation, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, JSONObject, Lower, NullIf

from .translated_pages import is_default
from .translations import Translation, translation_of


def translated_only(queryset, language):
    """Only the pages published in `language` (all of them in the default language)."""
    if is_default(language):
        return queryset
    return queryset.filter(
        translations__language=language, translations__status=Translation.Status.PUBLISHED
    )


def title_in(model, language):
    """Annotations for a list of `model`'s pages in `language`: `t_title`, the
    published translation's title or else the English, and `t_lang`, the language
    code of the English where it shows (else ""), for a lang attribute: a screen
    reader then reads an English title with English sounds on a Spanish page."""
    translated = translation_of(model)
    if is_default(language) or translated is None:
        return {"t_title": F("title"), "t_lang": Value("")}
    mine = translated.objects.published(language).filter(page=OuterRef("pk"))
    has_title = any(field.name == "title" for field in translated._meta.fields)
    title = Coalesce(Subquery(mine.values("title")[:1]), F("title")) if has_title else F("title")
    return {"t_title": title, "t_lang": english_unless(mine)}


def english_unless(translations):
    """SQL: "" where `translations` (of the outer page) exist, else the English code."""
    return Case(
        When(Exists(translations), then=Value("")),
        default=Value(settings.LANGUAGE_CODE),
        output_field=models.CharField(),
    )


def links_in(queryset, language):
    """As PageQuerySet.links(), in `language`, each with `lang` (see `title_in`).

    Pages with no published translation are left out, unless their kind shows its
    untranslated pages in English (`shown_untranslated` on the translation model:
    clinicians and locations, whom a patient needs to reach whatever their language):
    those stay, linked, with their English title and summary and `lang` "en".
    """
    if is_default(language):
        return queryset.links()
    model = translation_of(queryset.model)
    if model is None:  # a kind with no translations: its pages as they are
        return queryset.links()
    mine = model.objects.published(language).filter(page=OuterRef("pk"))
    # A blank translated summary (optional for locations) leaves the English one.
    summary = Coalesce(NullIf(Subquery(mine.values("summary")[:1]), Value("")), F("summary"))
    if not getattr(model, "shown_untranslated", False):
        queryset = translated_only(queryset, language)
    shown = {**title_in(queryset.model, language), "t_summary": summary}
    shown["t_lang"] = english_unless(mine.exclude(summary=""))  # what the link shows
    return (
        queryset.annotate(**shown)
        .order_by("t_title")
        .values(page=JSONObject(title="t_title", slug="slug", summary="t_summary", lang="t_lang"))
    )


def every_in(queryset, language, fields=("summary",)):
    """Every page of `queryset` as a list, each with its published translation's
    `fields` in place where it has one (a blank one keeps the English) and `lang`
    ("en" where the English shows, see `title_in`): for the indexes of clinicians and
    locations, which list everyone. One query, as the English."""
    if is_default(language):
        pages = list(queryset)
        for page in pages:
            page.lang = ""
        return pages
    model = translation_of(queryset.model)
    if model is None:  # a kind with no translations: its pages, in English
        pages = list(queryset)
        for page in pages:
            page.lang = settings.LANGUAGE_CODE
        return pages
    mine = model.objects.published(language).filter(page=OuterRef("pk"))
    pages = list(
        queryset.annotate(**{f"t_{name}": Subquery(mine.values(name)[:1]) for name in fields})
    )
    for page in pages:
        # English wherever a field has no translation: the element says so (`lang`).
        page.lang = (
            "" if all(getattr(page, f"t_{name}") for name in fields) else settings.LANGUAGE_CODE
        )
        for name in fields:
            setattr(page, name, getattr(page, f"t_{name}") or getattr(page, name))
    return pages


def listed_queryset(queryset, language, fields=("title", "summary")):
    """An index's pages in `language`, lazily: only those translated, each with its
    translated `fields` as `t_<field>` and `t_sort` (the first, in lower case, to
    order by), from a join on the published translation, so that PostgreSQL orders,
    counts and pages them (the translation model's index on language and lower
    title answers the order). Put the text in place with `in_place()` once paged."""
    model = translation_of(queryset.model)
    mine = FilteredRelation(
        "translations",
        condition=Q(
            translations__language=language,
            translations__status=Translation.Status.PUBLISHED,
        ),
    )
    return (
        queryset.annotate(mine=mine)
        .filter(mine__isnull=False)
        .annotate(
            **{f"t_{name}": F(f"mine__{name}") for name in fields},
            t_sort=Lower(f"mine__{fields[0]}"),
        )
        if model is not None
        else queryset.annotate(t_sort=Lower(fields[0]))
    )


def in_place(pages, fields=("title", "summary")):
    """`pages` (from `listed_queryset()`) as a list, their translated `fields` in
    place of the English."""
    pages = list(pages)
    for page in pages:
        for name in fields:
            setattr(page, name, getattr(page, f"t_{name}", getattr(page, name)))
    return pages


def listed(queryset, language, fields=("title", "summary")):
    """An index's pages in `language`: only those translated, each with its translated
    `fields` in place, by the first of them. One query, ordered in SQL."""
    if is_default(language):
        return list(queryset)
    rows = listed_queryset(queryset, language, fields).order_by("t_sort", "pk")
    return in_place(rows, fields)
