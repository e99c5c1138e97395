"""At a hundred times the content (issue 19): lists are filtered, sorted and paged by
PostgreSQL (an index's order once per content version), never read whole into Python, and page links carry only the filters a
page understands. Speed itself is measured by bench/scale.py, not here."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions.models import Condition, ConditionTranslation
from spinesite.indexes import from_row, ordered_index_page
from spinesite.models import ClinicDetails
from spinesite.sitemaps import ContentSitemap
from tests.factories import ConditionFactory, TopicFactory, TreatmentFactory, VideoFactory
from tests.sitemaps import sitemap_files, sitemap_urls
from tests.test_performance_budgets import empty_page_cache
from treatments.models import Treatment, TreatmentTranslation
from videos.models import Video

pytestmark = pytest.mark.django_db


def translate(page, title, model=ConditionTranslation):
    return model.objects.create(
        page=page,
        language="es",
        title=title,
        summary="Un resumen corto.",
        body="Texto.",
        translator="Agencia",
        status="published",
    )


def page_links(html):
    """The addresses of the page links (templates/pages/pagination.html)."""
    nav = html.split('<nav class="pagination"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]*)"', nav)


def sql_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [query["sql"] for query in queries]


def rows_read_by_id(queries):
    """How many rows the query reading an index page's rows asks for by id: the
    order of the whole index is kept (spinesite.indexes.kept_order), and a page
    reads only its own rows, whatever its number."""
    (ids,) = [found for sql in queries for found in re.findall(r'"id" IN \(([\d, ]+)\)', sql)]
    return len(ids.split(","))


# Links keep the page's filters, and nothing else the request had
# ------------------------------------------------------------------------------


def test_index_page_links_keep_the_region_but_not_made_up_parameters(client, monkeypatch):
    monkeypatch.setattr("spinesite.indexes.PER_PAGE", 2)
    for title in ("Arm pain", "Disc bulge", "Whiplash"):
        ConditionFactory(title=title, region=Condition.Region.NECK)
    html = client.get("/conditions/?region=neck&utm_source=mail&x=%3Cb%3E").content.decode()
    links = page_links(html)
    assert links and all(link.startswith("?region=neck&amp;page=") for link in links), links


def test_video_library_links_keep_the_filter_but_not_made_up_parameters(client):
    topic = TopicFactory(name="Everyday care")
    for n in range(14):
        VideoFactory(title=f"Video {n:02}", slug=f"video-{n:02}", topics=[topic])
    html = client.get("/videos/?topic=everyday-care&junk=1&page=1").content.decode()
    links = page_links(html)
    assert links and all(link.startswith("?topic=everyday-care&amp;page=") for link in links)


# The video library reads one page of cards, filtered in SQL
# ------------------------------------------------------------------------------


def test_the_video_library_reads_only_the_page_it_shows(client):
    topic = TopicFactory(name="Everyday care")
    other = TopicFactory(name="Surgery")
    for n in range(30):
        VideoFactory(title=f"Video {n:02}", slug=f"video-{n:02}", topics=[topic, other][n % 2 :])
    html, queries = sql_of(client, "/videos/?topic=everyday-care&page=2")
    assert "30 videos" not in html and "15 videos for topic" in html
    assert "Page 2 of 2." in html
    cards = [sql for sql in queries if '"videos_video"."duration"' in sql]
    assert len(cards) == 1 and "LIMIT 12 OFFSET 12" in cards[0], cards
    assert re.findall(r'class="video-card-title"><a href="/videos/([\w-]+)/"', html) == [
        "video-24",
        "video-26",
        "video-28",
    ]


def test_a_page_of_the_whole_library_counts_no_videos_once_its_choices_are_kept(client):
    """The library's size is counted with its filters' choices, once per content
    version (videos.library.Choices): a page after that reads its twelve cards alone."""
    topic = TopicFactory(name="Everyday care")
    for n in range(30):
        VideoFactory(title=f"Video {n:02}", slug=f"video-{n:02}", topics=[topic])
    client.get("/")  # the first request ever creates the clinic's details row
    client.get("/videos/")
    html, queries = sql_of(client, "/videos/?page=2")
    assert "30 videos." in html and "Page 2 of 3." in html
    assert [sql for sql in queries if "COUNT(" in sql.upper()] == []
    html, queries = sql_of(client, "/videos/?topic=everyday-care&page=3")
    assert "30 videos for topic" in html and "Page 3 of 3." in html


def test_a_page_past_the_end_of_the_library_shows_the_last(client):
    for n in range(13):
        VideoFactory(title=f"Video {n:02}", slug=f"video-{n:02}")
    html = client.get("/videos/?page=999999999999999999999").content.decode()
    assert "Page 2 of 2." in html and "video-12" in html


# Spanish indexes: only translated pages, by translated title, paged in SQL
# ------------------------------------------------------------------------------


def spanish_titles(html, section):
    return re.findall(rf'<li>\s*<a href="/es/{section}/[^"]+/">([^<]+)</a>', html)


def test_the_spanish_conditions_index_is_sorted_once_and_paged_by_id(
    client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("spinesite.indexes.PER_PAGE", 2)
    for english, spanish in [
        ("Arm pain", "Dolor de brazo"),
        ("Back spasm", "Espasmo de espalda"),
        ("Cord compression", "Compresión medular"),
        ("Disc bulge", "Abultamiento discal"),
    ]:
        translate(ConditionFactory(title=english), spanish)
    ConditionFactory(title="Untranslated")
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    client.get("/es/conditions/?page=3")  # the last page: the order is kept, not the page
    pages = []
    for number in (1, 2):
        with django_assert_max_num_queries(2):  # the content version, the page's rows
            html, queries = sql_of(client, f"/es/conditions/?page={number}")
        assert rows_read_by_id(queries) == 2, queries
        pages.append(spanish_titles(html, "conditions"))
    assert pages == [
        ["Abultamiento discal", "Compresión medular"],
        ["Dolor de brazo", "Espasmo de espalda"],
    ]


def test_an_english_index_page_is_a_slice_of_its_covering_index(client, monkeypatch):
    """In English, a page's rows come as a slice of the A to Z (or of each kind), which
    the covering index answers without reading the table; by id, each row would be a
    table page read (spinesite.indexes.ordered_index_page). The slice starts at the
    page's first row: an OFFSET would walk every entry before it."""
    monkeypatch.setattr("spinesite.indexes.PER_PAGE", 2)
    Kind = Treatment.Kind
    for title in ["Delta", "Bravo", "Alpha", "Charlie", "Bravo"]:  # a tie across pages
        ConditionFactory(title=title)
    for title, kind in [
        ("Fusion", Kind.SURGERY),
        ("Yoga", Kind.EXERCISE_THERAPY),
        ("Walking", Kind.EXERCISE_THERAPY),
        ("Stretching", Kind.EXERCISE_THERAPY),
    ]:
        TreatmentFactory(title=title, kind=kind)
    TreatmentFactory(title="Ibuprofen", kind=Kind.MEDICINES)
    for number, shown in [(1, ["Alpha", "Bravo"]), (2, ["Bravo", "Charlie"]), (3, ["Delta"])]:
        html, queries = sql_of(client, f"/conditions/?page={number}")
        assert re.findall(r'<a href="/conditions/[^"]+/">(\w+)</a>', html) == shown
        (read,) = [sql for sql in queries if re.search(rf"LIMIT {len(shown)}\b", sql)]
        assert '("title", "id") >= (SELECT' in read and "OFFSET" not in read, read
        assert not any('"id" IN (' in sql for sql in queries), queries
    for number, shown in [
        (1, ["Stretching", "Walking"]),
        (2, ["Yoga", "Ibuprofen"]),  # from the middle of a kind into the next
        (3, ["Fusion"]),
    ]:
        html, queries = sql_of(client, f"/treatments/?page={number}")
        assert re.findall(r'<a href="/treatments/[^"]+/">(\w+)</a>', html) == shown
        assert not any('"id" IN (' in sql or "OFFSET" in sql for sql in queries), queries
        assert any('("title", "id") >= (SELECT' in sql for sql in queries), queries


