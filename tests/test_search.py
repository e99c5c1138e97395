"""Site search: ranking, everyday names, the spelling fallback, safe snippets, odd queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions.models import Condition
from spinesite import pagekinds, search, searchables, searchresults, searchtext, vocabulary
from spinesite.models import SearchTerm
from tests.factories import ConditionFactory, VideoFactory
from videos.models import Video

pytestmark = pytest.mark.django_db

URL = "/search/"


def titles(query, **kwargs):
    return [hit.title for hit in search.search(query, **kwargs).hits]


def result_titles(response):
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


def test_a_title_match_beats_a_body_match():
    ConditionFactory(
        title="Back pain in general",
        body="## Causes\n\n" + "Stenosis can cause this. " * 20,
    )
    ConditionFactory(title="Spinal Stenosis", body="## What is it?\n\nA narrow canal.\n")
    assert titles("stenosis") == ["Spinal Stenosis", "Back pain in general"]


def test_name_matches_come_first_on_every_page_of_results():
    ConditionFactory(title="Often mentioned", body="## About\n\n" + "Coccyx coccyx. " * 30)
    for number in range(searchresults.PAGE_SIZE + 1):
        ConditionFactory(title=f"Coccyx {number:02}", body="## About\n\nNothing else.\n")
    first, second = titles("coccyx"), titles("coccyx", page=2)
    assert first == [f"Coccyx {number:02}" for number in range(searchresults.PAGE_SIZE)]
    assert second == [f"Coccyx {searchresults.PAGE_SIZE:02}", "Often mentioned"]


def elsewhere_scanned(query, page=1):
    """Whether running the search for `query` looked for matches outside the names."""
    limit = page * searchresults.PAGE_SIZE + 1
    offset = (page - 1) * searchresults.PAGE_SIZE
    sql, params = search.statement(query, searchables.all_searchables(), limit, offset)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0][0]["Plan"]

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    # Names matches reach the hits through the CTE "named"; a table read below the
    # hits is a search elsewhere.
    (hits,) = (node for node in nodes(plan) if node.get("Subplan Name") == "CTE hits")
    return any(node["Actual Loops"] for node in nodes(hits) if "Relation Name" in node)


def test_other_matches_are_looked_for_only_when_names_of_every_kind_leave_room():
    ConditionFactory(title="Often mentioned", body="## About\n\n" + "Coccyx coccyx. " * 30)
    for number in range(5):
        ConditionFactory(title=f"Coccyx {number:02}", body="## About\n\nNothing else.\n")
    for number in range(5, searchresults.PAGE_SIZE):
        VideoFactory(title=f"Coccyx {number:02}")
    assert elsewhere_scanned("coccyx")  # 10 names, and one row more to tell of a next page
    VideoFactory(title="Coccyx 10")
    assert not elsewhere_scanned("coccyx")
    assert titles("coccyx")[-1] == "Coccyx 09"
    assert elsewhere_scanned("coccyx", page=2)
    assert titles("coccyx", page=2) == ["Coccyx 10", "Often mentioned"]


def test_pages_alike_in_all_but_their_address_keep_one_order_across_pages_of_results():
    for number in reversed(range(12)):
        ConditionFactory(title="Coccyx", slug=f"coccyx-{number:02}")
    slugs = [hit.url for page in (1, 2) for hit in search.search("coccyx", page=page).hits]
    assert len(slugs) == len(set(slugs)) == 12
    assert slugs == sorted(slugs)


def test_a_word_in_the_names_of_very_many_pages_ranks_only_the_first_found(monkeypatch):
    """Ranking reads each page's whole vector: of name matches, as of other matches,
    at most RANK_AT_MOST are ranked (a word in the names of thousands of pages took
    35 ms a kind to rank them all at 100,000 pages)."""
    monkeypatch.setattr(search, "RANK_AT_MOST", 3)
    search._compiled.cache_clear()
    try:
        for number in range(5):
            ConditionFactory(title=f"Coccyx {number}", body="## About\n\nNothing else.\n")
        assert len(titles("coccyx")) == 3
    finally:
        search._compiled.cache_clear()


def test_also_called_counts_like_the_title_and_the_summary_beats_the_body():
    ConditionFactory(title="In the body", body="## About\n\nA word about lumbago here.\n")
    ConditionFactory(title="In the summary", summary="All about lumbago.")
    ConditionFactory(title="In the other names", also_called="Lumbago\nLow back pain")
    assert titles("lumbago") == ["In the other names", "In the summary", "In the body"]


def test_everyday_names_find_the_medical_page(client):
    ConditionFactory(
        title="Herniated Disc",
        slug="herniated-disc",
        also_called="Slipped disc\nBulging disc",
        body="## What is it?\n\nThe soft centre of a spinal disc pushes out.\n",
    )
    ConditionFactory(title="Spondylolisthesis", also_called="Slipped vertebra")
    response = client.get(URL, {"q": "slipped disc"})
    assert response.status_code == 200
    assert result_titles(response)[0] == "Herniated Disc"
    html = response.content.decode()
    assert "<mark>Slipped</mark> <mark>disc</mark>" in html  # why it matched


def test_websearch_syntax_phrases_and_exclusions():
    ConditionFactory(title="Cervical Radiculopathy", also_called="Pinched nerve in the neck")
    ConditionFactory(title="Sciatica", also_called="Pinched nerve in the lower back")
    assert titles('"pinched nerve" -neck') == ["Sciatica"]
    assert titles("sciatica or radiculopathy") == ["Cervical Radiculopathy", "Sciatica"]


def test_a_word_left_out_leaves_out_a_page_whose_name_matches_but_whose_text_has_it():
    ConditionFactory(title="Whiplash", body="## About\n\nA sudden jolt strains the neck.\n")
    ConditionFactory(title="Whiplash of the back", body="## About\n\nA jolt to the back.\n")
    assert titles("whiplash -neck") == ["Whiplash of the back"]


def test_only_a_query_that_leaves_a_word_out_checks_name_matches_row_by_row():
    """What a query's names match, its whole page matches, unless the query leaves a
    word out: only then is each name match's whole vector read (no index answers it)."""
    ConditionFactory(title="Whiplash", also_called="Neck-sprain")
    with CaptureQueriesContext(connection) as queries:
        assert titles("whiplash") == titles("whiplash -back") == ["Whiplash"]
        assert titles("neck-sprain") == ["Whiplash"]  # a hyphen, not a word left out
    plain, leaving_out, hyphenated = (query["sql"] for query in queries.captured_queries)
    assert "ts_match_vq" not in plain
    assert "ts_match_vq" in leaving_out and "ts_match_vq" in hyphenated


