"""The consultation form in a real Chromium: keyboard only, errors, axe-core, small screens."""

import pytest

from contact.models import ConsultationRequest
from tests.factories import ConditionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of the page: reports CSP violations, if any.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture(autouse=True)
def _fast_enough(settings):
    # Keyboard input from a script is faster than any person; the check itself is
    # tested in test_contact_spam.py.
    settings.CONSULTATION_MIN_FILL_SECONDS = 0


def focused(tab):
    return tab.evaluate(
        "document.activeElement.id || document.activeElement.getAttribute('name') || "
        "document.activeElement.tagName"
    )


def tab_to(tab, element_id, seen, limit=60):
    """Press Tab until `element_id` has focus; every focused element goes into `seen`."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        seen.append(focused(tab))
        if seen[-1] == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}; focus went: {seen}")


def test_keyboard_only_with_an_error_fixed_on_the_way(page, live_server, assert_accessible):
    ConditionFactory(title="Sciatica", slug="sciatica")
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/contact/")
    assert_accessible(page)
    seen = []

    tab_to(page, "id_name", seen)
    page.keyboard.type("Kim Keyboard")
    tab_to(page, "id_phone", seen)
    page.keyboard.type("(555) 010-0177")
    tab_to(page, "id_email", seen)
    page.keyboard.type("kim@example")  # a mistake: no domain ending
    tab_to(page, "id_preferred_contact_0", seen)
    page.keyboard.press("Space")  # "Phone call"
    tab_to(page, "id_preferred_time_0", seen)  # "Any time", checked already
    page.keyboard.press("ArrowDown")  # "Morning"
    tab_to(page, "id_topic", seen)
    page.keyboard.press("Home")  # the first topic in the list: Sciatica
    tab_to(page, "id_message", seen)
    page.keyboard.type("Pain down my leg.")
    tab_to(page, "id_consent", seen)
    page.keyboard.press("Space")
    assert "id_website" not in seen  # the honeypot is never reached
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form from the checkbox

    # The error page: the summary has focus and links to the field.
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.className") == "error-summary"
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_email"
    page.keyboard.press("Enter")
    assert focused(page) == "id_email"
    described = page.get_attribute("#id_email", "aria-describedby")
    assert "id_email_error" in described
    assert "Enter an email address" in page.inner_text("#id_email_error")
    # Everything typed is still there.
    assert page.input_value("#id_name") == "Kim Keyboard"
    assert page.input_value("#id_topic") == "sciatica"
    assert page.is_checked("#id_preferred_time_1") and page.is_checked("#id_consent")
    assert page.input_value("#id_message") == "Pain down my leg."

    page.keyboard.press("End")
    page.keyboard.type(".org")
    tab_to(page, "BUTTON", seen)
    page.keyboard.press("Enter")
    page.wait_for_url("**/contact/thanks/")
    assert page.locator("h1").inner_text() == "Thank you: we have your request"
    assert "Kim" not in page.content()
    assert_accessible(page)
    assert page.evaluate("window.__cspViolations") == []

    saved = ConsultationRequest.objects.get()
    assert (saved.name, saved.email, saved.topic) == (
        "Kim Keyboard",
        "kim@example.org",
        "Sciatica",
    )
    assert (saved.preferred_contact, saved.preferred_time) == ("phone", "morning")
    assert saved.status == "new"


def test_honeypot_is_invisible_to_people_and_screen_readers(page):
    page.goto("/contact/")
    assert not page.locator("#id_website").is_visible()
    tree = page.locator("form.contact-form").aria_snapshot()
    assert "Leave this field empty" not in tree
    assert "Your name" in tree


def test_condition_page_preselects_its_condition(page):
    ConditionFactory(title="Spinal stenosis", slug="spinal-stenosis")
    page.goto("/conditions/spinal-stenosis/")
    page.locator("aside.consult").get_by_role("link", name="Request a consultation").click()
    page.wait_for_url("**/contact/?condition=spinal-stenosis")
    assert page.input_value("#id_topic") == "spinal-stenosis"


@pytest.mark.parametrize("path", ["/contact/", "/contact/thanks/", "/privacy/"])
def test_pages_pass_axe(page, assert_accessible, path):
    assert page.goto(path).status == 200
    assert_accessible(page)


def test_error_state_with_every_field_wrong_passes_axe(page, assert_accessible):
    page.goto("/contact/")
    page.fill("#id_phone", "12")
    page.fill("#id_email", "nope")
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    assert page.locator(".error-summary li").count() >= 3
    assert_accessible(page)


def test_limit_and_error_pages_pass_axe(page, assert_accessible, settings):
    settings.CONSULTATION_RATE_LIMIT = 0
    page.goto("/contact/")
    page.fill("#id_name", "Lee")
    page.fill("#id_phone", "5550100123")
    page.check("#id_preferred_contact_0")
    page.check("#id_consent")
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    assert "too many requests" in page.locator("h1").inner_text().lower()
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "/contact/"])
def test_header_with_the_new_link_fits_a_320px_phone(browser, live_server, path):
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True)
    tab = context.new_page()
    tab.goto(live_server.url + path)
    tab.get_by_text("Menu", exact=True).click()  # the phone's menu, a <details>
    nav = tab.get_by_role("navigation", name="Main")
    for link in nav.get_by_role("link").all():
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    assert nav.get_by_role("link", name="Request a consultation").is_visible()
    right_edges = tab.evaluate(
        "[...document.querySelectorAll('nav[aria-label=Main] *, main *')]"
        ".map(e => e.getBoundingClientRect().right)"
    )
    assert max(right_edges) <= 320
    context.close()