def test_an_index_page_whose_kept_order_is_out_of_date_reads_its_rows_by_id(monkeypatch):
    """A process hears of an edit a moment after it is made: a page whose first row
    has gone, or moved, since the order was kept still lists the page's rows."""
    monkeypatch.setattr("spinesite.indexes.PER_PAGE", 2)
    alpha, bravo, charlie, delta = (ConditionFactory(title=t) for t in "ABCD")
    conditions = Condition.objects.published().order_by("title", "pk")

    def read(start, ids):
        return list(from_row(conditions, ids[0])[: len(ids)])

    kept = [alpha.pk, bravo.pk, charlie.pk, delta.pk]
    Condition.objects.filter(pk=charlie.pk).update(title="Z")  # moved past Delta
    page = ordered_index_page(kept, conditions, 2, read=read)
    assert [c.pk for c in page.object_list] == [charlie.pk, delta.pk]
    charlie.delete()
    page = ordered_index_page(kept, conditions, 2, read=read)
    assert [c.pk for c in page.object_list] == [delta.pk]


def test_the_spanish_treatments_index_is_grouped_sorted_once_and_paged_by_id(client, monkeypatch):
    monkeypatch.setattr("spinesite.indexes.PER_PAGE", 2)
    Kind = Treatment.Kind
    for english, spanish, kind in [
        ("Fusion", "Fusión vertebral", Kind.SURGERY),
        ("Walking", "Caminar", Kind.EXERCISE_THERAPY),
        ("Stretching", "Estiramientos", Kind.EXERCISE_THERAPY),
        ("Ibuprofen", "Ibuprofeno", Kind.MEDICINES),
    ]:
        translate(TreatmentFactory(title=english, kind=kind), spanish, TreatmentTranslation)
    TreatmentFactory(title="Untranslated", kind=Kind.MEDICINES)
    pages = []
    for number in (1, 2):
        html, queries = sql_of(client, f"/es/treatments/?page={number}")
        assert rows_read_by_id(queries) == 2, queries
        pages.append(spanish_titles(html, "treatments"))
    assert pages == [["Caminar", "Estiramientos"], ["Ibuprofeno", "Fusión vertebral"]]


