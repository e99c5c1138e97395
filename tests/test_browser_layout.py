"""The layout in a real Chromium: emergency boxes, the phone header, print handouts,
the spine map, both colour schemes."""

import re
from io import BytesIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from spinesite.models import ClinicDetails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FBSS = "/conditions/failed-back-surgery-syndrome/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def sample_content():
    call_command("load_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def tab_in(browser, live_server):
    """tab_in(scheme=..., viewport=..., js=...): a new tab; its context closes after the test."""
    contexts = []

    def make(scheme="light", viewport=None, js=True):
        context = browser.new_context(
            base_url=live_server.url,
            color_scheme=scheme,
            viewport=viewport or {"width": 1280, "height": 900},
            is_mobile=viewport == PHONE,
            java_script_enabled=js,
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def rgb(css_colour):
    return tuple(int(n) for n in re.findall(r"\d+", css_colour)[:3])


def is_red(colour):
    r, g, b = rgb(colour)
    return r >= 150 and r > 1.5 * g and r > 1.5 * b


def is_red_tinted(colour):
    r, g, b = rgb(colour)
    return r > g + 10 and r > b + 10


EMERGENCY_BOXES = ".callout-emergency, .notice-emergency"


def emergency_pages(tab):
    """Every page type that shows an emergency box, reached as a patient would."""
    yield "condition", FBSS
    yield "contact form", "/contact/"
    yield "thanks", "/contact/thanks/"
    tab.goto("/conditions/sciatica/")  # feedback over its limit: the 429 page
    tab.get_by_role("button", name="Yes").click()
    yield "rate limited", None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_emergency_box_is_red_and_says_emergency(tab_in, sample_content, settings, scheme):
    settings.FEEDBACK_RATE_LIMIT = 0
    tab = tab_in(scheme)
    seen = []
    for name, path in emergency_pages(tab):
        if path:
            tab.goto(path)
        boxes = tab.locator(EMERGENCY_BOXES)
        assert boxes.count() >= 1, f"{name}: no emergency box"
        for box in boxes.all():
            style = box.evaluate(
                "el => { const s = getComputedStyle(el);"
                " return [s.borderLeftColor, s.backgroundColor, s.borderLeftWidth]; }"
            )
            assert is_red(style[0]), f"{name}: border {style[0]}"
            assert is_red_tinted(style[1]), f"{name}: background {style[1]}"
            assert float(style[2].removesuffix("px")) >= 6, f"{name}: border {style[2]}"
            # Screen readers hear "Emergency" first, not just a colour.
            assert box.inner_text().startswith("Emergency") or (
                box.get_attribute("aria-label") == "Emergency"
            ), name
            assert box.text_content().lstrip().startswith("Emergency:"), name
        seen.append(name)
    assert seen == ["condition", "contact form", "thanks", "rate limited"]


def add_rule(tab, rule):
    """A rule at the end of the site's stylesheet (the CSP refuses a <style> element)."""
    tab.evaluate(
        "rule => { const sheet = [...document.styleSheets].find(s => s.href.includes('site'));"
        " sheet.insertRule(rule, sheet.cssRules.length); }",
        rule,
    )


def test_a_later_notice_rule_cannot_make_the_emergency_box_grey(tab_in, sample_content):
    """What this check guards against: the `.notice` rule that once turned it grey."""
    tab = tab_in()
    tab.goto("/contact/")
    add_rule(tab, ".notice { background: #eee; border-left: 6px solid #0b5563; }")
    style = tab.locator(".notice-emergency").evaluate("el => getComputedStyle(el).borderLeftColor")
    assert is_red(style)
    add_rule(tab, ".notice-emergency { border-color: #0b5563 !important; }")
    style = tab.locator(".notice-emergency").evaluate("el => getComputedStyle(el).borderLeftColor")
    assert not is_red(style)  # the check itself can fail


@pytest.mark.parametrize("path", ["/", "/conditions/", FBSS, "/contact/"])
def test_phone_header_is_compact_and_the_call_bar_is_in_reach(tab_in, sample_content, path):
    tab = tab_in(viewport=PHONE)
    tab.goto(path)
    header = tab.locator(".site-header").bounding_box()
    assert header["height"] <= 0.15 * PHONE["height"], header
    bar = tab.locator(".action-bar")
    call = bar.get_by_role("link", name=re.compile(r"^Call"))
    request = bar.get_by_role("link", name="Request a consultation")
    for link in (call, request):
        box = link.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"] and box["height"] >= 44, box
    assert call.get_attribute("href").startswith("tel:")
    tab.mouse.wheel(0, 3000)
    tab.wait_for_timeout(100)
    assert call.bounding_box()["y"] + call.bounding_box()["height"] <= PHONE["height"]
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_phone_menu_works_without_javascript(tab_in, sample_content):
    tab = tab_in(viewport=PHONE, js=False)
    tab.goto("/")
    nav = tab.get_by_role("navigation", name="Main")
    assert not nav.get_by_role("link", name="Conditions").is_visible()
    tab.get_by_text("Menu", exact=True).click()
    nav.get_by_role("link", name="Conditions").click()
    assert tab.locator("h1").inner_text() == "Spine conditions A to Z"


@pytest.mark.parametrize("path", ["/", "/es/"])
def test_wide_header_is_compact_and_all_on_screen(tab_in, sample_content, path):
    # One row had no room at 1280 px for the search box and the phone (the phone was
    # cut off at the right, in English too): they wrap to a second line instead.
    tab = tab_in()
    tab.goto(path)
    header = tab.locator(".site-header").bounding_box()
    assert header["height"] <= 150, header
    assert tab.evaluate("document.documentElement.scrollWidth") <= 1280
    if path == "/es/":
        box = tab.locator(".header-phone").bounding_box()
        assert box["x"] + box["width"] <= 1280, box
        return
    nav = tab.get_by_role("navigation", name="Main")
    items = [
        nav.get_by_role("link", name="Conditions"),
        nav.get_by_role("link", name="Treatments"),
        nav.get_by_role("link", name="Request a consultation"),
        tab.get_by_role("searchbox", name="Search conditions and videos"),
        tab.locator(".header-phone"),
    ]
    for item in items:
        box = item.bounding_box()
        assert box and box["y"] + box["height"] <= header["y"] + header["height"], box
        assert box["x"] + box["width"] <= 1280, box
    assert not tab.locator(".action-bar").is_visible()
    assert nav.get_by_role("link", name="Treatments").get_attribute("href") == "/treatments/"


def test_phone_numbers_never_wrap(tab_in, sample_content):
    tab = tab_in(viewport={"width": 320, "height": 640})
    for path in ("/", "/contact/", FBSS):
        tab.goto(path)
        for link in tab.locator("a[href^='tel:']").all():
            if not link.is_visible():
                continue
            number = link.locator("xpath=.").evaluate(
                "el => { const r = document.createRange();"
                " const t = [...el.childNodes].filter(n => n.nodeType === 3 && /\\d{3}/.test(n.textContent));"
                " const node = t.length ? t[t.length - 1] : el.querySelector('.nowrap') || el;"
                " r.selectNodeContents(node); return r.getClientRects().length; }"
            )
            assert number == 1, f"{path}: {link.inner_text()!r} breaks over lines"


def pdf_pages(tab, paper):
    return len(PdfReader(BytesIO(tab.pdf(format=paper, print_background=True))).pages)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_fbss_prints_as_a_handout_of_at_most_three_pages(tab_in, sample_content, paper):
    tab = tab_in()
    tab.goto(FBSS)
    pages = pdf_pages(tab, paper)
    assert 1 <= pages <= 3, f"{pages} pages on {paper}"
    tab.emulate_media(media="print")
    text = tab.locator("body").inner_text()
    clinic = ClinicDetails.get_solo()
    for expected in (
        "Failed Back Surgery Syndrome",
        "Also called:",
        clinic.name,
        clinic.phone,
        clinic.address.splitlines()[0],
        "Awaiting clinical review",
        FBSS,
        "Sources",
        "Emergency:",
    ):
        assert expected in text, expected
    assert tab.locator(".handout-qr svg").is_visible()
    for hidden in (".site-header", ".action-bar", ".related", ".feedback", ".toc", ".consult"):
        assert all(not el.is_visible() for el in tab.locator(hidden).all()), hidden
    # Sources print with their addresses.
    link = tab.locator(".sources a[href^='http']").first
    after = link.evaluate("el => getComputedStyle(el, '::after').content")
    assert "http" in after or "attr(href)" in after


def test_print_page_count_check_can_fail(tab_in, sample_content):
    """Without the print stylesheet, the page takes more than three pages."""
    tab = tab_in()
    tab.goto(FBSS)
    tab.evaluate("document.querySelectorAll('link[rel=stylesheet]').forEach(l => l.remove())")
    assert pdf_pages(tab, "A4") > 3


def test_print_button_prints_and_is_absent_without_javascript(tab_in, sample_content):
    tab = tab_in()
    tab.add_init_script("window.print = () => { window.__printed = true; };")
    tab.goto(FBSS)
    tab.get_by_role("button", name="Print this page").click()
    assert tab.evaluate("window.__printed") is True
    plain = tab_in(js=False)
    plain.goto(FBSS)
    assert plain.get_by_role("button", name="Print this page").count() == 0


def test_spine_map_links_to_the_region_filter_by_keyboard(tab_in, sample_content):
    tab = tab_in(js=False)
    tab.goto("/conditions/")
    picture = tab.get_by_role("group", name="Choose a part of the spine")
    links = picture.get_by_role("link")
    assert links.count() == 3
    for name in ("Neck", "Upper and mid back", "Lower back"):  # names as screen readers hear
        assert picture.get_by_role("link", name=name, exact=True).count() == 1, name
    links.nth(0).focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/conditions/?region=neck")
    assert "Cervical Radiculopathy" in tab.locator("main").inner_text()
    current = tab.locator(".spine-map-link[aria-current=page]")
    assert current.get_attribute("href") == "?region=neck"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", "/conditions/", FBSS, "/contact/", "/videos/"])
def test_both_colour_schemes_pass_axe(tab_in, assert_accessible, sample_content, scheme, path):
    tab = tab_in(scheme)
    tab.goto(path)
    assert_accessible(tab)
    phone = tab_in(scheme, viewport=PHONE)
    phone.goto(path)
    phone.locator(".menu summary").click()
    assert_accessible(phone)
