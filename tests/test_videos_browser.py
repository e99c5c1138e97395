"""The video library in a real Chromium: privacy before the click, the player after
it, the keyboard, captions, pages without JavaScript, and axe-core."""

import re
from urllib.parse import urlparse

import pytest

from tests.factories import ConditionFactory, TopicFactory, VideoFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO_HOSTS = re.compile(r"^https?://([\w-]+\.)*(youtube(-nocookie)?\.com|youtu\.be|vimeo\.com)/")


def third_party(tab, live_server):
    host = urlparse(live_server.url).netloc
    return [url for url in tab.requests if urlparse(url).netloc not in ("", host)]


@pytest.fixture
def stub_hosts(page):
    """Answer for YouTube and Vimeo in the browser: requests are still recorded, but
    a test never reaches (or depends on) the real hosts."""
    page.route(
        VIDEO_HOSTS,
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>player</title>"
        ),
    )
    return page


@pytest.fixture
def videos():
    care = TopicFactory(name="Everyday care")
    sciatica = ConditionFactory(title="Sciatica", slug="sciatica")
    fbss = ConditionFactory(title="Failed back surgery syndrome", slug="fbss")
    return {
        "youtube": VideoFactory(
            title="Sitting well",
            slug="sitting-well",
            source_url="https://www.youtube.com/watch?v=testvid0001",
            topics=[care],
            conditions=[sciatica],
        ),
        "vimeo": VideoFactory(
            title="Walking",
            slug="walking",
            source_url="https://vimeo.com/100000001",
            conditions=[fbss],
        ),
        "file": VideoFactory(
            title="Lifting safely", slug="lifting", self_hosted=True, topics=[care], is_sample=True
        ),
    }


def play_button(tab, title):
    return tab.get_by_role("button", name=f"Play video: {title}")


def test_no_request_to_a_video_host_before_the_click(stub_hosts, live_server, videos):
    page = stub_hosts
    page.goto("/videos/sitting-well/")
    page.wait_for_load_state("networkidle")
    assert third_party(page, live_server) == []
    assert page.locator("iframe").count() == 0

    play_button(page, "Sitting well").click()
    frame = page.locator("iframe.video-frame")
    frame.wait_for()
    src = frame.get_attribute("src")
    assert src.startswith("https://www.youtube-nocookie.com/embed/testvid0001?")
    assert frame.get_attribute("title") == "Video player: Sitting well"
    page.wait_for_load_state("networkidle")
    assert third_party(page, live_server) == [src]
    assert not any("youtube.com/" in url for url in page.requests if "nocookie" not in url)


def test_vimeo_loads_with_do_not_track_after_the_click(stub_hosts, live_server, videos):
    page = stub_hosts
    page.goto("/videos/walking/")
    page.wait_for_load_state("networkidle")
    assert third_party(page, live_server) == []
    play_button(page, "Walking").click()
    src = page.locator("iframe.video-frame").get_attribute("src")
    assert src.startswith("https://player.vimeo.com/video/100000001?dnt=1")
    page.wait_for_load_state("networkidle")
    assert third_party(page, live_server) == [src]


@pytest.mark.parametrize("key", ["Enter", " "])
def test_the_play_button_works_from_the_keyboard(stub_hosts, live_server, videos, key):
    page = stub_hosts
    page.goto("/videos/sitting-well/")
    button = play_button(page, "Sitting well")
    for _ in range(30):  # Tab through the page, as a keyboard user would
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the play button")
    assert third_party(page, live_server) == []
    page.keyboard.press(key)
    frame = page.locator("iframe.video-frame")
    frame.wait_for()
    assert frame.evaluate("element => element === document.activeElement")


def test_self_hosted_video_plays_here_with_captions_on_and_no_autoplay(page, live_server, videos):
    page.goto("/videos/lifting/")
    assert page.locator("video").count() == 0
    play_button(page, "Lifting safely").click()
    video = page.locator("video.video-frame")
    video.wait_for()
    assert video.get_attribute("autoplay") is None
    assert video.evaluate("v => v.controls && !v.autoplay")
    track = page.locator("video track")
    assert track.get_attribute("kind") == "captions"
    assert track.get_attribute("srclang") == "en"
    assert track.evaluate("t => t.default")
    assert track.get_attribute("src") == videos["file"].captions.url
    page.wait_for_function("document.querySelector('video').textTracks[0].mode === 'showing'")
    page.wait_for_function("document.querySelector('video').textTracks[0].cues.length > 0")
    assert page.locator("video source").get_attribute("src") == videos["file"].video_file.url
    assert video.evaluate("v => v === document.activeElement")
    assert third_party(page, live_server) == []


