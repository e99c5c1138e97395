"""What a page shows that depends only on content and language, kept per content version.

The page cache (spinesite.pagecache) answers anonymous visitors with whole pages. Any
other request (an editor's, a visitor with a session or messages cookie) runs its
view, and most of what that view renders is still the same for everyone: the
article, its lists of links, its structured data, the header and the footer. Those
parts are kept here, in a per-process cache bounded in bytes (`CACHES["fragments"]`,
`FRAGMENT_CACHE_MAX_BYTES`), so such a request renders them once per content version
rather than every time: a condition page that missed the page cache had cost about
11 ms of CPU, two thirds of it in the template engine and a quarter in compiling SQL.

Every key holds the content version that the page cache reads for the request (which
PostgreSQL's triggers raise on every content write, and which changes when a
scheduled page is due), the active language, and the scheme and host (absolute URLs
are built from them when SITE_URL is unset). So an edit in admin is shown at once,
in every language, and nothing kept for one version is ever served for another.
Without a version (the database could not be read) nothing is kept.

Nothing is kept while an error page renders (keep_nothing): its header links to the
address asked for, so each address a scanner tries would have kept one of its own.
Nor is a data result of None (a page that does not exist): a scanner's made-up slugs
would each have kept one.

What goes in here must not depend on the visitor: no CSRF token, no CSP nonce, no
query parameter the key does not name (the page cache keys pages by the parameters a
view read, so a fragment that read one only when it was rendered would hide it).
"""

import json

from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.utils.translation import get_language

MISSING = object()


def key(request, name, vary_on=()):
    """The cache key for `name` and `vary_on` in this request's content version, or
    None when the request has no version (then nothing may be kept)."""
    version = getattr(request, "content_version", None) if request is not None else None
    if version is None:
        return None
    parts = [version, get_language(), request.scheme, request.get_host(), *vary_on]
    # As one JSON text: Django's own joining with ":" would make ("a:b", None) and
    # ("a", "b:None") the same key.
    return make_template_fragment_key(name, [json.dumps(parts, default=str)])


def keep_nothing(request):
    """Keep nothing this request renders from now on (what is kept is still read)."""
    request.fragments_kept = False


def may_keep(request):
    """Whether what this request renders may be kept (see keep_nothing)."""
    return getattr(request, "fragments_kept", True)


def cached(request, name, vary_on, compute, keep=None, cache="fragments"):
    """compute() once per content version, language and `vary_on`, in this process.

    What it returns is pickled, so each request gets a copy of its own (a view may
    change the model instance it gets, as translated_pages.apply_or_english does).
    None (nothing found) is not kept, so made-up slugs do not each take an entry; nor
    is a value `keep(value)` refuses (an index page past the last, which shows the
    last page: kept, each made-up number would take an entry). `cache` names the
    cache in CACHES: search results have one of their own (see settings.CACHES).
    """
    # Apart from rendered fragments ({% contentcache %}), which may share the name.
    cache_key = key(request, f"data:{name}", vary_on)
    if cache_key is None:
        return compute()
    cache = caches[cache]
    value = cache.get(cache_key, MISSING)
    if value is MISSING:
        value = compute()
        if value is not None and may_keep(request) and (keep is None or keep(value)):
            cache.set(cache_key, value)
    return value
