"""English left on Spanish pages, and what a Spanish page says about itself: titles
of conditions, treatments and videos in lists, clinicians' and locations' summaries,
untranslated pages (canonical, lang), the breadcrumb's JSON-LD, the language switch's
query string and Spanish search of clinicians and locations."""

import json
import re

import pytest
from django.test import Client

from spinesite import i18n
from tests.factories import ConditionFactory
from tests.test_translations import loaded  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

FBSS = "failed-back-surgery-syndrome"
FNSS = "failed-neck-surgery-syndrome"
SCS_VIDEO = "how-spinal-cord-stimulation-works"


def html_of(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def element(html, pattern):
    """The first opening tag (with its text) matching `pattern`, for its attributes."""
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return found.group(0)


# 1. Titles and summaries in lists ---------------------------------------------------


def test_video_library_filter_offers_spanish_condition_titles(loaded):  # noqa: F811
    html = html_of("/es/videos/")
    assert f'<option value="{FBSS}">Síndrome de espalda fallida</option>' in html
    # Not translated: its English title, said to be English.
    assert re.search(rf'<option value="{FNSS}" lang="en">Failed Neck Surgery Syndrome', html)


def test_contact_topics_are_spanish_titles_or_marked_english(loaded):  # noqa: F811
    html = html_of("/es/contact/")
    assert re.search(rf'<option value="{FBSS}"[^>]*>Síndrome de espalda fallida</option>', html)
    assert not re.search(rf'<option value="{FBSS}"[^>]*lang=', html)
    assert re.search(r'<option value="whiplash" lang="en"[^>]*>Whiplash</option>', html)
    # The English page is as it was.
    assert 'lang="en"' not in html_of("/contact/").split('id="id_topic"')[1].split("</select>")[0]


def test_related_videos_have_spanish_titles_or_marked_english(loaded):  # noqa: F811
    html = html_of(f"/es/conditions/{FBSS}/")
    assert "Cómo funciona la estimulación de la médula espinal</a>" in html
    html = html_of("/es/conditions/sciatica/")
    heading = element(html, r'<h3 class="video-card-title"[^>]*><a [^>]*>Sitting and standing')
    assert 'lang="en"' in heading


def test_video_page_lists_conditions_and_treatments_in_spanish(loaded):  # noqa: F811
    html = html_of(f"/es/videos/{SCS_VIDEO}/")
    assert f'<li><a href="/es/conditions/{FBSS}/">Síndrome de espalda fallida</a></li>' in html
    assert f'<li lang="en"><a href="/es/conditions/{FNSS}/">Failed Neck Surgery' in html
    assert ">Estimulación de la médula espinal</a></li>" in html


def test_clinician_and_location_indexes_show_spanish_summaries(loaded):  # noqa: F811
    team = html_of("/es/clinicians/")
    assert "<p>Cirujano de columna (ejemplo)</p>" in team
    assert '<p lang="en">Pain medicine doctor (sample profile)</p>' in team
    places = html_of("/es/locations/")
    assert "<p>Nuestra clínica principal (ejemplo).</p>" in places
    assert '<p lang="en">A second made-up clinic' in places


# 2. A page with no Spanish translation --------------------------------------------------


def test_an_untranslated_spanish_address_points_at_the_english_page(loaded):  # noqa: F811
    html = html_of("/es/conditions/whiplash/")
    head = html.split("</head>")[0]
    assert '<link rel="canonical" href="http://testserver/conditions/whiplash/">' in head
    assert '<meta property="og:url" content="http://testserver/conditions/whiplash/">' in head
    assert 'hreflang="es"' not in head
    assert '<html lang="es">' in html  # the interface is Spanish ...
    assert "todavía no está traducida al español" in html
    # ... and what is English says so.
    assert '<h1 lang="en">Whiplash</h1>' in html
    assert 'class="lead" lang="en"' in html and '<div class="prose" lang="en">' in html
    assert '<a href="/conditions/whiplash/" hreflang="en">English</a>' in html
    # A translated page keeps its own address as canonical.
    translated = html_of("/es/conditions/sciatica/").split("</head>")[0]
    assert '<link rel="canonical" href="http://testserver/es/conditions/sciatica/">' in translated
    assert 'lang="en"' not in element(html_of("/es/conditions/sciatica/"), r"<h1[^>]*>")


# 3. Breadcrumbs ---------------------------------------------------------------------------


def breadcrumb_names(html):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        for item in data if isinstance(data, list) else [data]:
            if item.get("@type") == "BreadcrumbList":
                return [crumb["name"] for crumb in item["itemListElement"]]
    raise AssertionError("no BreadcrumbList")


def test_breadcrumb_titles_are_content_not_interface_text():
    # A page titled like an interface label ("Treatments" is "Tratamientos" in the .po).
    condition = ConditionFactory(title="Treatments", slug="treatments-page")
    names = breadcrumb_names(html_of(f"/es/conditions/{condition.slug}/"))
    assert names[0] == "Inicio" and names[-1] == "Treatments"


# 5. Language prefixes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "english", "spanish"),
    [
        ("/es/conditions/x/", "/conditions/x/", "/es/conditions/x/"),
        ("/es", "/", "/es/"),
        ("/es-mx/conditions/", "/es-mx/conditions/", "/es/es-mx/conditions/"),
        ("/espalda/", "/espalda/", "/es/espalda/"),
        ("/conditions/es/", "/conditions/es/", "/es/conditions/es/"),
    ],
)
def test_path_in_strips_only_a_real_language_prefix(path, english, spanish):
    assert i18n.path_in(path, "en") == english
    assert i18n.path_in(path, "es") == spanish


