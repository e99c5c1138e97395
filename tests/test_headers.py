"""Security headers on every kind of response: public pages, admin, errors."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from spinesite.models import ClinicDetails
from tests.factories import ConditionFactory, UserFactory
from tests.production_support import assert_security_headers, parse_csp

pytestmark = pytest.mark.django_db


@pytest.fixture
def condition():
    return ConditionFactory(title="Sciatica", slug="sciatica")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/conditions/",
        "/conditions/sciatica/",
        "/contact/",
        "/privacy/",
        "/videos/",
        "/healthz",
    ],
)
def test_public_pages(client, condition, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = assert_security_headers(response.headers)
    assert policy["script-src"] == ["'self'"]  # no nonce: no page has an inline script


def test_admin_pages(admin_client, condition):
    for path in [
        reverse("admin:index"),
        reverse("admin:conditions_condition_changelist"),
        reverse("admin:conditions_condition_change", args=[condition.pk]),
        reverse("admin:conditions_condition_add"),
    ]:
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response.headers)


def test_login_pages(client):
    assert client.get(reverse("admin:login"))["Location"].startswith("/accounts/login/")
    for name in ["account_login", "mfa_authenticate"]:
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
        assert_security_headers(response.headers)


def test_error_pages(client, monkeypatch):
    assert client.get("/no-such-page/").status_code == 404
    assert_security_headers(client.get("/no-such-page/").headers)

    forbidden = client.post(reverse("markdownx_markdownify"), {"content": "x"})
    assert forbidden.status_code == 403
    assert_security_headers(forbidden.headers)

    quiet = Client(raise_request_exception=False)
    bad_host = quiet.get("/", headers={"host": "attacker.example"})
    assert bad_host.status_code == 400
    assert_security_headers(bad_host.headers)

    csrf = Client(enforce_csrf_checks=True).post("/contact/", {"name": "x"})
    assert csrf.status_code == 403
    assert_security_headers(csrf.headers)

    def database_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(ClinicDetails, "get_solo", database_down)
    monkeypatch.setattr("spinesite.contentsnapshot.content_snapshot", database_down)
    broken = quiet.get("/")
    assert broken.status_code == 500
    assert_security_headers(broken.headers)


def test_lockout_page(client):
    user = UserFactory(is_staff=True)
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": user.username, "password": "wrong"}
        )
    assert response.status_code == 429
    assert_security_headers(response.headers)


def test_hsts_on_https_requests(settings):
    response = Client().get("/healthz", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    settings.SECURE_HSTS_PRELOAD = False
    response = Client().get("/healthz", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_hsts_is_never_sent_over_plain_http(client):
    # Browsers ignore it there, and a proxy that strips TLS should not get it either.
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_https_redirect_in_production(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    response = client.get("/conditions/")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/conditions/"
    assert client.get("/healthz").status_code == 200  # load balancers check over HTTP


def test_cookies_are_secure_httponly_and_samesite(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True  # production's values
    user = UserFactory(is_staff=True)
    client = Client()
    client.get(reverse("account_login"), secure=True)
    client.post(
        reverse("account_login"),
        {"login": user.username, "password": "correct horse battery"},
        secure=True,
    )
    for name in ("csrftoken", "sessionid"):
        cookie = client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_the_nonce_reaches_the_header_when_a_template_uses_it(rf):
    """A template that needs an inline script writes nonce="{{ request.csp_nonce }}"."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    request = rf.get("/")

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    response = CSPMiddleware(view)(request)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert (
        f"'nonce-{nonce}'" in parse_csp(response.headers["Content-Security-Policy"])["script-src"]
    )


def test_video_players_are_the_only_frames_allowed(client):
    policy = parse_csp(client.get("/").headers["Content-Security-Policy"])
    assert sorted(policy["frame-src"]) == [
        "https://player.vimeo.com",
        "https://www.youtube-nocookie.com",
    ]
    assert policy["media-src"] == ["'self'"]
