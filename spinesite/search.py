"""Site search: PostgreSQL full-text search over published pages, with a spelling fallback.

Each kind of page (registered in spinesite.pagekinds) has two generated columns, kept by
PostgreSQL itself however a row is written, each under a GIN index: `search_vector`, the
whole page weighted by `searchvectors.document_vector()`, and `names_vector`, its title and "also
called" names. `search()` answers with one query over every kind of page: pages whose
names match come first, the rest by rank, each with a highlighted snippet.

When nothing matches, the same query looks for a close misspelling of words the site
uses (`SearchTerm`, the site's vocabulary, through pg_trgm and fuzzystrmatch), and the
page offers it as "Did you mean sciatica?": only when every word is spelt right or
one or two typos away from a word on the site, so that gibberish, everyday words
with no page and other languages get an honest "nothing found" rather than a guess.
Everyday names such as "slipped disc" need no synonym list: editors put them in a
page's "also called" field, which counts as much as the title.

What is searched is spinesite.searchables; what a search answers, spinesite.searchresults.
bench/search.py times all this on 12,000 generated pages.
"""

import functools
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import BooleanField, F, Func, Value

from .models import SearchTerm
from .searchables import all_searchables
from .searchresults import MAX_PAGES, PAGE_SIZE, Hit, Results, page_within
from .searchtext import MARK_START, MARK_STOP, fallback_words, highlight, respelt
from .searchvectors import CONFIG

RANK_AT_MOST = 500  # name matches, and other matches, of one kind that are ranked
CANDIDATES = 5  # nearest vocabulary words weighed for each misspelt word
SIMILARITY = 0.3  # pg_trgm's own default threshold for "similar"
# How many typos (levenshtein) make a close misspelling, by the length of the word:
# none under 4 letters, one up to 8 ("stenossis" is 9: two), two from 9 on
# ("spondilolisthesis"). "parking" is two from "working", "pregnant" three from
# "present": neither is a misspelling of them.
TYPOS = ((9, 2), (4, 1))


def _found(searchable, pages, ts_query, tier, order):
    """Matching pages of one kind, in the columns every kind shares (for the UNION).

    `order` is the kind's place in the registry: between pages that match equally
    well, a condition comes before a treatment, and a written page before a video.
    They are ranked together, after the UNION (SEARCH_SQL), straight from the rows
    found: ranking each kind apart read them twice (a join back to the table).
    """
    return pages.values(
        hit_kind=Value(searchable.key),
        hit_title=F(searchable.title),
        hit_order=Value(order),
        hit_slug=F(getattr(searchable, "slug", "slug")),
        hit_summary=F(searchable.summary),
        hit_tier=Value(tier),
        hit_vector=F(vector_of(searchable)),
        hit_text=F(searchable.text),
        hit_names=F(searchable.names) if searchable.names else Value(""),
        hit_query=ts_query,
    )


def vector_of(searchable, name="search_vector"):
    """The column (or annotation) a searchable's `search_vector` or `names_vector` is
    in: the generated column of that name, unless the searchable names another
    (spinesite.translated_search makes some at query time)."""
    return getattr(searchable, name, None) or name


def _matches(searchable, ts_query, order, excludes):
    """One kind's matches as two tiers: the query found in the names, then elsewhere.

    Names matches come first whatever their rank (SEARCH_SQL). Ranking reads a
    page's whole vector, so of each tier at most RANK_AT_MOST are ranked: on a site
    of thousands of pages, words found together in thousands of bodies ("back pain
    leg"), or a word in the names of thousands of pages of one kind, rank the first
    ones found rather than all of them (a clinic's site is far from either).
    """
    vector, names = vector_of(searchable), vector_of(searchable, "names_vector")
    by_name = searchable.queryset().filter(**{names: ts_query})
    if excludes:
        # A page whose names match matches as a whole, unless the query leaves out a
        # word (-neck) found elsewhere on it: checked row by row (ts_match_vq is the
        # function behind @@, which no index answers), as through the index it read
        # every page with the word, 20,000 for "canal" at 100,000 pages. A query
        # that leaves nothing out needs no check: what its names match, the whole does.
        whole = Func(F(vector), ts_query, function="ts_match_vq", output_field=BooleanField())
        by_name = by_name.filter(whole)
    elsewhere = searchable.queryset().filter(**{vector: ts_query}).exclude(**{names: ts_query})
    # Not the best 500 by their names: picking them reads every match, and at
    # 100,000 pages that made a search for a common word 4 times slower (bench/scale.py).
    return (
        _found(searchable, by_name.order_by(), ts_query, 1, order)[:RANK_AT_MOST],
        _found(searchable, elsewhere.order_by(), ts_query, 0, order)[:RANK_AT_MOST],
    )


