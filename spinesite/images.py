"""Checked image uploads, for the Markdown editor and anything else that takes images.

The client's file name and content type are never trusted: Pillow decides what the
file is, and the stored name gets the extension of the format Pillow found.
"""

import uuid
from io import BytesIO

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
MAX_SIDE = 1600  # larger images are scaled down to fit inside this square
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Phones save some photos as MPO: a JPEG with more frames after the first (a depth
# map, a second lens). Its first frame is an ordinary JPEG photo, and that is kept.
SAME_AS = {"MPO": "JPEG"}


def prepare_image(upload):
    """Check `upload` and return (bytes, extension) of a cleaned, resized copy.

    Raises forms.ValidationError with a message an editor can act on.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            f"This image is {filesizeformat(upload.size)}. The limit is "
            f"{filesizeformat(MAX_UPLOAD_BYTES)}: make it smaller and try again."
        )
    unreadable = forms.ValidationError(
        "This file is not a JPEG, PNG or WebP image, or it is damaged. "
        "Save it as JPEG, PNG or WebP and try again."
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = SAME_AS.get(probe.format, probe.format)
            if image_format not in FORMATS:
                raise unreadable
            if probe.width * probe.height > MAX_PIXELS:
                raise forms.ValidationError("This image has too many pixels. Scale it down.")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.seek(0)  # the first frame of an MPO; the only one of anything else
            image.load()
            # Re-encoding drops metadata such as the GPS position in a phone photo.
            image = ImageOps.exif_transpose(image)
            image.info.pop("comment", None)  # the one field Pillow's JPEG writer copies over
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            output = BytesIO()
            image.save(output, image_format, quality=85)
    except Image.DecompressionBombError:  # Pillow's own limit, far above MAX_PIXELS
        raise forms.ValidationError("This image has too many pixels. Scale it down.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise unreadable from None
    return output.getvalue(), FORMATS[image_format]


class ImageUploadForm(forms.Form):
    """The image upload behind the Markdown editor's drag-and-drop."""

    image = forms.FileField(
        error_messages={"required": "Choose an image to upload.", "empty": "The file is empty."}
    )

    def clean_image(self):
        upload = self.cleaned_data["image"]
        self.prepared = prepare_image(upload)
        return upload

    def save(self):
        """Store the checked image and return its public URL."""
        data, extension = self.prepared
        name = default_storage.save(f"uploads/{uuid.uuid4().hex}.{extension}", ContentFile(data))
        return default_storage.url(name)


def checked_image(value, name="image"):
    """For a form's clean_<field>(): a newly uploaded image checked and resized by
    `prepare_image()`, named by its real format; an image already stored (checked when
    it came in) or none, as it is. Admin forms and content files both use it."""
    if not isinstance(value, UploadedFile):
        return value
    data, extension = prepare_image(value)
    return ContentFile(data, name=f"{name}.{extension}")
