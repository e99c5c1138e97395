"""Rate limit: N requests per client per hour, counted in PostgreSQL, hashed addresses."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from contact.models import ConsultationRequest
from spinesite import ratelimit
from spinesite.models import ClinicDetails, RateLimitHit
from tests.contact_support import site_design, valid_data

pytestmark = pytest.mark.django_db

URL = "/contact/"


def send(client, ip="203.0.113.7", **extra):
    return client.post(URL, valid_data(), REMOTE_ADDR=ip, **extra)


def test_five_an_hour_then_a_429_with_the_phone_number(client, settings):
    assert settings.CONSULTATION_RATE_LIMIT == 5  # the default
    for _ in range(5):
        assert send(client).status_code == 302
    response = send(client)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert site_design(response)
    assert ClinicDetails.get_solo().phone in response.content.decode()
    assert ConsultationRequest.objects.count() == 5
    # Another client is not affected.
    assert send(client, ip="198.51.100.20").status_code == 302


def test_the_limit_is_a_setting(client, settings):
    settings.CONSULTATION_RATE_LIMIT = 2
    assert [send(client).status_code for _ in range(3)] == [302, 302, 429]


def test_invalid_forms_do_not_count(client, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    for _ in range(3):
        assert client.post(URL, valid_data(name=""), REMOTE_ADDR="203.0.113.7").status_code == 400
    assert send(client).status_code == 302


def test_spam_counts(client, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    assert client.post(URL, valid_data(website="x"), REMOTE_ADDR="203.0.113.7").status_code == 302
    assert send(client).status_code == 429


def test_hits_older_than_an_hour_do_not_count(client, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    assert send(client).status_code == 302
    RateLimitHit.objects.update(
        created=timezone.now() - timedelta(minutes=61),
        expires=timezone.now() - timedelta(minutes=1),
    )
    assert send(client).status_code == 302
    assert RateLimitHit.objects.count() == 1  # this client's expired hit was cleared


def test_x_forwarded_for_is_ignored_by_default(client, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    assert send(client, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 302
    assert send(client, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 429


def test_x_forwarded_for_behind_a_trusted_proxy(client, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.5"
    # The proxy appends the address it saw; earlier entries are the client's own claims.
    assert send(client, proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.1").status_code == 302
    assert send(client, proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 192.0.2.1").status_code == 429
    assert send(client, proxy, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 302
    assert send(client, proxy, HTTP_X_FORWARDED_FOR="garbage").status_code == 302  # falls back
    assert send(client, proxy, HTTP_X_FORWARDED_FOR="").status_code == 429  # same proxy address


def test_a_proxy_appending_ip_and_port_leaves_no_address_to_pick(client, settings):
    """The proxy writes `ip:port`; the client's own entries before it are never read."""
    settings.CONSULTATION_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.5"
    assert send(client, proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.1:4242").status_code == 302
    for spoofed in ["2.2.2.2", "3.3.3.3", "4.4.4.4"]:
        forwarded = f"{spoofed}, 192.0.2.1:{5000 + len(spoofed)}"
        assert send(client, proxy, HTTP_X_FORWARDED_FOR=forwarded).status_code == 429


def test_ipv6_clients_are_counted_per_64(client, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    assert send(client, ip="2001:db8:1:2::1").status_code == 302
    assert send(client, ip="2001:db8:1:2:ffff::9").status_code == 429
    assert send(client, ip="2001:db8:1:3::1").status_code == 302


def test_only_a_salted_hash_of_the_address_is_stored(client, settings):
    send(client, ip="203.0.113.77")
    hit = RateLimitHit.objects.get()
    assert hit.client == ratelimit.client_key("203.0.113.77", "contact")
    assert len(hit.client) == 64 and "203.0.113.77" not in hit.client
    settings.RATE_LIMIT_SALT = "another-salt"
    assert ratelimit.client_key("203.0.113.77", "contact") != hit.client
    with connection.cursor() as cursor:
        for table in ["spinesite_ratelimithit", "contact_consultationrequest"]:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            assert "203.0.113.77" not in repr(cursor.fetchall())


def test_scopes_are_independent_so_other_forms_can_reuse_it():
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    with transaction.atomic():
        assert ratelimit.hit(request, "contact", limit=1)
        assert not ratelimit.hit(request, "contact", limit=1)
        assert ratelimit.hit(request, "feedback", limit=2, window=60)
        assert ratelimit.hit(request, "feedback", limit=2, window=60)
        assert not ratelimit.hit(request, "feedback", limit=2, window=60)
    assert ratelimit.count(request, "feedback", window=60) == 2


def test_a_rolled_back_hit_does_not_count():
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert ratelimit.hit(request, "contact", limit=1)
        raise RuntimeError("the save failed")
    with transaction.atomic():
        assert ratelimit.hit(request, "contact", limit=1)


def test_purge_expired():
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    ratelimit.hit(request, "contact", limit=5)
    ratelimit.hit(request, "other", limit=5)
    RateLimitHit.objects.filter(scope="other").update(expires=timezone.now())
    assert ratelimit.purge_expired() == 1
    assert RateLimitHit.objects.get().scope == "contact"
