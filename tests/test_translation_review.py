"""A translation's own clinical sign-off (spinesite.review.approve_translation), its
"changed since clinical review" flag, Spanish glossary terms explained in Spanish
pages, and a Spanish content file refused when it names a reviewer."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from clinicians.models import ClinicianTranslation
from conditions.models import ConditionTranslation
from glossary.models import Term, TermTranslation
from locations.models import LocationTranslation
from spinesite.review import CLINICAL_REVIEWERS
from tests.admin_forms import change_form
from tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    LocationFactory,
    TermFactory,
    UserFactory,
    VideoFactory,
)
from tests.staff_support import verified_client
from tests.test_page_editing import change_url, editor
from videos.models import VideoTranslation

pytestmark = pytest.mark.django_db

ACTION = "approve_translation_es"
CHANGED_ES = "Esta página cambió después de su última revisión clínica"


def spanish(page, body="## Qué es\n\nUn dolor que baja por la pierna.", **fields):
    row = ConditionTranslation(
        page=page,
        language="es",
        title=fields.pop("title", "Ciática"),
        summary="Dolor que baja por una pierna.",
        body=body,
        translator="Test translator",
        status="published",
        **fields,
    )
    row.mark_current()
    row.save()
    return row


def reviewer(name="drlee", clinician=True):
    user = UserFactory(username=name, first_name="Dana", last_name="Lee", is_staff=True)
    user.groups.add(Group.objects.get(name=CLINICAL_REVIEWERS))
    if clinician:
        ClinicianFactory(user=user, title="Dr. Dana Lee", credentials="MD", slug=f"dr-{name}")
    return verified_client(user)


def approve_spanish(client, *pages):
    return client.post(
        reverse("admin:conditions_condition_changelist"),
        {"action": ACTION, "_selected_action": [page.pk for page in pages]},
        follow=True,
    )


def test_a_reviewer_approves_the_spanish_translation_apart_from_the_english(settings):
    settings.CLINICAL_REVIEW_INTERVAL_DAYS = 365
    page = ConditionFactory(slug="sciatica")
    row = spanish(page)
    untranslated = ConditionFactory(slug="whiplash")
    response = approve_spanish(reviewer(), page, untranslated)
    html = response.content.decode()
    assert "You approved 1 Spanish translation(s)" in html
    assert "1 selected page(s) have no Spanish translation" in html

    row.refresh_from_db()
    today = timezone.localdate()
    assert row.reviewed_by.slug == "dr-drlee" and row.reviewer_name == ""
    assert row.last_reviewed == today
    assert row.next_review_due == today + timedelta(days=365)
    assert row.reviewed_hash and not row.changed_since_review
    # The English page keeps its own review: still not approved.
    page.refresh_from_db()
    assert not page.reviewed_hash and page.last_reviewed is None
    # A new version with the comment, in the translation's and the page's history.
    comment = "Approved by Dr. Dana Lee, MD (clinical review of the Spanish translation)."
    assert Version.objects.get_for_object(row).first().revision.comment == comment
    assert Version.objects.get_for_object(page).first().revision.comment == comment


def test_a_reviewer_without_a_clinician_profile_is_named_by_their_login():
    page = ConditionFactory()
    row = spanish(page)
    approve_spanish(reviewer(clinician=False), page)
    row.refresh_from_db()
    assert row.reviewed_by is None and row.reviewer_name == "Dana Lee"


def test_an_editor_who_is_not_a_reviewer_cannot_approve_a_translation():
    page = ConditionFactory()
    row = spanish(page)
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    staff = verified_client(user)
    listing = staff.get(reverse("admin:conditions_condition_changelist")).content.decode()
    assert "Approve the Spanish translation" not in listing
    approve_spanish(staff, page)
    row.refresh_from_db()
    assert not row.reviewed_hash and row.last_reviewed is None and row.reviewed_by is None
    # A clinical reviewer is offered it.
    listing = reviewer().get(reverse("admin:conditions_condition_changelist")).content.decode()
    assert "Approve the Spanish translation as clinical reviewer" in listing


def test_translation_reviewer_fields_cannot_be_typed_in():
    page = ConditionFactory()
    row = spanish(page)
    staff = editor()
    data = change_form(staff, change_url(page))
    assert "translations-0-title" in data
    assert "translations-0-reviewer_name" not in data
    assert "translations-0-last_reviewed" not in data
    data.update(
        {
            "translations-0-reviewer_name": "Dr Invented",
            "translations-0-last_reviewed": "2020-01-01",
            "translations-0-next_review_due": "2030-01-01",
        }
    )
    staff.post(change_url(page), data)
    row.refresh_from_db()
    assert row.reviewer_name == "" and row.last_reviewed is None and row.next_review_due is None


def edit_spanish(staff, page, **changes):
    data = change_form(staff, change_url(page))
    data.update({f"translations-0-{name}": value for name, value in changes.items()})
    response = staff.post(change_url(page), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_edit_to_the_spanish_after_approval_is_flagged_until_approved_again(client):
    page = ConditionFactory(slug="sciatica")
    row = spanish(page)
    approve_spanish(reviewer(), page)
    staff = editor()

    # The English page's edit does not touch the translation's sign-off.
    data = change_form(staff, change_url(page))
    data["body"] += "\r\n\r\nA new English paragraph."
    staff.post(change_url(page), data)
    row.refresh_from_db()
    assert not row.changed_since_review and row.is_out_of_date

    edit_spanish(staff, page, body=row.body + "\r\n\r\nUn párrafo nuevo.")
    row.refresh_from_db()
    assert row.changed_since_review
    page.refresh_from_db()
    assert not page.changed_since_review  # the English page's own flag is apart

    form = staff.get(change_url(page)).content.decode()
    assert "Changed since clinical review." in form
    listing = staff.get(reverse("admin:conditions_condition_changelist")).content.decode()
    assert '<strong class="translation-changed">Changed since clinical review</strong>' in listing
    assert '<strong class="translation-out-of-date">Out of date</strong>' in listing
    # The review list names both: the English changed since, and so did the Spanish.
    home = staff.get("/admin/").content.decode()
    assert "Translation out of date: the English changed since" in home
    assert "Changed since clinical review: the translation was edited since" in home
    public = client.get("/es/conditions/sciatica/").content.decode()
    assert CHANGED_ES in public
    assert "La página en inglés tiene información más nueva" in public
    assert "updated since its last clinical review" not in public

    approve_spanish(reviewer("drkim"), page)
    row.refresh_from_db()
    assert not row.changed_since_review
    assert CHANGED_ES not in client.get("/es/conditions/sciatica/").content.decode()
    home = staff.get("/admin/").content.decode()
    assert "Changed since clinical review: the translation was edited since" not in home


def test_the_review_list_names_a_translation_changed_since_review_alone(client):
    page = ConditionFactory(slug="sciatica")
    row = spanish(page)
    approve_spanish(reviewer(), page)
    staff = editor()
    home = staff.get("/admin/").content.decode()
    assert "Changed since clinical review" not in home and "Ciática" not in home

    edit_spanish(staff, page, body=row.body + "\r\n\r\nUn párrafo nuevo.")
    home = staff.get("/admin/").content.decode()
    assert "Changed since clinical review: the translation was edited since" in home
    assert "Ciática" in home and "Translation out of date" not in home
    assert CHANGED_ES in client.get("/es/conditions/sciatica/").content.decode()


def test_a_summary_edit_to_the_spanish_counts_as_a_change_too():
    page = ConditionFactory()
    row = spanish(page)
    approve_spanish(reviewer(), page)
    row.refresh_from_db()
    edit_spanish(editor(), page, summary="Otro resumen.")
    row.refresh_from_db()
    assert row.changed_since_review


def test_an_unchanged_save_of_an_approved_translation_is_not_a_change():
    page = ConditionFactory()
    row = spanish(page, body="Texto.\n")
    approve_spanish(reviewer(), page)
    edit_spanish(editor(), page)  # the form as it is: CRLF, no trailing newline
    row.refresh_from_db()
    assert row.reviewed_hash and not row.changed_since_review


# Spanish pages explain the Spanish glossary terms
# ------------------------------------------------------------------------------
def term_es(term, name, definition, forms=""):
    row = TermTranslation(
        page=term,
        language="es",
        term=name,
        also_called=forms,
        definition=definition,
        translator="Test translator",
        status="published",
    )
    row.mark_current()
    row.save()
    return row


def test_a_spanish_page_explains_the_first_use_of_each_spanish_term():
    disc = TermFactory(term="Disc", slug="disc", also_called="disk")
    term_es(disc, "Disco", "Un cojín entre los huesos de la espalda.")
    nerve = TermFactory(term="Sciatic nerve", slug="sciatic-nerve")
    term_es(nerve, "Nervio ciático", "El nervio más largo del cuerpo.", forms="ciático")
    TermFactory(term="Stenosis", slug="stenosis")  # not translated: not explained in Spanish
    page = ConditionFactory(body="A disc presses on the sciatic nerve. Stenosis.")
    row = spanish(page, body="Un disco aprieta el nervio ciático. Otro disco. Stenosis.")

    html = row.body_html
    assert html.count('class="term"') == 2
    assert (
        'href="#gloss-disc" aria-describedby="gloss-disc-meaning" rel="noopener noreferrer">disco</a>'
        in html
    )
    assert "<dfn>Disco</dfn>: Un cojín entre los huesos de la espalda." in html
    assert (
        '<a href="/es/glossary/#disc" rel="noopener noreferrer">Más palabras explicadas</a>'
        in html
    )
    assert ">nervio ciático</a>" in html
    assert "gloss-stenosis" not in html
    # The English page explains the English terms, linking the English glossary.
    page.refresh_from_db()
    assert (
        'href="/glossary/#disc" rel="noopener noreferrer">More words explained</a>'
        in page.body_html
    )
    assert "Cojín" not in page.body_html and "gloss-stenosis" in page.body_html


def test_spanish_pages_follow_changes_to_a_term_and_its_translation():
    disc = TermFactory(term="Disc", slug="disc")
    page = ConditionFactory(body="A disc.")
    row = spanish(page, body="Un disco se sale de su lugar.")
    assert "gloss-disc" not in row.body_html  # no Spanish translation of the term yet

    spanish_disc = term_es(disc, "Disco", "Un cojín.")
    row.refresh_from_db()
    assert "<dfn>Disco</dfn>: Un cojín." in row.body_html

    spanish_disc.definition = "Un cojín suave entre dos huesos."
    spanish_disc.save()
    row.refresh_from_db()
    assert "<dfn>Disco</dfn>: Un cojín suave entre dos huesos." in row.body_html

    disc.status = Term.Status.DRAFT  # the English term taken down: not explained either
    disc.save()
    row.refresh_from_db()
    assert "gloss-disc" not in row.body_html

    disc.status = Term.Status.PUBLISHED
    disc.save()
    row.refresh_from_db()
    assert "gloss-disc" in row.body_html

    spanish_disc.delete()
    row.refresh_from_db()
    assert "gloss-disc" not in row.body_html


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: ClinicianTranslation(page=ClinicianFactory(bio="A disc."), summary="Cirujano",
                                      bio="Sabe de cada disco."), "bio_html"),
        (lambda: LocationTranslation(page=LocationFactory(about="A disc."),
                                     about="Vemos un disco aquí."), "about_html"),
        (lambda: VideoTranslation(page=VideoFactory(transcript="A disc."), title="Video",
                                  description="Un video.", transcript="Habla de un disco."),
         "transcript_html"),
    ],
)  # fmt: skip
def test_spanish_bios_places_and_transcripts_explain_spanish_terms(make, field):
    disc = TermFactory(term="Disc", slug="disc")
    spanish_disc = term_es(disc, "Disco", "Un cojín.")
    row = make()
    row.language, row.translator, row.status = "es", "Test translator", "published"
    row.mark_current()
    row.save()
    assert '<a href="/es/glossary/#disc" rel="noopener noreferrer">Más palabras' in getattr(
        row, field
    )
    spanish_disc.definition = "Un cojín suave."
    spanish_disc.save()
    row.refresh_from_db()
    assert "<dfn>Disco</dfn>: Un cojín suave." in getattr(row, field)


def test_unpublishing_terms_from_the_admin_list_updates_spanish_pages(staff_client):
    disc = TermFactory(term="Disc", slug="disc")
    term_es(disc, "Disco", "Un cojín.")
    row = spanish(ConditionFactory(body="A disc."), body="Un disco.")
    assert "gloss-disc" in row.body_html
    staff_client.post(
        reverse("admin:glossary_term_changelist"),
        {"action": "unpublish", "_selected_action": [disc.pk]},
    )
    row.refresh_from_db()
    assert "gloss-disc" not in row.body_html


# A Spanish content file names no reviewer: the sign-off is the act in admin
# ------------------------------------------------------------------------------
CONDITION = """---
title: Sciatica
summary: Pain that runs from the lower back down one leg.
region: lower-back
status: published
---
## What is it?

