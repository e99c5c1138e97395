"""What a translation's clinical sign-off rests on: the approval in admin, which a
content-file reload neither erases nor fakes; no sign-off shown or offered for a kind
no clinician reviews; glossary terms in the right language and accent form."""

import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation

from clinicians.models import ClinicianTranslation
from conditions.models import ConditionTranslation
from glossary.models import TermTranslation
from locations.models import LocationTranslation
from tests.factories import ClinicianFactory, ConditionFactory, LocationFactory, TermFactory
from tests.test_page_editing import change_url
from tests.test_translation_review import (
    ACTION,
    CHANGED_ES,
    CONDITION,
    SPANISH,
    approve_spanish,
    load,
    reviewer,
    spanish,
    term_es,
    write,
)

pytestmark = pytest.mark.django_db

AWAITS_ES = "espera revisión clínica"


def test_a_file_reload_keeps_the_approval_and_flags_the_change(tmp_path, client):
    write(tmp_path, "conditions/sciatica.md", CONDITION)
    write(tmp_path, "es/conditions/sciatica.md", SPANISH.format(reviewer=""))
    load(tmp_path)
    page = ConditionTranslation.objects.get().page
    staff = reviewer()
    approve_spanish(staff, page)

    write(
        tmp_path,
        "es/conditions/sciatica.md",
        SPANISH.format(reviewer="") + "\nUn párrafo nuevo.\n",
    )
    load(tmp_path)
    row = ConditionTranslation.objects.get()
    assert "Un párrafo nuevo" in row.body
    assert row.reviewed_by.slug == "dr-drlee" and row.last_reviewed and row.next_review_due
    assert row.reviewed_hash and row.changed_since_review

    response = staff.get(change_url(page))
    assert response.status_code == 200
    admin_html = response.content.decode()
    assert "Changed since clinical review." in admin_html
    assert "Approved by Dr. Dana Lee, MD on " in admin_html
    public = client.get("/es/conditions/sciatica/").content.decode()
    assert "Dr. Dana Lee" in public and CHANGED_ES in public and AWAITS_ES not in public


def test_an_approval_without_dates_does_not_break_the_admin_page():
    page = ConditionFactory()
    row = spanish(page)
    staff = reviewer()
    approve_spanish(staff, page)
    ConditionTranslation.objects.filter(pk=row.pk).update(last_reviewed=None)
    response = staff.get(change_url(page))
    assert response.status_code == 200
    assert "Approved by Dr. Dana Lee, MD." in response.content.decode()


def test_the_public_page_says_reviewed_only_after_an_approval(client):
    """Reviewer fields set some other way (a row from before approvals, a shell) do
    not make the page say it was reviewed: admin would call it not approved."""
    page = ConditionFactory(slug="sciatica")
    named = ClinicianFactory(slug="dr-x", title="Dr. Typed In")
    row = spanish(page, reviewed_by=named, reviewer_name="Someone Else")
    row.last_reviewed = "2026-11-01"
    row.save()
    html = client.get("/es/conditions/sciatica/").content.decode()
    assert AWAITS_ES in html and "Dr. Typed In" not in html and "Someone Else" not in html
    assert "2026-11-01" not in html

    approve_spanish(reviewer(), page)
    html = client.get("/es/conditions/sciatica/").content.decode()
    assert AWAITS_ES not in html and "Dr. Dana Lee" in html


@pytest.mark.parametrize(
    "factory, model, changelist",
    [
        (lambda: ClinicianFactory(), ClinicianTranslation, "admin:clinicians_clinician_changelist"),
        (lambda: LocationFactory(), LocationTranslation, "admin:locations_location_changelist"),
    ],
)  # fmt: skip
def test_no_sign_off_for_a_kind_no_clinician_reviews(factory, model, changelist):
    page = factory()
    row = model(page=page, language="es", summary="Resumen.", translator="T", status="published")
    row.mark_current()
    row.save()
    staff = reviewer("drkim")
    assert ACTION not in staff.get(reverse(changelist)).content.decode()
    html = staff.get(change_url(page)).content.decode()
    assert "Not approved by a clinical reviewer yet" not in html
    # A condition's translation has both.
    condition = ConditionFactory()
    spanish(condition)
    assert ACTION in staff.get(reverse("admin:conditions_condition_changelist")).content.decode()
    assert (
        "Not approved by a clinical reviewer yet"
        in staff.get(change_url(condition)).content.decode()
    )


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: ClinicianFactory(bio="Treats a disc that slips."), "bio_html"),
        (lambda: LocationFactory(about="We look at a disc here."), "about_html"),
    ],
)  # fmt: skip
def test_english_bios_and_places_explain_terms_in_english_whatever_the_language(make, field):
    disc = TermFactory(term="Disc", slug="disc")
    term_es(disc, "Disco", "Un cojín.")
    with translation.override("es"):
        page = make()
    html = getattr(page, field)
    assert 'href="/glossary/#disc" rel="noopener noreferrer">More words explained</a>' in html
    assert "Más palabras" not in html


def decomposed(text):
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize("typed", ["term", "text"])
def test_a_decomposed_accent_still_matches_its_term(typed):
    nerve = TermFactory(term="Sciatic nerve", slug="sciatic-nerve")
    name = decomposed("ciático") if typed == "term" else "ciático"
    term_es(nerve, "Nervio ciático", "El nervio más largo del cuerpo.", forms=name)
    body = "Duele el " + (decomposed("ciático") if typed == "text" else "ciático") + "."
    row = spanish(ConditionFactory(body="The sciatic nerve."), body=body)
    assert 'class="term"' in row.body_html and "gloss-sciatic-nerve" in row.body_html


def test_a_decomposed_page_follows_a_new_term():
    """A page stored with decomposed accents before the term existed is found and
    explained again when the term is translated (glossary.pages)."""
    row = spanish(ConditionFactory(body="The sciatic nerve."), body="Duele el ciático.")
    ConditionTranslation.objects.filter(pk=row.pk).update(
        body_html=decomposed(row.body_html), body=decomposed(row.body)
    )
    nerve = TermFactory(term="Sciatic nerve", slug="sciatic-nerve")
    term_es(nerve, "Ciático", "El nervio más largo del cuerpo.")
    row.refresh_from_db()
    assert "gloss-sciatic-nerve" in row.body_html
    assert TermTranslation.objects.count() == 1
