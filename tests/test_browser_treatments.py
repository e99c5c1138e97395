"""Treatment pages in a real Chromium: navigation, accessibility, the admin's preview."""

import pytest

from tests.factories import ConditionFactory, TreatmentFactory, UserFactory, VideoFactory
from tests.staff_support import browser_sign_in
from treatments.models import Treatment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = """## What is it?

A small device, put under the skin, sends mild electrical pulses to the spinal cord.

## Who may it help?

People with long-lasting nerve pain in the legs or arms after spine surgery.

## What happens before, during and after

- **Before:** a trial of about a week with a temporary wire.
- **During:** the device is put in under the skin.
- **After:** a few weeks of taking it easy.

## How well does it work?

For many people who pass the trial, pain eases by about half. For some it helps less.

## Risks and side effects

| Risk | How common |
| --- | --- |
| Infection | Uncommon |
| The wire moves | Sometimes |

## When to get help

!!! emergency "Call 911 now if you have"
    - Sudden weakness in both legs
    - Loss of control of your bladder or bowels

!!! urgent "Call the clinic today if"
    - The wound is red, hot or leaking
    - You have a fever

!!! routine "Book a visit if"
    - The device no longer covers your pain
"""


@pytest.fixture
def treatments():
    fbss = ConditionFactory(title="Failed Back Surgery Syndrome", slug="fbss")
    pump = TreatmentFactory(
        title="Intrathecal drug pump", slug="intrathecal-drug-pump", kind="implants"
    )
    for kind in Treatment.Kind.values:
        TreatmentFactory(kind=kind, conditions=[fbss])
    scs = TreatmentFactory(
        title="Spinal cord stimulation",
        slug="spinal-cord-stimulation",
        kind="implants",
        also_called="Spinal cord stimulator\nSCS",
        summary="A small implant sends mild pulses to the spinal cord to calm nerve pain.",
        body=BODY,
        sources="- [NICE: Spinal cord stimulation](https://www.nice.org.uk/guidance/ta159)",
        conditions=[fbss],
        related=[pump],
    )
    VideoFactory(title="What the trial is like", treatments=[scs])
    return scs


@pytest.mark.parametrize("path", ["/treatments/", "/treatments/spinal-cord-stimulation/"])
def test_treatment_pages_pass_axe(page, assert_accessible, treatments, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


def test_treatment_page_passes_axe_on_a_phone(browser, live_server, assert_accessible, treatments):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    tab = context.new_page()
    tab.goto(live_server.url + "/treatments/spinal-cord-stimulation/")
    assert_accessible(tab)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_patient_finds_a_treatment_from_the_header(page, treatments):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Treatments").click()
    page.wait_for_url("**/treatments/")
    page.get_by_role("link", name="Implanted devices").click()
    page.get_by_role("link", name="Spinal cord stimulation").click()
    assert page.locator("h1").inner_text() == "Spinal cord stimulation"
    contents = page.get_by_role("navigation", name="On this page")
    contents.get_by_role("link", name="Risks and side effects").click()
    assert page.url.endswith("#risks-and-side-effects")
    page.get_by_role("link", name="Failed Back Surgery Syndrome").click()
    assert page.locator("h1").inner_text() == "Failed Back Surgery Syndrome"
    assert page.get_by_role("heading", name="Treatments used for this").is_visible()


def test_editor_sees_live_preview_for_a_treatment(page):
    editor = UserFactory(username="editor", is_staff=True, is_superuser=True)
    browser_sign_in(page, editor)
    page.goto("/admin/treatments/treatment/add/")
    page.locator("textarea#id_body").fill(
        '## Fresh section\n\n!!! urgent "Call the clinic today if"\n    - A fever\n\n'
        "<script>window.hacked = 1</script>"
    )
    preview = page.get_by_role("region", name="Preview of body, as patients will see it")
    preview.locator("h2#fresh-section").wait_for()
    assert preview.locator(".callout-urgent").count() == 1
    assert preview.locator("script").count() == 0
    assert page.evaluate("window.hacked") is None
