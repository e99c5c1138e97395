"""The search vectors every kind of page keeps as generated columns (spinesite.search
reads them): `search_vector`, the whole page, and `names_vector`, its names alone."""

from django.contrib.postgres.search import SearchVector

CONFIG = "english"


def document_vector(names, summary, text):
    """The weighted document: names (A) outrank the summary (B), which outranks the text (C).

    It begins with title_vector(names), word for word, so that whatever the names
    match, the whole document matches too, phrases included: a search that leaves no
    word out takes a names match as a whole match unchecked (search._matches).
    """
    return (
        title_vector(names)
        + SearchVector(summary, config=CONFIG, weight="B")
        + SearchVector(text, config=CONFIG, weight="C")
    )


def title_vector(names):
    """The names alone (title, "also called"): pages matching here come first."""
    return SearchVector(*names, config=CONFIG, weight="A")
