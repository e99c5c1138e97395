"""Where the page cache keeps its pages: Django's in-memory cache, bounded by bytes.

LocMemCache bounds only the number of entries, and pages differ in size by a factor
of ten or more (a search result and a long condition page), so a bound on entries
alone is no bound on a worker's memory. This one also keeps the bytes it holds
under OPTIONS["MAX_BYTES"], dropping the least recently used pages first. Values are
kept pickled, so their size is exactly what is stored.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

# Shared by every instance of a cache of one name, as LocMemCache shares its entries.
_sizes = {}


class BoundedMemoryCache(LocMemCache):
    def __init__(self, name, params):
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 0)) or None
        self._usage = _sizes.setdefault(name, {"sizes": {}, "total": 0})

    @property
    def bytes_held(self):
        return self._usage["total"]

    def _forget(self, key):
        self._usage["total"] -= self._usage["sizes"].pop(key, 0)

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        self._forget(key)
        super()._set(key, value, timeout)
        self._usage["sizes"][key] = len(value)
        self._usage["total"] += len(value)
        if self._max_bytes is None:
            return
        while self._usage["total"] > self._max_bytes and len(self._cache) > 1:
            oldest, _ = self._cache.popitem()  # the least recently used
            del self._expire_info[oldest]
            self._forget(oldest)

    def _cull(self):
        keys = set(self._cache)
        super()._cull()
        for key in keys - set(self._cache):
            self._forget(key)

    def _delete(self, key):
        self._forget(key)
        return super()._delete(key)

    def clear(self):
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._usage["sizes"].clear()
            self._usage["total"] = 0
