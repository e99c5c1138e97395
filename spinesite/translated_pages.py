"""Public pages in another language: the English page with its translation in place.

A view asks for the page as usual and adds `with_translation(queryset, language)`:
the published translation comes in the same query (a JSON subquery), so a Spanish
page costs what the English one does. `apply(page)` then puts the translated text
and its own clinical review in place of the English, and sets `page.translation`
(a `Notice`: out of date, awaiting review, the English page's address), which
`templates/translations/notice.html` shows. A page without a published
translation in that language shows its English text under the language's address,
saying so in that language (`apply_or_english()`); `not_translated()` is a 404 for
what has no English page to show either.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import (
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import JSONObject
from django.shortcuts import render
from django.utils import translation
from django.utils.dateparse import parse_datetime

from . import i18n
from .translations import Translation, out_of_date, translation_of

REVIEW_FIELDS = ("translator", "reviewer_name", "reviewer_credentials", "reviewed_by_id")


def current_language():
    """The language of the page being answered ('en' or 'es'), from its address."""
    return translation.get_language() or settings.LANGUAGE_CODE


def is_default(language):
    return language == settings.LANGUAGE_CODE


def translation_json(model, language, outer="pk"):
    """A subquery: the published translation of the outer page into `language`, as JSON."""
    rows = model.objects.filter(
        page=OuterRef(outer), language=language, status=Translation.Status.PUBLISHED
    ).values(
        json=JSONObject(
            **{
                name: name
                for name in (*model.shown_fields, *model.optional_fields, *REVIEW_FIELDS)
            },
            last_reviewed="last_reviewed",
            next_review_due="next_review_due",
            updated="updated",
            changed_since_review="changed_since_review",
            approved=ExpressionWrapper(~Q(reviewed_hash=""), output_field=models.BooleanField()),
            out_of_date=out_of_date(model),
            reviewer_title="reviewed_by__title",
            reviewer_credentials_="reviewed_by__credentials",
            reviewer_slug="reviewed_by__slug",
            reviewer_status="reviewed_by__status",
        )
    )[:1]
    return Subquery(rows, output_field=models.JSONField())


def with_translation(queryset, language):
    """`queryset` with each page's translation into `language` as `translated` (or
    None); in the default language, with `translated_languages`, the languages it is
    published in (for the language switch, `languages_of`). Both in the same query."""
    model = translation_of(queryset.model)
    if is_default(language):
        published = model.objects.published().filter(page=OuterRef("pk")).values("language")
        return queryset.annotate(translated_languages=ArraySubquery(published))
    return queryset.annotate(translated=translation_json(model, language))


def languages_of(page):
    """The languages a page is published in besides English, for spinesite.i18n:
    read from `with_translation()`'s annotation when there is one, else one query."""
    if hasattr(page, "translated_languages"):
        return page.translated_languages
    if getattr(page, "translated", None):
        return [current_language()]
    return (
        translation_of(type(page))
        .objects.published()
        .filter(page=page)
        .values_list("language", flat=True)
    )


@dataclass
class Notice:
    """What a translated page tells its reader about its translation."""

    language: str
    out_of_date: bool
    reviewed: bool
    translator: str
    english_url: str
    missing: bool = False  # not translated: the English is shown (`apply_or_english`)


