"""Translated content (spinesite.translations): loading, out-of-date flags, the public
Spanish pages, their cache and query budget, and the admin beside the English."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from conditions.models import Condition, ConditionTranslation
from glossary.models import TermTranslation
from locations.models import NewPatientsPageTranslation
from spinesite import translated_lists, translations, triggers
from treatments.models import TreatmentTranslation

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "translations_es"
FBSS = "failed-back-surgery-syndrome"


def content_root(tmp_path):
    """The shipped English content plus the test's own Spanish files (tests/translations_es)."""
    root = tmp_path / "content"
    shutil.copytree(settings.BASE_DIR / "content", root, ignore=lambda folder, names: ["es"])
    shutil.copytree(FIXTURES / "es", root / "es")
    return root


def load(root, *args):
    out, err = StringIO(), StringIO()
    call_command("load_content", str(root), *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def loaded(tmp_path):
    root = content_root(tmp_path)
    load(root)
    return root


def test_spanish_files_load_after_the_english_and_again_change_nothing(tmp_path):
    root = content_root(tmp_path)
    first = load(root)
    assert "es/conditions: 5 created" in first
    assert "es/treatments: 1 created" in first
    assert "es/glossary: 1 created" in first
    assert "es: 1 created" in first
    fbss = ConditionTranslation.objects.get(page__slug=FBSS, language="es")
    assert fbss.title == "Síndrome de espalda fallida"
    assert fbss.translator == "Test fixture (not a real translation)"
    assert "<h2" in fbss.body_html and fbss.other_names[0].startswith("Síndrome de cirugía")
    assert not fbss.is_out_of_date
    assert TreatmentTranslation.objects.filter(page__slug="spinal-cord-stimulation").exists()
    assert TermTranslation.objects.get(page__slug="disc").term == "Disco"
    assert "Qué traer" in NewPatientsPageTranslation.objects.get().body_html

    again = load(root)
    assert "es/conditions: 0 created, 0 updated, 5 unchanged" in again
    assert ConditionTranslation.objects.count() == 5


def test_an_unchanged_spanish_file_is_not_parsed_again(tmp_path, monkeypatch):
    """As English files: a rerun over thousands of unchanged files stays quick."""
    from spinesite import translated_content

    root = content_root(tmp_path)
    load(root)
    read = translated_content._read

    def parse(path, kind):
        if "conditions" in path.parts:  # (a singleton's file, or one with captions, is)
            raise AssertionError(f"{path} was parsed again")
        return read(path, kind)

    monkeypatch.setattr(translated_content, "_read", parse)
    assert "es/conditions: 0 created, 0 updated, 5 unchanged" in load(root)
    ConditionTranslation.objects.filter(page__slug=FBSS).update(content_hash="")  # admin edit
    with pytest.raises(AssertionError, match="parsed again"):
        load(root)  # edited in admin since: read, to be skipped or --forced


def test_a_spanish_file_for_a_page_that_does_not_exist_changes_nothing(tmp_path):
    root = content_root(tmp_path)
    shutil.copy(
        root / "es" / "conditions" / "sciatica.md", root / "es" / "conditions" / "no-such-page.md"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_content", str(root), stdout=StringIO(), stderr=err)
    assert "no-such-page.md: translates 'no-such-page', but there is no English page" in (
        err.getvalue()
    )
    assert not Condition.objects.exists() and not ConditionTranslation.objects.exists()


def test_a_translation_missing_a_required_field_changes_nothing(tmp_path):
    root = content_root(tmp_path)
    path = root / "es" / "conditions" / "sciatica.md"
    path.write_text(
        path.read_text().replace('translator: "Test fixture (not a real translation)"\n', "")
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_content", str(root), stdout=StringIO(), stderr=err)
    assert "sciatica.md: 'translator': This field is required." in err.getvalue()
    assert not ConditionTranslation.objects.exists()


def test_an_unknown_field_in_a_spanish_file_is_named(tmp_path):
    root = content_root(tmp_path)
    path = root / "es" / "conditions" / "sciatica.md"
    path.write_text(
        path.read_text().replace("status: published", "status: published\nregion: neck")
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_content", str(root), stdout=StringIO(), stderr=err)
    assert "unknown field 'region'" in err.getvalue()


def test_english_change_marks_the_translation_out_of_date_in_python_and_sql(loaded):
    fbss = Condition.objects.get(slug=FBSS)
    fresh = ConditionTranslation.objects.with_freshness().get(page=fbss)
    assert fresh.out_of_date is False
    fbss.body += "\nA new paragraph.\n"
    fbss.save()
    stale = ConditionTranslation.objects.with_freshness().get(page=fbss)
    assert stale.out_of_date is True
    assert ConditionTranslation.objects.get(page=fbss).is_out_of_date is True
    # A change the translation does not carry (the review date) flags nothing.
    other = Condition.objects.get(slug="sciatica")
    other.next_review_due = "2030-01-01"
    other.save()
    assert ConditionTranslation.objects.with_freshness().get(page=other).out_of_date is False


def test_reloading_a_changed_spanish_file_brings_it_up_to_date(loaded):
    fbss = Condition.objects.get(slug=FBSS)
    fbss.body += "\nMore.\n"
    fbss.save()
    path = loaded / "es" / "conditions" / f"{FBSS}.md"
    load(loaded)  # the Spanish file is unchanged: still out of date
    assert ConditionTranslation.objects.get(page=fbss).is_out_of_date
    path.write_text(path.read_text() + "\nMás.\n")
    assert "es/conditions: 0 created, 1 updated" in load(loaded)
    assert not ConditionTranslation.objects.get(page=fbss).is_out_of_date


def test_translation_tables_have_the_content_version_trigger():
    tables = triggers.tables_with_trigger()
    for model in translations.models_registered():
        assert model._meta.db_table in tables


# The public Spanish pages
# ------------------------------------------------------------------------------
def test_spanish_condition_page_shows_the_translation_and_awaits_review(client, loaded):
    html = client.get(f"/es/conditions/{FBSS}/").content.decode()
    assert "<h1>Síndrome de espalda fallida</h1>" in html
    assert "Síndrome postlaminectomía" in html
    assert "Esta traducción espera revisión clínica" in html
    assert "información más nueva" not in html
    assert f'hreflang="en" href="http://testserver/conditions/{FBSS}/"' in html
    english = client.get(f"/conditions/{FBSS}/").content.decode()
    assert "Failed Back Surgery Syndrome" in english and "espera revisión" not in english
    assert f'hreflang="es" href="http://testserver/es/conditions/{FBSS}/"' in english


def test_out_of_date_spanish_page_says_so_in_spanish_and_links_the_english(client, loaded):
    fbss = Condition.objects.get(slug=FBSS)
    fbss.body += "\nNew information.\n"
    fbss.save()
    html = client.get(f"/es/conditions/{FBSS}/").content.decode()
    assert "La página en inglés tiene información más nueva" in html
    assert f'<a href="/conditions/{FBSS}/" hreflang="en" lang="en">' in html


def test_a_reviewed_translation_shows_its_own_reviewer(client, loaded):
    row = ConditionTranslation.objects.get(page__slug="sciatica")
    row.reviewer_name, row.reviewer_credentials = "Test Reviewer", "MD"
    row.last_reviewed = "2026-11-01"
    row.save()
    # Not approved in admin (spinesite.review): the page does not say it was reviewed.
    html = client.get("/es/conditions/sciatica/").content.decode()
    assert "Test Reviewer" not in html and "espera revisión" in html
    row.reviewed_hash = row.review_digest()  # as an approval sets it
    row.save()
    html = client.get("/es/conditions/sciatica/").content.decode()
    assert "Test Reviewer, MD" in html
    assert "espera revisión" not in html
    # The English page keeps its own review.
    assert "Test Reviewer" not in client.get("/conditions/sciatica/").content.decode()


def test_untranslated_page_in_spanish_shows_the_english_and_says_so(client, loaded):
    html = client.get("/es/conditions/whiplash/").content.decode()
    assert "todavía no está traducida al español" in html and '<h1 lang="en">Whiplash</h1>' in html
    assert 'hreflang="es"' not in html.split("</head>")[0]


def test_draft_translation_is_not_shown(client, loaded):
    ConditionTranslation.objects.filter(page__slug="sciatica").update(status="draft")
    html = client.get("/es/conditions/sciatica/").content.decode()
    assert "Ciática" not in html and "todavía no está traducida" in html


def test_spanish_indexes_list_only_translated_pages_in_spanish(client, loaded):
    html = client.get("/es/conditions/").content.decode()
    assert "Ciática" in html and "Hernia de disco" in html
    assert "Whiplash" not in html and "Sciatica<" not in html
    treatments_html = client.get("/es/treatments/").content.decode()
    assert "Estimulación de la médula espinal" in treatments_html
    assert "Discectomy" not in treatments_html
    glossary = client.get("/es/glossary/").content.decode()
    assert "Disco" in glossary and "Vertebra" not in glossary
    new_patients = client.get("/es/new-patients/").content.decode()
    assert "Qué traer" in new_patients and "Llámenos para confirmar su plan." in new_patients


def test_spanish_page_links_translated_related_pages_in_spanish(client, loaded):
    html = client.get(f"/es/conditions/{FBSS}/").content.decode()
    assert 'href="/es/conditions/sciatica/"' in html
    assert ">Ciática<" in html
    # Related pages that have no Spanish version are not linked from the Spanish page.
    assert 'href="/es/conditions/adjacent-segment-disease/"' not in html


def test_spanish_pages_stay_within_the_query_budget(client, loaded, django_assert_max_num_queries):
    from django.core.cache import caches

    from spinesite.models import ClinicDetails

    ClinicDetails.get_solo()  # as the site's first visit leaves it
    for url in [
        f"/es/conditions/{FBSS}/",
        "/es/conditions/",
        "/es/treatments/spinal-cord-stimulation/",
        "/es/treatments/",
        "/es/glossary/",
        "/es/new-patients/",
        "/es/search/?q=dolor+de+espalda",
        "/es/search/?q=siatica",
    ]:
        for cache in caches.all():
            cache.clear()
        with django_assert_max_num_queries(3, info=url):
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db(transaction=True)
def test_page_cache_serves_each_language_and_updates_at_once(client, tmp_path):
    root = content_root(tmp_path)
    load(root)
    url = f"/es/conditions/{FBSS}/"
    assert "Síndrome de espalda fallida" in client.get(url).content.decode()
    assert "Failed Back Surgery Syndrome" in client.get(f"/conditions/{FBSS}/").content.decode()
    ConditionTranslation.objects.filter(page__slug=FBSS).update(title="Título nuevo")
    assert "Título nuevo" in client.get(url).content.decode()
    assert "Título nuevo" not in client.get(f"/conditions/{FBSS}/").content.decode()
    call_command("flush", verbosity=0, interactive=False)


# Spanish search
# ------------------------------------------------------------------------------
def spanish_hits(client, query):
    from spinesite import search, translated_search

    found = search.search(
        query,
        searchables=translated_search.searchables("es"),
        language=translated_search.language_for("es"),
    )
    return found


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dolor de espalda", "Dolor de la parte baja de la espalda"),
        ("hernia de disco", "Hernia de disco"),
        ("estenosis", "Estenosis espinal"),
        ("ciática", "Ciática"),
        ("ciatica", "Ciática"),
        ("lumbalgia", "Dolor de la parte baja de la espalda"),  # an "also called" name
        ("postlaminectomia", "Síndrome de espalda fallida"),  # accents ignored in names too
    ],
)
def test_spanish_search_finds_the_right_pages(client, loaded, query, expected):
    response = client.get("/es/search/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    first = spanish_hits(client, query).hits[0]
    assert first.title == expected, [hit.title for hit in spanish_hits(client, query).hits]
    assert f'href="{first.url}"' in html and first.url.startswith("/es/")


def test_spanish_search_helps_with_spelling(client, loaded):
    html = client.get("/es/search/", {"q": "estenozis"}).content.decode()
    assert 'href="/es/search/?q=estenosis"' in html


def test_english_search_does_not_find_spanish_pages_nor_the_other_way(client, loaded):
    assert "Ciática" not in client.get("/search/", {"q": "ciatica"}).content.decode()
    spanish = client.get("/es/search/", {"q": "sciatica"}).content.decode()
    assert 'href="/conditions/sciatica/"' not in spanish


# Admin: the Spanish beside the English
# ------------------------------------------------------------------------------
def admin_form(condition, body, translation, matches_english=False):
    """The condition's change form as the admin posts it, with its Spanish inline."""
    data = {
        "title": condition.title,
        "slug": condition.slug,
        "also_called": condition.also_called,
        "summary": condition.summary,
        "region": condition.region,
        "body": body,
        "sources": condition.sources,
        "status": "published",
        "translations-TOTAL_FORMS": "1",
        "translations-INITIAL_FORMS": "1",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        "translations-0-id": str(translation.pk),
        "translations-0-page": str(condition.pk),
        "translations-0-language": "es",
        "translations-0-title": translation.title,
        "translations-0-also_called": translation.also_called,
        "translations-0-summary": translation.summary,
        "translations-0-body": translation.body,
        "translations-0-translator": translation.translator,
        "translations-0-status": "published",
    }
    if matches_english:
        data["translations-0-matches_english"] = "on"
    return data


def test_editor_changes_english_fbss_and_sees_spanish_flagged_in_admin_and_on_the_page(
    staff_client, client, loaded
):
    fbss = Condition.objects.get(slug=FBSS)
    spanish = ConditionTranslation.objects.get(page=fbss)
    change = f"/admin/conditions/condition/{fbss.pk}/change/"
    form = staff_client.get(change).content.decode()
    assert 'name="translations-0-title"' in form and "Up to date with the English." in form

    response = staff_client.post(change, admin_form(fbss, fbss.body + "\nNew advice.\n", spanish))
    assert response.status_code == 302, response.content.decode()[:3000]

    listing = staff_client.get("/admin/conditions/condition/").content.decode()
    assert '<strong class="translation-out-of-date">Out of date</strong>' in listing
    flagged = staff_client.get(
        "/admin/conditions/condition/", {"translation": "out_of_date"}
    ).content.decode()
    assert f">{fbss.title}</a>" in flagged and ">Sciatica</a>" not in flagged
    assert "Translation out of date" in staff_client.get(change).content.decode()
    home = staff_client.get("/admin/").content.decode()
    assert "Translation out of date: the English changed since" in home
    assert "Síndrome de espalda fallida" in home
    page = client.get(f"/es/conditions/{FBSS}/").content.decode()
    assert "La página en inglés tiene información más nueva" in page

    # The translator brings it up to date and says so.
    fbss.refresh_from_db()
    spanish.refresh_from_db()
    spanish.body += "\nConsejo nuevo.\n"
    staff_client.post(change, admin_form(fbss, fbss.body, spanish, matches_english=True))
    spanish.refresh_from_db()
    assert not spanish.is_out_of_date and spanish.content_hash == ""
    assert "información más nueva" not in client.get(f"/es/conditions/{FBSS}/").content.decode()


def test_admin_refuses_a_translation_without_a_translator_and_keeps_the_english(
    staff_client, loaded
):
    fbss = Condition.objects.get(slug=FBSS)
    spanish = ConditionTranslation.objects.get(page=fbss)
    data = admin_form(fbss, fbss.body + "\nChanged.\n", spanish)
    data["translations-0-translator"] = ""
    data["translations-0-body"] = "[figure no-such-figure]\nalt: x\ncaption: y\n"
    response = staff_client.post(f"/admin/conditions/condition/{fbss.pk}/change/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert "There is no figure called “no-such-figure”" in html
    fbss.refresh_from_db()
    assert "Changed." not in fbss.body


# Clinicians, locations and videos
# ------------------------------------------------------------------------------
def test_clinician_location_and_video_translations_load_and_show(client, loaded):
    from clinicians.models import ClinicianTranslation
    from locations.models import LocationTranslation
    from videos.models import VideoTranslation

    assert ClinicianTranslation.objects.get().summary == "Cirujano de columna (ejemplo)"
    assert LocationTranslation.objects.get().parking.startswith("Estacionamiento")
    video = VideoTranslation.objects.get()
    assert video.captions.name.endswith(".vtt") and video.captions.storage.exists(
        video.captions.name
    )

    html = client.get("/es/clinicians/dr-sample-clinician-a/").content.decode()
    assert "Cirujano de columna (ejemplo)" in html and "perfil de ejemplo" in html
    html = client.get("/es/locations/sample-main-clinic/").content.decode()
    assert "Estacionamiento gratis" in html
    # A location with no translation shows its English, saying so in Spanish.
    html = client.get("/es/locations/sample-riverside-clinic/").content.decode()
    assert "todavía no está traducida al español" in html

    html = client.get("/es/videos/how-spinal-cord-stimulation-works/").content.decode()
    assert "Cómo funciona la estimulación de la médula espinal" in html
    assert f'data-captions="{video.captions.url}" data-captions-lang="es"' in html
    english = client.get("/videos/how-spinal-cord-stimulation-works/").content.decode()
    assert 'data-captions-lang="en"' in english
    assert "todavía no está traducida" in (
        client.get("/es/videos/sitting-and-standing/").content.decode()
    )


def test_a_bad_spanish_captions_file_is_refused(tmp_path):
    root = content_root(tmp_path)
    (root / "es" / "videos" / "media" / "how-spinal-cord-stimulation-works.es.vtt").write_text(
        "not captions"
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_content", str(root), stdout=StringIO(), stderr=err)
    assert "how-spinal-cord-stimulation-works.md: 'captions':" in err.getvalue()
    assert not Condition.objects.exists()


def test_spanish_search_finds_translated_videos(client, loaded):
    titles = [hit.title for hit in spanish_hits(client, "estimulación médula").hits]
    assert "Cómo funciona la estimulación de la médula espinal" in titles


# The editor's advice on a translation (issue 20 point 5)
# ------------------------------------------------------------------------------
def test_load_content_warns_about_a_spanish_page_without_its_red_flag_boxes(tmp_path):
    root = content_root(tmp_path)
    shipped = settings.BASE_DIR / "content" / "es" / "conditions" / f"{FBSS}.md"
    shutil.copy(shipped, root / "es" / "conditions" / f"{FBSS}.md")
    err = StringIO()
    call_command("load_content", str(root), stdout=StringIO(), stderr=err)
    warnings = err.getvalue()
    # The test fixture has no boxes; the shipped translation has all three.
    assert 'sciatica.md: There is no "Call 911" box.' in warnings
    assert f'{FBSS}.md: There is no "Call 911" box' not in warnings
    assert "The pages were loaded" in warnings
    assert ConditionTranslation.objects.filter(page__slug="sciatica").exists()


def test_admin_shows_the_spanish_reading_level_and_missing_boxes_as_advice(staff_client, tmp_path):
    root = content_root(tmp_path)
    shipped = settings.BASE_DIR / "content" / "es" / "conditions" / f"{FBSS}.md"
    shutil.copy(shipped, root / "es" / "conditions" / f"{FBSS}.md")
    load(root)
    fbss = Condition.objects.get(slug=FBSS)
    html = staff_client.get(f"/admin/conditions/condition/{fbss.pk}/change/").content.decode()
    assert "editor&#x27;s advice" in html.lower() or "editor's advice" in html.lower()
    assert "Szigriszt-Pazos (INFLESZ)" in html
    assert "There is no &quot;Call 911&quot; box" not in html

    sciatica = Condition.objects.get(slug="sciatica")
    html = staff_client.get(f"/admin/conditions/condition/{sciatica.pk}/change/").content.decode()
    assert "Szigriszt-Pazos (INFLESZ)" in html
    assert "There is no &quot;Call 911&quot; box" in html


# A video's translation in admin: its captions and Markdown checked as the English
# ------------------------------------------------------------------------------
def video_change(staff_client):
    from tests.admin_forms import change_form
    from videos.models import Video

    video = Video.objects.get(slug="how-spinal-cord-stimulation-works")
    url = f"/admin/videos/video/{video.pk}/change/"
    return video, url, change_form(staff_client, url)


def test_admin_refuses_bad_spanish_captions_and_keeps_the_stored_track(staff_client, loaded):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from videos.models import VideoTranslation

    before = VideoTranslation.objects.get().captions.name
    video, url, data = video_change(staff_client)
    assert data["translations-0-title"]
    data["translations-0-captions"] = SimpleUploadedFile("es.vtt", b"not captions\n")
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "WEBVTT" in response.content.decode()
    assert VideoTranslation.objects.get().captions.name == before


def test_admin_checks_a_spanish_video_transcript_as_markdown(staff_client, loaded):
    from videos.models import VideoTranslation

    before = VideoTranslation.objects.get().transcript
    video, url, data = video_change(staff_client)
    data["translations-0-transcript"] = "[figure no-such-figure]\nalt: x\ncaption: y\n"
    data["translations-0-description"] = "(" * 200 + "x" + ")" * 200
    response = staff_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no figure called “no-such-figure”" in html
    assert "nested" in html
    assert VideoTranslation.objects.get().transcript == before


# Blank Spanish fields leave the English in place
# ------------------------------------------------------------------------------
def test_a_blank_spanish_location_field_leaves_the_english_directions(client, loaded):
    from locations.models import Location, LocationTranslation

    html = client.get("/es/locations/sample-main-clinic/").content.decode()
    assert "Estacionamiento gratis" in html  # translated
    # Transit and access are not translated in the file: the English stays.
    assert "Bus routes 4 and 12" in html
    assert "automatic doors" in html

    location = Location.objects.get(slug="sample-main-clinic")
    location.map_alt = "Map: the clinic is on Main Street"
    location.save()
    LocationTranslation.objects.filter(page=location).update(summary="", map_alt="")
    from spinesite import translated_pages

    page = translated_pages.with_translation(Location.objects.filter(pk=location.pk), "es").get()
    assert translated_pages.apply(page, "es")
    assert page.map_alt == "Map: the clinic is on Main Street"
    assert page.summary == location.summary and page.parking.startswith("Estacionamiento")


def test_a_blank_spanish_photo_description_keeps_the_english_alt_text(loaded):
    from clinicians.models import Clinician, ClinicianTranslation
    from spinesite import translated_pages

    clinician = Clinician.objects.get(slug="dr-sample-clinician-a")
    clinician.photo_alt = "Dr. Sample smiling in a white coat"
    clinician.save()
    assert ClinicianTranslation.objects.get(page=clinician).photo_alt == ""
    page = translated_pages.with_translation(Clinician.objects.filter(pk=clinician.pk), "es").get()
    assert translated_pages.apply(page, "es")
    assert page.photo_alt == "Dr. Sample smiling in a white coat"
    assert page.summary == "Cirujano de columna (ejemplo)"

    ClinicianTranslation.objects.filter(page=clinician).update(photo_alt="Foto del doctor")
    page = translated_pages.with_translation(Clinician.objects.filter(pk=clinician.pk), "es").get()
    translated_pages.apply(page, "es")
    assert page.photo_alt == "Foto del doctor"


def test_a_failed_run_does_not_create_the_new_patients_page(tmp_path):
    from locations.models import NewPatientsPage

    root = content_root(tmp_path)
    assert (root / "es" / "new-patients.md").exists()
    shutil.copy(
        root / "es" / "conditions" / "sciatica.md", root / "es" / "conditions" / "no-such-page.md"
    )
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_content", str(root), stdout=StringIO(), stderr=StringIO())
    assert not NewPatientsPage.objects.exists()


@pytest.mark.parametrize("misplaced", ["condition/sciatica.md", "conditions/extra/sciatica.md"])
def test_a_spanish_file_no_kind_reads_changes_nothing(tmp_path, misplaced):
    root = content_root(tmp_path)
    target = root / "es" / misplaced
    target.parent.mkdir(parents=True)
    shutil.copy(root / "es" / "conditions" / "sciatica.md", target)
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_content", str(root), stdout=StringIO(), stderr=err)
    assert f"{target}: no kind of page reads this file" in err.getvalue()
    assert "es/conditions/" in err.getvalue()
    assert not Condition.objects.exists() and not ConditionTranslation.objects.exists()


def test_links_to_a_location_with_a_blank_spanish_summary_give_the_english_one(loaded):
    from locations.models import Location, LocationTranslation

    location = Location.objects.get(slug="sample-main-clinic")
    links = translated_lists.links_in(Location.objects.filter(pk=location.pk), "es")
    assert [link["page"]["summary"] for link in links] == ["Nuestra clínica principal (ejemplo)."]
    LocationTranslation.objects.filter(page=location).update(summary="")
    links = translated_lists.links_in(Location.objects.filter(pk=location.pk), "es")
    assert [link["page"]["summary"] for link in links] == [location.summary]