def test_a_variant_prefix_is_not_spanish():
    assert i18n.language_of_path("/es-mx/conditions/") == "en"
    assert i18n.language_of_path("/es/conditions/") == "es"


# 6. The switch keeps the query --------------------------------------------------------


def switch_href(html, code):
    return re.search(rf'<p class="language-switch" lang="{code}"><a href="([^"]+)"', html)[1]


def test_the_language_switch_keeps_the_search_and_filters(loaded):  # noqa: F811
    html = html_of("/es/search/?q=dolor&page=2&utm_source=x")
    assert switch_href(html, "en") == "/search/?q=dolor"  # not the page, not the tracker
    assert switch_href(html_of("/search/?q=back+pain"), "es") == "/es/search/?q=back+pain"
    assert switch_href(html_of("/videos/?condition=sciatica"), "es") == (
        "/es/videos/?condition=sciatica"
    )
    # To an index (the page is not translated) the query is not carried.
    assert switch_href(html_of("/conditions/whiplash/?q=x"), "es") == "/es/conditions/"


# 7. Untranslated clinicians and locations stay linked -----------------------------------


def test_untranslated_clinicians_and_locations_stay_linked_in_english(loaded):  # noqa: F811
    html = html_of("/es/locations/sample-main-clinic/")
    assert re.search(r'<li lang="en"><a href="/es/clinicians/dr-sample-clinician-b/">', html)
    html = html_of(f"/es/conditions/{FBSS}/")
    assert '<li><a href="/es/clinicians/dr-sample-clinician-a/">' in html
    assert "<p>Cirujano de columna (ejemplo)</p>" in html
    assert re.search(r'<li lang="en"><a href="/es/clinicians/sample-clinician-c/">', html)


# 8. Spanish search finds clinicians and locations ----------------------------------------


def result_links(html):
    """The results' links (not the footer's, which lists the locations)."""
    results = html.split('class="search-results"')[1].split("</ol>")[0]
    return re.findall(r'<h3><a href="(/es/[^"#]+)"', results)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Sample Clinician B", "/es/clinicians/dr-sample-clinician-b/"),  # by name, untranslated
        ("cirujano", "/es/clinicians/dr-sample-clinician-a/"),  # by its Spanish role
        ("estacionamiento", "/es/locations/sample-main-clinic/"),  # by its Spanish text
        ("Riverside", "/es/locations/sample-riverside-clinic/"),  # by name, untranslated
    ],
)
def test_spanish_search_finds_clinicians_and_locations(loaded, query, found):  # noqa: F811
    assert found in result_links(html_of(f"/es/search/?q={query}"))


# Seen in Chromium ----------------------------------------------------------------------


def test_a_video_length_is_said_in_the_page_language():
    from datetime import timedelta

    from django.utils import translation

    from videos.durations import spoken_duration

    length = timedelta(hours=1, minutes=2, seconds=5)
    with translation.override("es"):
        assert spoken_duration(length) == "1 h 2 min 5 s"
    assert spoken_duration(length) == "1 hr 2 min 5 sec"


def test_spanish_search_reads_a_bio_as_words_not_markdown(loaded):  # noqa: F811
    from clinicians.models import ClinicianTranslation

    ClinicianTranslation.objects.filter(page__slug="dr-sample-clinician-a").update(
        bio="Atiende el **dolorimetro** y [la cartilla](https://example.org/portalprivado).\n"
        "Vea <https://example.org/enlaceauto> o https://example.org/direccionsuelta.\n"
        "[ref]: https://example.org/definicionref"
    )
    for address in ("portalprivado", "enlaceauto", "direccionsuelta", "definicionref"):
        missed = html_of(f"/es/search/?q={address}")  # in an address, not in the text
        assert "search-results" not in missed or not result_links(missed), address
    html = html_of("/es/search/?q=dolorimetro")
    assert "/es/clinicians/dr-sample-clinician-a/" in result_links(html)
    results = html.split('class="search-results"')[1].split("</ol>")[0]
    assert "cartilla" in results and "**" not in results and "](" not in results


def test_a_draft_translation_is_in_no_list_and_no_search(loaded):  # noqa: F811
    from conditions.models import ConditionTranslation

    ConditionTranslation.objects.filter(page__slug=FBSS).update(status="draft")
    spanish_title = "Síndrome de espalda fallida"
    for url in ("/es/videos/", "/es/contact/", f"/es/videos/{SCS_VIDEO}/", "/es/conditions/"):
        assert spanish_title not in html_of(url), url
    assert re.search(
        rf'<option value="{FBSS}" lang="en">Failed Back Surgery', html_of("/es/videos/")
    )
    found = html_of("/es/search/?q=espalda+fallida")
    assert "search-results" not in found or f"/es/conditions/{FBSS}/" not in result_links(found)


def test_spoken_languages_are_named_in_the_page_language(loaded):  # noqa: F811
    index = html_of("/es/clinicians/")
    assert "Habla: Inglés, Español" in index and "English, Spanish" not in index
    assert '<option value="vietnamese"' in index and ">Vietnamita</option>" in index
    assert "Inglés, Español" in html_of("/es/clinicians/dr-sample-clinician-a/")
    assert "Speaks: English, Spanish" in html_of("/clinicians/")  # the English as stored