# The sitemap counts and slices in SQL, in every language
# ------------------------------------------------------------------------------


def test_a_sitemap_file_reads_only_its_own_pages(client, monkeypatch):
    monkeypatch.setattr(ContentSitemap, "limit", 2)
    pages = [ConditionFactory(slug=f"page-{n}") for n in range(3)]
    translate(pages[0], "Página cero")
    translate(pages[2], "Página dos")
    urls = set(sitemap_urls(client))
    expected = {
        *(f"http://testserver/conditions/page-{n}/" for n in range(3)),
        "http://testserver/es/conditions/page-0/",
        "http://testserver/es/conditions/page-2/",
    }
    assert {url for url in urls if "/conditions/page-" in url} == expected
    # Five addresses, two to a file: three files, each read with LIMIT, not whole.
    empty_page_cache()
    _html, queries = sql_of(client, "/sitemap-conditions.xml?p=3")
    rows = [sql for sql in queries if 'FROM "conditions_condition"' in sql and "LIMIT" in sql]
    assert rows, queries
    assert len(sitemap_files(client)) >= 3


# The admin's list of a kind reads short columns, and asks about the rows it shows
# ------------------------------------------------------------------------------


def test_the_admin_list_leaves_page_bodies_unread_and_checks_only_its_rows(admin_client):
    fresh, stale = ConditionFactory(title="Fresh"), ConditionFactory(title="Stale")
    for page in (fresh, stale):
        row = translate(page, f"{page.title} es")
        row.mark_current()
        row.save()
    Condition.objects.filter(pk=stale.pk).update(summary="Changed since.")
    html, queries = sql_of(admin_client, "/admin/conditions/condition/")
    rows = [sql for sql in queries if sql.startswith('SELECT "conditions_condition"."id"')]
    assert rows and all('"body_html"' not in sql and '"search_vector"' not in sql for sql in rows)
    # The English is compared inside the subquery, for each row shown, not by a join
    # of every translation with its page that PostgreSQL would hash whole.
    assert all('"updated" <= ("conditions_condition"."updated")' in sql for sql in rows), rows
    assert html.count('<strong class="translation-out-of-date">Out of date</strong>') == 1
    assert f'name="_selected_action" value="{fresh.pk}" class="action-select"' in html


def test_a_later_admin_list_page_skips_rows_by_their_ids_alone(admin_client, monkeypatch):
    """The rows an OFFSET skips are found by id alone (spinesite.adminpaging): the
    "Spanish out of date" check, a hash of each row's English, runs for the rows shown."""
    from django.contrib import admin

    monkeypatch.setattr(admin.site._registry[Condition], "list_per_page", 2)
    for title in ["Echo", "Alpha", "Delta", "Bravo", "Charlie"]:
        ConditionFactory(title=title)
    html, queries = sql_of(admin_client, "/admin/conditions/condition/?p=2")
    assert re.findall(r'<th class="field-title"><a [^>]*>(\w+)</a>', html) == ["Charlie", "Delta"]
    checked = [sql for sql in queries if "translation_out_of_date" in sql]
    assert checked and all("OFFSET" not in sql for sql in checked), checked
    skipping = [sql for sql in queries if "OFFSET" in sql]
    assert skipping and all("EXISTS" not in sql for sql in skipping), skipping


