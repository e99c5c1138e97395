"""The Markdown editor's endpoints: live preview and image upload, staff only.

Files are generated in memory with Pillow; the autouse fixture in conftest points
MEDIA_ROOT at a temporary directory, so "nothing stored" means it holds no file.
"""

import random
import re
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, PngImagePlugin

from contact.groups import (
    CLINICAL_REVIEWERS,
    CONTENT_EDITORS,
    FRONT_DESK,
    FRONT_DESK_EXPORT,
    PRIVACY_OFFICER,
)
from spinesite.images import MAX_UPLOAD_BYTES
from spinesite.markdown import render_markdown
from tests.factories import UserFactory
from tests.staff_support import verified_client
from tests.test_sanitizer import parse, structure, violations

pytestmark = pytest.mark.django_db

PREVIEW_URL = "/markdownx/markdownify/"
UPLOAD_URL = "/markdownx/upload/"
IMAGE_CODE = re.compile(r"!\[Describe the image\]\(/media/uploads/([0-9a-f]{32})\.(\w+)\)")
NOT_AN_IMAGE = "This file is not a JPEG, PNG or WebP image, or it is damaged."
TOO_MANY_PIXELS = "This image has too many pixels."
CALLOUT = '!!! emergency "Call 911 now if"\n    - You lose bladder control\n'
SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1))"


def image_bytes(image_format, size=(64, 48), mode="RGB", **save_kwargs):
    image = Image.new(mode, size, 120 if mode in ("L", "P", "1") else None)
    if mode in ("RGB", "RGBA", "CMYK"):
        # A gradient, so JPEG and WebP have something to encode.
        image = Image.linear_gradient("L").resize(size).convert(mode)
    buffer = BytesIO()
    image.save(buffer, image_format, **save_kwargs)
    return buffer.getvalue()


