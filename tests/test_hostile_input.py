"""Hostile or unlucky input gets a clear answer, never a 500, and leaves nothing
half-stored: long names, absurd ranges, a full disk, pathological Markdown, and
phone photos in MPO form."""

import errno
import json
import os
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from conditions.models import Condition
from tests.factories import SAMPLE_MEDIA, ConditionFactory
from tests.test_videos import admin_form
from videos.models import Video

pytestmark = pytest.mark.django_db


def anonymous():
    return Client(raise_request_exception=False)


# Uploaded files
# ------------------------------------------------------------------------------


@pytest.fixture
def video_file():
    path = settings.MEDIA_ROOT / "videos" / "walk.mp4"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(range(100)))
    return "/media/videos/walk.mp4"


@pytest.mark.parametrize(
    "name", ["a" * 300 + ".png", "é" * 200 + ".mp4", "x/" * 3000 + "y.png", "a%00b.png"]
)
def test_impossible_file_names_are_404(name):
    assert anonymous().get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    ("header", "status", "body"),
    [
        ("bytes=" + "9" * 5000 + "-", 416, b""),
        ("bytes=0-" + "9" * 5000, 206, bytes(range(100))),
        ("bytes=-" + "9" * 5000, 206, bytes(range(100))),
        ("bytes=" + "1" * 5000 + "-" + "2" * 5000, 416, b""),
    ],
)
def test_ranges_of_thousands_of_digits(video_file, header, status, body):
    response = anonymous().get(video_file, headers={"range": header})
    assert response.status_code == status
    if status == 206:
        assert b"".join(response.streaming_content) == body


# The admin's login
# ------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_an_overlong_username_is_a_form_error(length):
    response = anonymous().post("/admin/login/", {"username": "u" * length, "password": "x"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode()


# A full disk: a clear message, and no file left behind
# ------------------------------------------------------------------------------


@pytest.fixture
def disk_fills_up(monkeypatch):
    """Storage writes fail with ENOSPC half-way through the `fail_on`-th file."""
    real_fdopen = os.fdopen
    opened = []

    class HalfWritten:
        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            self.handle.close()

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        opened.append(fd)
        return HalfWritten(handle) if len(opened) == state["fail_on"] else handle

    state = {"fail_on": 1}
    monkeypatch.setattr(os, "fdopen", fdopen)
    return state


def stored_files():
    return sorted(str(p) for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


def image_upload(name="photo.png", image_format="PNG", **save):
    output = BytesIO()
    Image.new("RGB", (64, 48), "teal").save(output, image_format, **save)
    return SimpleUploadedFile(name, output.getvalue())


def test_an_editor_image_on_a_full_disk(staff_client, disk_fills_up):
    response = staff_client.post("/markdownx/upload/", {"image": image_upload()})
    assert response.status_code == 507
    assert "disk may be full. Nothing was saved" in json.loads(response.content)["error"]
    assert stored_files() == []


def test_a_video_on_a_full_disk_leaves_no_file_and_no_row(staff_client, disk_fills_up):
    disk_fills_up["fail_on"] = 2  # the video is stored whole, then the captions fail
    data = admin_form(
        source_url="",
        video_file=SimpleUploadedFile(
            "clip.mp4", (SAMPLE_MEDIA / "sitting-and-standing.mp4").read_bytes()
        ),
        captions=SimpleUploadedFile("clip.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n"),
    )
    response = staff_client.post("/admin/videos/video/add/", data, follow=True)
    assert response.status_code == 200
    assert "disk may be full. Nothing was saved" in response.content.decode()
    assert not Video.objects.exists()
    assert stored_files() == []


# Markdown that would take the preview down
# ------------------------------------------------------------------------------

NESTED_BRACKETS = "[" * 75_000 + "]" * 75_000  # 150 KB
DEEP_LIST = "- " * 500 + "item\n"  # a list in a list, 500 deep
DEEP_INDENTED_LIST = "".join("    " * level + "- item\n" for level in range(200))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (NESTED_BRACKETS, "characters long; the limit is 100,000"),
        ("[" * 5_000 + "]" * 5_000, "Brackets are nested 5000 deep"),
        ("(" * 40 + "x", "Brackets are nested 40 deep"),
        (DEEP_LIST, "Lists or quotes are nested 500 levels deep"),
        (DEEP_INDENTED_LIST, "Lists or quotes are nested 11 levels deep"),
        ("1. " * 20 + "x", "nested 20 levels deep"),
        ("> " * 300 + "quote", "nested 300 levels deep"),
    ],
)
def test_the_preview_refuses_markdown_too_long_or_deep(staff_client, text, message):
    response = staff_client.post("/markdownx/markdownify/", {"content": text})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_ordinary_nesting_still_previews(staff_client):
    text = "".join("    " * level + "- item\n" for level in range(6)) + "\n[a [b] (c)](/x)\n"
    response = staff_client.post("/markdownx/markdownify/", {"content": text})
    assert response.status_code == 200
    assert response.content.decode().count("<ul>") == 6


def test_the_admin_form_refuses_it_too(staff_client):
    condition = ConditionFactory()
    data = {
        "title": condition.title,
        "slug": condition.slug,
        "summary": condition.summary,
        "region": condition.region,
        "body": DEEP_LIST,
        "status": "published",
    }
    response = staff_client.post(f"/admin/conditions/condition/{condition.pk}/change/", data)
    assert response.status_code == 200
    assert "Lists or quotes are nested" in response.content.decode()
    assert Condition.objects.get().body == condition.body


# Phone photos
# ------------------------------------------------------------------------------


def mpo_bytes():
    """A two-frame MPO, as some phones save photos: the first frame is the photo."""
    output = BytesIO()
    first = Image.new("RGB", (120, 80), "red")
    first.save(output, "MPO", save_all=True, append_images=[Image.new("RGB", (60, 40), "blue")])
    data = output.getvalue()
    assert Image.open(BytesIO(data)).format == "MPO"
    return data


def test_an_mpo_photo_is_kept_as_its_first_frame(staff_client):
    response = staff_client.post(
        "/markdownx/upload/", {"image": SimpleUploadedFile("IMG_0001.JPG", mpo_bytes())}
    )
    assert response.status_code == 200, response.content
    url = json.loads(response.content)["image_code"].split("(")[1].rstrip(")")
    assert url.endswith(".jpg")
    stored = Image.open(settings.MEDIA_ROOT / url.removeprefix("/media/"))
    assert stored.format == "JPEG" and stored.size == (120, 80)
    assert stored.getpixel((60, 40))[0] > 200  # red: the first frame
