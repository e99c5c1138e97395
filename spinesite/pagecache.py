"""Whole-page cache for anonymous visitors, emptied the moment content changes.

Patients' pages are the same for everyone who is not logged in, so each app process
keeps the rendered pages in memory and serves them without running the view. What
makes that safe on several processes and servers is the content version: a counter
in PostgreSQL that database triggers (spinesite.triggers) raise on every write
to a table that public pages show, whichever way the write comes (admin, actions,
`load_content`, SQL). Every cache key holds the version, so a saved page is served
fresh at once everywhere. Each process learns the version from PostgreSQL's
notifications (spinesite.contentsnapshot), so a cache hit costs no database round
trip at all.

Only anonymous GET and HEAD requests for an allowed host and without the site's
own session or messages cookies are candidates (cookies the site never sets, such as
a stranger's analytics, change nothing), and only plain 200 responses that set no
cookie, used no CSRF token or CSP nonce and do not say private/no-store are kept:
nothing personal is ever cached. A page is keyed by the query parameters its view read
(`QueryRecorder`), not by the whole query string, so `?utm_source=...` or a random
`?x=123` is served from the same entry instead of filling the cache. A page is kept with
its headers (CSP and the rest), so a hit skips the header middleware as well as
sessions, CSRF, auth and the view. A page that differs only by a visitor's own tokens
(`PersonalPage`) is kept with slots for them, filled in for each visitor and never
cached publicly.
"""

import dataclasses
import gzip
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from . import i18n
from .contentsnapshot import watcher
from .pagekeys import QueryRecorder, page_key


def _is_candidate(request):
    return (
        request.method in ("GET", "HEAD")
        and not SITE_COOKIES.intersection(request.COOKIES)
        and not request.path_info.startswith(NEVER_CACHED)
    )


# The cookies that can make a page personal: a session (staff), and messages shown
# once (django.contrib.messages keeps them in a cookie first).
SITE_COOKIES = frozenset({settings.SESSION_COOKIE_NAME, "messages"})


# Answers that must come from the database or the disk each time: the health check
# (which must say when the database is down), static files and uploads (WhiteNoise
# and the media view answer those without a query), and the admin.
NEVER_CACHED = (
    "/healthz",
    settings.STATIC_URL,
    settings.MEDIA_URL,
    "/markdownx/",
    f"/{settings.ADMIN_URL}",
)


def _is_cacheable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # A CSP nonce must be new on every response, so a page that used one is not kept.
        and not getattr(request, "_csp_nonce", None)
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and "max-age=0" not in cache_control
    )


def _read_snapshot(request):
    """Give the request the content version, the clinic's details and the layout's
    rows (usually with no query: ContentWatcher). A page that is never cached (an
    editor's, a form's answer) uses them too: they are the same for everyone, and
    reading them per request had cost such a page two queries of its own (the
    clinic's details, the footer's locations), a third of its time. Not for static
    files, uploads, the health check or the admin, which need none of it."""
    if request.path_info.startswith(NEVER_CACHED):
        return False
    try:
        request.content_version, request.clinic, request.layout = watcher.snapshot()
    except DatabaseError:
        return False
    return True


def _accepts_gzip(request):
    return "gzip" in request.headers.get("Accept-Encoding", "")


