"""Site search: PostgreSQL full-text search over published pages, with a spelling fallback.

Each searchable model stores `search_vector`, a generated column built by
`document_vector()` (so it is always in step with its row, however the row was
written), under a GIN index. `SEARCHABLES` lists those models; `search()` runs one
query over all of them. Only when that finds nothing does it run a second one: each
word is replaced by the closest word used on the site (pg_trgm similarity against
`SearchTerm`, the site's vocabulary), so "sciatika" finds Sciatica.

Everyday names such as "slipped disc" are not a synonym list here: editors put them in
a page's "also called" field, which weighs as much as the title.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramDistance,
)
from django.db.models import F, Value
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import SearchTerm

CONFIG = "english"
MAX_QUERY_LENGTH = 100  # characters; longer queries are cut, not refused
PAGE_SIZE = 10
MAX_PAGES = 10
FALLBACK_WORDS = 5
CANDIDATES = 5  # nearest vocabulary words weighed for each misspelt word
SIMILARITY = 0.3  # pg_trgm's own default threshold for "similar"
# ts_headline wraps matches in these. They are Unicode noncharacters, which no
# keyboard types; `highlight()` escapes everything else and turns only these into
# <mark>, so neither a page nor a query can put HTML into a snippet.
MARK_START, MARK_STOP = "\ufdd0", "\ufdd1"


def document_vector(names, summary, text):
    """The weighted document: names (A) outrank the summary (B), which outranks the text (C)."""
    return (
        SearchVector(*names, config=CONFIG, weight="A")
        + SearchVector(summary, config=CONFIG, weight="B")
        + SearchVector(text, config=CONFIG, weight="C")
    )


@dataclass(frozen=True)
class Searchable:
    """How one kind of page takes part in search. Field names are the model's."""

    model: str  # "app_label.ModelName"; its manager needs a published() method
    label: str  # what a result says it is, e.g. "Condition"
    url_name: str  # takes the page's slug
    summary: str
    text: str  # plain text the snippet is cut from
    names: str = ""  # other names, one per line, shown when they match

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def queryset(self):
        return self.model_class.objects.published()

    def words_of(self, page):
        """The vocabulary a page brings: words of its title, names, summary and text."""
        fields = ["title", self.names, self.summary, self.text]
        return words_in(" ".join(getattr(page, field) for field in fields if field))


SEARCHABLES = [
    Searchable(
        "conditions.Condition",
        label="Condition",
        url_name="conditions:detail",
        summary="summary",
        text="body_text",
        names="also_called",
    ),
    Searchable(
        "videos.Video",
        label="Video",
        url_name="videos:detail",
        summary="description_text",
        text="transcript_text",
    ),
]


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
    corrected: str = ""  # the words searched for instead, when none of the query matched

    @property
    def start(self):
        """The number of the first hit on this page."""
        return (self.page - 1) * PAGE_SIZE + 1


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


def _headline(field, query, **options):
    return SearchHeadline(
        field, query, config=CONFIG, start_sel=MARK_START, stop_sel=MARK_STOP, **options
    )


def _rows(searchable, ts_query, **extra):
    """One page kind's matches, in the columns every kind shares (for the UNION)."""
    names = Value("")
    if searchable.names:
        names = _headline(searchable.names, ts_query, highlight_all=True)
    snippet = _headline(
        searchable.text, ts_query, max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … "
    )
    return (
        searchable.queryset()
        .filter(search_vector=ts_query)
        .values(
            hit_kind=Value(searchable.model),
            hit_title=F("title"),
            hit_slug=F("slug"),
            hit_summary=F(searchable.summary),
            hit_rank=SearchRank(F("search_vector"), ts_query),
            hit_snippet=snippet,
            hit_names=names,
            **extra,
        )
        .order_by("-hit_rank", "hit_title")
    )


def _union(querysets, limit, offset=0):
    """Rows `offset` to `limit` of all kinds together, best first."""
    if len(querysets) == 1:
        return list(querysets[0][offset:limit])
    # Each kind is ordered and cut to `limit` first, so that PostgreSQL computes
    # snippets (ts_headline is slow) only for rows that can still make the page.
    arms = [queryset[:limit] for queryset in querysets]
    combined = arms[0].union(*arms[1:], all=True).order_by("-hit_rank", "hit_title")
    return list(combined[offset:limit])


