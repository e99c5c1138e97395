"""Bad input for locations and clinicians, in admin and in content files: a clear
message, and nothing stored."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from clinicians.models import Clinician
from locations.models import HoursException, Location, OpeningHours
from tests.factories import ClinicianFactory, ConditionFactory, LocationFactory

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = "not a JPEG, PNG or WebP image"


def png(width=2400, height=1200):
    data = io.BytesIO()
    Image.new("RGB", (width, height), "gray").save(data, "PNG")
    return data.getvalue()


# Admin
# ------------------------------------------------------------------------------
def location_form(hours=(), exceptions=(), **fields):
    data = {
        "title": "Main clinic",
        "slug": "main-clinic",
        "summary": "",
        "about": "",
        "address": "100 Main Street\nAnytown",
        "phone": "(555) 010-0199",
        "status": "published",
        "hours-TOTAL_FORMS": str(len(hours)),
        "hours-INITIAL_FORMS": "0",
        "exceptions-TOTAL_FORMS": str(len(exceptions)),
        "exceptions-INITIAL_FORMS": "0",
        **fields,
    }
    for number, (weekday, opens, closes) in enumerate(hours):
        data |= {
            f"hours-{number}-weekday": weekday,
            f"hours-{number}-opens": opens,
            f"hours-{number}-closes": closes,
        }
    for number, row in enumerate(exceptions):
        data |= {f"exceptions-{number}-{key}": value for key, value in row.items()}
    return data


def test_admin_saves_good_hours_and_a_resized_map(admin_client, settings):
    response = admin_client.post(
        "/admin/locations/location/add/",
        location_form(
            hours=[(0, "08:00", "12:00"), (0, "13:00", "17:00"), (5, "20:00", "00:00")],
            exceptions=[{"date": "2026-12-25", "closed": "on", "note": "Christmas"}],
            map_image=SimpleUploadedFile("map.png", png()),
            map_alt="Map: the clinic is on Main Street, next to the park.",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    location = Location.objects.get()
    assert location.hours.count() == 3 and location.exceptions.count() == 1
    assert max(location.map_width, location.map_height) == 1600  # resized
    assert location.map_image.name.endswith(".png")


BAD_LOCATIONS = {
    "overlapping hours": (
        {"hours": [(0, "08:00", "12:00"), (0, "11:00", "17:00")]},
        "Monday: 8 am to noon overlaps 11 am to 5 pm.",
    ),
    "end before start": (
        {"hours": [(2, "17:00", "08:00")]},
        "closes at 8 am, before it opens at 5 pm",
    ),
    "exception without a date": (
        {"exceptions": [{"date": "", "closed": "on", "note": "Holiday"}]},
        "Enter the date this change is for.",
    ),
    "special hours that end before they start": (
        {"exceptions": [{"date": "2026-12-24", "opens": "12:00", "closes": "08:00"}]},
        "Special hours: closes at 8 am, before it opens at noon",
    ),
    "map that is not an image": (
        {"map_image": SimpleUploadedFile("map.png", b"GIF89a nope"), "map_alt": "A map"},
        NOT_AN_IMAGE,
    ),
    "map without a description": (
        {"map_image": SimpleUploadedFile("map.png", png(40, 40))},
        "Say what the map shows",
    ),
}


@pytest.mark.parametrize("case", BAD_LOCATIONS)
def test_admin_refuses_bad_location_input_with_a_clear_message(admin_client, case):
    changes, message = BAD_LOCATIONS[case]
    response = admin_client.post("/admin/locations/location/add/", location_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Location.objects.exists()
    assert not OpeningHours.objects.exists() and not HoursException.objects.exists()


def clinician_form(**fields):
    return {
        "title": "Dr. Test Person",
        "slug": "dr-test-person",
        "credentials": "MD",
        "summary": "Spine surgeon",
        "bio": "A short bio.",
        "status": "published",
        "accepting_new_patients": "on",
        "certifications-TOTAL_FORMS": "0",
        "certifications-INITIAL_FORMS": "0",
        **fields,
    }


def test_admin_refuses_a_photo_that_is_not_an_image(admin_client):
    response = admin_client.post(
        "/admin/clinicians/clinician/add/",
        clinician_form(photo=SimpleUploadedFile("me.jpg", b"%PDF-1.4"), photo_alt="A person"),
    )
    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.content.decode()
    assert not Clinician.objects.exists()


def test_admin_saves_a_clinician_with_a_certification(admin_client):
    condition = ConditionFactory()
    response = admin_client.post(
        "/admin/clinicians/clinician/add/",
        clinician_form(
            conditions=[condition.pk],
            photo=SimpleUploadedFile("me.png", png(300, 300)),
            photo_alt="A placeholder silhouette",
            **{
                "certifications-TOTAL_FORMS": "1",
                "certifications-0-name": "Test certification",
                "certifications-0-board": "Test board",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    clinician = Clinician.objects.get()
    assert list(clinician.conditions.all()) == [condition]
    assert clinician.certifications.get().board == "Test board"


# Content files
# ------------------------------------------------------------------------------
LOCATION = """---
title: Main clinic
address: 100 Main Street
phone: (555) 010-0199
status: published
{extra}
---
A welcome.
"""

CLINICIAN = """---
title: Dr. Sample Clinician Z
summary: Spine surgeon (sample profile)
is_sample: true
status: published
{extra}
---
A sample biography.
"""


def write(folder, kind, name, text):
    path = Path(folder) / kind / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def load(folder):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_content", str(folder), stdout=out, stderr=err)
    return out.getvalue()


def test_content_files_load_hours_exceptions_and_certifications_once(tmp_path):
    write(
        tmp_path,
        "locations",
        "main.md",
        LOCATION.format(
            extra='hours:\n  monday: ["8:00-12:00", "13:00-17:00"]\n  friday: "8:00-17:00"\n'
            "exceptions:\n  - {date: 2026-12-25, note: Christmas}\n"
            '  - {date: 2026-12-24, hours: "8:00-12:00"}'
        ),
    )
    write(
        tmp_path,
        "clinicians",
        "z.md",
        CLINICIAN.format(
            extra="locations: [main]\nspecialties: [Spine surgery]\nlanguages: [Spanish]\n"
            "certifications:\n  - {name: Sample certification, board: Sample board}"
        ),
    )
    assert "locations: 1 created" in load(tmp_path)
    location = Location.objects.get()
    assert location.hours.count() == 3
    assert location.exceptions.get(date="2026-12-24").closes.hour == 12
    clinician = Clinician.objects.get()
    assert [loc.slug for loc in clinician.locations.all()] == ["main"]
    assert clinician.certifications.get().board == "Sample board"
    assert clinician.languages.get().name == "Spanish"
    output = load(tmp_path)  # idempotent
    assert "locations: 0 created, 0 updated, 1 unchanged" in output
    assert "clinicians: 0 created, 0 updated, 1 unchanged" in output
    assert location.hours.count() == 3


BAD_FILES = {
    "overlapping hours": (
        "locations",
        LOCATION.format(extra='hours:\n  monday: ["8:00-12:00", "11:00-17:00"]'),
        "'hours': Monday: 8 am to noon overlaps 11 am to 5 pm",
    ),
    "end before start": (
        "locations",
        LOCATION.format(extra='hours:\n  tuesday: "17:00-8:00"'),
        "'hours': Tuesday: closes at 8 am, before it opens at 5 pm",
    ),
    "exception without a date": (
        "locations",
        LOCATION.format(extra="exceptions:\n  - {note: Christmas}"),
        "'exceptions': item 1 has no date",
    ),
    "unknown condition slug": (
        "clinicians",
        CLINICIAN.format(extra="conditions: [no-such-condition]"),
        "'conditions' names 'no-such-condition', which is not a known page",
    ),
    "photo that is not an image": (
        "clinicians",
        CLINICIAN.format(extra="photo: photo.jpg\nphoto_alt: A person"),
        NOT_AN_IMAGE,
    ),
    "certification without its board": (
        "clinicians",
        CLINICIAN.format(extra="certifications:\n  - {name: Something}"),
        "item 1 needs both a name and the board that issued it",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_load_content_refuses_bad_files_and_changes_nothing(tmp_path, case):
    kind, text, message = BAD_FILES[case]
    write(tmp_path, kind, "bad.md", text)
    write(tmp_path, "clinicians", "photo.jpg", b"%PDF-1.4 not a photo")
    write(tmp_path, "locations", "good.md", LOCATION.replace("Main clinic", "Good place"))
    with pytest.raises(CommandError, match="nothing was changed"):
        err = io.StringIO()
        try:
            call_command("load_content", str(tmp_path), stdout=io.StringIO(), stderr=err)
        finally:
            assert message in err.getvalue()
    assert not Location.objects.exists() and not Clinician.objects.exists()
    assert not OpeningHours.objects.exists()


def test_the_shipped_sample_content_says_it_is_sample(settings):
    load(settings.BASE_DIR / "content")
    assert Location.objects.count() == 2 and Clinician.objects.count() == 3
    assert all(Location.objects.values_list("is_sample", flat=True))
    assert all(Clinician.objects.values_list("is_sample", flat=True))
    assert not Clinician.objects.exclude(title__contains="Sample Clinician").exists()
    assert not Clinician.objects.exclude(photo="").exists()  # no photos of anyone
    for clinician in Clinician.objects.all():
        for certification in clinician.certifications.all():
            assert "placeholder" in f"{certification.name} {certification.board}".lower()


def test_admin_lists_and_forms_open(admin_client):
    location = LocationFactory(is_sample=True)
    clinician = ClinicianFactory(locations=[location], is_sample=True)
    for url in [
        "/admin/locations/location/?is_sample__exact=1",
        f"/admin/locations/location/{location.pk}/change/",
        "/admin/clinicians/clinician/?is_sample__exact=1",
        f"/admin/clinicians/clinician/{clinician.pk}/change/",
        "/admin/clinicians/specialty/add/",
        "/admin/locations/newpatientspage/",
        "/admin/",
    ]:
        assert admin_client.get(url).status_code == 200, url