def test_an_admin_search_counts_only_as_far_as_an_editor_reads(admin_client, monkeypatch):
    """A search for a common word is counted up to SEARCH_COUNTED_AT_MOST, and the
    list says "more than" that; a narrower one gets its count (adminpaging)."""
    from django.contrib import admin

    monkeypatch.setattr("spinesite.adminpaging.SEARCH_COUNTED_AT_MOST", 3)
    monkeypatch.setattr(admin.site._registry[Condition], "list_per_page", 2)
    for title in ["Disc one", "Disc two", "Disc three", "Disc four", "Neck pain"]:
        ConditionFactory(title=title)
    html, queries = sql_of(admin_client, "/admin/conditions/condition/?q=disc")
    (counted,) = [sql for sql in queries if "COUNT(" in sql]
    assert "LIMIT 4" in counted, counted
    assert "More than 3 results" in html and "More than 3 conditions" in html
    assert html.count('class="action-select"') == 2
    last = admin_client.get("/admin/conditions/condition/?q=disc&p=2").content.decode()
    assert last.count('class="action-select"') == 1  # the third of three counted
    html = admin_client.get("/admin/conditions/condition/?q=neck").content.decode()
    assert "1 result" in html and "More than" not in html
    for url in ["/admin/conditions/condition/", "/admin/conditions/condition/?q=%20%20"]:
        html = admin_client.get(url).content.decode()
        assert "5 conditions" in html and "More than" not in html
        assert "Select all 5 conditions" in html


def test_an_action_on_every_match_of_a_search_counted_in_part_is_refused(
    admin_client, monkeypatch
):
    """ "Select all" would act on more pages than the list could say: it is not
    offered, and an action on all of them changes nothing."""
    from django.contrib import admin

    monkeypatch.setattr("spinesite.adminpaging.SEARCH_COUNTED_AT_MOST", 3)
    monkeypatch.setattr(admin.site._registry[Condition], "list_per_page", 2)
    pages = [ConditionFactory(title=f"Disc {n}", status="published") for n in range(4)]
    url = "/admin/conditions/condition/?q=disc"
    assert "Select all 3" not in admin_client.get(url).content.decode()
    every = {"action": "unpublish", "index": 0, "_selected_action": [pages[0].pk]}
    response = admin_client.post(url, {**every, "select_across": 1}, follow=True)
    assert "More than 3 pages match, so nothing was changed" in response.content.decode()
    assert Condition.objects.filter(status="published").count() == 4
    admin_client.post(url, {**every, "select_across": 0})
    assert Condition.objects.filter(status="published").count() == 3


@pytest.mark.parametrize(
    "model, fields",
    [
        (Condition, ["title", "also_called", "summary"]),
        (Treatment, ["title", "also_called", "summary"]),
        (Video, ["title", "description"]),
    ],
)
def test_the_admin_search_can_be_answered_from_trigram_indexes(rf, model, fields):
    """The admin's search (UPPER(column) LIKE '%words%') matches the expression of a
    trigram index on each column it searches: at 50,000 pages, reading every row
    instead cost 0.6 s a query (bench/scale.py). With sequential scans off, PostgreSQL
    uses the indexes if it can; a test table this small would not need them."""
    from django.contrib import admin

    model_admin = admin.site._registry[model]
    assert model_admin.search_fields == fields
    found, _ = model_admin.get_search_results(rf.get("/"), model.objects.all(), "pain")
    sql, params = found.only("pk").order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    name = model._meta.model_name
    for field in fields:
        assert f"{name}_{field}_trgm" in plan, plan


def test_page_urls_are_reversed_once_and_stay_right_per_language_and_prefix():
    """get_absolute_url fills the slug into a URL reversed once per URL name, language
    and script prefix (spinesite.pagekinds.page_url): it must give what reverse() gives."""
    from django.urls import reverse, set_script_prefix
    from django.utils import translation

    page = ConditionFactory(slug="arm-pain")
    for language in ("en", "es"):
        for prefix in ("/", "/clinic/"):
            set_script_prefix(prefix)
            try:
                with translation.override(language):
                    expected = reverse("conditions:detail", args=["arm-pain"])
                    assert page.get_absolute_url() == expected
            finally:
                set_script_prefix("/")
    assert expected == "/clinic/es/conditions/arm-pain/"


@pytest.mark.parametrize("name", ["pagination.html", "search_form.html"])
def test_the_admin_templates_copied_from_django_only_add_the_partial_count(name):
    """Two admin templates are Django's with a branch added (spinesite.adminpaging):
    nothing of Django's is changed or left out, so a Django upgrade that changes
    them shows here rather than in a list that quietly lost something."""
    from difflib import SequenceMatcher

    from django.conf import settings
    from django.contrib import admin

    theirs = (Path(admin.__file__).parent / "templates" / "admin" / name).read_text()
    ours = (settings.BASE_DIR / "templates" / "admin" / name).read_text()
    changes = SequenceMatcher(None, theirs, ours, autojunk=False).get_opcodes()
    assert {tag for tag, *_ in changes} == {"equal", "insert"}, name
    added = "".join(ours[start:end] for tag, _, _, start, end in changes if tag == "insert")
    assert "count_is_partial" in added
