"""Whole-page cache for anonymous visitors, emptied the moment content changes.

Patients' pages are the same for everyone who is not logged in, so each app process
keeps the rendered pages in memory and serves them without running the view. What
makes that safe on several processes and servers is the content version: a counter
in PostgreSQL that database triggers (spinesite.triggers) raise on every write
to a table that public pages show, whichever way the write comes (admin, actions,
`load_content`, SQL). Every cache key holds the version, so a saved page is served
fresh at once everywhere.

The same triggers send a notification, and each process learns the version from
those (`ContentWatcher`) instead of asking for it on every request: a cache hit then
costs no database round trip at all.

Only anonymous GET and HEAD requests for an allowed host and without the site's
own session or messages cookies are candidates (cookies the site never sets, such as
a stranger's analytics, change nothing), and only plain 200 responses that set no
cookie, used no CSRF token or CSP nonce and do not say private/no-store are kept:
nothing personal is ever cached. A page is keyed by the query parameters its view
read (`QueryRecorder`), not by the whole query string, so `?utm_source=...` or a
random `?x=123` is served from the same entry instead of filling the cache. A page is kept with its headers (CSP and the rest), so a hit skips the
header middleware as well as sessions, CSRF, auth and the view. A page that differs
only by a visitor's own tokens (`PersonalPage`) is kept with slots for them, filled
in for each visitor and never cached publicly.
"""

import dataclasses
import gzip
import hashlib
import os
import select
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import psycopg
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from . import i18n, pages
from . import layout as layout_rows
from .models import ClinicDetails, ContentVersion
from .pagekeys import QueryRecorder, page_key


def content_snapshot():
    """The content version, the clinic's details and the layout's rows, in one query.

    The version is (the counter, the next scheduled change): a page's `publish_at`
    or `unpublish_at` still to come, of any kind (spinesite.pages). A page appears
    or disappears at that time without a write, so no trigger raises the counter;
    instead the snapshot is read again once that time has come (ContentWatcher),
    which changes the version, so nothing cached before it is served after it.

    Plain SQL: this runs once per process after each content change, and on every
    anonymous request that `ContentWatcher` cannot answer. The counter is 0 before
    the first content write; the details are None until the site's first visit
    creates them. The layout is {name: [row, ...]} (spinesite.layout).
    """
    sql, params = snapshot_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, ClinicDetails.singleton_instance_id])
        counter, due, *columns = cursor.fetchone()
    version = (counter or 0, due.timestamp() if due else None)
    clinic, rows = columns[: len(CLINIC_FIELDS)], columns[len(CLINIC_FIELDS) :]
    layout = dict(zip(layout_rows.names(), rows, strict=True))
    if clinic[0] is None:
        return version, None, layout
    return version, ClinicDetails.from_db(connection.alias, CLINIC_FIELDS, clinic), layout


CLINIC_FIELDS = [field.attname for field in ClinicDetails._meta.concrete_fields]
SNAPSHOT_SQL = """
SELECT v.value, LEAST({due}), {columns}{layout}
FROM (SELECT 1) AS one
LEFT JOIN {versions} AS v ON v.id = 1
LEFT JOIN {clinic} AS c ON c.id = %s
"""


def snapshot_sql():
    """The snapshot query for the kinds registered now, and its parameters (the
    layout's). Each time column is indexed, so each MIN is one index probe. The
    database's clock, as in what a page shows (spinesite.pages.live), so that a
    clock skew between app and database cannot cache a page under the wrong state."""
    due = [
        f'(SELECT MIN("{column}") FROM "{kind.model._meta.db_table}" WHERE "{column}" > statement_timestamp())'  # noqa: S608 - names from models
        for kind in pages.kinds()
        for column in ("publish_at", "unpublish_at")
    ]
    extra, params = layout_rows.columns()
    sql = SNAPSHOT_SQL.format(
        due=", ".join(due or ["NULL::timestamptz"]),
        columns=", ".join(f'c."{field.column}"' for field in ClinicDetails._meta.concrete_fields),
        layout=extra,
        versions=ContentVersion._meta.db_table,
        clinic=ClinicDetails._meta.db_table,
    )
    return sql, params


