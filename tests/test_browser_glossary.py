"""The glossary and honest search in a real Chromium, with JavaScript off, and axe-core."""

import pytest
from django.core.management import call_command

from spinesite.models import ClinicDetails, MissedSearch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample_content():
    call_command("load_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def no_js(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_a_term_opens_its_meaning_in_place_without_javascript(no_js, sample_content):
    tab = no_js
    tab.goto("/conditions/spinal-stenosis/")
    term = tab.locator("a.term", has_text="Stenosis").first
    tip = tab.locator("#gloss-stenosis")
    assert tip.is_hidden()
    # Screen readers hear the meaning as the link's description.
    description = tab.locator("#" + term.get_attribute("aria-describedby")).text_content()
    assert description.startswith("Stenosis: A narrowing.")
    term.click()
    assert tab.url.endswith("#gloss-stenosis")
    assert tip.is_visible()
    assert "A narrowing." in tip.inner_text()
    box, word = tip.bounding_box(), term.bounding_box()
    assert 0 <= box["y"] - word["y"] < 3 * word["height"]  # right under the word, in place
    with tab.expect_navigation():
        tip.get_by_role("link", name="More words explained").click()
    assert tab.url.endswith("/glossary/#stenosis")


def test_a_term_opens_with_the_keyboard_and_passes_axe(page, assert_accessible, sample_content):
    # axe-core runs as JavaScript, so the page is checked here, with a meaning open.
    page.goto("/conditions/spinal-stenosis/")
    term = page.locator("a.term").first
    tip = page.locator(term.get_attribute("href"))
    assert tip.is_hidden()
    term.focus()
    page.keyboard.press("Enter")
    assert tip.is_visible()
    assert_accessible(page)


def test_the_glossary_page_lists_terms_a_to_z(page, assert_accessible, sample_content):
    page.goto("/glossary/")
    assert page.locator("h1").inner_text() == "Words explained"
    letters = page.get_by_role("navigation", name="Jump to letter").get_by_role("link")
    assert letters.first.inner_text() == "C"
    page.get_by_role("navigation", name="Jump to letter").get_by_role("link", name="M").click()
    assert page.url.endswith("#letter-M")
    assert page.locator("#myelopathy").is_visible()
    assert_accessible(page)


def search(tab, words):
    box = tab.get_by_role("searchbox", name="Search conditions and videos")
    box.fill(words)
    with tab.expect_navigation():
        box.press("Enter")


# Everyday words on no shipped page ("parking" is on the locations' pages, and
# "pregnant" on a treatment's); "weather" is two typos from "whether".
@pytest.mark.parametrize("words", ["qwxzv blorft", "weather", "homework", "dolor de espalda"])
def test_searches_with_no_page_get_an_honest_answer(
    page, assert_accessible, sample_content, words
):
    page.goto("/")
    search(page, words)
    assert page.locator("#results-heading").inner_text() == f"We found no pages for “{words}”"
    assert page.locator(".search-results").count() == 0
    assert page.get_by_text("Did you mean").count() == 0
    main = page.locator("main")
    phone = ClinicDetails.get_solo().phone
    assert main.get_by_role("link", name=phone).is_visible()
    assert main.get_by_role("link", name="Browse all conditions from A to Z").is_visible()
    assert (
        main.get_by_role("link", name="See the treatments we offer").get_attribute("href")
        == "/treatments/"
    )
    assert_accessible(page)
    assert MissedSearch.objects.get().words == words  # for editors to read


@pytest.mark.parametrize(
    ("words", "suggestion", "title"),
    [
        ("sciatika", "sciatica", "Sciatica"),
        ("stenossis", "stenosis", "Spinal Stenosis"),
        ("spondilolisthesis", "spondylolisthesis", "Spondylolisthesis"),
    ],
)
def test_a_misspelling_is_offered_as_did_you_mean(
    page, assert_accessible, sample_content, words, suggestion, title
):
    page.goto("/")
    search(page, words)
    assert page.locator("#results-heading").inner_text() == f"We found no pages for “{words}”"
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=suggestion, exact=True).click()
    assert page.locator("#results-heading").inner_text() == f"Pages that match “{suggestion}”"
    titles = page.locator(".search-results h3 a").all_inner_texts()
    assert title in titles
    assert not MissedSearch.objects.exists()  # found: nothing for editors to learn


def test_search_finds_glossary_terms(page, sample_content):
    page.goto("/")
    search(page, "myelopathy")
    result = page.locator(".search-results li", has_text="Word explained").first
    with page.expect_navigation():
        result.get_by_role("link", name="Myelopathy").click()
    assert page.url.endswith("/glossary/#myelopathy")
