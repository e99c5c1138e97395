"""reverse(), done once per process for each URL name rather than on every render.

A page's header, footer and link lists hold about forty `{% url %}` tags, an index
page lists 200 pages and a sitemap file 50,000: reversing each was an eighth of a
condition page's CPU when the page cache missed, and a third of an index page's.
The URLconf does not change while a process runs, so a reversed URL is kept, keyed
by everything `reverse()` reads: the URLconf and script prefix in force, the active
language (i18n_patterns: /es/ addresses), the view name, its arguments and the
current app.

A URL whose one argument is a slug is kept once per name, with a placeholder where
the slug goes: kept per slug, 100,000 pages would turn the bounded cache over on
every index page. A slug needs no quoting, so the slug in place of the placeholder
is what reverse() gives. Only plain str and int arguments are kept (slugs, ids);
anything else is reversed each time, as Django does.
"""

from functools import lru_cache

from django.core.validators import slug_re
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# A few per page of each kind: bounded, so 100,000 pages cannot fill memory.
MAX_KEPT = 20_000
SLUG = "__slug__"


@lru_cache(maxsize=MAX_KEPT)
def _reverse(urlconf, prefix, language, view_name, args, kwargs, current_app):
    return reverse(
        view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def _plain(values):
    return all(isinstance(value, str | int) for value in values)


def cached_reverse(view_name, args=(), kwargs=(), current_app=None):
    """reverse(view_name, args, dict(kwargs), current_app), kept (see the module)."""
    args, kwargs = tuple(args), tuple(kwargs)
    if not (isinstance(view_name, str) and _plain(args) and _plain(v for _, v in kwargs)):
        return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
    key = (get_urlconf(), get_script_prefix(), get_language(), view_name)
    if len(args) == 1 and not kwargs and isinstance(args[0], str) and slug_re.fullmatch(args[0]):
        try:
            pattern = _reverse(*key, (SLUG,), (), current_app)
        except NoReverseMatch:
            pass  # not a slug's place (an <int:>, say): the value itself is reversed
        else:
            return pattern.replace(SLUG, args[0], 1)
    return _reverse(*key, args, kwargs, current_app)
