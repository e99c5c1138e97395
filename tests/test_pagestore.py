"""The page cache's store keeps its bytes under a bound, dropping the least recently used."""

import pickle

from spinesite.pagestore import BoundedMemoryCache

PAGE = "x" * 10_000  # about 10 KB pickled


def store(name, max_bytes):
    return BoundedMemoryCache(name, {"OPTIONS": {"MAX_BYTES": max_bytes, "MAX_ENTRIES": 1000}})


def test_the_bytes_kept_stay_under_the_bound_oldest_dropped_first():
    cache = store("bytes-bound", 35_000)
    size = len(pickle.dumps(PAGE, pickle.HIGHEST_PROTOCOL))
    for n in range(3):
        cache.set(f"page-{n}", PAGE)
    cache.get("page-0")  # used again: the least recently used is now page-1
    cache.set("page-3", PAGE)
    assert cache.bytes_held == 3 * size <= 35_000
    assert cache.get("page-1") is None
    assert all(cache.get(f"page-{n}") == PAGE for n in (0, 2, 3))


def test_replacing_deleting_and_clearing_keep_the_count_true():
    cache = store("bytes-count", 1_000_000)
    size = len(pickle.dumps(PAGE, pickle.HIGHEST_PROTOCOL))
    cache.set("page", PAGE)
    cache.set("page", PAGE)
    assert cache.bytes_held == size
    cache.delete("page")
    assert cache.bytes_held == 0
    cache.set("other", PAGE)
    cache.clear()
    assert cache.bytes_held == 0 and cache.get("other") is None


def test_the_entry_bound_still_holds_and_is_counted():
    cache = BoundedMemoryCache("entries", {"OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 3}})
    size = len(pickle.dumps(PAGE, pickle.HIGHEST_PROTOCOL))
    for n in range(4):
        cache.set(f"page-{n}", PAGE)
    kept = sum(cache.get(f"page-{n}") is not None for n in range(4))
    assert kept == 3 and cache.bytes_held == kept * size