def spine_pages():
    ConditionFactory(title="Sciatica", also_called="Sciatic nerve pain")
    ConditionFactory(title="Herniated Disc", also_called="Slipped disc\nBulging disk")
    ConditionFactory(title="Spondylolisthesis", also_called="Vertebral slip")
    ConditionFactory(title="Spinal Stenosis", also_called="Narrow spinal canal")
    ConditionFactory(title="Neck pain", body="## Working life\n\nSitting at work all day.\n")


@pytest.mark.parametrize(
    ("query", "corrected", "expected"),
    [
        ("sciatika", "sciatica", "Sciatica"),
        ("slipt disk", "slip disk", "Herniated Disc"),
        ("herniatd disc", "herniated disc", "Herniated Disc"),
        ("stenossis", "stenosis", "Spinal Stenosis"),
        ("spondilolisthesis", "spondylolisthesis", "Spondylolisthesis"),
        ("Sciatika pain -neck", "sciatica pain -neck", "Sciatica"),
    ],
)
def test_close_misspellings_get_a_suggestion_that_finds_the_page(query, corrected, expected):
    spine_pages()
    results = search.search(query)
    assert (results.hits, results.corrected) == ([], corrected)  # nothing found, kept so
    assert search.search(corrected).hits[0].title == expected


@pytest.mark.parametrize(
    "query",
    [
        "qwxzv blorft",  # gibberish
        "pregnant",  # everyday words with no page: not "present"
        "parking",  # not "working"
        "dolor de espalda",  # another language: not "doctor"
        "sciatika qwxzv",  # one word we cannot place: no guess at the other
        "stenosys blorft",
    ],
)
def test_words_that_are_no_close_misspelling_get_no_suggestion(query):
    spine_pages()
    ConditionFactory(title="Present", body="## Working\n\nA doctor is present at work.\n")
    results = search.search(query)
    assert (results.hits, results.corrected) == ([], "")