Pain along the sciatic nerve.
"""

SPANISH = """---
title: Ciática
summary: Dolor que baja por una pierna.
translator: "Test translator"
status: published
{reviewer}---
## Qué es

Dolor a lo largo del nervio ciático.
"""


def write(root, relative, text):
    path = Path(root) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def load(root):
    call_command("load_content", str(root), stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize(
    "line, problem",
    [
        ("reviewed_by: dr-test\n", "'reviewed_by': a translation's clinical review is recorded "
                                   "when a clinical reviewer approves it in admin"),
        ("reviewed_by: dr-nobody\n", "'reviewed_by': a translation's clinical review"),
        ("reviewed_by: [dr-test]\n", "'reviewed_by' must be the slug of one of our clinicians"),
        ("reviewer_name: Dr. Test\n", "unknown field 'reviewer_name'"),
        ("last_reviewed: 2026-11-01\n", "unknown field 'last_reviewed'"),
    ],
)  # fmt: skip
def test_a_spanish_file_cannot_name_its_reviewer(tmp_path, client, line, problem):
    """The public page says "reviewed" only after an approval in admin, as admin does."""
    ClinicianFactory(slug="dr-test", title="Dr. Test Reviewer", credentials="MD")
    write(tmp_path, "conditions/sciatica.md", CONDITION)
    write(tmp_path, "es/conditions/sciatica.md", SPANISH.format(reviewer=line))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_content", str(tmp_path), stdout=StringIO(), stderr=err)
    assert f"es/conditions/sciatica.md: {problem}" in err.getvalue()
    assert not ConditionTranslation.objects.exists()
