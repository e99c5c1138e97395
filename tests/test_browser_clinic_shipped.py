"""The issue's "Done when", on the content `make run` loads (content/), in Chromium:
from the FBSS page to a clinician who treats it, to a location where they work, its
"open now" status, and a consultation request at that location."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from contact.models import ConsultationRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATUS = re.compile(r"Open now, closes .+|Closed, opens .+")


@pytest.fixture(autouse=True)
def _shipped_content(settings):
    settings.CONSULTATION_MIN_FILL_SECONDS = 0  # a script fills forms faster than people
    call_command("load_content", stdout=StringIO(), stderr=StringIO())


def test_from_fbss_to_a_shipped_clinician_their_location_and_a_request_there(page):
    page.goto("/conditions/failed-back-surgery-syndrome/")
    clinicians = page.get_by_role("region", name="Clinicians who treat this").get_by_role("link")
    assert clinicians.count() >= 1
    name = clinicians.first.inner_text()
    clinicians.first.click()
    assert page.locator("h1").inner_text().startswith(name)
    assert page.locator(".sample-note").is_visible()  # a made-up clinician says so

    places = page.get_by_role("region", name="Where to see them").get_by_role("link")
    place = places.first.inner_text()
    places.first.click()
    assert page.locator("h1").inner_text() == place
    slug = page.url.rstrip("/").rsplit("/", 1)[1]
    assert STATUS.fullmatch(page.locator(".open-status").inner_text())

    page.get_by_role("link", name=f"Request a consultation at {place}").click()
    page.wait_for_url(f"**/contact/?location={slug}")
    choice = page.get_by_label("Which of our locations suits you best? (optional)")
    assert choice.input_value() == slug  # preselected; the patient may still change it
    page.fill("#id_name", "Lee Patient")
    page.fill("#id_phone", "5550100123")
    page.check("#id_preferred_contact_0")
    page.check("#id_consent")
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    assert page.url.endswith("/contact/thanks/")
    assert ConsultationRequest.objects.get().location.slug == slug