def _hit(row, searchables):
    searchable = searchables[row["hit_kind"]]
    names = row["hit_names"] if MARK_START in row["hit_names"] else ""
    return Hit(
        label=searchable.label,
        title=row["hit_title"],
        url=reverse(searchable.url_name, args=[row["hit_slug"]]),
        summary=row["hit_summary"],
        snippet=highlight(row["hit_snippet"]),
        other_names=highlight("; ".join(names.splitlines())),
    )


def search(query, page=1, searchables=None):
    """Published pages matching `query` (websearch syntax), best first.

    A title or "also called" match outranks a summary match, which outranks a body
    match. One query; when the words match nothing, one more finds the closest words
    the site uses, and if any word was misspelt a third searches for those instead
    (any of them), on one page of results.
    """
    searchables = SEARCHABLES if searchables is None else searchables
    by_model = {searchable.model: searchable for searchable in searchables}
    page = min(max(page, 1), MAX_PAGES)
    offset, limit = (page - 1) * PAGE_SIZE, page * PAGE_SIZE + 1
    ts_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    rows = _union([_rows(searchable, ts_query) for searchable in searchables], limit, offset)
    if rows or page > 1:
        hits = [_hit(row, by_model) for row in rows[:PAGE_SIZE]]
        return Results(hits, page=page, has_next=len(rows) > PAGE_SIZE and page < MAX_PAGES)

    words = fallback_words(query)
    corrected = correct(words) if words else []
    if not corrected or corrected == words:  # nothing like it, or spelt right: no guessing
        return Results([])
    # Vocabulary words are letters only: always a valid to_tsquery() input.
    ts_query = SearchQuery(" | ".join(corrected), config=CONFIG, search_type="raw")
    rows = _union([_rows(searchable, ts_query) for searchable in searchables], PAGE_SIZE)
    return Results([_hit(row, by_model) for row in rows], corrected=" ".join(corrected))


def fallback_words(query):
    """The words the spelling fallback corrects: the first few, except excluded ones ("-neck")."""
    kept = (token for token in query.split() if not token.startswith("-"))
    words = dict.fromkeys(word.lower() for token in kept for word in re.findall(r"\w{3,}", token))
    return list(words)[:FALLBACK_WORDS]


def correct(words):
    """Each word replaced by the closest word the site uses; one query.

    The candidates are the vocabulary words nearest by trigrams (a GiST index scan);
    the closest is the fewest typos away, then the most alike. A word with no
    candidate similar enough is dropped.
    """
    nearest = [
        SearchTerm.objects.annotate(distance=TrigramDistance("word", word))
        .order_by("distance")
        .values("word", "distance", query_word=Value(word))[:CANDIDATES]
        for word in words
    ]
    candidates = {word: [] for word in words}
    for row in nearest[0].union(*nearest[1:], all=True) if len(nearest) > 1 else nearest[0]:
        if row["distance"] <= 1 - SIMILARITY:
            candidates[row["query_word"]].append((typos(row["query_word"], row["word"]), row["distance"], row["word"]))
    return [min(found)[2] for found in candidates.values() if found]


def typos(a, b):
    """Levenshtein distance: how many letters to add, remove or change to turn a into b."""
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other)))
        previous = current
    return previous[-1]


# The site's vocabulary, for the spelling fallback
# ------------------------------------------------------------------------------
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,40}")


def words_in(text):
    """Distinct lowercase words of 3 to 40 letters: safe in to_tsquery(), no operators."""
    return {word.lower() for word in VOCABULARY_WORD.findall(text)}


def add_words(sender, instance, **kwargs):
    """post_save handler: a saved page's words join the vocabulary."""
    searchable = next(s for s in SEARCHABLES if s.model_class is sender)
    terms = [SearchTerm(word=word) for word in searchable.words_of(instance)]
    SearchTerm.objects.bulk_create(terms, ignore_conflicts=True, batch_size=1000)


def rebuild_vocabulary():
    """Every page's words, afresh: after bulk changes that skip save()."""
    words = set()
    for searchable in SEARCHABLES:
        fields = ["title", searchable.names, searchable.summary, searchable.text]
        for page in searchable.model_class.objects.only(*filter(None, fields)).iterator():
            words |= searchable.words_of(page)
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create([SearchTerm(word=word) for word in words], batch_size=1000)
