"""An in-memory cache bounded in bytes, for the page cache."""

from django.core.cache.backends.locmem import LocMemCache


class BoundedMemoryCache(LocMemCache):
    """Django's LocMemCache, also bounded by the bytes it holds (OPTIONS MAX_BYTES).

    A count of entries alone bounds nothing: 2,000 entries of a large page each can
    be a lot of memory in every worker process. LocMemCache keeps each value pickled,
    so its size is known; when a new entry takes the total over MAX_BYTES, the least
    recently used entries go first. An entry larger than MAX_BYTES on its own is not
    kept at all.
    """

    def __init__(self, name, params):
        super().__init__(name, params)
        self.max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 32 * 1024 * 1024))

    def _set(self, key, value, timeout=None):  # called with the cache's lock held
        if len(value) > self.max_bytes:
            # Not kept, and nothing else is evicted to make room for it. A value it
            # replaces goes: set() means the old one is no longer what the key holds.
            self._delete(key)
            return
        super()._set(key, value, timeout)
        # A sum over at most MAX_ENTRIES values, only when a page is stored (a miss).
        total = sum(map(len, self._cache.values()))
        while total > self.max_bytes and self._cache:
            # LocMemCache keeps the most recently used entries first.
            old_key, old_value = self._cache.popitem()
            self._expire_info.pop(old_key, None)
            total -= len(old_value)

    @property
    def size_in_bytes(self):
        with self._lock:
            return sum(map(len, self._cache.values()))
