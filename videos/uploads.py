"""Checked uploads for videos: the file, its captions and its thumbnail.

As with images (spinesite.images), the client's file name and content type are not
trusted: the first bytes of the file decide what it is, and stored files get a random
name with the extension that matches their content.
"""

import uuid
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat

from spinesite.images import prepare_image

# settings.VIDEO_UPLOAD_MAX_BYTES (from the environment) overrides this.
DEFAULT_MAX_VIDEO_BYTES = 200 * 1024 * 1024
MAX_CAPTIONS_BYTES = 1024 * 1024

EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # WebM is an EBML (Matroska) file


def max_video_bytes():
    return getattr(settings, "VIDEO_UPLOAD_MAX_BYTES", DEFAULT_MAX_VIDEO_BYTES)


def _extension(name):
    return PurePath(name or "").suffix.lower().lstrip(".")


def _sniff_video(head):
    """'mp4', 'webm' or None, from the first bytes of a file."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(EBML_MAGIC) and b"webm" in head[:64]:
        return "webm"
    return None


def check_video(upload):
    """Check an uploaded MP4 or WebM video; return it, or raise ValidationError."""
    limit = max_video_bytes()
    if upload.size > limit:
        raise forms.ValidationError(
            f"This video is {filesizeformat(upload.size)}. The limit is "
            f"{filesizeformat(limit)}: make it shorter or smaller, or put it on "
            "YouTube or Vimeo and paste the link instead."
        )
    extension = _extension(upload.name)
    if extension not in ("mp4", "webm"):
        raise forms.ValidationError(
            "Upload the video as an MP4 (.mp4) or WebM (.webm) file. Other formats do "
            "not play in every browser."
        )
    upload.seek(0)
    found = _sniff_video(upload.read(64))
    upload.seek(0)
    if found is None:
        raise forms.ValidationError(
            f"This file is named .{extension} but it is not an MP4 or WebM video, or it "
            "is damaged. Export the video again as MP4 or WebM and try again."
        )
    if found != extension:
        raise forms.ValidationError(
            f"This file is named .{extension} but it is really a {found.upper()} video. "
            f"Rename it to end in .{found} and try again."
        )
    return upload


def check_captions(upload):
    """Check an uploaded WebVTT captions file; return it, or raise ValidationError."""
    if upload.size > MAX_CAPTIONS_BYTES:
        raise forms.ValidationError(
            f"This captions file is {filesizeformat(upload.size)}. The limit is "
            f"{filesizeformat(MAX_CAPTIONS_BYTES)}."
        )
    if _extension(upload.name) != "vtt":
        raise forms.ValidationError("Upload the captions as a WebVTT file (.vtt).")
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(
            "This captions file is not UTF-8 text. Save it as UTF-8 and try again."
        ) from None
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if first_line != "WEBVTT" and not first_line.startswith(("WEBVTT ", "WEBVTT\t")):
        raise forms.ValidationError(
            "This is not a WebVTT captions file: its first line must be WEBVTT. "
            "Captions in other formats (such as .srt) need converting to WebVTT first."
        )
    return upload


def prepare_thumbnail(upload):
    """Check a thumbnail with Pillow (spinesite.images) and return a clean copy."""
    data, extension = prepare_image(upload)
    return ContentFile(data, name=f"thumbnail.{extension}")


def _random_name(folder, filename):
    return f"videos/{folder}/{uuid.uuid4().hex}.{_extension(filename)}"


def video_upload_to(instance, filename):
    return _random_name("files", filename)


def captions_upload_to(instance, filename):
    return _random_name("captions", filename)


def thumbnail_upload_to(instance, filename):
    return _random_name("thumbnails", filename)
