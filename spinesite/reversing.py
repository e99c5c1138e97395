"""reverse(), done once per process for each URL name rather than on every render.

A page's header, footer and link lists hold about forty `{% url %}` tags, an index
page lists a hundred pages and a sitemap file 50,000: reversing each was an eighth of a
condition page's CPU when the page cache missed, and a third of an index page's.
The URLconf does not change while a process runs, so a reversed URL is kept, keyed
by everything `reverse()` reads: the URLconf and script prefix in force, the active
language (i18n_patterns: /es/ addresses), the view name, its arguments and the
current app.

A URL whose one argument is a slug is kept once per name, with a placeholder where
the slug goes: kept per slug, 100,000 pages would turn the bounded cache over on
every index page. That is only where the path takes it as a slug, str or path
converter (`path("<slug:slug>/")`), which take any slug and put it in the URL as it
is; a regular expression or another converter may refuse or change it, and its URLs
are reversed per value, as are arguments other than plain str and int.
"""

import re
from functools import lru_cache

from django.core.validators import slug_re
from django.urls import (
    NoReverseMatch,
    Resolver404,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
)
from django.utils.translation import get_language

# A few per page of each kind: bounded, so 100,000 pages cannot fill memory.
MAX_KEPT = 20_000
SLUG = "__slug__"
# Converters that take any slug and give it back unchanged; `<name>` is str.
VERBATIM = {"", "slug", "str", "path"}
CONVERTER = re.compile(r"(?<!\?P)<(?:(\w+):)?\w+>")  # not a regex's (?P<name>...)


@lru_cache(maxsize=MAX_KEPT)
def _reverse(urlconf, prefix, language, view_name, args, kwargs, current_app):
    return reverse(
        view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


@lru_cache(maxsize=MAX_KEPT)
def _slug_pattern(urlconf, prefix, language, view_name, current_app):
    """The URL of `view_name` with SLUG for its one argument, or None where a slug
    would not go in as it is (see the module); None is kept too."""
    try:
        url = reverse(view_name, urlconf=urlconf, args=[SLUG], current_app=current_app)
        match = resolve(url[len(prefix) - 1 :], urlconf=urlconf)
    except (NoReverseMatch, Resolver404):
        return None
    converters = CONVERTER.findall(match.route)
    arguments = [*match.args, *match.kwargs.values()]
    if len(converters) == 1 and converters[0] in VERBATIM and arguments == [SLUG]:
        return url
    return None


def _plain(values):
    return all(isinstance(value, str | int) for value in values)


def cached_reverse(view_name, args=(), kwargs=(), current_app=None):
    """reverse(view_name, args, dict(kwargs), current_app), kept (see the module)."""
    args, kwargs = tuple(args), tuple(kwargs)
    if not (isinstance(view_name, str) and _plain(args) and _plain(v for _, v in kwargs)):
        return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
    key = (get_urlconf(), get_script_prefix(), get_language(), view_name)
    if len(args) == 1 and not kwargs and isinstance(args[0], str) and slug_re.fullmatch(args[0]):
        pattern = _slug_pattern(*key, current_app)
        if pattern is not None:
            return pattern.replace(SLUG, args[0], 1)
    return _reverse(*key, args, kwargs, current_app)
