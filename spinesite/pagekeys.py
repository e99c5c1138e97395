"""Page cache keys from what a page depends on, not from what a client sends.

A client can add any query parameter it likes (`?utm_source=...`, `?x=<random>`); if
each made its own cache entry, anyone could fill the cache and make every request a
miss. So the page cache (spinesite.pagecache) lets the view tell it, by what it
reads, which parameters matter: `QueryRecorder` stands in for request.GET while the
view runs, and the page is kept under only those parameters.
"""

import hashlib

from django.http import QueryDict


def page_key(address, query, used):
    """The cache key of a page: its address and the query parameters in `used`
    (True: all of them), in a fixed order."""
    if used is True:
        pairs = sorted(query.lists())
    else:
        pairs = [(name, query.getlist(name)) for name in sorted(used) if name in query]
    return "page:" + hashlib.sha256(f"{address}?{pairs!r}".encode()).hexdigest()


class QueryRecorder(QueryDict):
    """request.GET that notes which parameters the view reads (`used`), or whether
    it read the query string as a whole (`everything`: iterated it, copied it, ...)."""

    def __init__(self, query):
        super().__init__(mutable=True, encoding=query.encoding)
        for name, values in query.lists():
            self.setlist(name, values)
        self._mutable = False
        self.used = set()
        self.everything = False

    def __getitem__(self, name):
        self.used.add(name)
        return super().__getitem__(name)

    def __contains__(self, name):
        self.used.add(name)
        return super().__contains__(name)

    def get(self, name, default=None):
        self.used.add(name)
        return super().get(name, default)

    def getlist(self, name, default=None):
        self.used.add(name)
        return super().getlist(name, default)

    def copy(self):
        """A plain, mutable QueryDict (e.g. to build links that keep the filters)."""
        self.everything = True
        plain = QueryDict(mutable=True, encoding=self.encoding)
        for name, values in QueryDict.lists(self):
            plain.setlist(name, list(values))
        return plain

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()


def _reading_everything(name):
    def method(self, *args, **kwargs):
        self.everything = True
        return getattr(QueryDict, name)(self, *args, **kwargs)

    method.__name__ = name
    return method


for _name in ("__iter__", "__len__", "items", "keys", "values", "lists", "dict", "urlencode"):
    setattr(QueryRecorder, _name, _reading_everything(_name))
