"""Uploaded files, served so that no browser ever treats one as a page.

Uploads are checked when they arrive (spinesite.images, videos.uploads), but a file
that slipped through, or was put into MEDIA_ROOT by hand, must still be harmless:

* the Content-Type comes from an allow-list of image, video and caption types by
  extension, never from guessing; anything else is served as an attachment of type
  application/octet-stream, so the browser downloads it instead of opening it;
* `X-Content-Type-Options: nosniff` (SecurityMiddleware) stops the browser from
  second-guessing that type;
* a sandboxing Content-Security-Policy means that even an HTML or SVG file opened
  directly could run no script and load nothing.

The same allow-list sets the Content-Type and Content-Disposition of files stored in
object storage (spinesite.storage). Video players need byte ranges (Safari will not
play a video without them), so single ranges are supported.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse
from django.utils._os import safe_join
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

INLINE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".avif": "image/avif",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".vtt": "text/vtt; charset=utf-8",
}
DOWNLOAD_TYPE = "application/octet-stream"
# For a file opened on its own: it may show itself, and nothing else, and never run.
MEDIA_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; frame-ancestors 'none'; sandbox"

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def download_headers(name):
    """The Content-Type, and for a download the Content-Disposition, to serve `name` with."""
    content_type = INLINE_TYPES.get(Path(name).suffix.lower())
    if content_type:
        return {"Content-Type": content_type}
    return {
        "Content-Type": DOWNLOAD_TYPE,
        "Content-Disposition": content_disposition_header(True, Path(name).name),
    }


def _number(digits):
    """A byte position: any number of digits beyond 18 is past the end of any file
    (and int() refuses strings of more than 4,300 digits)."""
    return int(digits) if len(digits) <= 18 else 10**18


def _byte_range(header, size):
    """(start, end) inclusive for a single `bytes=` range, None to send the whole
    file, or False when the range cannot be satisfied."""
    match = RANGE.match(header.strip())
    if not match or not any(match.groups()):
        return None  # several ranges or another unit: the whole file is a valid answer
    first, last = match.groups()
    if not first:  # the last N bytes
        length = _number(last)
        return (max(size - length, 0), size - 1) if length and size else False
    start = _number(first)
    end = min(_number(last), size - 1) if last else size - 1
    if start >= size or (last and _number(last) < start):
        return False
    return start, end


@require_safe
def serve_media(request, path):
    """Serve a file from MEDIA_ROOT (see the module docstring)."""
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
        stat = full_path.stat()
    except (SuspiciousFileOperation, OSError, ValueError):
        # Outside MEDIA_ROOT, missing, a name too long for the file system, a NUL.
        raise Http404("No such file.") from None
    if not full_path.is_file():
        raise Http404("No such file.")
    size = stat.st_size
    byte_range = _byte_range(request.headers.get("Range", ""), size)

    if byte_range is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        handle = full_path.open("rb")
        if byte_range is None:
            response = FileResponse(handle)
        else:
            start, end = byte_range
            handle.seek(start)
            response = FileResponse(_limited(handle, end - start + 1), status=206)
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(end - start + 1)
        for header, value in download_headers(full_path.name).items():
            response[header] = value
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Content-Security-Policy"] = MEDIA_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _limited(handle, length, chunk_size=64 * 1024):
    """Yield `length` bytes from `handle` in chunks, then close it."""
    try:
        while length > 0:
            chunk = handle.read(min(chunk_size, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()