# The pages the ORM-built queries find, by their names ({named}) and elsewhere
# ({elsewhere}), are ranked, ordered and paged here, as Django cannot select from a
# subquery. Names matches come first: when those of every kind together fill the page
# and the one row more that tells of a next page ({enough}), the other matches are not
# looked for (a one-time filter: PostgreSQL runs none of their scans). For a word on
# most pages, or a phrase in the names of a few pages of each kind, that skips reading
# every page that holds the words (bench/scale.py: a phrase's p50 33 -> 12 ms).
# The slug breaks ties: a kind's titles need not be unique. Snippets are cut from the
# page's rows alone, as ts_headline is slow. Matches are wrapped in the two markers.
#
# When no page matches, the same query corrects the reader's words (an array, in
# order): each becomes the vocabulary word with the fewest typos (levenshtein) among
# the few nearest by trigrams (a GiST index scan), then the most alike, if it is few
# enough typos away (TYPOS). If any word has no such word, nothing is offered: a
# guess at some of the words would send the reader to pages about something else.
# The corrected words come back as one row without a page, and only when some word
# changed: words spelt right, just on no page together, are not guessed at. When
# pages match, none of this runs.
SEARCH_SQL = """
WITH named AS MATERIALIZED ({named}),
hits AS MATERIALIZED (
    SELECT hit_kind, hit_title, hit_slug, hit_summary,
           ts_headline(%s::regconfig, hit_text, hit_query, %s) AS hit_snippet,
           ts_headline(%s::regconfig, hit_names, hit_query, %s) AS hit_names,
           row_number() OVER (
               ORDER BY hit_tier DESC, hit_rank DESC, hit_order, hit_title, hit_slug
           ) AS position
    FROM (
        SELECT *, ts_rank(hit_vector, hit_query) AS hit_rank
        FROM (
            SELECT * FROM named
            UNION ALL
            SELECT * FROM ({elsewhere}) AS elsewhere
            WHERE (SELECT count(*) FROM named) < {enough}
        ) AS found
        ORDER BY hit_tier DESC, hit_rank DESC, hit_order, hit_title, hit_slug
        LIMIT {limit} OFFSET {offset}
    ) AS ranked
),
spelling AS (
    SELECT string_agg(best.word, ' ' ORDER BY asked.n) AS corrected
    FROM unnest(%s::text[]) WITH ORDINALITY AS asked(word, n)
    LEFT JOIN LATERAL (
        SELECT near.word
        FROM (
            SELECT term.word, term.word <-> asked.word AS distance
            FROM {vocabulary} AS term
            ORDER BY term.word <-> asked.word
            LIMIT {candidates}
        ) AS near
        WHERE near.distance <= {farthest}
          AND levenshtein({fold}(asked.word), {fold}(near.word)) <= {typos}
        ORDER BY levenshtein({fold}(asked.word), {fold}(near.word)), near.distance, near.word
        LIMIT 1
    ) AS best ON true
    WHERE NOT EXISTS (SELECT FROM hits)
    HAVING count(best.word) = count(*)
       AND array_agg(best.word::text ORDER BY asked.n) <> %s::text[]
)
SELECT hit_kind, hit_title, hit_slug, hit_summary, hit_snippet, hit_names, position, NULL
FROM hits
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, corrected FROM spelling
ORDER BY position
"""
SNIPPET_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", '
    'MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
)
NAMES_OPTIONS = f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", HighlightAll=true'
HIT_COLUMNS = [
    "hit_kind",
    "hit_title",
    "hit_slug",
    "hit_summary",
    "hit_snippet",
    "hit_names",
    "position",
    "corrected",
]


@dataclass(frozen=True)
class Language:
    """How one language is searched: its text search configuration, the vocabulary
    misspellings are corrected to, and `fold`, an SQL function applied to words
    before counting typos (unaccent for Spanish, so "siatica" is one from "ciática")."""

    config: str = CONFIG
    vocabulary: type = SearchTerm
    fold: str = ""


ENGLISH = Language()


