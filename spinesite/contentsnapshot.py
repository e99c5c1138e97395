"""The content snapshot: the content version, the clinic's details and the layout's
rows, read in one query and kept by each process until content changes.

The content version is a counter in PostgreSQL that database triggers
(spinesite.triggers) raise on every content write; the page cache
(spinesite.pagecache) keys pages by it and gives each request the snapshot.
The same triggers send a notification, and each process learns the version from
those (`ContentWatcher`) instead of asking for it on every request: a cache hit then
costs no database round trip at all. `clinic_details()` and `layout()` read a
request's snapshot, or the database when it has none.
"""

import os
import select
import threading
import time

import psycopg
from django.conf import settings
from django.db import connection

from . import layout as layout_rows
from . import pagekinds
from .models import ClinicDetails, ContentVersion


def content_snapshot():
    """The content version, the clinic's details and the layout's rows, in one query.

    The version is (the counter, the next scheduled change): a page's `publish_at`
    or `unpublish_at` still to come, of any kind (spinesite.pagekinds). A page appears
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
        for kind in pagekinds.kinds()
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
