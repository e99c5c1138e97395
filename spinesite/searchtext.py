"""The reader's words and what search shows them: the query cleaned of what
PostgreSQL refuses, matches marked in a snippet without letting HTML through, and a
query spelt again with the site's words (spinesite.search does the searching).
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 100  # characters; longer queries are cut, not refused
FALLBACK_WORDS = 5
# ts_headline wraps matches in these. They are Unicode noncharacters, which no
# keyboard types; `highlight()` escapes everything else and turns only these into
# <mark>, so neither a page nor a query can put HTML into a snippet.
MARK_START, MARK_STOP = "\ufdd0", "\ufdd1"


def clean_query(raw):
    """The query as searched, and whether it had to be shortened.

    Control characters (and the snippet markers) become spaces, runs of spaces
    collapse; PostgreSQL refuses NUL characters in text, so they must never reach it.
    """
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    return text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH], True


def has_words(query):
    return any(ch.isalnum() for ch in query)


def highlight(text):
    """Escape `text` and turn ts_headline's markers into balanced <mark> elements."""
    parts, marking = [], False
    for part in re.split(f"([{MARK_START}{MARK_STOP}])", text):
        if part == MARK_START:
            if not marking:
                parts.append("<mark>")
            marking = True
        elif part == MARK_STOP:
            if marking:
                parts.append("</mark>")
            marking = False
        else:
            parts.append(escape(part))
    if marking:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped or a <mark> tag


def respelt(query, spellings):
    """`query` with each word in `spellings` (lowercase) replaced, the rest kept as typed
    ("sciatika pain -neck": "sciatica pain -neck")."""
    return re.sub(r"\w+", lambda word: spellings.get(word[0].lower(), word[0]), query)


def fallback_words(query):
    """The words the spelling fallback corrects: the first few, except excluded ones ("-neck")."""
    kept = (token for token in query.split() if not token.startswith("-"))
    words = dict.fromkeys(word.lower() for token in kept for word in re.findall(r"\w{3,}", token))
    return list(words)[:FALLBACK_WORDS]