def _ranked(query, searchables, limit, offset=0, misspelt=(), language=ENGLISH):
    """Rows `offset` to `limit` of every kind together, best first, with snippets: one query.

    When none match and `misspelt` words are given, one row with their correction.
    """
    with connection.cursor() as cursor:
        cursor.execute(*statement(query, searchables, limit, offset, misspelt, language))
        return [dict(zip(HIT_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def statement(query, searchables, limit, offset=0, misspelt=(), language=ENGLISH):
    """The SQL of a search and its parameters, the reader's words among them."""
    # websearch syntax leaves a word out only with a minus ("-neck"); a hyphen between
    # words ("x-ray") just takes the query that checks, which finds the same pages.
    excludes = "-" in query
    sql, params = _compiled(tuple(searchables), limit, offset, language, excludes)
    values = {QUERY_PLACEHOLDER: query, WORDS_PLACEHOLDER: list(misspelt)}
    return sql, [values.get(param, param) if isinstance(param, str) else param for param in params]


# Stand for the reader's words while the query is built; NUL never reaches them from
# a reader (searchtext.clean_query) or the vocabulary (letters only).
QUERY_PLACEHOLDER = "\0query\0"
WORDS_PLACEHOLDER = "\0words\0"


@functools.lru_cache(maxsize=64)
def _compiled(searchables, limit, offset, language, excludes):
    """The SQL and parameters of a search, with placeholders for the words.

    Building this query through the ORM takes longer than PostgreSQL takes to run it
    for most searches, and only the words change from one search to the next.
    """
    config = language.config
    ts_query = SearchQuery(QUERY_PLACEHOLDER, config=config, search_type="websearch")
    by_kind = [
        _matches(searchable, ts_query, order, excludes)
        for order, searchable in enumerate(searchables)
    ]
    named_sql, named_params = _union([named for named, _ in by_kind])
    elsewhere_sql, elsewhere_params = _union([elsewhere for _, elsewhere in by_kind])
    return (
        SEARCH_SQL.format(
            named=named_sql,
            elsewhere=elsewhere_sql,
            enough=limit,
            limit=limit - offset,
            offset=offset,
            vocabulary=language.vocabulary._meta.db_table,
            fold=language.fold,
            candidates=CANDIDATES,
            farthest=1 - SIMILARITY,
            typos=_typos_sql("asked.word"),
        ),
        (
            *named_params,
            *(config, SNIPPET_OPTIONS, config, NAMES_OPTIONS),
            *elsewhere_params,
            *(WORDS_PLACEHOLDER, WORDS_PLACEHOLDER),
        ),
    )


def _union(querysets):
    """The SQL and parameters of the querysets' rows together (UNION ALL)."""
    first, *others = querysets
    return first.union(*others, all=True).query.sql_with_params()


def _typos_sql(word):
    """TYPOS as SQL: the typos allowed in `word`, by its length."""
    cases = " ".join(f"WHEN length({word}) >= {size} THEN {typos}" for size, typos in TYPOS)
    return f"CASE {cases} ELSE 0 END"


def _hit(row, searchables):
    searchable = searchables[row["hit_kind"]]
    names = row["hit_names"] if MARK_START in row["hit_names"] else ""
    return Hit(
        label=searchable.label,
        title=row["hit_title"],
        url=searchable.url(row["hit_slug"]),
        summary=row["hit_summary"],
        snippet=highlight(row["hit_snippet"]),
        other_names=highlight("; ".join(names.splitlines())),
    )


def search(query, page=1, searchables=None, language=ENGLISH):
    """Published pages matching `query` (websearch syntax), best first.

    Pages whose title or "also called" names match come first; then a match in the
    summary outranks one in the body (weights B and C). One query. When nothing
    matches, the same query finds close misspellings, and `corrected` is the query
    spelt as the site spells it, for the reader to search for if they meant it.
    """
    if searchables is None:
        searchables = all_searchables()
    by_model = {searchable.key: searchable for searchable in searchables}
    page = page_within(page)
    offset, limit = (page - 1) * PAGE_SIZE, page * PAGE_SIZE + 1
    misspelt = fallback_words(query) if page == 1 else []
    rows = _ranked(query, searchables, limit, offset, misspelt, language)
    corrected = next((row["corrected"] for row in rows if row["corrected"]), "")
    if corrected:  # a word for each word asked about (SEARCH_SQL)
        spellings = dict(zip(misspelt, corrected.split(), strict=True))
        return Results([], corrected=respelt(query, spellings))
    hits = [_hit(row, by_model) for row in rows[:PAGE_SIZE]]
    return Results(hits, page=page, has_next=len(rows) > PAGE_SIZE and page < MAX_PAGES)
