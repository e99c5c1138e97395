"""Uploads in S3-compatible object storage, served as safely as from MEDIA_ROOT."""

from storages.backends.s3 import S3Storage

from .media import download_headers


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