class PageCacheMiddleware:
    """Serve anonymous pages from memory; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches["pages"]

    def __call__(self, request):
        if not _is_candidate(request):
            _read_snapshot(request)
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                # Staff see drafts; no proxy may keep what they were shown.
                patch_cache_control(response, private=True)
            return response
        try:
            # As Django checks the Host header (ALLOWED_HOSTS), before anything is
            # served: a page must never be answered to, or kept for, another host.
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # CommonMiddleware's 400
        if not _read_snapshot(request):
            # The database is down: let the view answer (the 500 page, a 503 from
            # /healthz) rather than fail here.
            return self.get_response(request)
        # The language is in the address (/es/...); the browser's suggested language
        # changes the page too (a link), so both are part of the key.
        language = i18n.language_of_path(request.path_info)
        suggested = i18n.suggested_language(request)
        address = (
            f"{request.content_version}:{language}:{suggested}:"
            f"{request.scheme}://{host}{request.path}"
        )
        used_key = "query:" + hashlib.sha256(address.encode()).hexdigest()
        used = self.cache.get(used_key)
        entry = None if used is None else self.cache.get(page_key(address, request.GET, used))
        if isinstance(entry, Expiring):
            entry = entry.entry if timezone.now() < entry.until else None
        if entry is None:
            recorder = request.GET = QueryRecorder(request.GET)
            response = self.get_response(request)
            personal = getattr(response, "personal_page", None)
            until = getattr(response, "cache_until", None)
            if personal is not None and response.status_code == 200:
                entry = personal.keeping_headers_of(response)
            elif _is_cacheable(request, response):
                # Nor may a browser or proxy keep it past the next scheduled change.
                entry = _variants(response, _earliest(until, request.content_version[1]))
            else:
                return response
            # Keyed by every parameter this path's view has read so far: a view may
            # read one only for some values of another.
            if recorder.everything or used is True:
                used = True
            else:
                used = frozenset(used or ()) | recorder.used
            self.cache.set(used_key, used)
            key = page_key(address, recorder, used)
            if until is None:
                self.cache.set(key, entry)
            else:
                self.cache.set(key, Expiring(until, entry), timeout=_seconds_left(until) + 1)
            if personal is not None:
                return response
        if isinstance(entry, PersonalPage):
            return entry.serve(request)
        return entry[_accepts_gzip(request)]


@dataclasses.dataclass(frozen=True)
class PersonalPage:
    """A page that is the same for every anonymous visitor but for a few tokens of
    their own, such as the contact form's CSRF token.

    A view attaches one to its response as `response.personal_page`. The cache then
    keeps the page with a slot for each token, and the response's headers, and calls
    `fill(request, page)` for each visitor, which returns the response. Responses
    stay as private as the view made them (no ETag, not compressed ahead, no
    public Cache-Control). `fill` must be a module-level function, so it can be cached.
    """

    fill: Callable
    page: str
    headers: tuple = ()

    def keeping_headers_of(self, response):
        headers = tuple((k, v) for k, v in response.items() if k != "Content-Length")
        return dataclasses.replace(self, headers=headers)

    def serve(self, request):
        response = self.fill(request, self.page)
        for header, value in self.headers:
            response[header] = value
        response["Content-Length"] = str(len(response.content))
        return response


@dataclasses.dataclass(frozen=True)
class Expiring:
    """A cached page that is right only until `until` (an aware datetime).

    A view whose page depends on the time as well as on content, such as a location's
    "open now", sets `response.cache_until` to the moment the page would change; the
    page is then served from the cache until that moment and rendered again after it.
    """

    until: object
    entry: object


def _earliest(until, due):
    """The sooner of `until` (a datetime or None) and `due` (a timestamp or None)."""
    if due is None:
        return until
    due = datetime.fromtimestamp(due, tz=UTC)
    return due if until is None else min(until, due)


def _seconds_left(until):
    return max(0, int((until - timezone.now()).total_seconds()))


def _variants(response, until=None):
    """The response ready to send as it is and gzipped, each with its ETag and length,
    so that a cache hit does no work on the body. Proxies keep it no longer than
    PUBLIC_CACHE_SECONDS, nor past `until`."""
    max_age = settings.PUBLIC_CACHE_SECONDS
    if until is not None:
        max_age = min(max_age, _seconds_left(until))
    patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, ["Accept-Encoding"])
    compressed = HttpResponse(gzip.compress(response.content, mtime=0), status=200)
    for header, value in response.items():
        compressed[header] = value
    compressed["Content-Encoding"] = "gzip"
    for variant in (response, compressed):
        variant["Content-Length"] = str(len(variant.content))
        set_response_etag(variant)
    return response, compressed
