"""The video library: model rules, the list and detail pages, condition pages, admin."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conditions.models import Condition
from tests.factories import SAMPLE_MEDIA, ConditionFactory, TopicFactory, VideoFactory
from videos.durations import iso_duration, spoken_duration
from videos.library import PER_PAGE
from videos.models import Video

pytestmark = pytest.mark.django_db

LIST = "/videos/"


def cards(response):
    return re.findall(r'class="video-card-title"><a href="/videos/([\w-]+)/"', response.text)


def json_ld(response):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    videos = [data for data in map(json.loads, blocks) if data.get("@type") == "VideoObject"]
    assert len(videos) == 1, blocks
    return videos[0]


# The model
# ------------------------------------------------------------------------------


def test_save_parses_the_link_and_renders_markdown_safely():
    video = VideoFactory(
        source_url="https://youtu.be/testvid0001?si=tracking",
        description="Hello <script>alert(1)</script> **there**",
        transcript="### Part one\n\nSaid <img src=x onerror=alert(1)>.\n",
    )
    assert (video.provider, video.video_id) == (Video.Provider.YOUTUBE, "testvid0001")
    assert "<script" not in video.description_html
    assert "<strong>there</strong>" in video.description_html
    assert "onerror" not in video.transcript_html
    assert '<h3 id="part-one">Part one</h3>' in video.transcript_html
    assert video.transcript_text.startswith("Part one Said")

    video.source_url = "https://vimeo.com/100000001/abc123def4"
    video.save(update_fields=["source_url"])
    video.refresh_from_db()
    assert (video.provider, video.video_id, video.vimeo_hash) == (
        "vimeo",
        "100000001",
        "abc123def4",
    )

    video.source_url = ""
    video.video_file = SimpleUploadedFile(
        "v.mp4", (SAMPLE_MEDIA / "sitting-and-standing.mp4").read_bytes()
    )
    video.save()
    assert (video.provider, video.video_id, video.vimeo_hash) == ("file", "", "")
    assert video.hosted is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"source_url": "https://example.com/v"}, "source_url", "Only YouTube and Vimeo"),
        ({"source_url": ""}, "source_url", "Paste a YouTube or Vimeo link, or upload"),
        ({"video_file": "videos/files/x.mp4"}, "source_url", "not both"),
        ({"captions": "videos/captions/x.vtt"}, "captions", "for uploaded videos only"),
        ({"source_url": "", "video_file": "videos/files/x.mp4"}, "captions", "needs captions"),
        ({"duration": timedelta(0)}, "duration", "how long the video runs"),
        ({"duration": timedelta(hours=11)}, "duration", "how long the video runs"),
    ],
)
def test_clean_explains_what_is_wrong_with_the_source(changes, field, message):
    video = VideoFactory.build(**changes)
    with pytest.raises(ValidationError) as excinfo:
        video.clean()
    assert message in " ".join(excinfo.value.message_dict[field])


def test_durations_read_well_and_follow_iso_8601():
    assert iso_duration(timedelta(minutes=2, seconds=5)) == "PT2M5S"
    assert iso_duration(timedelta(seconds=38)) == "PT38S"
    assert iso_duration(timedelta(hours=1)) == "PT1H"
    assert iso_duration(timedelta(hours=1, seconds=1)) == "PT1H1S"
    assert spoken_duration(timedelta(minutes=2, seconds=5)) == "2 min 5 sec"
    assert spoken_duration(timedelta(minutes=3)) == "3 min"
    assert spoken_duration(timedelta(hours=1, minutes=2)) == "1 hr 2 min"


# The library page
# ------------------------------------------------------------------------------


@pytest.fixture
def library():
    """Three published videos and a draft, with topics and conditions."""
    care, treatments = TopicFactory(name="Everyday care"), TopicFactory(name="Treatments")
    sciatica = ConditionFactory(title="Sciatica", slug="sciatica")
    fbss = ConditionFactory(title="Failed back surgery syndrome", slug="fbss")
    hidden = ConditionFactory(title="Draft condition", slug="draft", status="draft")
    return {
        "posture": VideoFactory(
            title="Posture", slug="posture", topics=[care], conditions=[sciatica, hidden]
        ),
        "scs": VideoFactory(
            title="Stimulation", slug="scs", topics=[treatments], conditions=[fbss]
        ),
        "lifting": VideoFactory(title="Lifting", slug="lifting", topics=[care, treatments]),
        "draft": VideoFactory(
            title="Draft video",
            slug="draft-video",
            status="draft",
            topics=[care],
            conditions=[sciatica],
        ),
    }


def test_list_shows_published_cards_with_topics_and_length(client, library):
    response = client.get(LIST)
    assert response.status_code == 200
    assert cards(response) == ["lifting", "posture", "scs"]
    assert "Draft video" not in response.text
    assert '<time datetime="PT2M5S">2 min 5 sec</time>' in response.text
    assert '<a href="/videos/?topic=everyday-care">Everyday care</a>' in response.text
    assert library["posture"].thumbnail.url in response.text
    # The filters offer only what has published videos, never a draft condition.
    assert '<option value="sciatica">Sciatica</option>' in response.text
    assert 'value="draft"' not in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?topic=everyday-care", ["lifting", "posture"]),
        ("?topic=treatments", ["lifting", "scs"]),
        ("?condition=sciatica", ["posture"]),
        ("?condition=fbss&topic=treatments", ["scs"]),
        ("?topic=&condition=", ["lifting", "posture", "scs"]),
        ("?utm_source=x&colour=red&topic=treatments", ["lifting", "scs"]),
    ],
)
def test_filters_work_by_query_string(client, library, query, expected):
    response = client.get(LIST + query)
    assert response.status_code == 200
    assert cards(response) == expected


def test_filtered_page_says_what_it_shows_and_keeps_the_choice(client, library):
    response = client.get(LIST + "?condition=sciatica")
    assert "1 video for condition “Sciatica”." in response.text
    assert '<option value="sciatica" selected>Sciatica</option>' in response.text
    assert "<title>Videos: Sciatica |" in response.text


def test_filters_with_nothing_in_common_explain_and_offer_ways_out(client, library):
    response = client.get(LIST + "?condition=sciatica&topic=treatments")
    assert response.status_code == 200
    assert cards(response) == []
    assert "No videos match all of these filters yet." in response.text
    assert 'href="/videos/?condition=sciatica"' in response.text
    assert 'href="/videos/?topic=treatments"' in response.text


@pytest.mark.parametrize(
    "query",
    [
        "?topic=no-such-topic",
        "?condition=draft",  # exists, but is not published
        "?condition=%3Cscript%3Ealert(1)%3C/script%3E",
        "?topic=%00%01",
        "?topic=" + "x" * 5000,
    ],
)
def test_unknown_filter_values_get_a_helpful_404(client, library, query):
    response = client.get(LIST + query)
    assert response.status_code == 404
    assert "We have no videos for the" in response.text
    assert "<script>alert" not in response.text
    assert '<a href="/videos/">See all videos</a>' in response.text
    assert cards(response) == []


def test_empty_library_says_so(client):
    response = client.get(LIST)
    assert response.status_code == 200
    assert "There are no videos here yet." in response.text
    assert '<form class="filter' not in response.text


def options(response, name):
    select = re.search(rf'<select id="filter-{name}".*?</select>', response.text, re.S).group()
    return re.findall(r'<option value="([^"]+)"', select)


def test_the_condition_filter_offers_those_with_the_most_videos(client, monkeypatch):
    """A group's library can cover thousands of conditions: the select lists the most
    used, says so, and a condition left out still filters (its page links there)."""
    monkeypatch.setattr("videos.library.MOST_CHOICES", 3)
    monkeypatch.setattr("videos.library.Filter.most", 3)
    conditions = [ConditionFactory(title=f"Condition {n}", slug=f"c{n}") for n in range(5)]
    for n, condition in enumerate(conditions):  # c0 has 5 videos, ..., c4 has 1
        for m in range(5 - n):
            VideoFactory(title=f"Video {n} {m}", slug=f"v{n}-{m}", conditions=[condition])
    VideoFactory(slug="draft-only", status=Video.Status.DRAFT, conditions=[conditions[4]] * 1)

    response = client.get(LIST)
    assert options(response, "condition") == ["c0", "c1", "c2"]
    assert "Only the 3 conditions with the most videos are listed." in response.text
    assert 'aria-describedby="filter-condition-more"' in response.text
    assert options(response, "topic") == [] and "filter-topic-more" not in response.text

    rare = client.get(LIST + "?condition=c4")
    assert rare.status_code == 200
    assert cards(rare) == ["v4-0"]
    assert options(rare, "condition") == ["c0", "c1", "c2", "c4"]
    assert '<option value="c4" selected>Condition 4</option>' in rare.text
    assert client.get(LIST + "?condition=no-such").status_code == 404

    Video.objects.filter(slug__startswith="v3-").delete()  # four conditions left
    Video.objects.filter(slug__startswith="v4-").delete()  # three: all are offered
    response = client.get(LIST)
    assert options(response, "condition") == ["c0", "c1", "c2"]
    assert "with the most videos" not in response.text


@pytest.fixture
def many_videos():
    topic = TopicFactory(name="Everyday care")
    return [
        VideoFactory(title=f"Video {n:02}", slug=f"video-{n:02}", topics=[topic])
        for n in range(PER_PAGE * 2 + 3)
    ]


def test_pages_and_page_links_keep_the_filter(client, many_videos):
    first = client.get(LIST + "?topic=everyday-care")
    assert len(cards(first)) == PER_PAGE
    assert "Page 1 of 3." in first.text
    assert 'href="?topic=everyday-care&amp;page=2" rel="next"' in first.text
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1</a>' in first.text

    last = client.get(LIST + "?topic=everyday-care&page=3")
    assert cards(last) == ["video-24", "video-25", "video-26"]
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("0", 1),
        ("-1", 1),
        ("abc", 1),
        ("1.5", 1),
        ("", 1),
        ("99999", 3),
        ("9" * 400, 3),
        ("2", 2),
    ],
)
def test_bad_page_numbers_give_the_nearest_page(client, many_videos, page, shown):
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert f"Page {shown} of 3." in response.text


def test_list_page_costs_two_queries_whatever_the_filter(
    client, many_videos, django_assert_max_num_queries
):
    client.get(LIST)  # the clinic's details may be cached after the first request
    for query in ("", "?topic=everyday-care&page=2", "?condition=x"):
        # The filter choices, the page of cards with its counts, the clinic's details.
        with django_assert_max_num_queries(3):
            client.get(LIST + query)


# The video page
# ------------------------------------------------------------------------------


def test_video_page_has_transcript_conditions_and_a_private_play_link(client, library):
    response = client.get("/videos/posture/")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Posture</h1>" in html
    assert '<h2 id="transcript-heading">Transcript</h2>' in html
    assert "What is said in the video." in html
    assert '<a href="/conditions/sciatica/">Sciatica</a>' in html
    assert "/conditions/draft/" not in html  # drafts are not linked
    # Before a click the page loads nothing from a video host: a plain link, no frame.
    assert "<iframe" not in html
    assert not re.search(r'(?<![\w-])src="https?://', html)
    assert 'href="https://www.youtube.com/watch?v=' in html
    assert 'data-src="https://www.youtube-nocookie.com/embed/' in html
    assert 'aria-label="Play video: Posture"' in html
    assert 'src="/static/js/video-player.js" defer' in html
    # No inline script: only the JSON-LD data block and the player's static file.
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("application/ld+json" in attrs or "src=" in attrs for attrs in scripts), scripts
    assert "style=" not in html


def test_self_hosted_video_plays_from_this_site_with_captions(client):
    video = VideoFactory(self_hosted=True, slug="own")
    html = client.get("/videos/own/").text
    assert f'href="{video.video_file.url}" data-player="file"' in html
    assert f'data-captions="{video.captions.url}"' in html
    assert "This video plays from our own website, with captions on." in html
    assert "autoplay" not in html


def test_sample_videos_say_so(client):
    VideoFactory(slug="sample", is_sample=True)
    VideoFactory(slug="real")
    assert "This is a sample video." in client.get("/videos/sample/").text
    assert "This is a sample video." not in client.get("/videos/real/").text


def test_video_object_structured_data(client, library):
    video = library["posture"]
    data = json_ld(client.get("/videos/posture/"))
    assert data["@context"] == "https://schema.org"
    assert data["name"] == "Posture"
    assert data["description"] == "What this video covers."
    assert data["thumbnailUrl"] == "http://testserver" + video.thumbnail.url
    assert data["uploadDate"].startswith(str(video.created.date()))
    assert data["duration"] == "PT2M5S"
    assert data["transcript"] == "The first part What is said in the video."
    assert data["embedUrl"] == f"https://www.youtube-nocookie.com/embed/{video.video_id}"
    assert "contentUrl" not in data

    assert '"@type": "BreadcrumbList"' in client.get("/videos/posture/").text

    own = VideoFactory(self_hosted=True, slug="own")
    data = json_ld(client.get("/videos/own/"))
    assert data["contentUrl"] == "http://testserver" + own.video_file.url
    assert "embedUrl" not in data


def test_structured_data_cannot_be_broken_out_of(client):
    VideoFactory(
        slug="hostile",
        title="</script><script>alert(1)</script><!--",
        description="& </SCRIPT> <b>",
    )
    response = client.get("/videos/hostile/")
    assert "<script>alert(1)" not in response.text
    assert "</SCRIPT>" not in response.text
    data = json_ld(response)
    assert data["name"] == "</script><script>alert(1)</script><!--"


def test_drafts_are_for_staff_only(client, staff_client, library):
    assert client.get("/videos/draft-video/").status_code == 404
    response = staff_client.get("/videos/draft-video/")
    assert response.status_code == 200
    assert "Draft: only staff can see this page." in response.text
    assert client.get("/videos/no-such-video/").status_code == 404


def test_video_page_costs_one_query(client, library, django_assert_max_num_queries):
    client.get("/videos/posture/")
    with django_assert_max_num_queries(2):  # the video with its relations; the clinic
        client.get("/videos/posture/")


# Condition pages
# ------------------------------------------------------------------------------


def test_condition_page_lists_its_published_videos(client, library):
    response = client.get("/conditions/sciatica/")
    assert response.status_code == 200
    section = response.text.split('id="related-videos-heading"', 1)[1]
    assert '<a href="/videos/posture/">Posture</a>' in section
    assert "Draft video" not in section
    assert 'href="/videos/?condition=sciatica"' in section


def test_condition_without_videos_has_no_video_section(client, library):
    ConditionFactory(slug="lonely")
    assert "Related videos" not in client.get("/conditions/lonely/").text


def test_nav_links_to_the_library(client, library):
    html = client.get(LIST).text
    assert '<a href="/videos/" aria-current="page">Videos</a>' in html


# Admin
# ------------------------------------------------------------------------------


def png_bytes():
    from io import BytesIO

    from PIL import Image

    output = BytesIO()
    Image.new("RGB", (32, 18), "gray").save(output, "PNG")
    return output.getvalue()


def admin_form(**changes):
    data = {
        "title": "Walking after surgery",
        "slug": "walking",
        "description": "Why short walks help.",
        "source_url": "https://www.youtube.com/watch?v=testvid0001",
        "duration": "2:05",
        "thumbnail": SimpleUploadedFile("still.png", png_bytes()),
        "transcript": "### Walking\n\nShort walks help.",
        "status": "published",
        "reviewer_name": "",
        "reviewer_credentials": "",
        "last_reviewed": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


ADD = reverse("admin:videos_video_add")


def test_admin_adds_a_youtube_video(staff_client):
    response = staff_client.post(ADD, admin_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    video = Video.objects.get(slug="walking")
    assert (video.provider, video.video_id) == ("youtube", "testvid0001")
    assert video.duration == timedelta(minutes=2, seconds=5)
    assert re.fullmatch(r"videos/thumbnails/[0-9a-f]{32}\.png", video.thumbnail.name)
    assert (video.thumbnail_width, video.thumbnail_height) == (32, 18)


def test_admin_adds_an_uploaded_video_with_captions(staff_client):
    response = staff_client.post(
        ADD,
        admin_form(
            source_url="",
            video_file=SimpleUploadedFile(
                "My Clip.MP4", (SAMPLE_MEDIA / "sitting-and-standing.mp4").read_bytes()
            ),
            captions=SimpleUploadedFile(
                "clip.vtt", b"\xef\xbb\xbfWEBVTT\n\n00:00.000 --> 00:01.000\nHi\n"
            ),
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    video = Video.objects.get(slug="walking")
    assert video.provider == "file"
    assert re.fullmatch(r"videos/files/[0-9a-f]{32}\.mp4", video.video_file.name)
    assert re.fullmatch(r"videos/captions/[0-9a-f]{32}\.vtt", video.captions.name)


WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\0" * 40

BAD_ADMIN_INPUT = {
    "bad-url": ({"source_url": "https://example.com/watch?v=testvid0001"}, "Only YouTube and Vimeo"),
    "playlist": ({"source_url": "https://www.youtube.com/playlist?list=PL1"}, "playlist"),
    "script-url": ({"source_url": "javascript:alert(1)"}, "not a link to one YouTube"),
    "no-source": ({"source_url": ""}, "Paste a YouTube or Vimeo link, or upload a video file."),
    "text-as-mp4": (
        {"source_url": "", "video_file": SimpleUploadedFile("v.mp4", b"<html>not a video</html>")},
        "it is not an MP4 or WebM video",
    ),
    "webm-named-mp4": (
        {"source_url": "", "video_file": SimpleUploadedFile("v.mp4", WEBM_HEAD)},
        "it is really a WEBM video",
    ),
    "wrong-extension": (
        {"source_url": "", "video_file": SimpleUploadedFile("v.avi", b"RIFF0000AVI ")},
        "Upload the video as an MP4",
    ),
    "no-captions": (
        {"source_url": "", "video_file": SimpleUploadedFile("v.webm", WEBM_HEAD)},
        "Every video needs captions",
    ),
    "srt-captions": (
        {
            "source_url": "",
            "video_file": SimpleUploadedFile("v.webm", WEBM_HEAD),
            "captions": SimpleUploadedFile("c.vtt", b"1\n00:00:00,000 --> 00:00:01,000\nHi\n"),
        },
        "its first line must be WEBVTT",
    ),
    "captions-not-vtt": (
        {
            "source_url": "",
            "video_file": SimpleUploadedFile("v.webm", WEBM_HEAD),
            "captions": SimpleUploadedFile("c.srt", b"WEBVTT\n"),
        },
        "WebVTT file (.vtt)",
    ),
    "captions-not-utf8": (
        {
            "source_url": "",
            "video_file": SimpleUploadedFile("v.webm", WEBM_HEAD),
            "captions": SimpleUploadedFile("c.vtt", b"WEBVTT\n\n\xff\xfe"),
        },
        "not UTF-8",
    ),
    "webvtt-lookalike": (
        {
            "source_url": "",
            "video_file": SimpleUploadedFile("v.webm", WEBM_HEAD),
            "captions": SimpleUploadedFile("c.vtt", b"WEBVTTX\n"),
        },
        "its first line must be WEBVTT",
    ),
    "thumbnail-not-image": (
        {"thumbnail": SimpleUploadedFile("still.png", b"GIF89a nope")},
        "not a JPEG, PNG or WebP image",
    ),
    "bad-duration": ({"duration": "soon"}, "Enter a valid duration"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_ADMIN_INPUT)
def test_admin_refuses_bad_links_and_files_with_a_clear_message(staff_client, case):
    changes, message = BAD_ADMIN_INPUT[case]
    response = staff_client.post(ADD, admin_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Video.objects.exists()


def test_admin_refuses_videos_over_the_size_limit(staff_client, settings):
    settings.VIDEO_UPLOAD_MAX_BYTES = 1000
    response = staff_client.post(
        ADD,
        admin_form(
            source_url="",
            video_file=SimpleUploadedFile(
                "v.mp4", (SAMPLE_MEDIA / "sitting-and-standing.mp4").read_bytes()
            ),
            captions=SimpleUploadedFile("c.vtt", b"WEBVTT\n"),
        ),
    )
    assert response.status_code == 200
    assert "The limit is 1000" in response.content.decode()
    assert not Video.objects.exists()


def test_admin_lists_samples_and_filters_by_them(staff_client):
    VideoFactory(title="A sample", is_sample=True)
    VideoFactory(title="A real one")
    changelist = reverse("admin:videos_video_changelist")
    response = staff_client.get(changelist)
    assert "column-is_sample" in response.text
    assert "By sample video" in response.text
    filtered = staff_client.get(changelist + "?is_sample__exact=1").text
    assert "A sample" in filtered and "A real one" not in filtered


def test_admin_edit_keeps_the_loader_away(staff_client):
    video = VideoFactory(slug="walking", content_hash="abc")
    url = reverse("admin:videos_video_change", args=[video.pk])
    response = staff_client.post(url, admin_form(thumbnail=None, title="Edited"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    video.refresh_from_db()
    assert (video.title, video.content_hash) == ("Edited", "")


def test_admin_actions_publish_and_unpublish(staff_client):
    video = VideoFactory(status="draft", content_hash="abc")
    changelist = reverse("admin:videos_video_changelist")
    staff_client.post(changelist, {"action": "publish", "_selected_action": [video.pk]})
    video.refresh_from_db()
    assert video.is_published and video.content_hash == ""
    staff_client.post(changelist, {"action": "unpublish", "_selected_action": [video.pk]})
    video.refresh_from_db()
    assert not video.is_published


def test_condition_admin_and_page_still_work_with_videos_attached(client, library):
    # Deleting a condition must not delete its videos, only the link.
    Condition.objects.get(slug="sciatica").delete()
    assert Video.objects.filter(slug="posture").exists()
    assert client.get("/videos/posture/").status_code == 200