def test_short_words_must_be_spelt_right():
    ConditionFactory(title="Back pain")
    assert search.search("bak").corrected == ""  # three letters: too short to guess
    assert search.search("bakc pain").corrected == ""  # two typos in four letters
    assert search.search("pian").corrected == ""
    assert search.search("bck pain").corrected == ""
    assert search.search("backk pain").corrected == "back pain"


def test_words_spelt_right_are_not_corrected():
    ConditionFactory(title="Sciatica")
    ConditionFactory(title="Neck pain")
    results = search.search("sciatica neck")  # both real words, on no page together
    assert (results.hits, results.corrected) == ([], "")


def test_a_misspelt_search_says_nothing_was_found_and_asks_did_you_mean(client):
    ConditionFactory(title="Sciatica", body="## About\n\nSciatica is leg pain.\n")
    html = client.get(URL, {"q": "sciatika -neck"}).content.decode()
    assert "We found no pages for “sciatika -neck”" in html
    assert 'Did you mean <a href="/search/?q=sciatica%20-neck">sciatica -neck</a>?' in html
    assert "/conditions/sciatica/" not in html  # no page the reader did not ask for


@pytest.mark.parametrize("query", ["qwxzv blorft", "pregnant", "parking", "dolor de espalda"])
def test_nothing_found_is_said_honestly_with_where_to_go_next(client, query):
    spine_pages()
    html = client.get(URL, {"q": query}).content.decode()
    assert f"We found no pages for “{query}”" in html
    assert "Did you mean" not in html and "search-results" not in html
    assert 'href="tel:5550100199"' in html
    assert 'href="/conditions/"' in html and 'href="/treatments/"' in html


def test_the_vocabulary_grows_with_saved_pages():
    ConditionFactory(
        title="Coccydynia", also_called="Tailbone pain", body="## About\n\nArachnoiditis.\n"
    )
    words = set(SearchTerm.objects.values_list("word", flat=True))
    assert {"coccydynia", "tailbone", "pain", "arachnoiditis"} <= words
    assert search.search("arachnoiditiss").corrected == "arachnoiditis"


def test_vocabulary_words_are_only_letters():
    assert vocabulary.words_in("Don't: 'x' | !a & b:* 12 C-5 l5-s1 spondylo—lysis") == {
        "don",
        "spondylo",
        "lysis",
    }


def test_rebuilding_the_vocabulary_after_bulk_changes():
    ConditionFactory(title="Sciatica")
    Condition.objects.update(title="Coccydynia")  # no save(), no signal
    vocabulary.rebuild_vocabulary()
    words = set(SearchTerm.objects.values_list("word", flat=True))
    assert "coccydynia" in words and "sciatica" not in words


def test_stop_words_alone_find_nothing_rather_than_everything():
    ConditionFactory(title="Pain in the back", also_called="The back pain page")
    assert titles("the") == []
    assert titles("what about") == []


