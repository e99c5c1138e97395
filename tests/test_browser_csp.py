"""The Content-Security-Policy in a real Chromium: nothing the site needs is blocked.

Every page under test reports CSP violations through the `securitypolicyviolation`
event and the console; a strict policy that breaks the admin or the Markdown
editor would show up here, not in production.
"""

import re

import pytest
from django.urls import reverse

from conditions.models import Condition
from tests.factories import ConditionFactory, UserFactory, VideoFactory
from tests.staff_support import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"

# Runs before any script of the page, in every frame: collects violations.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


@pytest.fixture
def watched(page):
    """The `page` tab, recording CSP violations from events and the console."""
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_violations = []

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            page.console_violations.append(message.text)

    page.on("console", on_console)
    return page


def violations(tab):
    return tab.evaluate("window.__cspViolations") + tab.console_violations


def sign_in(tab, user):
    browser_sign_in(tab, user, PASSWORD)


def test_markdown_editor_preview_works_under_the_policy(watched, live_server):
    staff = UserFactory(is_staff=True, is_superuser=True)
    condition = ConditionFactory(title="Sciatica", slug="sciatica")
    sign_in(watched, staff)
    assert watched.url.endswith(reverse("admin:index"))

    watched.goto(reverse("admin:conditions_condition_change", args=[condition.pk]))
    body = watched.locator("textarea#id_body")
    body.fill("## Walking helps\n\nA **short** walk every day.")
    body.dispatch_event("input")  # markdownx listens for input events
    preview = watched.get_by_role("region", name="Preview of body, as patients will see it")
    preview.locator("strong", has_text="short").wait_for(timeout=10_000)
    assert preview.locator("h2").inner_text() == "Walking helps"

    # The widgets that run scripts: related-objects selector, date shortcuts, save.
    assert watched.locator("#id_related_from").count() == 1  # filter_horizontal built by JS
    watched.get_by_role("button", name="Save", exact=True).click()
    watched.wait_for_load_state()
    assert "was changed successfully" in watched.locator(".messagelist").inner_text()
    assert Condition.objects.get(pk=condition.pk).body.startswith("## Walking helps")
    assert violations(watched) == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/conditions/",
        "/conditions/sciatica/",
        "/contact/",
        "/videos/",
        "/no-such-page/",
    ],
)
def test_public_pages_load_without_violations(watched, path):
    ConditionFactory(title="Sciatica", slug="sciatica")
    watched.goto(path)
    watched.wait_for_load_state("networkidle")
    assert violations(watched) == []


@pytest.mark.parametrize(
    ("source_url", "player"),
    [
        ("https://www.youtube.com/watch?v=testvid0001", "https://www.youtube-nocookie.com/"),
        ("https://vimeo.com/100000001", "https://player.vimeo.com/"),
    ],
)
def test_video_players_load_after_the_click_without_violations(watched, source_url, player):
    # A stand-in answers for the player: the test never reaches YouTube or Vimeo.
    watched.route(
        re.compile(r"^https://(www\.youtube-nocookie\.com|player\.vimeo\.com)/"),
        lambda route: route.fulfill(content_type="text/html", body="<title>player</title>"),
    )
    VideoFactory(title="Sitting well", slug="sitting-well", source_url=source_url)
    watched.goto("/videos/sitting-well/")
    watched.get_by_role("button", name="Play video: Sitting well").click()
    frame = watched.locator("iframe")
    frame.wait_for()
    assert frame.get_attribute("src").startswith(player)
    watched.wait_for_load_state("networkidle")
    assert any(url.startswith(player) for url in watched.requests)
    assert violations(watched) == []


def test_self_hosted_video_and_captions_play_without_violations(watched):
    VideoFactory(title="Lifting safely", slug="lifting", self_hosted=True)
    watched.goto("/videos/lifting/")
    watched.get_by_role("button", name="Play video: Lifting safely").click()
    watched.locator("video").wait_for()
    # The file (byte ranges from /media/) and the captions load under media-src 'self'.
    watched.wait_for_function("() => document.querySelector('video').readyState >= 1")
    watched.wait_for_function(
        "() => document.querySelector('video').textTracks[0].cues.length > 0"
    )
    assert violations(watched) == []


def test_a_blocked_inline_script_is_reported(watched):
    """The detector itself works: an inline script injected into a page is blocked."""
    watched.goto("/")
    watched.evaluate(
        """() => { const s = document.createElement("script");
        s.textContent = "window.__ran = true"; document.body.append(s); }"""
    )
    watched.wait_for_timeout(200)
    assert watched.evaluate("window.__ran === undefined")
    assert any("script-src" in text for text in violations(watched))