def apply(page, language=None, english_url=None):
    """Put the annotated translation (`with_translation`) in place of the English.

    Returns False when there is none (the page is not translated into `language`).
    In the default language it changes nothing and returns True.
    """
    language = language or current_language()
    if is_default(language):
        page.translation = None
        return True
    data = getattr(page, "translated", None)
    if not data:
        return False
    if english_url is None:
        with translation.override(settings.LANGUAGE_CODE):
            english_url = page.get_absolute_url()
    model = translation_of(type(page))
    for name in model.shown_fields:
        setattr(page, name, data[name])
    for name in model.optional_fields:
        if data[name]:
            setattr(page, name, data[name])
            page.translated_fields = {*getattr(page, "translated_fields", ()), name}
    fields = {field.name for field in type(page)._meta.concrete_fields}
    # A translation is reviewed by a reviewer's approval in admin (its reviewed_hash),
    # nothing else: without one, its page names no reviewer and no review dates.
    approved = bool(data["approved"])
    if not approved:
        data = {
            **data,
            **dict.fromkeys(("last_reviewed", "next_review_due", "reviewed_by_id"), None),
            **dict.fromkeys(("reviewer_name", "reviewer_credentials"), ""),
            "changed_since_review": False,
        }
    if "last_reviewed" in fields:
        page.last_reviewed = _date(data["last_reviewed"])
        page.next_review_due = _date(data["next_review_due"])
    if "changed_since_review" in fields:  # the translation's own, not the English page's
        page.changed_since_review = bool(data["changed_since_review"])
    if "reviewer_name" in fields:
        page.reviewer_name = data["reviewer_name"]
        page.reviewer_credentials = data["reviewer_credentials"]
        page.reviewed_by = _reviewer(page, data)
    if data["updated"]:
        page.updated = max(page.updated, parse_datetime(data["updated"]))
    reviewed = not model.clinically_reviewed or approved
    page.translation = Notice(
        language, data["out_of_date"], reviewed, data["translator"], english_url
    )
    page.alternates = {
        settings.LANGUAGE_CODE: english_url,
        language: i18n.path_in(english_url, language),
    }
    return True


def apply_or_english(page, language=None, english_url=None):
    """As apply(), but a page with no translation shows its English text, saying so in
    the page's language: for clinicians and locations, whose pages patients reach from
    every page's footer and the clinic's details, not only from translated pages."""
    language = language or current_language()
    if apply(page, language, english_url):
        return
    if english_url is None:
        with translation.override(settings.LANGUAGE_CODE):
            english_url = page.get_absolute_url()
    page.translation = Notice(language, False, True, "", english_url, missing=True)
    # Its text is English: each element showing it says so (the `lang_of` tag), so a
    # screen reader reads it with English sounds; the interface around stays Spanish.
    page.lang = settings.LANGUAGE_CODE
    # No hreflang for a language the page is not in (spinesite.i18n); no query either.
    page.alternates = {code: None for code in i18n.codes()}
    page.alternates[settings.LANGUAGE_CODE] = english_url


def _date(value):
    return date.fromisoformat(value) if value else None


def _reviewer(page, data):
    """The reviewing clinician as an unsaved-looking instance, from the JSON (no query)."""
    if not data["reviewed_by_id"]:
        return None
    model = type(page)._meta.get_field("reviewed_by").related_model
    clinician = model(
        pk=data["reviewed_by_id"],
        title=data["reviewer_title"],
        credentials=data["reviewer_credentials_"],
        slug=data["reviewer_slug"],
        status=data["reviewer_status"],
    )
    clinician._state.adding = False
    return clinician


def alternates(page, language=None):
    """The language switch's addresses of a page (spinesite.i18n), with no query:
    from the translation `apply()` found, or from `page.translated` on an English page."""
    found = getattr(page, "alternates", None)
    if found and not is_default(language or current_language()):
        return {code: found.get(code) for code in i18n.codes()}
    return i18n.alternates_for(page)


def alternates_of(page, english_url):
    """The language switch's addresses of a page without get_absolute_url() (the new
    patients page), from what `with_translation()` and `apply()` read: no query."""
    found = dict(getattr(page, "alternates", None) or {})
    languages = getattr(page, "translated_languages", None) or []
    for code in i18n.codes():
        if is_default(code):
            found[code] = english_url
        elif code not in found:
            found[code] = i18n.path_in(english_url, code) if code in languages else None
    return found


def not_translated(request, page, status=404, english_url=None):
    """The answer for a page not translated into the language asked for: a 404 that
    says so, in that language, and links the English page."""
    if english_url is None:
        with translation.override(settings.LANGUAGE_CODE):
            english_url = page.get_absolute_url()
    alternates = {code: None for code in i18n.codes()}
    alternates[settings.LANGUAGE_CODE] = english_url
    context = {"english_url": english_url, "alternates": alternates}
    return render(request, "translations/not_translated.html", context, status=status)