def test_drafts_are_never_found():
    page = ConditionFactory(title="Secret Stenosis", status=Condition.Status.DRAFT)
    assert titles("stenosis") == []
    assert search.search("stenossis").corrected == ""  # nor suggested by spelling help
    page.status = Condition.Status.PUBLISHED
    page.save()
    assert search.search("stenossis").corrected == "stenosis"


def test_search_vectors_are_stored_in_the_row():
    # STORAGE MAIN (migrations 0002_search): a TOAST lookup per ranked page made
    # common words several times slower. Altering the field would silently undo it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstorage FROM pg_attribute "
            "WHERE attname = 'search_vector' AND attrelid = ANY(%s::regclass[])",
            [["conditions_condition", "videos_video"]],
        )
        assert dict(cursor.fetchall()) == {"conditions_condition": "m", "videos_video": "m"}


def test_a_row_with_its_search_vector_keeps_its_small_columns_too():
    # The migrations *_whole_rows: at the default TOAST target (2 KB), a vector kept in
    # the row sent the title, slug and summary out to the TOAST table. Every table of
    # a kind of page that keeps its vector in the row needs the larger target.
    tables = [kind.model._meta.db_table for kind in pagekinds.kinds()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class JOIN pg_attribute ON attrelid = oid "
            "WHERE attname = 'search_vector' AND attstorage = 'm' AND relname = ANY(%s)",
            [tables],
        )
        options = dict(cursor.fetchall())
    assert {"conditions_condition", "treatments_treatment", "videos_video"} <= set(options)
    assert options == {table: ["toast_tuple_target=8160"] for table in options}


def test_the_search_vector_follows_edits():
    page = ConditionFactory(title="Old name")
    page.title = "Coccydynia"
    page.save()
    assert titles("coccydynia") == ["Coccydynia"]
    Condition.objects.filter(pk=page.pk).update(summary="Tailbone pain.")  # no save()
    assert titles("tailbone") == ["Coccydynia"]


def test_snippets_escape_the_page_and_mark_only_matches(client):
    ConditionFactory(
        title="Stenosis",
        body="## About\n\nType `<script>alert('page')</script>` and stenosis "
        "`<img src=x onerror=alert(1)>` here.\n",
    )
    html = client.get(URL, {"q": "stenosis"}).content.decode()
    assert "<script>alert('page')</script>" not in html
    assert "<img src=x" not in html
    # PostgreSQL's snippet leaves out what its parser takes for tags, like <script>;
    # the rest of the text, escaped, is still there.
    assert "<mark>stenosis</mark> &lt;img src=x onerror=alert(1)&gt; here" in html


def test_a_query_cannot_inject_html(client):
    ConditionFactory(title="Stenosis", body="## About\n\nStenosis and more.\n")
    hostile = '<img src=x onerror=alert(1)> "stenosis'
    html = client.get(URL, {"q": hostile}).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_highlight_escapes_everything_and_balances_marks():
    start, stop = searchtext.MARK_START, searchtext.MARK_STOP
    text = f"<b>{start}disc{stop}</b> {stop}stray{start}open"
    assert (
        searchtext.highlight(text) == "&lt;b&gt;<mark>disc</mark>&lt;/b&gt; stray<mark>open</mark>"
    )


def test_a_query_cannot_contain_the_snippet_markers():
    query, _ = searchtext.clean_query(
        f"disc{searchtext.MARK_START}\x00 pain{searchtext.MARK_STOP}"
    )
    assert query == "disc pain"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        "?",
        "\x00",
        "a" * 10_000,
        "sciatica " * 2_000,
        "' OR 1=1 --",
        '"unclosed',
        "-",
        "or",
        "&|!():*<->",
        "\\",
        "%_%",
        "<script>alert(1)</script>",
        "🦴🦴",
        "sciatica\u202e",
    ],
)
def test_odd_queries_get_a_helpful_page(client, query):
    ConditionFactory(title="Sciatica")
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html  # the form to try again
    assert "browse all conditions" in html.lower() or '<ol class="search-results"' in html
    assert "<script>alert" not in html


