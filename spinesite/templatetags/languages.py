"""The language switch, hreflang links and the browser's language suggestion
(spinesite.i18n). A view may put `alternates` ({language: path or None}) in the
context; without it, the page exists at the same address in every language."""

from django import template
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.translation import gettext

from .. import i18n
from ..seo import absolute_url

register = template.Library()


def _alternates(context):
    request = context["request"]
    return context.get("alternates") or i18n.default_alternates(request.path)


# Some error pages render without the request (spinesite.errors.bad_request): they
# get no links to other languages.
NOTHING = {"links": [], "link": None, "x_default": None}


def kept_query(request):
    """The query string the same page in another language keeps: the parameters the
    view read (the search words, the filters), but not `page`, as the other
    language's list has other pages.

    Only what the view read (spinesite.pagekeys.QueryRecorder): a cached page is kept
    under those parameters alone, so a link copying any other (?utm_source=...)
    would show one visitor's parameters to the next. Read through QueryDict's own
    methods, so that the switch itself adds nothing to the page's cache key. Without
    the recorder (a page the cache never keeps), every parameter but `page`.
    """
    query = request.GET
    used = getattr(query, "used", None)
    if used is None or query.everything:
        used = dict.keys(query)
    kept = QueryDict(mutable=True)
    for name in sorted(used):
        if name != "page" and dict.__contains__(query, name):
            kept.setlist(name, QueryDict.getlist(query, name))
    return kept.urlencode()


@register.inclusion_tag("languages/switch.html", takes_context=True)
def language_switch(context):
    request = context.get("request")
    if request is None:
        return NOTHING
    return {"links": i18n.switch_links(request.path, _alternates(context), kept_query(request))}


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's canonical address: its own, or, for a page shown in English under
    another language's address because it has no translation (its alternate in this
    language is None), the English page's, which it repeats."""
    request = context.get("request")
    path = request.path if request is not None else ""
    alternates = context.get("alternates") or {}
    default = alternates.get(settings.LANGUAGE_CODE)
    here = i18n.language_of_path(path)
    if request is not None and default and here in alternates and alternates[here] is None:
        path = default
    return absolute_url(path, request)


@register.simple_tag
def lang_of(page):
    """` lang="en"` on an element of a page shown in English under another language's
    address (translated_pages.apply_or_english sets `page.lang`), else nothing."""
    lang = getattr(page, "lang", "")
    return format_html(' lang="{}"', lang) if lang else ""


@register.inclusion_tag("languages/hreflang.html", takes_context=True)
def hreflang_links(context):
    request = context.get("request")
    if request is None:
        return NOTHING
    alternates = _alternates(context)
    links = [
        {"code": code, "href": absolute_url(path, request)}
        for code, path in alternates.items()
        if path is not None
    ]
    default = alternates.get(settings.LANGUAGE_CODE)
    x_default = absolute_url(default, request) if default is not None else None
    # Only a page in more than one language has alternates worth naming.
    return {"links": links if len(links) > 1 else [], "x_default": x_default}


@register.inclusion_tag("languages/suggestion.html", takes_context=True)
def language_suggestion(context):
    request = context.get("request")
    if request is None:
        return NOTHING
    suggested = i18n.suggested_language(request)
    if suggested is None:
        return {"link": None}
    for link in i18n.switch_links(request.path, _alternates(context), kept_query(request)):
        if link["code"] == suggested:
            return {"link": link}
    return {"link": None}


# Django's own English names of languages ("Spanish"), by lower case, which its
# catalogs translate ("Español").
KNOWN_LANGUAGES = {
    info["name"].lower(): info["name"] for info in LANG_INFO.values() if "name" in info
}


@register.filter
def language_name(name):
    """A spoken language's name as a clinician's tag stores it ("Spanish"), in the
    page's language where Django knows that language; else as stored."""
    known = KNOWN_LANGUAGES.get(str(name).strip().lower())
    return gettext(known) if known else name