def png_claiming(width, height):
    """A valid 1-bit PNG of `width` x `height` black pixels: tiny file, huge image."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def corrupt_png():
    data = bytearray(image_bytes("PNG", size=(200, 200)))
    start = data.index(b"IDAT") + 4
    for offset in range(start + 10, start + 30):
        data[offset] ^= 0xFF
    return bytes(data)


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def upload(client, name, data, content_type="application/octet-stream"):
    return client.post(
        UPLOAD_URL,
        {"image": SimpleUploadedFile(name, data, content_type=content_type)},
        secure=True,  # as in production, where plain HTTP is redirected
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user_client(client):
    client.force_login(UserFactory())
    return client


@pytest.fixture
def inactive_staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_active=False))
    return client


def test_urls_are_the_ones_markdownx_calls():
    assert reverse("markdownx_markdownify") == PREVIEW_URL
    assert reverse("markdownx_upload") == UPLOAD_URL


# Who may use them


@pytest.mark.parametrize("who", ["client", "user_client", "inactive_staff_client"])
def test_preview_refused_to_all_but_staff(request, who):
    response = request.getfixturevalue(who).post(
        PREVIEW_URL, {"content": "**preview-marker**"}, secure=True
    )
    assert response.status_code == 403
    assert b"preview-marker" not in response.content


@pytest.mark.parametrize("who", ["client", "user_client", "inactive_staff_client"])
def test_upload_refused_to_all_but_staff(request, who, settings):
    response = upload(request.getfixturevalue(who), "a.png", image_bytes("PNG"), "image/png")
    assert response.status_code == 403
    assert b"image_code" not in response.content
    assert media_files(settings) == []


def staff_member(*groups):
    user = UserFactory(is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.mark.parametrize(
    ("groups", "allowed"),
    [
        ((CONTENT_EDITORS,), True),
        ((FRONT_DESK,), False),
        ((FRONT_DESK, FRONT_DESK_EXPORT), False),
        ((CLINICAL_REVIEWERS,), False),
        ((PRIVACY_OFFICER,), False),
        ((), False),
    ],
)
def test_only_content_editors_upload_images(settings, groups, allowed):
    """Uploads are public files: the front desk and other staff cannot add any."""
    client = verified_client(staff_member(*groups))
    response = upload(client, "a.png", image_bytes("PNG"), "image/png")
    assert response.status_code == (200 if allowed else 403)
    assert len(media_files(settings)) == (1 if allowed else 0)


@pytest.mark.parametrize("url", [PREVIEW_URL, UPLOAD_URL])
@pytest.mark.parametrize("who", ["client", "user_client", "staff_client"])
def test_get_not_allowed(request, who, url):
    assert request.getfixturevalue(who).get(url, secure=True).status_code == 405


@pytest.mark.parametrize("url", [PREVIEW_URL, UPLOAD_URL])
@pytest.mark.parametrize("with_token", [False, True])
def test_staff_still_need_the_csrf_token(url, settings, with_token):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_member(CONTENT_EDITORS))
    headers = {"Referer": "https://testserver/admin/"}
    if with_token:  # what the editor's JavaScript sends: the cookie's token, as a header
        token = "k" * 32
        client.cookies[settings.CSRF_COOKIE_NAME] = token
        headers["X-CSRFToken"] = token
    files = {"image": SimpleUploadedFile("a.png", image_bytes("PNG"), content_type="image/png")}
    response = client.post(url, {"content": "x", **files}, secure=True, headers=headers)
    assert response.status_code == (200 if with_token else 403)
    assert len(media_files(settings)) == (1 if with_token and url == UPLOAD_URL else 0)


# Preview


def test_preview_is_sanitised_and_renders_callouts(staff_client):
    content = f"{SCRIPT}\n\n{CALLOUT}"
    response = staff_client.post(PREVIEW_URL, {"content": content}, secure=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert violations(html) == [], html
    tags = [tag for tag, _ in parse(html).elements]
    assert "script" not in tags
    assert "alert(1)" not in html  # the script's body went with it
    classes = [dict(attrs).get("class") for _, attrs in parse(html).elements]
    assert "callout callout-emergency" in classes
    assert "Call 911 now if" in html
    assert structure(html) == structure(render_markdown(content))  # the page pipeline


def test_preview_without_content_is_empty(staff_client):
    response = staff_client.post(PREVIEW_URL, {}, secure=True)
    assert response.status_code == 200
    assert response.content == b""


# Uploads that are accepted


@pytest.mark.parametrize(
    ("image_format", "name", "content_type", "extension"),
    [
        pytest.param("PNG", "photo.jpg", "image/jpeg", "png", id="png-named-jpg"),
        pytest.param("JPEG", "x.php", "application/x-php", "jpg", id="jpeg-named-php"),
        pytest.param("WEBP", "scan.png", "image/png", "webp", id="webp-named-png"),
        pytest.param("JPEG", "spine.jpeg", "image/jpeg", "jpg", id="jpeg"),
        pytest.param("PNG", "diagram.png", "image/png", "png", id="png"),
        pytest.param("WEBP", "x.html", "text/html", "webp", id="webp-named-html"),
        pytest.param("PNG", "no-extension", "application/octet-stream", "png", id="png-no-name"),
    ],
)
def test_image_stored_with_detected_extension(
    staff_client, settings, image_format, name, content_type, extension
):
    response = upload(staff_client, name, image_bytes(image_format), content_type)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    payload = response.json()
    assert set(payload) == {"image_code"}
    match = IMAGE_CODE.fullmatch(payload["image_code"])
    assert match, payload
    assert match.group(2) == extension
    stored = Path(settings.MEDIA_ROOT) / "uploads" / f"{match.group(1)}.{extension}"
    assert media_files(settings) == [stored]
    with Image.open(stored) as image:
        assert image.format == image_format
        assert image.size == (64, 48)
        image.load()


def test_each_upload_gets_its_own_name(staff_client, settings):
    codes = {upload(staff_client, "a.png", image_bytes("PNG")).json()["image_code"] for _ in "ab"}
    assert len(codes) == 2
    assert len(media_files(settings)) == 2


@pytest.mark.parametrize(
    ("image_format", "mode", "extension"),
    [
        ("PNG", "RGBA", "png"),
        ("PNG", "P", "png"),
        ("PNG", "L", "png"),
        ("PNG", "1", "png"),
        ("JPEG", "L", "jpg"),
        ("JPEG", "CMYK", "jpg"),
        ("WEBP", "RGBA", "webp"),
    ],
)
def test_common_colour_modes_accepted(staff_client, settings, image_format, mode, extension):
    response = upload(staff_client, "a", image_bytes(image_format, mode=mode))
    assert response.status_code == 200, response.content
    (stored,) = media_files(settings)
    assert stored.suffix == f".{extension}"
    with Image.open(stored) as image:
        image.load()


@pytest.mark.parametrize(
    ("image_format", "size", "expected"),
    [
        ("JPEG", (4000, 3000), (1600, 1200)),
        ("PNG", (1000, 5000), (320, 1600)),
        ("WEBP", (3200, 1600), (1600, 800)),
        ("JPEG", (1600, 1600), (1600, 1600)),
        ("PNG", (300, 200), (300, 200)),
    ],
)
def test_large_images_scaled_to_fit(staff_client, settings, image_format, size, expected):
    response = upload(staff_client, "big", image_bytes(image_format, size=size))
    assert response.status_code == 200, response.content
    (stored,) = media_files(settings)
    with Image.open(stored) as image:
        assert image.size == expected


def _exif():
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0131] = "SecretSoftware"  # Software
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {  # GPS IFD
        1: "N",
        2: (40.0, 42.0, 51.0),
        3: "W",
        4: (74.0, 0.0, 21.0),
    }
    return exif


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SecretXmpLocation</x:xmpmeta>'


@pytest.mark.parametrize(
    ("image_format", "save_kwargs"),
    [
        pytest.param(
            "JPEG", {"exif": _exif(), "xmp": XMP, "comment": b"SecretComment"}, id="jpeg"
        ),
        pytest.param("WEBP", {"exif": _exif(), "xmp": XMP}, id="webp"),
        pytest.param("PNG", {"exif": _exif()}, id="png-exif"),
    ],
)
def test_metadata_removed(staff_client, settings, image_format, save_kwargs):
    original = image_bytes(image_format, size=(40, 20), **save_kwargs)
    with Image.open(BytesIO(original)) as image:  # the metadata really is there
        assert image.getexif().get_ifd(0x8825)
    response = upload(staff_client, "phone-photo", original)
    assert response.status_code == 200, response.content
    (stored,) = media_files(settings)
    data = stored.read_bytes()
    with Image.open(stored) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825)  # no GPS
        assert 0x010F not in exif
        assert 0x0112 not in exif
        assert "xmp" not in image.info
        assert "comment" not in image.info
        assert image.size == (20, 40)  # the orientation was applied, then dropped
    for secret in (b"Secret", b"Exif\0\0"):
        assert secret not in data


def test_png_text_chunks_removed(staff_client, settings):
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "SecretClinicRoom")
    info.add_itxt("Author", "SecretPatientName")
    response = upload(staff_client, "a.png", image_bytes("PNG", pnginfo=info))
    assert response.status_code == 200, response.content
    (stored,) = media_files(settings)
    assert b"Secret" not in stored.read_bytes()


def test_data_appended_to_an_image_is_not_stored(staff_client, settings):
    polyglot = image_bytes("PNG") + b"<?php system($_GET['c']); ?><script>alert(1)</script>"
    response = upload(staff_client, "a.png", polyglot, "image/png")
    assert response.status_code == 200, response.content
    (stored,) = media_files(settings)
    assert b"<?php" not in stored.read_bytes()
    assert b"<script" not in stored.read_bytes()


# Uploads that are refused


def _text():
    return b"Just some notes about lumbar stenosis.\n" * 20


def _svg():
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(document.cookie)</script></svg>"
    )


REJECTED = [
    pytest.param("a.gif", lambda: image_bytes("GIF"), "image/gif", NOT_AN_IMAGE, id="gif"),
    pytest.param("a.png", lambda: image_bytes("GIF"), "image/png", NOT_AN_IMAGE, id="gif-as-png"),
    pytest.param("a.bmp", lambda: image_bytes("BMP"), "image/bmp", NOT_AN_IMAGE, id="bmp"),
    pytest.param("a.tif", lambda: image_bytes("TIFF"), "image/tiff", NOT_AN_IMAGE, id="tiff"),
    pytest.param("a.ico", lambda: image_bytes("ICO"), "image/x-icon", NOT_AN_IMAGE, id="ico"),
    pytest.param("x.svg", _svg, "image/svg+xml", NOT_AN_IMAGE, id="svg-with-script"),
    pytest.param("x.png", _svg, "image/png", NOT_AN_IMAGE, id="svg-named-png"),
    pytest.param("notes.png", _text, "image/png", NOT_AN_IMAGE, id="text-named-png"),
    pytest.param(
        "x.jpg",
        lambda: b"<html><script>alert(1)</script></html>",
        "image/jpeg",
        NOT_AN_IMAGE,
        id="html-named-jpg",
    ),  # fmt: skip
    pytest.param(
        "a.png", lambda: image_bytes("PNG")[:40], "image/png", NOT_AN_IMAGE, id="png-header-only"
    ),
    pytest.param(
        "a.png",
        lambda: image_bytes("PNG", size=(200, 200))[:-40],
        "image/png",
        NOT_AN_IMAGE,
        id="png-truncated",
    ),  # fmt: skip
    pytest.param("a.png", corrupt_png, "image/png", NOT_AN_IMAGE, id="png-corrupt"),
    pytest.param(
        "a.jpg",
        lambda: image_bytes("JPEG", size=(200, 200))[:600],
        "image/jpeg",
        NOT_AN_IMAGE,
        id="jpeg-truncated",
    ),  # fmt: skip
    pytest.param(
        "a.webp",
        lambda: image_bytes("WEBP", size=(200, 200))[:100],
        "image/webp",
        NOT_AN_IMAGE,
        id="webp-truncated",
    ),  # fmt: skip
    pytest.param("a.png", lambda: b"", "image/png", "The file is empty.", id="empty"),
    pytest.param(
        "bomb.png",
        lambda: png_claiming(20000, 20000),
        "image/png",
        TOO_MANY_PIXELS,
        id="decompression-bomb-400-megapixels",
    ),  # fmt: skip
    pytest.param(
        "big.png",
        lambda: png_claiming(8000, 6000),
        "image/png",
        TOO_MANY_PIXELS,
        id="48-megapixels",
    ),  # fmt: skip
]


@pytest.mark.parametrize(("name", "make", "content_type", "message"), REJECTED)
def test_rejected_uploads(staff_client, settings, name, make, content_type, message):
    response = upload(staff_client, name, make(), content_type)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": response.json()["error"]}
    assert message in response.json()["error"]
    assert media_files(settings) == []


def test_bomb_is_small_but_claims_huge_dimensions():
    bomb = png_claiming(20000, 20000)
    assert len(bomb) < 100_000
    assert struct.unpack(">II", bomb[16:24]) == (20000, 20000)  # IHDR: 400 million pixels
    inflate, compressed, inflated = zlib.decompressobj(), bomb[41:-16], 0
    while compressed:  # it really inflates to 50 MB of pixel rows
        inflated += len(inflate.decompress(compressed, 1 << 20))
        compressed = inflate.unconsumed_tail
    assert inflate.eof and inflated == 20000 * (1 + 20000 // 8)


def test_oversized_file_rejected_before_decoding(staff_client, settings, monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("an oversized upload was handed to Pillow")

    monkeypatch.setattr(Image, "open", no_decoding)
    data = b"\x89PNG\r\n\x1a\n" + random.Random(0).randbytes(MAX_UPLOAD_BYTES + 1 - 8)
    response = upload(staff_client, "huge.png", data, "image/png")
    assert response.status_code == 400
    error = response.json()["error"]
    assert "The limit is 5.0\xa0MB" in error, error
    assert media_files(settings) == []


def test_file_at_the_size_limit_is_decoded(staff_client, settings):
    data = b"\x89PNG\r\n\x1a\n" + random.Random(0).randbytes(MAX_UPLOAD_BYTES - 8)
    response = upload(staff_client, "just-fits.png", data, "image/png")
    assert response.status_code == 400
    assert NOT_AN_IMAGE in response.json()["error"]  # got past the size check
    assert media_files(settings) == []


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="no-fields"),
        pytest.param({"image": "not a file"}, id="image-as-text"),
        pytest.param({"file": "x"}, id="other-field"),
    ],
)
def test_missing_image_field(staff_client, settings, data):
    response = staff_client.post(UPLOAD_URL, data, secure=True)
    assert response.status_code == 400
    assert response.json() == {"error": "Choose an image to upload."}
    assert media_files(settings) == []


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_damaged_images_never_cause_a_server_error(staff_client, image_format):
    # The test client re-raises any exception in the view, so a 500 fails here too.
    rng = random.Random(image_format)
    good = image_bytes(image_format, size=(64, 48))
    for attempt in range(40):
        damaged = bytearray(good)
        if attempt % 2:
            damaged = damaged[: rng.randrange(1, len(damaged))]
        else:
            for _ in range(rng.randrange(1, 8)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        response = upload(staff_client, "a", bytes(damaged))
        assert response.status_code in (200, 400), (attempt, response.content)
        if response.status_code == 400:
            assert NOT_AN_IMAGE in response.json()["error"]
