"""A second factor before patient data; offered to editors; staff sessions time out."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from contact.groups import CONTENT_EDITORS, FRONT_DESK
from contact.models import ConsultationRequest
from spinesite.staffauth import SEEN_SESSION_KEY
from tests.factories import UserFactory
from tests.staff_support import PASSWORD, code, enrol, verified_client

pytestmark = pytest.mark.django_db

REQUESTS = "/admin/contact/consultationrequest/"


def patient_request():
    return ConsultationRequest.objects.create(
        name="Ana Secret-Patient",
        phone="5550100142",
        preferred_contact="phone",
        consented_at=timezone.now(),
    )


def member(*groups, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def password_login(client, user, next_url=REQUESTS):
    return client.post(
        f"/accounts/login/?next={next_url}", {"login": user.username, "password": PASSWORD}
    )


def test_front_desk_enrols_a_second_factor_before_seeing_any_request():
    item = patient_request()
    user = member(FRONT_DESK)
    client = Client()
    assert password_login(client, user).status_code == 302
    for url in [REQUESTS, f"{REQUESTS}{item.pk}/change/", "/admin/", "/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/accounts/2fa/", url
    page = client.get("/accounts/2fa/", follow=True).content.decode()
    assert "needs a second step at login" in page
    assert "Ana Secret-Patient" not in page

    # The authenticator app page: a QR code inline (the CSP allows no data: images).
    setup = client.get("/accounts/2fa/totp/activate/")
    assert setup.status_code == 200
    html = setup.content.decode()
    assert "<svg" in html and "data:image" not in html
    secret = client.session[SECRET_SESSION_KEY]
    assert client.post("/accounts/2fa/totp/activate/", {"code": "000000"}).status_code == 200
    done = client.post("/accounts/2fa/totp/activate/", {"code": code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()

    listing = client.get(REQUESTS)
    assert listing.status_code == 200
    assert "Ana Secret-Patient" in listing.content.decode()


def test_once_set_up_the_password_alone_logs_no_one_in():
    user = enrol(member(FRONT_DESK))
    client = Client()
    response = password_login(client, user)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get(REQUESTS)["Location"].startswith("/admin/login/")
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    right = client.post("/accounts/2fa/authenticate/", {"code": code()})
    assert right.status_code == 302 and right["Location"] == REQUESTS
    assert client.get(REQUESTS).status_code == 200


def test_guessing_codes_is_stopped_after_five_tries():
    user = enrol(member(FRONT_DESK))
    client = Client()
    password_login(client, user)
    for guess in ["111111", "222222", "333333", "444444", "555555"]:
        assert client.post("/accounts/2fa/authenticate/", {"code": guess}).status_code == 200
    refused = client.post("/accounts/2fa/authenticate/", {"code": code()})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in refused.content.decode()


def test_a_session_that_skipped_the_second_factor_is_logged_out():
    """A login that went around allauth (any other backend) does not count."""
    user = enrol(member(FRONT_DESK))
    client = Client()
    client.force_login(user)
    response = client.get(REQUESTS)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("who", ["superuser", "user manager"])
def test_superusers_and_user_managers_must_use_it_too(who):
    from django.contrib.auth.models import Permission

    user = member(is_superuser=who == "superuser")
    if who == "user manager":
        user.user_permissions.add(Permission.objects.get(codename="change_user"))
    client = Client()
    password_login(client, user, "/admin/")
    assert client.get("/admin/")["Location"] == "/accounts/2fa/"


def test_editors_are_offered_it_not_forced():
    editor = member(CONTENT_EDITORS)
    client = Client()
    password_login(client, editor, "/admin/")
    home = client.get("/admin/")
    assert home.status_code == 200
    assert 'href="/accounts/2fa/"' in home.content.decode()
    assert "Set up a two-step login" in home.content.decode()
    enrolled = verified_client(enrol(member(CONTENT_EDITORS)))
    assert "Set up a two-step login" not in enrolled.get("/admin/").content.decode()


def test_staff_are_logged_out_after_30_idle_minutes(settings):
    assert settings.STAFF_IDLE_TIMEOUT_SECONDS == 30 * 60
    client = verified_client(member(FRONT_DESK))
    assert client.get(REQUESTS).status_code == 200
    session = client.session
    session[SEEN_SESSION_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(REQUESTS).status_code == 200  # 29 minutes: still in
    session = client.session
    session[SEEN_SESSION_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(REQUESTS)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_nobody_signs_up():
    response = Client().post(
        "/accounts/signup/",
        {
            "username": "intruder",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert not UserFactory._meta.model.objects.filter(username="intruder").exists()
