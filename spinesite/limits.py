"""Request body limits, enforced before anything reads a body.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts, and the CSRF check
parses a POST before any view could look at its size: any anonymous POST could
spool an upload of any size to disk and hold a worker while it arrives. So every
request's body is checked here, by its Content-Length, before it is read:

* anyone: at most REQUEST_BODY_MAX_BYTES (64 KB; every public form is far smaller);
* logged-in staff: DATA_UPLOAD_MAX_MEMORY_SIZE (6 MB) for the admin and the Markdown
  editor (previews, image uploads), and VIDEO_UPLOAD_MAX_BYTES more for the admin's
  add and change forms, which take video files.

A body sent in chunks (no Content-Length) is read here up to the limit and refused
once it goes over. The proxy in front (deploy/Caddyfile) enforces the same limits
per path, so an oversized body never reaches the site at all; only the site knows
who is staff.
"""

import io
import re
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.core.handlers.wsgi import LimitedStream
from django.shortcuts import render

from .errors import bad_request

# The admin's add and change forms: /<ADMIN_URL>app/model/add/ and .../<id>/change/.
ADMIN_FORM = re.compile(rf"^/{re.escape(settings.ADMIN_URL)}[^/]+/[^/]+/(add|[^/]+/change)/$")
STAFF_PREFIXES = (f"/{settings.ADMIN_URL}", "/markdownx/")


def staff_limit(path):
    """The body limit for staff at `path`, or None where staff get no more than anyone."""
    if not path.startswith(STAFF_PREFIXES):
        return None
    if ADMIN_FORM.match(path):
        return settings.VIDEO_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _is_staff(request):
    """Whether the request comes from active staff, read from the session cookie alone
    (SessionMiddleware and AuthenticationMiddleware come later). Asked only for a
    large body to a staff path, so it costs most requests nothing."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(session_key)  # SessionMiddleware sets its own
    user = get_user(request)
    return user.is_active and user.is_staff


def too_large(request):
    return render(request, "413.html", status=413)


class RequestSizeLimitMiddleware:
    """413 for a body over the caller's limit, before it is read (module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_BODY_MAX_BYTES
        length = request.META.get("CONTENT_LENGTH") or ""
        chunked = not length and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "")
        try:
            size = int(length) if length else 0
        except ValueError:
            size = 0  # Django reads no body without a valid Content-Length
        if size > limit or chunked:
            larger = staff_limit(request.path_info)
            if larger is not None and _is_staff(request):
                limit = larger
        if size > limit:
            return too_large(request)
        if chunked:
            # Django reads nothing without a Content-Length: read up to the limit here
            # (in memory, so never more than DATA_UPLOAD_MAX_MEMORY_SIZE; browsers send
            # files with a length) and give Django what came, with its length.
            limit = min(limit, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            try:
                body = request.META["wsgi.input"].read(limit + 1)
            except Exception:  # noqa: BLE001 - the server's own errors for a broken body
                # A body cut off or chunked wrongly: what Django says for a bad request.
                return bad_request(request, None)
            if len(body) > limit:
                return too_large(request)
            request.META["CONTENT_LENGTH"] = str(len(body))
            request._stream = LimitedStream(io.BytesIO(body), len(body))
        return self.get_response(request)
