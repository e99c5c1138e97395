"""Request bodies are limited before anything reads them (spinesite.limits): 413 by
Content-Length for anyone over 64 KB, bodies sent in chunks cut at the same size, and
larger limits only for staff, only where they upload."""

import http.client
import os
import socket
from io import BytesIO

import pytest
from django.test import Client
from PIL import Image

from tests.contact_support import site_design
from tests.production_support import assert_security_headers

pytestmark = pytest.mark.django_db

ANONYMOUS_PATHS = ["/contact/", "/feedback/", "/search/", "/healthz", "/", "/admin/login/"]


def strict():
    """A browser-like client: CSRF enforced, so a body the CSRF check read would be a 403."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def post_claiming(client, path, length, body=b"x=1"):
    """A POST whose Content-Length says `length` while the body is small: answered
    before anything tries to read it, or the test would hang."""
    return client.generic(
        "POST",
        path,
        body,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(length),
    )


@pytest.mark.parametrize("path", ANONYMOUS_PATHS)
def test_anonymous_bodies_over_64_kb_are_refused_unread(path):
    response = post_claiming(strict(), path, 300 * 1024 * 1024)
    assert response.status_code == 413
    assert site_design(response) or path != "/contact/"
    assert "too much to send" in response.content.decode()
    assert_security_headers(response.headers)


@pytest.mark.parametrize("path", ANONYMOUS_PATHS)
def test_a_file_part_counts_too(path):
    upload = BytesIO(b"\0" * (100 * 1024))
    upload.name = "big.bin"
    response = strict().post(path, {"file": upload})
    assert response.status_code == 413


def test_small_bodies_still_reach_the_form():
    response = post_claiming(strict(), "/contact/", 64 * 1024)  # at the limit: read
    assert response.status_code == 403  # the CSRF check read it: no token


def png(size_bytes):
    """A PNG of at least `size_bytes` (noise does not compress)."""
    side = int((size_bytes / 3) ** 0.5) + 1
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    output = BytesIO()
    image.save(output, "PNG")
    output.name = "photo.png"
    output.seek(0)
    return output


def test_staff_may_upload_images_to_the_editor(staff_client):
    response = staff_client.post("/markdownx/upload/", {"image": png(1024 * 1024)})
    assert response.status_code == 200, response.content


def test_anyone_else_gets_413_there_before_the_403(client):
    response = client.post("/markdownx/upload/", {"image": png(1024 * 1024)})
    assert response.status_code == 413


def test_a_forged_session_cookie_gets_no_more(client):
    client.cookies["sessionid"] = "not-a-session"
    assert post_claiming(client, "/markdownx/upload/", 1024 * 1024).status_code == 413


def test_staff_limits_are_per_path(staff_client, settings):
    settings.VIDEO_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    # Public forms: no more for staff than for anyone.
    assert post_claiming(staff_client, "/search/", 100 * 1024).status_code == 413
    # The editor and the admin: DATA_UPLOAD_MAX_MEMORY_SIZE (6 MB).
    assert post_claiming(staff_client, "/markdownx/upload/", 7 * 1024 * 1024).status_code == 413
    assert post_claiming(staff_client, "/admin/logout/", 7 * 1024 * 1024).status_code == 413
    # The admin's add and change forms: a video's worth more.
    add = "/admin/videos/video/add/"
    assert post_claiming(staff_client, add, 17 * 1024 * 1024).status_code == 413
    small = staff_client.post(add, {"title": "x"})
    assert small.status_code == 200  # the form, with its errors: the body was read


def test_limit_comes_from_settings(settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    assert post_claiming(strict(), "/contact/", 1001).status_code == 413
    assert post_claiming(strict(), "/contact/", 1000).status_code == 403


# Bodies sent in chunks (no Content-Length), through gunicorn
# ------------------------------------------------------------------------------


@pytest.fixture
def gunicorn(tmp_path, static_root):
    from django.db import connection

    from tests.production_support import Server, database_url, production_env

    env = production_env(
        DATABASE_URL=database_url(connection.settings_dict),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        STATIC_ROOT=str(static_root),
    )
    server = Server(env, tmp_path).start()
    yield server
    server.stop()


def post_chunked(server, path, size):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest("POST", path)
    connection.putheader("Transfer-Encoding", "chunked")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.endheaders()
    chunk = b"x" * 8192
    sent = 0
    try:
        while sent < size:
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed while more was coming
    response = connection.getresponse()
    status = response.status
    connection.close()
    return status


@pytest.mark.django_db(transaction=True)
def test_chunked_bodies_are_cut_at_the_limit(gunicorn):
    assert post_chunked(gunicorn, "/search/", 1024 * 1024) == 413
    assert post_chunked(gunicorn, "/search/", 16 * 1024) == 403  # read: the CSRF check


@pytest.mark.django_db(transaction=True)
def test_a_broken_chunked_body_is_a_400(gunicorn):
    with socket.create_connection(("127.0.0.1", gunicorn.port), timeout=30) as sock:
        sock.sendall(
            b"POST /feedback/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
            b"10\r\nonly a few bytes"  # then nothing: the client gives up
        )
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