def layout(request):
    """The layout's rows: read with the content version when the request has them."""
    found = getattr(request, "layout", None)
    return found if found is not None else content_snapshot()[2]


class ContentWatcher:
    """The content snapshot, read again only when PostgreSQL says content changed.

    The triggers that raise the version also notify the `CHANNEL` channel (migration
    spinesite 0005). The process keeps one connection listening on it, in autocommit,
    and checking it for notifications needs no round trip. Under load, the pool's
    health check and the version query had been half of a cache hit's time.

    PostgreSQL signals the listeners as the writing transaction commits, and the
    notification arrives within a fraction of a millisecond (on the project's
    machine: 0.16 ms at most, 4 ms with both cores kept busy), sooner than an
    editor's browser can ask for a page again. Should notifications stop without
    the connection failing (a network that silently drops it, until keepalives find
    out; a pooler that swallows them), the snapshot is still read again after
    `MAX_AGE` seconds, so no page is ever stale for longer.

    A request that runs inside an open transaction, as tests do, must see that
    transaction's own writes, which no notification reports, so it asks the
    database; so does every request when PAGE_CACHE_LISTEN is off (behind PgBouncer
    in transaction mode, where LISTEN does not work), and while the listener cannot
    connect (it tries again after `RETRY_SECONDS`, so a database that is down does
    not cost every request a connection attempt of its own).
    """

    CHANNEL = "spinesite_content"
    MAX_AGE = 60
    RETRY_SECONDS = 5
    KEEPALIVES = {
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    }

    def __init__(self):
        self._lock = threading.Lock()  # runserver serves requests in threads
        self._listener = None
        self._snapshot = None
        self._read_at = self._retry_at = 0.0

    def snapshot(self):
        if connection.in_atomic_block or not settings.PAGE_CACHE_LISTEN:
            return content_snapshot()
        with self._lock:
            if not self._unchanged():
                self._snapshot = None  # not kept if reading fails
                self._snapshot = content_snapshot()
                self._read_at = time.monotonic()
            return self._snapshot

    def _unchanged(self):
        """Whether the snapshot still holds: no notification (or connection loss)
        since it was read, and it is not older than MAX_AGE."""
        now = time.monotonic()
        try:
            if self._listener is None:
                if now >= self._retry_at:
                    # Listen first, then read: a change in between is not missed.
                    self._listener = self._listen()
                return False
            heard = False
            while _readable(self._listener):
                # A notification, or the server closing the connection: either way,
                # read again. Draining raises once the connection is gone.
                heard = True
                list(self._listener.notifies(timeout=0))
        except psycopg.Error:  # the listener's own connection, not Django's
            if self._listener is None:  # could not connect: not again for a while
                self._retry_at = now + self.RETRY_SECONDS
            self._forget()
            return False
        return (
            not heard
            and self._snapshot is not None
            and now - self._read_at < self.MAX_AGE
            and not _due(self._snapshot[0])
        )

    def _listen(self):
        # TCP keepalives, unless DATABASE_URL sets its own, so that a connection the
        # network silently dropped is found out (and replaced) within a minute.
        listener = psycopg.connect(
            **{**self.KEEPALIVES, **connection.get_connection_params()}, autocommit=True
        )
        try:
            listener.execute(f"LISTEN {self.CHANNEL}")
        except psycopg.Error:
            listener.close()
            raise
        return listener

    def close(self):
        """Stop listening; the next request listens again."""
        with self._lock:
            self._forget()
            self._retry_at = 0.0

    def _forget(self):
        if self._listener is not None:
            self._listener.close()
        self._listener = self._snapshot = None


def _due(version):
    """Whether the version's next scheduled change has come (so it no longer holds)."""
    return version[1] is not None and time.time() >= version[1]


def _readable(conn):
    poller = select.poll()  # unlike select(), any file descriptor number
    poller.register(conn, select.POLLIN)
    return bool(poller.poll(0))


watcher = ContentWatcher()
# A process forked from one that listened must not share its parent's connection.
os.register_at_fork(after_in_child=watcher.__init__)


def clinic_details(request):
    """The clinic's details: read with the content version when the request has it.

    That instance is shared by the process's requests until content changes: read
    it, never change it.
    """
    return getattr(request, "clinic", None) or ClinicDetails.get_solo()


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
