"""Content files name a page's reviewing clinician by slug (`reviewed_by`), checked
like other links: an unknown clinician is a clear message and nothing is stored.

Test content only: the shipped sample clinicians are made up, and no shipped page
claims a review by one of them."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clinicians.models import Clinician
from conditions.models import Condition
from locations.models import Location
from tests.factories import ClinicianFactory, ConditionFactory

pytestmark = pytest.mark.django_db

CONDITION = """---
title: Sciatica
summary: Pain that runs from the lower back down one leg.
region: lower-back
status: published
{reviewer}---
## What is it?

Pain along the sciatic nerve.
"""

CLINICIAN = """---
title: Dr. Test Reviewer
credentials: MD
summary: Spine surgeon (test profile)
status: published
conditions: [sciatica]
---
A test profile.
"""

LOCATION = """---
title: Test clinic
address: 1 Test Street
phone: (555) 010-0100
status: published
reviewed_by: dr-test
---
A test place.
"""


def write(folder, kind, name, text):
    path = Path(folder) / kind / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def load(folder):
    out = StringIO()
    call_command("load_content", str(folder), stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(folder):
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_content", str(folder), stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_a_page_names_a_clinician_loaded_in_the_same_run(tmp_path, client):
    # The clinician's own file links back to the condition: each names the other.
    write(
        tmp_path, "conditions", "sciatica.md", CONDITION.format(reviewer="reviewed_by: dr-test\n")
    )
    write(tmp_path, "clinicians", "dr-test.md", CLINICIAN)
    load(tmp_path)
    page = Condition.objects.get(slug="sciatica")
    assert page.reviewed_by.slug == "dr-test"
    html = client.get("/conditions/sciatica/").content.decode()
    assert '<a href="/clinicians/dr-test/">Dr. Test Reviewer, MD</a>' in html

    assert "0 created, 0 updated, 1 unchanged" in load(tmp_path)  # idempotent
    assert Condition.objects.get(slug="sciatica").reviewed_by.slug == "dr-test"

    # A file that stops naming a reviewer clears it, as it clears any field.
    write(tmp_path, "conditions", "sciatica.md", CONDITION.format(reviewer=""))
    load(tmp_path)
    assert Condition.objects.get(slug="sciatica").reviewed_by is None
    assert "Dr. Test Reviewer, MD" not in client.get("/conditions/sciatica/").content.decode()


def test_a_page_names_a_clinician_already_on_the_site(tmp_path):
    ClinicianFactory(slug="dr-saved", title="Dr. Saved")
    write(
        tmp_path, "conditions", "sciatica.md", CONDITION.format(reviewer="reviewed_by: dr-saved\n")
    )
    load(tmp_path)
    assert Condition.objects.get(slug="sciatica").reviewed_by.title == "Dr. Saved"


@pytest.mark.parametrize(
    "reviewer, problem",
    [
        ("reviewed_by: dr-nobody\n", "'reviewed_by' names 'dr-nobody', which is not a known clinician"),
        ("reviewed_by: [dr-test]\n", "'reviewed_by' must be the slug of one of our clinicians"),
        ("reviewed_by: 7\n", "'reviewed_by' must be the slug of one of our clinicians"),
    ],
)  # fmt: skip
def test_an_unknown_or_malformed_reviewer_is_refused_and_nothing_stored(
    tmp_path, reviewer, problem
):
    ClinicianFactory(slug="dr-test")
    before = ConditionFactory(slug="sciatica", summary="Before.", content_hash="x")
    write(tmp_path, "conditions", "sciatica.md", CONDITION.format(reviewer=reviewer))
    write(
        tmp_path,
        "conditions",
        "neck-pain.md",
        CONDITION.replace("Sciatica", "Neck pain").format(reviewer=""),
    )
    write(tmp_path, "clinicians", "dr-new.md", CLINICIAN.replace("Dr. Test", "Dr. New"))
    report = refused(tmp_path)
    assert "sciatica.md" in report and problem in report, report
    assert list(Condition.objects.values_list("slug", "summary", "reviewed_by")) == [
        ("sciatica", "Before.", None)
    ]
    assert not Clinician.objects.filter(slug="dr-new").exists()
    assert before.content_hash == "x"


def test_kinds_without_a_clinical_reviewer_refuse_the_field(tmp_path):
    ClinicianFactory(slug="dr-test")
    write(tmp_path, "locations", "test-clinic.md", LOCATION)
    report = refused(tmp_path)
    assert "unknown field 'reviewed_by'" in report, report
    assert not Location.objects.exists()


def test_no_shipped_page_claims_a_review_by_a_sample_clinician():
    from django.conf import settings

    named = [
        path.name
        for path in Path(settings.BASE_DIR, "content").rglob("*.md")
        if "\nreviewed_by:" in path.read_text().split("\n---", 1)[0]
    ]
    assert named == []