def test_an_empty_search_explains_itself(client):
    html = client.get(URL).content.decode()
    assert "<h1>Search this website</h1>" in html
    assert "Please type a word" not in html
    html = client.get(URL, {"q": "?!"}).content.decode()
    assert "Please type a word" in html


def test_no_results_page_suggests_what_to_do(client):
    ConditionFactory(title="Sciatica")
    html = client.get(URL, {"q": "zzzzqqq"}).content.decode()
    assert "We found no pages for “zzzzqqq”" in html
    assert "Check the spelling" in html
    assert 'href="/conditions/"' in html


def test_a_huge_query_is_cut_and_the_page_says_so(client):
    ConditionFactory(title="Sciatica")
    response = client.get(URL, {"q": "sciatica " + "x" * 10_000})
    assert response.status_code == 200
    html = response.content.decode()
    assert "we used only the first part" in html
    assert result_titles(response) == ["Sciatica"]


def test_results_come_in_pages(client):
    for number in range(searchresults.PAGE_SIZE + 2):
        ConditionFactory(title=f"Stenosis {number:02}")
    first = client.get(URL, {"q": "stenosis"})
    assert len(result_titles(first)) == searchresults.PAGE_SIZE
    assert 'href="?q=stenosis&amp;page=2"' in first.content.decode()
    second = client.get(URL, {"q": "stenosis", "page": "2"})
    assert len(result_titles(second)) == 2
    assert 'start="11"' in second.content.decode()
    assert 'href="?q=stenosis&amp;page=1"' in second.content.decode()
    for page in ["0", "-3", "abc", "99999999999999999999999"]:
        assert client.get(URL, {"q": "stenosis", "page": page}).status_code == 200


def test_search_runs_one_query_spelling_help_included(django_assert_num_queries):
    ConditionFactory(title="Sciatica", also_called="Sciatic nerve pain")
    ConditionFactory(title="Neck pain")
    with django_assert_num_queries(1):
        search.search("sciatica")
    with django_assert_num_queries(1):  # spelt right, just on no page together: no guessing
        assert search.search("sciatica neck").hits == []
    with django_assert_num_queries(1):  # no match, and the closest words
        assert search.search("sciatika").corrected == "sciatica"


def test_videos_are_searched_with_conditions(client):
    ConditionFactory(title="Spinal Cord Stimulation", slug="scs")
    VideoFactory(
        title="How the device is placed",
        slug="stimulator",
        description="A short film.",
        transcript="## Part one\n\nThe doctor explains spinal cord stimulation.\n",
    )
    VideoFactory(title="Draft stimulation video", status=Video.Status.DRAFT)
    response = client.get(URL, {"q": "stimulation"})
    assert result_titles(response) == ["Spinal Cord Stimulation", "How the device is placed"]
    html = response.content.decode()
    assert '<a href="/videos/stimulator/">' in html
    assert '<p class="result-kind">Video</p>' in html
    assert "spinal cord <mark>stimulation</mark>" in html  # snippet from the transcript
    assert search.search("devise placed").corrected == "device placed"  # a video's words


def test_the_header_has_a_search_box(client):
    html = client.get("/").content.decode()
    assert re.search(
        r'<form class="header-search" role="search" method="get" action="/search/"', html
    )
    assert '<label for="header-search-q"' in html
    # The results page has its own, bigger box instead.
    html = client.get(URL, {"q": "x"}).content.decode()
    assert 'class="header-search"' not in html


def test_publishing_in_admin_lets_spelling_help_suggest_the_page_words(admin_client):
    draft = ConditionFactory(title="Coccydynia", status=Condition.Status.DRAFT)
    assert search.search("coccydinia").corrected == ""
    changelist = "/admin/conditions/condition/"
    admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert search.search("coccydinia").corrected == "coccydynia"
