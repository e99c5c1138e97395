"""Search and feedback in a real Chromium: from the header to the right page, with axe-core."""

import pytest
from django.core.management import call_command

from feedback.models import Answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample_content():
    call_command("load_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def search_from_header(tab, words):
    box = tab.get_by_role("searchbox", name="Search conditions and videos")
    box.fill(words)
    with tab.expect_navigation():
        box.press("Enter")


@pytest.mark.parametrize(
    ("words", "title"), [("slipped disc", "Herniated Disc"), ("sciatika", "Sciatica")]
)
def test_new_reader_searches_from_the_header_and_lands_on_the_right_page(
    page, sample_content, words, title
):
    page.goto("/")
    search_from_header(page, words)
    assert "/search/?q=" in page.url
    did_you_mean = page.locator(".did-you-mean a")
    if did_you_mean.count():  # "sciatika": the reader takes the suggestion
        with page.expect_navigation():
            did_you_mean.click()
    results = page.get_by_role("list", name=page.locator("#results-heading").inner_text())
    with page.expect_navigation():
        results.get_by_role("link").first.click()
    assert page.locator("h1").inner_text() == title


def test_header_search_works_with_the_keyboard_only(page, sample_content):
    page.goto("/conditions/")
    page.get_by_role("searchbox", name="Search conditions and videos").focus()
    page.keyboard.type("pinched nerve neck")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Search"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/?q=pinched+nerve+neck" in page.url
    first = page.locator(".search-results h3 a").first
    assert first.inner_text() == "Cervical Radiculopathy"


@pytest.mark.parametrize(
    "query", ["slipped disc", "sciatika", "zzqqxx nothing", "!!!", ""], ids=str
)
def test_search_pages_pass_axe(page, assert_accessible, sample_content, query):
    response = page.goto(f"/search/?q={query}")
    assert response.status == 200
    assert_accessible(page)


def test_search_page_fits_a_phone(browser, live_server, assert_accessible, sample_content):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    tab = context.new_page()
    tab.goto(live_server.url + "/search/?q=back+pain")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    tab.goto(live_server.url + "/")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    assert tab.get_by_role("searchbox", name="Search conditions and videos").is_visible()
    context.close()


def test_feedback_works_without_javascript(browser, live_server, sample_content):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + "/conditions/sciatica/")
    question = tab.get_by_role("region", name="Was this page helpful?")
    with tab.expect_navigation():
        question.get_by_role("button", name="No").click()
    assert tab.locator("h1").inner_text() == "Thank you for your answer"
    assert tab.get_by_text("do not include personal information").is_visible()
    tab.get_by_label("Tell us more (optional)").fill("I wanted exercises for sciatica.")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Send comment").click()
    assert tab.locator("h1").inner_text() == "Thank you for your feedback"
    stored = Answer.objects.get()
    assert (stored.helpful, stored.comment) == (False, "I wanted exercises for sciatica.")
    with tab.expect_navigation():
        tab.get_by_role("link", name="Back to “Sciatica”").click()
    assert tab.locator("h1").inner_text() == "Sciatica"
    context.close()


def test_feedback_pages_pass_axe(page, assert_accessible, sample_content):
    page.goto("/conditions/sciatica/")
    with page.expect_navigation():
        page.get_by_role("button", name="Yes").click()
    assert_accessible(page)  # the comment form
    with page.expect_navigation():
        page.get_by_role("button", name="Send comment").click()
    assert page.locator("h1").inner_text() == "Thank you for your feedback"
    assert_accessible(page)
