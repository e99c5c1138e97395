"""Admin login lockout (django-axes): per username and address, with a cool-off."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def login(client, username, password, address="203.0.113.7", **extra):
    return client.post(
        reverse("account_login"),
        {"login": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def fail(client, staff, times, address="203.0.113.7"):
    return [login(client, staff.username, "wrong", address).status_code for _ in range(times)]


def test_locked_after_five_failures_even_with_the_right_password(client, staff):
    assert fail(client, staff, 5) == [200, 200, 200, 200, 429]
    response = login(client, staff.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, staff):
    fail(client, staff, 4)
    assert login(client, staff.username, PASSWORD).status_code == 302


def test_counted_in_the_database_without_the_passwords_tried(client, staff):
    login(client, staff.username, "Tuesday-secret-1")
    fail(client, staff, 2)
    attempt = AccessAttempt.objects.get(username=staff.username)
    assert attempt.failures_since_start == 3
    assert attempt.ip_address == "203.0.113.7"
    assert "Tuesday-secret-1" not in attempt.post_data


def test_per_username_and_address(client, staff):
    fail(client, staff, 5)
    # The same account from another address, and another account from the same one.
    assert login(Client(), staff.username, PASSWORD, address="198.51.100.20").status_code == 302
    other = UserFactory(is_staff=True)
    assert login(Client(), other.username, PASSWORD).status_code == 302


def test_unlocked_after_the_cool_off(client, staff):
    fail(client, staff, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, staff.username, PASSWORD).status_code == 302


def test_trying_during_the_cool_off_starts_it_again(client, staff):
    fail(client, staff, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert login(client, staff.username, "wrong again").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    # 14 minutes after the last try: still locked, although 28 have passed in all.
    assert login(client, staff.username, PASSWORD).status_code == 429


def test_a_success_resets_the_count(client, staff):
    fail(client, staff, 4)
    assert login(client, staff.username, PASSWORD).status_code == 302
    client.logout()
    assert fail(client, staff, 4) == [200] * 4


def test_the_address_behind_a_proxy_is_the_proxys_entry(client, staff, settings):
    """Behind one trusted proxy, the client's address is the proxy's entry (as for
    rate limits), so a client cannot escape the lockout by inventing addresses."""
    settings.TRUSTED_PROXY_COUNT = 1
    for forged in ["10.1.1.1", "10.2.2.2", "10.3.3.3", "10.4.4.4", "10.5.5.5"]:
        login(
            client,
            staff.username,
            "wrong",
            "127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.50",
        )
    attempt = AccessAttempt.objects.get(username=staff.username)
    assert attempt.ip_address == "203.0.113.50"
    assert attempt.failures_since_start == 5


def test_a_proxy_appending_ip_and_port_does_not_let_clients_pick(client, staff, settings):
    """The proxy writes `ip:port`; the client's own entry before it is never read."""
    settings.TRUSTED_PROXY_COUNT = 1
    codes = []
    for n in range(12):
        forwarded = f"10.9.{n}.1, 203.0.113.50:{40000 + n}"
        codes.append(
            login(client, staff.username, "wrong", "127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        )
    assert [r.status_code for r in codes] == [200] * 4 + [429] * 8
    right = login(
        client,
        staff.username,
        PASSWORD,
        "127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.9.99.1, 203.0.113.50:1",
    )
    assert right.status_code == 429


def test_ipv6_clients_are_locked_out_per_64(client, staff):
    """Rotating addresses inside one /64 every 4 tries does not reset the count."""
    codes = []
    for n in range(40):
        address = f"2001:db8:7:8:{n // 4:x}::{n % 4 + 1}"
        codes.append(login(client, staff.username, "wrong", address).status_code)
    assert codes[:4] == [200] * 4 and set(codes[4:]) == {429}
    assert login(client, staff.username, PASSWORD, "2001:db8:7:8:ffff::1").status_code == 429
    assert "_auth_user_id" not in client.session
    # Another /64 is another client.
    assert login(Client(), staff.username, PASSWORD, "2001:db8:7:9::1").status_code == 302


def test_staff_passwords_are_checked_by_the_validators(admin_client):
    """At least 12 characters, and not on the common-password list."""
    url = reverse("admin:auth_user_add")
    for weak, reason in [
        ("password", "This password is too common."),
        ("spineclinic", "at least 12 characters"),
        ("Clinic2024", "at least 12 characters"),
        ("Frontdesk1", "at least 12 characters"),
    ]:
        data = {"username": "newstaff", "password1": weak, "password2": weak}
        response = admin_client.post(url, data)
        assert response.status_code == 200, weak
        assert reason in response.content.decode(), weak
    strong = admin_client.post(
        url,
        {
            "username": "newstaff",
            "password1": "lumbar-stretch-on-tuesdays",
            "password2": "lumbar-stretch-on-tuesdays",
        },
    )
    assert strong.status_code == 302
