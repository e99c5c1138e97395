"""A clinical reviewer approves a translation from its page's change form: the only
way for the new patients page, a single page with no list to pick it from."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from locations.models import LocationTranslation, NewPatientsPage, NewPatientsPageTranslation
from spinesite.review import CLINICAL_REVIEWERS
from tests.factories import ConditionFactory, LocationFactory, UserFactory
from tests.staff_support import verified_client
from tests.test_page_editing import change_url
from tests.test_translation_review import reviewer, spanish

pytestmark = pytest.mark.django_db

BUTTON = 'class="approve-translation"'
FORM_URL = reverse("admin:locations_newpatientspage_change")


def spanish_new_patients(body="## Qué traer\n\nSu tarjeta del seguro."):
    row = NewPatientsPageTranslation(
        page=NewPatientsPage.get_solo(), language="es", body=body, translator="Test translator"
    )
    row.mark_current()
    row.save()
    return row


def approve_url(row):
    return reverse("admin:locations_newpatientspage_approve_translation", args=[row.page_id, "es"])


def content_editor():
    user = UserFactory(username="writer", is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    return verified_client(user)


def test_a_reviewer_approves_the_new_patients_translation_from_its_form(settings):
    settings.CLINICAL_REVIEW_INTERVAL_DAYS = 365
    row = spanish_new_patients()
    row.reviewed_hash, row.changed_since_review = "an older approval", True
    row.save(update_fields=["reviewed_hash"])
    staff = reviewer()
    form = staff.get(FORM_URL).content.decode()
    assert BUTTON in form and approve_url(row) in form
    assert ">Approve the Spanish translation</button>" in form
    assert "select the page in the list" not in form
    assert "at the top of this page" not in form  # it has an approval (an older one)

    response = staff.post(approve_url(row), follow=True)
    assert response.redirect_chain[-1][0].startswith(
        reverse("admin:locations_newpatientspage_changelist")
    )
    assert "You approved the Spanish translation" in response.content.decode()
    row.refresh_from_db()
    today = timezone.localdate()
    assert row.reviewed_by.slug == "dr-drlee"
    assert row.last_reviewed == today and row.next_review_due == today + timedelta(days=365)
    assert row.reviewed_hash == row.review_digest() and not row.changed_since_review
    comment = "Approved by Dr. Dana Lee, MD (clinical review of the Spanish translation)."
    assert Version.objects.get_for_object(row).first().revision.comment == comment


def test_an_unapproved_translation_says_where_to_approve_it():
    spanish_new_patients()
    form = reviewer().get(FORM_URL).content.decode()
    assert "at the top of this page" in form and "in the list" not in form


def test_a_non_reviewer_is_refused_and_nothing_changes():
    row = spanish_new_patients()
    staff = content_editor()
    form = staff.get(FORM_URL).content.decode()
    assert BUTTON not in form and approve_url(row) not in form
    assert staff.post(approve_url(row)).status_code == 403
    row.refresh_from_db()
    assert not row.reviewed_hash and row.last_reviewed is None and row.reviewed_by is None


def test_get_is_refused_and_post_needs_the_csrf_token():
    row = spanish_new_patients()
    assert reviewer().get(approve_url(row)).status_code == 405
    user = UserFactory(username="drkim", is_staff=True)
    user.groups.add(Group.objects.get(name=CLINICAL_REVIEWERS))
    strict = verified_client(user, Client(enforce_csrf_checks=True))
    assert strict.post(approve_url(row)).status_code == 403
    row.refresh_from_db()
    assert not row.reviewed_hash


def test_no_button_for_a_kind_no_clinician_reviews():
    place = LocationFactory()
    LocationTranslation.objects.create(page=place, language="es", summary="Una clínica.")
    staff = reviewer()
    assert BUTTON not in staff.get(change_url(place)).content.decode()
    url = reverse("admin:locations_location_approve_translation", args=[place.pk, "es"])
    assert staff.post(url).status_code == 404


def test_a_page_with_a_list_can_be_approved_from_its_form_too():
    page = ConditionFactory()
    row = spanish(page)
    staff = reviewer()
    url = reverse("admin:conditions_condition_approve_translation", args=[page.pk, "es"])
    assert url in staff.get(change_url(page)).content.decode()
    response = staff.post(url)
    assert response.status_code == 302 and response["Location"] == change_url(page)
    row.refresh_from_db()
    assert row.reviewed_hash == row.review_digest() and row.last_reviewed == timezone.localdate()
    page.refresh_from_db()
    assert not page.reviewed_hash  # the English keeps its own review


def test_a_mangled_address_is_no_such_page_not_an_error():
    staff = reviewer()
    form = reverse("admin:conditions_condition_change", args=["not-a-number"])
    assert staff.get(form).status_code == 302  # admin's "doesn't exist", back to the list
    url = reverse("admin:conditions_condition_approve_translation", args=["not-a-number", "es"])
    assert staff.post(url).status_code == 404
    page = ConditionFactory()
    spanish(page)
    url = reverse("admin:conditions_condition_approve_translation", args=[page.pk, "xx"])
    assert staff.post(url).status_code == 404
