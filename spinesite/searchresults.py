"""What a search answers (spinesite.search finds it): a page of hits, PAGE_SIZE at
a time up to MAX_PAGES, or a spelling to search for instead."""

from dataclasses import dataclass

PAGE_SIZE = 10
MAX_PAGES = 10


@dataclass
class Hit:
    label: str
    title: str
    url: str
    summary: str
    snippet: str  # safe HTML: escaped text with <mark> around matches
    other_names: str  # safe HTML, the same way; empty unless one of them matched


@dataclass
class Results:
    hits: list
    page: int = 1
    has_next: bool = False
    corrected: str = ""  # "Did you mean …?": the query, spelt as the site spells it

    @property
    def found_nothing(self):
        """Nothing found and no spelling to suggest: what the search log counts."""
        return self.page == 1 and not self.hits and not self.corrected

    @property
    def start(self):
        """The number of the first hit on this page."""
        return (self.page - 1) * PAGE_SIZE + 1


def page_within(page):
    """The page of results shown for page number `page`: the first to MAX_PAGES."""
    return min(max(page, 1), MAX_PAGES)
