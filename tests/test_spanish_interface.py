"""The loaded Spanish site shows no English interface text: red-flag labels, headings
of linked pages, featured cards, video cards and filters, dates, pagination, search
results and the 500 page. Each list of English below is what a reviewer found."""

import re
import shutil
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from conditions.models import Condition, ConditionTranslation
from tests.test_performance_budgets import empty_page_cache
from tests.test_translations import FIXTURES

pytestmark = pytest.mark.django_db

FBSS = "failed-back-surgery-syndrome"
SCS = "spinal-cord-stimulation"

# English that was on the loaded Spanish pages, page by page.
ENGLISH = {
    "/es/": ["Condition:", "Treatment:", "Failed Back Surgery Syndrome", "Sciatica"],
    f"/es/conditions/{FBSS}/": [
        "Emergency:",
        "Urgent:",
        "Non-urgent:",
        "Treatments used for this",
        "Clinicians who treat this",
        "Related conditions",
        "Last updated",
    ],
    f"/es/treatments/{SCS}/": [
        "Emergency:",
        "Conditions it is used for",
        "Clinicians who treat this",
        "Related treatments",
    ],
    "/es/videos/": ["Topic", "Condition"],
    "/es/glossary/": ["Word explained"],
    "/es/search/?q=ciatica": ["Word explained", "Condition", "Treatment", "Video"],
}
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def text_of(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def english_in(text, strings):
    return [s for s in strings if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]


@pytest.fixture
def shipped():
    call_command("load_content", stdout=StringIO(), stderr=StringIO())
    empty_page_cache()


def test_the_loaded_spanish_site_shows_no_english_interface_text(shipped):
    found = {}
    for url, strings in ENGLISH.items():
        response = Client().get(url)
        assert response.status_code == 200, url
        text = text_of(response)
        shown = english_in(text, strings) + re.findall(rf"\b(?:{MONTHS})\b", text)
        if shown:
            found[url] = shown
    assert found == {}


def test_spanish_pages_label_their_red_flag_boxes_in_spanish(shipped):
    body = ConditionTranslation.objects.get(page__slug=FBSS, language="es").body_html
    assert '<span class="visually-hidden">Emergencia: </span>' in body
    assert "Emergency:" not in body
    # The English page keeps its English labels, whatever language saved it.
    with translation.override("es"):
        Condition.objects.get(slug=FBSS).save()
    assert "Emergency: </span>" in Condition.objects.get(slug=FBSS).body_html


def test_the_spanish_home_page_features_translated_pages_only_in_spanish(shipped):
    text = text_of(Client().get("/es/"))
    assert "Síndrome de espalda fallida" in text
    assert "Estimulación de la médula espinal" in text
    # Featured in English but not translated: not on the Spanish home page.
    assert "Radiofrequency" not in text and "Epidural" not in text
    english = text_of(Client().get("/"))
    assert "Failed Back Surgery Syndrome" in english and "Radiofrequency Ablation" in english


def test_spanish_dates_read_in_spanish(shipped):
    with translation.override("es"):
        html = render_to_string(
            "pages/review_status.html",
            {"page": {"last_reviewed": date(2026, 3, 5), "updated": date(2026, 3, 5)}},
        )
    assert "5 de marzo de 2026" in html and "March" not in html


def test_spanish_pagination_and_error_page():
    with translation.override("es"):
        assert '<html lang="es">' in render_to_string("500.html")
        assert "Página siguiente" in render_to_string(
            "pages/pagination.html",
            {"page": _Page(), "label": "x"},
            request=RequestFactory().get("/es/treatments/"),
        )


class _Page:
    """Enough of a Page for templates/pages/pagination.html."""

    has_other_pages = has_previous = has_next = True
    number, previous_page_number, next_page_number, numbers = 2, 1, 3, [1, 2, 3]
    query = QueryDict()  # the filters its links keep (spinesite.indexes.numbered)

    class paginator:  # noqa: N801 - the attribute the template reads
        ELLIPSIS = "…"


def test_spanish_video_cards_show_the_translated_title(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(settings.BASE_DIR / "content", root, ignore=lambda folder, names: ["es"])
    shutil.copytree(FIXTURES / "es", root / "es")
    call_command("load_content", str(root), stdout=StringIO(), stderr=StringIO())
    empty_page_cache()
    text = text_of(Client().get("/es/videos/"))
    assert "Cómo funciona la estimulación de la médula espinal" in text
    assert "How spinal cord stimulation works" not in text
    # A video with no translation keeps its English title.
    assert "Sitting and standing with less back strain" in text


def test_the_migration_relabels_spanish_pages_saved_with_english_labels(shipped):
    from importlib import import_module

    english = '<span class="visually-hidden">Emergency: </span>'
    ConditionTranslation.objects.filter(page__slug=FBSS).update(body_html=english + "<p>x</p>")
    import_module("conditions.migrations.0007_spanish_callout_labels").relabel(
        apps, connection.schema_editor()
    )
    body = ConditionTranslation.objects.get(page__slug=FBSS).body_html
    assert body == '<span class="visually-hidden">Emergencia: </span><p>x</p>'


def test_spanish_home_and_video_library_stay_within_the_query_budget(
    shipped, django_assert_max_num_queries
):
    from tests.test_performance_budgets import QUERY_BUDGET

    Client().get("/")  # the first request ever creates the clinic's details row
    for url in ["/es/", "/es/videos/"]:
        empty_page_cache()
        with django_assert_max_num_queries(QUERY_BUDGET):
            assert Client().get(url).status_code == 200
