"""Spreading the loader's per-file work (parsing, checking and rendering Markdown) over
the machine's cores.

Python-Markdown, the YAML parser, the forms and the reading-level check are pure
Python and take a few milliseconds a file; with ten thousand files that is most of a
load, and one process uses one core. `map_in_processes` runs such a function in
forked worker processes. The work (the function and its items) is handed over by the
fork itself, not pickled, so it may close over anything (forms made by
modelform_factory, the glossary's terms, the names of every page); only results go
back, pickled.

The workers must not use the database: a fork inherits the parent's connection and
its connection pool (psycopg's, with the parent's idle sockets in it), and a query
over either would talk over the parent's session while it is in a transaction. So
each worker makes every connection refuse to connect (`_no_database`), and a stray
query fails loudly instead. A worker ends with os._exit (what multiprocessing does
for a forked process), which closes nothing of the parent's.
"""

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from django.conf import settings

# Below this many items forking costs more than it saves (and tests load a few files).
MIN_ITEMS = 200
CHUNK = 50
# A chunked function (map_in_processes) takes up to this many items at once, fewer
# when there are few, so that each worker still gets several chunks to balance.
MAX_CHUNK = 250
# More workers than this seldom help (the database is written by the parent alone),
# and each holds a copy of what it changes of the parent's memory.
MAX_WORKERS = 8
NO_DATABASE = "no database in a loader worker"

_work = None  # (function, items, chunk size), set in the parent just before the fork
_parent = None  # the parent's process id, seen by the workers
_inherited = []  # the parent's connections and pools, kept (never closed) in a worker


def _refuse(*args, **kwargs):
    raise RuntimeError(NO_DATABASE)


def _no_database():
    """Make any use of the database in this worker raise RuntimeError(NO_DATABASE).

    The parent's open connection and its pool are taken out of Django's reach but
    kept referenced, so that nothing closes (or, for a pool, stops) them here: their
    sockets are the parent's."""
    from django.db import connections

    for connection in connections.all():
        _inherited.append(connection.connection)
        connection.connection = None
        connection.connect = connection.ensure_connection = _refuse
        pools = getattr(type(connection), "_connection_pools", None)
        if pools:  # a class attribute: the pools of every alias, emptied once
            _inherited.append(dict(pools))
            pools.clear()


def _exit_with_parent():
    """End this worker when the parent dies (killed, say), instead of leaving it
    waiting for work: the kernel sends SIGTERM (Linux's PR_SET_PDEATHSIG); elsewhere
    `_run` checks the parent between chunks."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # no prctl: checked in _run
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != _parent:  # died before the line above
        os._exit(1)


def _start_worker():
    # Ctrl-C reaches the whole process group; the parent handles it (and stops us).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    _no_database()


def _run(start):
    if os.getppid() != _parent:
        os._exit(1)
    function, items, size = _work
    return function(items[start : start + size])


def _each(function, chunk):
    return [function(item) for item in chunk]


def workers():
    """How many processes to use: settings.LOAD_WORKERS if set, else the cores this
    process may run on, at most MAX_WORKERS (the affinity mask ignores a container's
    CPU quota, so a small container may see many cores)."""
    if getattr(settings, "LOAD_WORKERS", 0):
        return settings.LOAD_WORKERS
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS)


def map_in_processes(function, items, min_items=None, chunked=False):
    """[function(item) for item in items], in worker processes when there are many.

    `function` must not use the database (it raises RuntimeError there), and its
    results must pickle. In this process when there are fewer than `min_items`, one
    worker, or no `fork`. A worker that dies raises BrokenProcessPool here.
    `chunked`: `function` takes a list of items (CHUNK to MAX_CHUNK) and returns
    their results in order, so that it can take each of its steps for all of them
    before the next.
    """
    items = list(items)
    count = workers()
    size = CHUNK
    if chunked:
        size = max(CHUNK, min(MAX_CHUNK, len(items) // (4 * count)))
    else:
        function = partial(_each, function)
    if (
        len(items) < (MIN_ITEMS if min_items is None else min_items)
        or count < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [
            result
            for start in range(0, len(items), size)
            for result in function(items[start : start + size])
        ]
    # The workers' garbage collector would otherwise walk (and so copy, page by page)
    # every object they inherit; frozen, it leaves them alone (Python's gc docs).
    with frozen_heap():
        return _map_forked(function, items, count, size)


def _map_forked(function, items, count, size):
    global _work, _parent
    _work, _parent = (function, items, size), os.getpid()
    pool = ProcessPoolExecutor(count, multiprocessing.get_context("fork"), _start_worker)
    try:
        chunks = pool.map(_run, range(0, len(items), size))
        results = [result for chunk in chunks for result in chunk]
    except BaseException:
        # Ctrl-C, a dead worker or an error: the chunks not started are not run.
        pool.shutdown(cancel_futures=True)
        raise
    finally:
        _work = None
    pool.shutdown()
    return results


_frozen = 0  # frozen_heap() blocks open in this process
_frozen_before = 0  # gc.get_freeze_count() when the outermost block began


@contextlib.contextmanager
def frozen_heap():
    """Leave every object that exists now out of the garbage collector's passes
    (gc.freeze) until the outermost of these blocks ends; objects made inside are
    collected as usual, and frozen ones still freed when nothing refers to them.

    A full collection walks every object there is. A first load of 10,000 files made
    hundreds of thousands (the reading level's dictionary, the files read, the pages
    written) on top of Django's own, and walking them all again and again was about
    3 s of the loader's time. Nested: a map in processes inside a load leaves the
    load's heap frozen when it ends.
    """
    global _frozen, _frozen_before
    if not _frozen:  # objects someone else froze (gunicorn's worker, say) stay frozen
        _frozen_before = gc.get_freeze_count()
    gc.freeze()
    _frozen += 1
    try:
        yield
    finally:
        _frozen -= 1
        if not _frozen and not _frozen_before:
            gc.unfreeze()
