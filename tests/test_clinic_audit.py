"""Points of the clinic issue (17) that no other test checked: a clinician's photo
(resized, described, refused without a description), whether they take new patients,
a location's map picture, step-free access and email, and locations in the review list."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clinicians.models import Clinician
from locations.models import Location
from spinesite import editorial
from tests.factories import ClinicianFactory, LocationFactory
from tests.test_clinic_input import clinician_form, location_form, png

pytestmark = pytest.mark.django_db


def test_a_clinicians_photo_is_resized_and_shown_with_its_description(admin_client, client):
    response = admin_client.post(
        "/admin/clinicians/clinician/add/",
        clinician_form(
            photo=SimpleUploadedFile("me.png", png(2400, 1200)),
            photo_alt="A placeholder silhouette on a grey background",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    clinician = Clinician.objects.get()
    assert (clinician.photo_width, clinician.photo_height) == (1600, 800)  # resized
    html = client.get("/clinicians/dr-test-person/").content.decode()
    img = re.search(r'<img class="clinician-photo"[^>]*>', html)[0]
    assert 'alt="A placeholder silhouette on a grey background"' in img
    assert 'width="1600" height="800"' in img  # nothing shifts as it loads
    assert f'src="{clinician.photo.url}"' in img and clinician.photo.url.startswith("/media/")


def test_a_photo_without_a_description_is_refused(admin_client):
    response = admin_client.post(
        "/admin/clinicians/clinician/add/",
        clinician_form(photo=SimpleUploadedFile("me.png", png(40, 40))),
    )
    assert response.status_code == 200
    assert "Say what the photo shows" in response.content.decode()
    assert not Clinician.objects.exists()


def test_profiles_and_the_team_say_whether_they_take_new_patients(client):
    ClinicianFactory(slug="taking", title="Dr. Taking", accepting_new_patients=True)
    ClinicianFactory(slug="full", title="Dr. Full", accepting_new_patients=False)
    assert "Taking new patients." in client.get("/clinicians/taking/").content.decode()
    assert "Not taking new patients now." in client.get("/clinicians/full/").content.decode()
    team = client.get("/clinicians/").content.decode()
    full = team[team.index("Dr. Full") :]
    assert full.index("Not taking new patients now.") < full.index("Dr. Taking")


def test_a_location_shows_its_map_picture_access_and_email(admin_client, client):
    response = admin_client.post(
        "/admin/locations/location/add/",
        location_form(
            email="front-desk@example.org",
            step_free="on",
            access="A ramp at the side door.",
            map_image=SimpleUploadedFile("map.png", png(800, 600)),
            map_alt="Map: the clinic is on Main Street, next to the park.",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    html = client.get("/locations/main-clinic/").content.decode()
    img = re.search(r'<img class="location-map"[^>]*>', html)[0]
    assert 'alt="Map: the clinic is on Main Street, next to the park."' in img
    assert 'width="800" height="600"' in img and 'src="/media/' in img  # our own file
    # The clinic's own words in a span: under /es/, untranslated, they are marked English.
    assert "<dt>Step-free access</dt><dd>Yes. <span>A ramp at the side door.</span></dd>" in html
    assert 'href="mailto:front-desk@example.org"' in html
    Location.objects.update(step_free=False)
    html = client.get("/locations/main-clinic/").content.decode()
    assert "<dt>Step-free access</dt><dd>No: please call us" in html


def test_locations_with_review_dates_join_the_review_list():
    due = LocationFactory(slug="due", next_review_due="2000-01-01")
    LocationFactory(slug="later", next_review_due="2999-01-01")
    listed = [item.page for item in editorial.due_for_review()]
    assert due in listed
    assert not [page for page in listed if getattr(page, "slug", "") == "later"]
