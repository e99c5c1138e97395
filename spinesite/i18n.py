"""Languages: English at today's addresses, Spanish (and any other language in
LANGUAGES) under its own prefix with the same slugs: /conditions/sciatica/ and
/es/conditions/sciatica/.

The language of a page comes from its address alone (LocaleMiddleware with
`i18n_patterns(prefix_default_language=False)`, spinesite.urls), so a page is the
same for everyone who asks for that address and the page cache can keep it. A
browser's Accept-Language header never redirects; it only *suggests* the other
language with a link (`suggested_language`), and the page cache keys pages by that
suggestion too.

**Alternates: which languages a page exists in.** Every page links itself in the
other languages (the language switch), names them in `<link rel="alternate"
hreflang>` and in sitemap.xml. Pages made of interface text only (home, the
indexes, contact, search) exist in every language. A page of content exists only in
the languages it has been translated into. Apps say which those are in one of two
ways:

- `register(Model, languages)`, from their AppConfig.ready(): `languages(page)`
  returns the language codes a page exists in (English always). The sitemap and
  `alternates_for(page)` use it. Unregistered kinds exist in LANGUAGE_CODE only.
- A view puts `alternates` in its template context: {language code: path or None}
  (`alternates_for(page)` makes one). None means "not translated": the switch
  then links that language's index of the section (/es/conditions/) and says, in
  plain words, that the page is not translated yet; no hreflang is given for it.
"""

from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import trans_real

_languages_of = {}


def register(model, languages):
    """Say which languages pages of `model` exist in: `languages(page)` returns an
    iterable of language codes. Call from AppConfig.ready()."""
    _languages_of[model] = languages


def unregister(model):
    _languages_of.pop(model, None)


def codes():
    return [code for code, _name in settings.LANGUAGES]


def page_languages(page):
    """The languages `page` exists in: the default language, plus those its app
    registered (`register`)."""
    found = _languages_of.get(type(page)) or _languages_of.get(page._meta.concrete_model)
    extra = set(found(page)) if found else set()
    return [code for code in codes() if code == settings.LANGUAGE_CODE or code in extra]


def prefix_of(path):
    """The language whose prefix `path` starts with (/es/...), or None.

    Only a whole first segment that is one of LANGUAGES counts: Django's
    get_language_from_path() also answers "es" for /es-mx/..., a variant the site
    has no prefix for, and cutting "es" off that would leave "-mx/...".
    """
    first = path.lstrip("/").split("/", 1)[0]
    return first if path.startswith("/") and first in codes() else None


def language_of_path(path):
    """The language an address is in: its prefix, or the default language."""
    return prefix_of(path) or settings.LANGUAGE_CODE


def path_in(path, language):
    """`path` (with or without a language prefix) in `language`: /es/x/ <-> /x/."""
    current = prefix_of(path)
    if current:
        path = path[len(current) + 1 :] or "/"
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


def alternates_for(page):
    """{language: the page's address in it, or None where it is not translated}."""
    exists = set(page_languages(page))
    found = {}
    for code in codes():
        if code in exists:
            with translation.override(code):
                found[code] = page.get_absolute_url()
        else:
            found[code] = None
    return found


def default_alternates(path):
    """A page of interface text only: the same address in every language."""
    return {code: path_in(path, code) for code in codes()}


def section_index(path, language):
    """Where the switch goes when a page is not translated: the first part of its
    address (the section's index, e.g. /es/conditions/), or the home page."""
    plain = path_in(path, settings.LANGUAGE_CODE)
    first = plain.strip("/").split("/")[0]
    return path_in(f"/{first}/" if first else "/", language)


def switch_links(path, alternates=None, query=""):
    """The language switch: one link per other language, each {code, name, url,
    translated}, where `translated` False means the page is not in that language
    and `url` is that language's section index. `query` (an encoded query string:
    the search words, the filters) is kept on a link to the same page, not on one
    to an index."""
    alternates = alternates or default_alternates(path)
    here = language_of_path(path)
    links = []
    for code, name in settings.LANGUAGES:
        if code == here:
            continue
        url = alternates.get(code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": f"{url}?{query}" if url and query else url or section_index(path, code),
                "translated": url is not None,
            }
        )
    return links


@lru_cache(maxsize=1000)
def _best_supported(header):
    """The first language of an Accept-Language header the site has, or None.
    Any shape of header is fine: Django's parser ignores what it cannot read, and
    refuses (None) headers longer than it accepts."""
    try:
        choices = trans_real.parse_accept_lang_header(header)
    except ValueError:  # pragma: no cover - the parser does not raise today
        return None
    for code, _quality in choices:
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def suggested_language(request):
    """The language the browser prefers, if the site has it and the page is in
    another one: the page then offers a link (never a redirect). None otherwise."""
    header = request.headers.get("Accept-Language", "")[:500]
    best = _best_supported(header) if header else None
    if best and best != language_of_path(request.path_info):
        return best
    return None


class LanguageVaryMiddleware:
    """Pages under a language prefix vary by Accept-Language too (the suggestion
    link); LocaleMiddleware says so only for pages without a prefix."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Accept-Language",))
        return response
