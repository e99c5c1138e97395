"""Parsing YouTube and Vimeo links (videos.sources): what editors paste, and worse."""

import pytest
from django.core.exceptions import ValidationError

from videos.sources import VIMEO, YOUTUBE, HostedVideo, parse_video_url

ID = "testvid0001"  # a placeholder in YouTube's ID format; nothing here fetches it

VALID = {
    # YouTube: watch, share, short, embed and the other forms its Share menus give
    f"https://www.youtube.com/watch?v={ID}": (YOUTUBE, ID, ""),
    f"https://youtube.com/watch?v={ID}&t=42s&list=PL123": (YOUTUBE, ID, ""),
    f"https://m.youtube.com/watch?feature=share&v={ID}": (YOUTUBE, ID, ""),
    f"http://www.youtube.com/watch/?v={ID}": (YOUTUBE, ID, ""),
    f"www.youtube.com/watch?v={ID}": (YOUTUBE, ID, ""),
    f"  https://youtu.be/{ID}?si=AbCdEf  ": (YOUTUBE, ID, ""),
    f"youtu.be/{ID}": (YOUTUBE, ID, ""),
    f"https://www.youtube.com/shorts/{ID}": (YOUTUBE, ID, ""),
    f"https://www.youtube.com/embed/{ID}?start=10": (YOUTUBE, ID, ""),
    f"https://www.youtube-nocookie.com/embed/{ID}": (YOUTUBE, ID, ""),
    f"https://www.youtube.com/live/{ID}?feature=shared": (YOUTUBE, ID, ""),
    f"https://www.youtube.com/v/{ID}": (YOUTUBE, ID, ""),
    "https://www.youtube.com/watch?v=a-b_C-d_E-f": (YOUTUBE, "a-b_C-d_E-f", ""),
    # Vimeo: page, player (embed), private share links, channels and groups
    "https://vimeo.com/100000001": (VIMEO, "100000001", ""),
    "vimeo.com/100000001?share=copy": (VIMEO, "100000001", ""),
    "https://vimeo.com/100000001/abc123def4": (VIMEO, "100000001", "abc123def4"),
    "https://player.vimeo.com/video/100000001": (VIMEO, "100000001", ""),
    "https://player.vimeo.com/video/100000001?h=abc123def4&badge=0": (
        VIMEO,
        "100000001",
        "abc123def4",
    ),
    "https://vimeo.com/channels/staffpicks/100000001": (VIMEO, "100000001", ""),
    "https://vimeo.com/groups/spine/videos/100000001": (VIMEO, "100000001", ""),
    "https://vimeo.com/showcase/123/video/100000001": (VIMEO, "100000001", ""),
}


@pytest.mark.parametrize("url", VALID)
def test_accepted_links_keep_only_the_id(url):
    assert parse_video_url(url) == HostedVideo(*VALID[url])


HOSTILE = {
    # not YouTube or Vimeo at all, or pretending to be
    "https://example.com/watch?v=testvid0001": "Only YouTube and Vimeo",
    "https://youtube.com.evil.example/watch?v=testvid0001": "Only YouTube and Vimeo",
    "https://evil.example/youtube.com/watch?v=testvid0001": "Only YouTube and Vimeo",
    "https://youtube.com@evil.example/watch?v=testvid0001": "not a link to one",
    "https://evil.example@youtube.com/watch?v=testvid0001": "not a link to one",
    "https://user:pass@vimeo.com/100000001": "not a link to one",
    "https://www.youtube.com:8080/watch?v=testvid0001": "not a link to one",
    "https://www.youtube.com:notaport/watch?v=testvid0001": "not a link to one",
    "https://yοutube.com/watch?v=testvid0001": "Only YouTube and Vimeo",  # Greek omicron
    "https://www.youtube.com./watch?v=testvid0001": "Only YouTube and Vimeo",
    "https://notyoutu.be/testvid0001": "Only YouTube and Vimeo",
    # other schemes
    "javascript:alert(1)//youtube.com/watch?v=testvid0001": "not a link to one",
    "javascript://youtube.com/%0Aalert(1)": "Only web links",
    "data:text/html,<script>alert(1)</script>": "not a link to one",
    "ftp://youtube.com/watch?v=testvid0001": "Only web links",
    "file:///etc/passwd": "Only web links",
    # tricks inside the link
    "https://www.youtube.com/watch?v=testvid0001\n<script>": "spaces or other characters",
    "https://www.youtube.com/watch?v=test vid001": "spaces or other characters",
    "https://youtube.com\\@evil.example/watch?v=testvid0001": "spaces or other characters",
    "https://www.youtube.com/watch?v=testvid0001%22onload=alert(1)": "valid video ID",
    "https://www.youtube.com/watch?v=testvid0001&v=evilvid0002": "valid video ID",
    "https://www.youtube.com/watch?v=testvid00012": "valid video ID",
    "https://www.youtube.com/watch?v=short": "valid video ID",
    "https://www.youtube.com/watch?v=<script>xx": "valid video ID",
    "https://www.youtube.com/embed/../../evil": "not point to one video",
    "https://youtu.be/testvid0001/extra": "valid video ID",
    "https://youtu.be/": "valid video ID",
    # real YouTube and Vimeo pages that are not one video
    "https://www.youtube.com/playlist?list=PL0123456789": "playlist",
    "https://www.youtube.com/@someclinic": "not point to one video",
    "https://www.youtube.com/results?search_query=back+pain": "not point to one video",
    "https://www.youtube.com/": "not point to one video",
    "https://vimeo.com/someclinic": "Vimeo link does not point to one video",
    "https://vimeo.com/100000001/NOT-A-HASH": "private-link code",
    "https://player.vimeo.com/video/100000001?h=<b>": "private-link code",
    "https://vimeo.com/1234567890123": "Vimeo link does not point to one video",
    "https://player.vimeo.com/100000001": "Vimeo link does not point to one video",
    # empty, or absurd
    "": "Paste a link",
    "   ": "Paste a link",
    "https://www.youtube.com/watch?v=testvid0001&x=" + "a" * 600: "too long",
}


@pytest.mark.parametrize("url", HOSTILE)
def test_everything_else_is_refused_with_a_clear_message(url):
    with pytest.raises(ValidationError) as excinfo:
        parse_video_url(url)
    assert HOSTILE[url] in excinfo.value.messages[0]


def test_urls_are_built_from_the_id_with_privacy_settings():
    youtube = HostedVideo(YOUTUBE, ID)
    assert youtube.watch_url == f"https://www.youtube.com/watch?v={ID}"
    assert youtube.embed_url == f"https://www.youtube-nocookie.com/embed/{ID}"
    assert youtube.player_url.startswith(f"https://www.youtube-nocookie.com/embed/{ID}?")
    assert "cc_load_policy=1" in youtube.player_url

    vimeo = HostedVideo(VIMEO, "100000001", "abc123def4")
    assert vimeo.watch_url == "https://vimeo.com/100000001/abc123def4"
    assert vimeo.embed_url == "https://player.vimeo.com/video/100000001?dnt=1&h=abc123def4"
    assert vimeo.player_url.startswith(vimeo.embed_url + "&")
    assert "dnt=1" in HostedVideo(VIMEO, "100000001").player_url
