"""Condition pages in a real Chromium: navigation, accessibility, privacy."""

from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from conditions.models import Condition
from tests.factories import UserFactory
from tests.staff_support import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample_content():
    call_command("load_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def only_this_site(tab, live_server):
    host = urlparse(live_server.url).netloc
    return [url for url in tab.requests if urlparse(url).netloc not in ("", host)]


def test_patient_reads_fbss_and_follows_contents_list(page, live_server, sample_content):
    page.goto("/conditions/failed-back-surgery-syndrome/")
    assert page.locator("h1").inner_text() == "Failed Back Surgery Syndrome"
    contents = page.get_by_role("navigation", name="On this page")
    contents.get_by_role("link", name="Treatment options").click()
    assert page.url.endswith("#treatment-options")
    heading = page.locator("#treatment-options")
    assert heading.is_visible()
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    assert page.get_by_text("Emergency:").first.count() == 1
    assert only_this_site(page, live_server) == []


@pytest.mark.parametrize(
    "path", ["/", "/conditions/", "/conditions/?region=neck", "/conditions/sciatica/"]
)
def test_pages_pass_axe(page, assert_accessible, sample_content, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


def test_condition_page_passes_axe_on_a_phone(
    browser, live_server, assert_accessible, sample_content
):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    tab = context.new_page()
    tab.goto(live_server.url + "/conditions/failed-neck-surgery-syndrome/")
    assert_accessible(tab)
    scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, "page scrolls sideways on a phone"
    context.close()


def test_readable_without_javascript(browser, live_server, sample_content):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + "/conditions/")
    tab.get_by_role("link", name="Sciatica").click()
    assert tab.locator("h1").inner_text() == "Sciatica"
    assert tab.locator(".callout-emergency").is_visible()
    context.close()


def test_skip_link_is_first_and_moves_focus_to_main(page, sample_content):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_region_filter_works_with_the_keyboard(page, sample_content):
    page.goto("/conditions/")
    page.get_by_label("Show conditions of the").select_option("neck")
    page.get_by_role("button", name="Show").press("Enter")
    page.wait_for_url("**/conditions/?region=neck")
    titles = page.locator(".condition-list a").all_inner_texts()
    shown = ["neck", "whole-spine"]  # "whole spine" pages concern the neck too
    expected = (
        Condition.objects.published().filter(region__in=shown).values_list("title", flat=True)
    )
    assert sorted(titles) == sorted(expected)


def test_editor_sees_live_preview_in_admin(page, live_server):
    browser_sign_in(page, UserFactory(username="editor", is_staff=True, is_superuser=True))
    page.goto("/admin/conditions/condition/add/")
    page.locator("textarea#id_body").fill(
        '## Fresh section\n\n!!! emergency "Call 911 now if"\n    - Sudden weakness\n\n'
        "<script>window.hacked = 1</script>"
    )
    preview = page.get_by_role("region", name="Preview of body, as patients will see it")
    preview.locator("h2#fresh-section").wait_for()
    assert preview.locator(".callout-emergency").count() == 1
    assert preview.locator("script").count() == 0
    assert page.evaluate("window.hacked") is None


def test_axe_check_catches_violations(page, assert_accessible):
    """The accessibility checks above would fail on an inaccessible page."""
    page.goto("/")
    page.evaluate("document.querySelector('main').innerHTML += '<img src=\"/x.png\">'")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
