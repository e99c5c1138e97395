"""Error pages: in the site's design, and the 500 page without the database."""

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from spinesite import urls
from spinesite.models import ClinicDetails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def in_site_design(html, with_clinic=True):
    design = 'href="/static/css/site.css"' in html and 'class="site-header"' in html
    return design and (not with_clinic or "(555) 010-0199" in html)


def test_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Sorry, we cannot find that page" in html
    assert in_site_design(html)
    assert '<meta name="robots" content="noindex">' in html


def test_403(client):
    response = client.post(reverse("markdownx_upload"))  # staff only
    assert response.status_code == 403
    assert in_site_design(response.content.decode())


def test_400_for_a_host_not_in_allowed_hosts_has_the_clinic_details():
    response = Client(raise_request_exception=False).get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    assert in_site_design(response.content.decode())


def test_403_csrf_has_the_clinic_details():
    response = Client(enforce_csrf_checks=True).post("/contact/", {"name": "Ana"})
    assert response.status_code == 403
    assert in_site_design(response.content.decode())


def test_429_lockout_page(client):
    user = UserFactory(is_staff=True)
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": user.username, "password": "wrong"}
        )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Sign-in paused after too many failed attempts" in html
    assert "Wait 15 minutes" in html
    assert in_site_design(html)


def test_500_page_renders_without_the_database(django_db_blocker):
    assert not hasattr(urls, "handler500")  # Django's view: no context, no request
    with django_db_blocker.block():  # any query would raise
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong on our side" in html
    assert in_site_design(html, with_clinic=False)
    assert "In an emergency, call 911." in html


def test_500_when_the_database_fails_during_a_request(monkeypatch):
    def database_down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ClinicDetails, "get_solo", database_down)
    response = Client(raise_request_exception=False).get("/conditions/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong on our side" in html
    assert "server closed" not in html
    assert in_site_design(html, with_clinic=False)
