"""Uploaded files are served download-safe: allow-listed types only, nosniff, a
sandboxing CSP, byte ranges for video players."""

import pytest
from django.conf import settings

from spinesite.media import download_headers

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_file():
    def write(name, content):
        path = settings.MEDIA_ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return f"/media/{name}"

    return write


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("uploads/photo.png", "image/png"),
        ("uploads/photo.JPG", "image/jpeg"),
        ("uploads/photo.webp", "image/webp"),
        ("videos/walk.mp4", "video/mp4"),
        ("videos/walk.webm", "video/webm"),
        ("videos/walk.vtt", "text/vtt; charset=utf-8"),
    ],
)
def test_allow_listed_types_are_shown(client, media_file, name, content_type):
    response = client.get(media_file(name, b"\x00" * 10))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert not response.headers.get("Content-Disposition", "").startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name", ["uploads/page.html", "uploads/drawing.svg", "uploads/notes", "uploads/x.png.js"]
)
def test_anything_else_is_only_a_download(client, media_file, name):
    response = client.get(media_file(name, b"<script>alert(1)</script>"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_media_cannot_run_anything_even_when_opened(client, media_file):
    response = client.get(media_file("uploads/photo.png", b"png"))
    policy = response.headers["Content-Security-Policy"]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


def test_byte_ranges_for_video_players(client, media_file):
    url = media_file("videos/walk.mp4", bytes(range(100)))
    whole = client.get(url)
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = client.get(url, headers={"range": "bytes=10-19"})
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == bytes(range(10, 20))
    assert part.headers["Content-Range"] == "bytes 10-19/100"
    assert part.headers["Content-Length"] == "10"
    assert part.headers["Content-Type"] == "video/mp4"
    tail = client.get(url, headers={"range": "bytes=-5"})
    assert b"".join(tail.streaming_content) == bytes(range(95, 100))
    open_ended = client.get(url, headers={"range": "bytes=98-"})
    assert b"".join(open_ended.streaming_content) == bytes([98, 99])
    beyond = client.get(url, headers={"range": "bytes=100-200"})
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == "bytes */100"
    several = client.get(url, headers={"range": "bytes=0-1,5-6"})
    assert several.status_code == 200  # the whole file is a valid answer


@pytest.mark.parametrize(
    "path", ["/media/..%2Fspinesite%2Fsettings.py", "/media/%2Fetc%2Fpasswd", "/media/nothing.png"]
)
def test_missing_or_outside_files_are_404(client, media_file, path):
    media_file("uploads/photo.png", b"png")
    assert client.get(path).status_code == 404


def test_only_get_and_head(client, media_file):
    url = media_file("uploads/photo.png", b"png")
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_object_storage_uses_the_same_rules():
    assert download_headers("uploads/a.webp") == {"Content-Type": "image/webp"}
    assert download_headers("uploads/a.svg") == {
        "Content-Type": "application/octet-stream",
        "Content-Disposition": 'attachment; filename="a.svg"',
    }
