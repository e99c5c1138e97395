"""Spreading the loader's per-file work (parsing, checking and rendering Markdown) over
the machine's cores.

Python-Markdown, the YAML parser, the forms and the reading-level check are pure
Python and take a few milliseconds a file; with ten thousand files that is most of a
load, and one process uses one core. `map_in_processes` runs such a function in
forked worker processes. The work (the function and its items) is handed over by the
fork itself, not pickled, so it may close over anything (forms made by
modelform_factory, the glossary's terms, the names of every page); only results go
back, pickled. The workers do not use the database: the parent's connection is
inherited by the fork but forgotten, and a worker ends with os._exit (what
multiprocessing does for a forked process), which closes nothing of the parent's.
"""

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

# Below this many items forking costs more than it saves (and tests load a few files).
MIN_ITEMS = 200
CHUNK = 50

_work = None  # (function, items), set in the parent just before the workers fork


def _forget_connections():
    """In a new worker: forget the parent's database connections without closing them
    (closing would end the parent's session), so that a stray query opens a
    connection of its own instead of talking over the parent's."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.connection = None


def _run(start):
    function, items = _work
    return [function(item) for item in items[start : start + CHUNK]]


def workers():
    """How many processes to use: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def map_in_processes(function, items, min_items=None):
    """[function(item) for item in items], in worker processes when there are many.

    `function` must not use the database, and its results must pickle. In this
    process when there are fewer than `min_items`, one core, or no `fork`.
    """
    items = list(items)
    count = workers()
    if (
        len(items) < (MIN_ITEMS if min_items is None else min_items)
        or count < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [function(item) for item in items]
    global _work
    _work = (function, items)
    # The workers' garbage collector would otherwise walk (and so copy, page by page)
    # every object they inherit; frozen, it leaves them alone (Python's gc docs).
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(count, context, _forget_connections) as pool:
            chunks = pool.map(_run, range(0, len(items), CHUNK))
            return [result for chunk in chunks for result in chunk]
    finally:
        _work = None
        gc.unfreeze()
