"""Clinicians and locations in a real Chromium: the patient's way from a condition to
a consultation request at a location, accessibility, and a phone's screen."""

import re

import pytest

from clinicians.models import BoardCertification
from contact.models import ConsultationRequest
from locations.models import HoursException
from tests.factories import ClinicianFactory, ConditionFactory, LocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How many lines a link's text takes on screen.
LINES = """link => {
  const range = document.createRange();
  range.selectNodeContents(link);
  return new Set([...range.getClientRects()].map(rect => Math.round(rect.bottom))).size;
}"""


@pytest.fixture(autouse=True)
def _fast_enough(settings):
    # A script fills the form faster than any person (the check: test_contact_spam.py).
    settings.CONSULTATION_MIN_FILL_SECONDS = 0


@pytest.fixture
def clinic():
    fbss = ConditionFactory(
        title="Failed Back Surgery Syndrome", slug="failed-back-surgery-syndrome"
    )
    main = LocationFactory(
        title="Sample Main Clinic",
        slug="sample-main-clinic",
        is_sample=True,
        parking="Free parking behind the building.",
        phone="(555) 010-0199",
        hours=[(day, "08:00", "17:00") for day in range(7)],
    )
    LocationFactory(title="Sample Riverside Clinic", slug="sample-riverside-clinic")
    HoursException.objects.create(location=main, date="2027-12-25", note="Christmas Day")
    clinician = ClinicianFactory(
        title="Dr. Sample Clinician A",
        slug="dr-sample-clinician-a",
        summary="Spine surgeon (sample profile)",
        is_sample=True,
        conditions=[fbss],
        locations=[main],
    )
    BoardCertification.objects.create(
        clinician=clinician, name="Sample certification", board="Sample Board (placeholder)"
    )
    return main


def test_from_fbss_to_a_clinician_to_their_location_to_a_request_there(page, clinic):
    page.goto("/conditions/failed-back-surgery-syndrome/")
    treats = page.get_by_role("region", name="Clinicians who treat this")
    treats.get_by_role("link", name="Dr. Sample Clinician A").click()
    assert page.locator("h1").inner_text() == "Dr. Sample Clinician A, MD"
    assert page.get_by_text("This is a sample profile.").is_visible()
    page.get_by_role("region", name="Where to see them").get_by_role(
        "link", name="Sample Main Clinic"
    ).click()
    assert page.locator("h1").inner_text() == "Sample Main Clinic"
    status = page.locator(".open-status").inner_text()
    assert re.fullmatch(r"Open now, closes 5 pm|Closed, opens (today|tomorrow) 8 am", status)
    phone = page.get_by_role("link", name="(555) 010-0199").first
    assert phone.get_attribute("href") == "tel:5550100199"
    assert phone.evaluate(LINES) == 1
    page.get_by_role("link", name="Request a consultation at Sample Main Clinic").click()
    page.wait_for_url("**/contact/?location=sample-main-clinic")
    assert page.get_by_label(
        "Which of our locations suits you best? (optional)"
    ).input_value() == ("sample-main-clinic")
    page.fill("#id_name", "Lee Patient")
    page.fill("#id_phone", "5550100123")
    page.check("#id_preferred_contact_0")
    page.check("#id_consent")
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    assert page.url.endswith("/contact/thanks/")
    assert ConsultationRequest.objects.get().location == clinic
    assert all(url.startswith(page.url.split("/contact")[0]) for url in page.requests)


@pytest.mark.parametrize(
    "path",
    [
        "/clinicians/",
        "/clinicians/?language=klingon",
        "/clinicians/dr-sample-clinician-a/",
        "/locations/",
        "/locations/sample-main-clinic/",
        "/new-patients/",
        "/contact/?location=sample-main-clinic",
    ],
)
def test_clinic_pages_pass_axe(page, assert_accessible, clinic, path):
    page.goto(path)
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/locations/sample-main-clinic/", "/clinicians/", "/"])
def test_clinic_pages_fit_a_phone_and_the_header_offers_a_call(
    browser, live_server, assert_accessible, clinic, path
):
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True)
    tab = context.new_page()
    tab.goto(live_server.url + path)
    assert_accessible(tab)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 320
    call = tab.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Call"))
    assert call.get_attribute("href").startswith("tel:")
    assert call.evaluate(LINES) == 1  # the number does not wrap
    # Nor does any phone number on the page, even squeezed into a narrow column.
    numbers = tab.locator("a.tel")
    assert numbers.count() >= 2
    for number in numbers.all():
        number.evaluate("link => { link.parentElement.style.width = '4ch'; }")
        assert number.evaluate(LINES) == 1, number.inner_text()
    context.close()
