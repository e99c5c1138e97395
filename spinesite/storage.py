"""Where uploads are stored: MEDIA_ROOT on disk, or S3-compatible object storage
served as safely as from MEDIA_ROOT."""

import contextlib
import os

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

from .media import download_headers

# For staff when an upload cannot be stored (a full disk, above all).
STORAGE_FAILED = (
    "The file could not be stored: the server's disk may be full. Nothing was saved. "
    "Tell whoever looks after the website, then try again."
)


class MediaStorage(S3Storage):
    """S3Storage that stores each object with the Content-Type (and, for anything but
    images, video and captions, the attachment disposition) that spinesite.media
    would serve it with, instead of a type guessed from the name or the upload."""

    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        headers = download_headers(name)
        parameters["ContentType"] = headers["Content-Type"]
        if "Content-Disposition" in headers:
            parameters["ContentDisposition"] = headers["Content-Disposition"]
        # Names are random and never reused, so browsers may keep them for a year.
        parameters.setdefault("CacheControl", "public, max-age=31536000, immutable")
        return parameters


class CleanFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that never leaves a partly written file behind.

    Django writes an upload straight to its final name; when the disk fills up (or
    anything else fails) half-way, the truncated file stays, with nothing pointing
    at it. Here the file is removed before the error goes on to the caller, which
    tells the editor (spinesite.adminpages, spinesite.views).
    """

    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            return super()._save(name, content)
        except OSError:
            if not existed:
                with contextlib.suppress(OSError):
                    os.remove(path)
            raise