def test_without_javascript_play_is_a_plain_link(browser, live_server, videos):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    requested = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto("/videos/sitting-well/")
    link = tab.get_by_role("link", name="Play video: Sitting well")
    assert link.get_attribute("href") == "https://www.youtube.com/watch?v=testvid0001"
    assert tab.get_by_role("heading", name="Transcript").is_visible()

    tab.goto("/videos/lifting/")
    link = tab.get_by_role("link", name="Play video: Lifting safely")
    assert link.get_attribute("href") == videos["file"].video_file.url
    host = urlparse(live_server.url).netloc
    assert all(urlparse(url).netloc == host for url in requested)
    context.close()


def test_filters_work_without_javascript(browser, live_server, videos):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/videos/")
    tab.get_by_label("Condition", exact=True).select_option("sciatica")
    tab.get_by_role("button", name="Show videos").click()
    assert urlparse(tab.url).query == "topic=&condition=sciatica"
    titles = tab.locator(".video-card-title").all_inner_texts()
    assert titles == ["Sitting well"]
    context.close()


def test_a_new_user_finds_reads_and_plays_a_video(stub_hosts, live_server, videos):
    """The issue's "done when": browse, filter by a condition, open, read, play by keyboard."""
    page = stub_hosts
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Videos").click()
    page.get_by_label("Condition", exact=True).select_option("sciatica")
    page.get_by_role("button", name="Show videos").click()
    page.get_by_role("link", name="Sitting well").click()
    assert page.get_by_role("heading", name="Transcript").is_visible()
    assert page.get_by_text("What is said in the video.").is_visible()
    assert page.get_by_role("link", name="Sciatica").is_visible()
    play_button(page, "Sitting well").focus()
    page.wait_for_load_state("networkidle")
    assert third_party(page, live_server) == [], "a third party was asked before play"
    page.keyboard.press("Enter")
    page.locator("iframe.video-frame").wait_for()
    page.wait_for_load_state("networkidle")
    assert [urlparse(url).netloc for url in third_party(page, live_server)] == [
        "www.youtube-nocookie.com"
    ]


def test_condition_page_links_its_videos_and_back(page, live_server, videos):
    page.goto("/conditions/sciatica/")
    related = page.get_by_role("region", name="Related videos")
    related.get_by_role("link", name="Sitting well").click()
    assert page.url.endswith("/videos/sitting-well/")
    page.get_by_role("link", name="Sciatica").click()
    assert page.url.endswith("/conditions/sciatica/")


@pytest.mark.parametrize(
    "path",
    [
        "/videos/",
        "/videos/?condition=sciatica",
        "/videos/?topic=no-such-topic",
        "/videos/?topic=everyday-care&condition=fbss",
        "/videos/sitting-well/",
        "/videos/lifting/",
        "/conditions/sciatica/",
    ],
)
def test_pages_pass_axe(stub_hosts, assert_accessible, videos, path):
    stub_hosts.goto(path)
    assert_accessible(stub_hosts)


WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll("main *")]
    .filter(element => element.getBoundingClientRect().right > window.innerWidth)
    .map(element => element.outerHTML.slice(0, 80))"""


def test_pages_pass_axe_with_the_player_open_and_on_a_phone(
    browser, live_server, assert_accessible, videos
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    tab = context.new_page()
    tab.goto("/videos/lifting/")
    assert tab.evaluate(WIDER_THAN_THE_SCREEN) == []
    play_button(tab, "Lifting safely").click()
    tab.locator("video.video-frame").wait_for()
    assert_accessible(tab)
    # A condition's long name in the filter: the select fits the screen, not its text.
    long_name = ConditionFactory(title="Failed back surgery syndrome after two fusions " * 2)
    VideoFactory(title="Long", slug="long", conditions=[long_name])
    tab.goto(f"/videos/?condition={long_name.slug}")
    # (On a phone the page widens to what overflows, so window.innerWidth would too.)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    tab.goto("/videos/")
    assert tab.evaluate(WIDER_THAN_THE_SCREEN) == []
    assert_accessible(tab)
    context.close()


def test_library_pages_through_many_videos(page, live_server):
    topic = TopicFactory(name="Everyday care")
    for n in range(14):
        VideoFactory(title=f"Video {n:02}", slug=f"video-{n:02}", topics=[topic])
    page.goto("/videos/?topic=everyday-care")
    pages = page.get_by_role("navigation", name="Pages of videos")
    pages.get_by_role("link", name="Next page").click()
    assert "page=2" in page.url and "topic=everyday-care" in page.url
    assert page.locator(".video-card-title").all_inner_texts() == ["Video 12", "Video 13"]
