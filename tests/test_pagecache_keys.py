"""The page cache cannot be poisoned, bypassed or filled by what a client chooses:
the Host header, query strings and cookies (spinesite.pagecache)."""

import pickle

import pytest
from django.core.cache import caches
from django.test import Client

from spinesite.boundedcache import BoundedMemoryCache
from spinesite.models import ClinicDetails
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

HIT = 1  # inside a test's transaction, a cached page costs the content version query


@pytest.fixture
def condition():
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    return ConditionFactory(title="Sciatica", region="lower-back")


def test_a_host_not_allowed_is_never_served_from_the_cache(client, condition):
    url = condition.get_absolute_url()
    assert client.get(url).status_code == 200  # now cached
    response = Client(raise_request_exception=False).get(url, headers={"host": "evil.example"})
    assert response.status_code == 400
    assert b"evil.example" not in response.content


def test_each_allowed_host_gets_its_own_page(settings, condition):
    """With a wildcard ALLOWED_HOSTS and no SITE_URL (DEBUG on, say), links follow the
    request's host: a page cached for one name must not be served to another."""
    settings.ALLOWED_HOSTS = [".example.org"]
    settings.SITE_URL = ""
    url = condition.get_absolute_url()
    first = Client().get(url, headers={"host": "www.example.org"}).content.decode()
    second = Client().get(url, headers={"host": "other.example.org"}).content.decode()
    assert "//www.example.org/" in first
    assert "//other.example.org/" in second and "//www.example.org/" not in second


def test_query_parameters_no_view_reads_share_one_entry(
    client, condition, django_assert_num_queries
):
    url = condition.get_absolute_url()
    client.get(url)
    for junk in ("?utm_source=mail", "?x=1", "?x=2&y=%00", "?" + "a" * 2000):
        with django_assert_num_queries(HIT, info=junk):
            assert client.get(url + junk).status_code == 200
    entries = len(caches["pages"]._cache)
    for number in range(50):
        client.get(f"{url}?n={number}")
    assert len(caches["pages"]._cache) == entries  # nothing new kept


def test_parameters_a_view_reads_still_make_their_own_pages(
    client, condition, django_assert_num_queries
):
    ConditionFactory(title="Neck pain", region="neck")
    neck = client.get("/conditions/?region=neck").content.decode()
    back = client.get("/conditions/?region=lower-back").content.decode()
    assert "Neck pain" in neck and "Sciatica" not in neck
    assert "Sciatica" in back and "Neck pain" not in back
    with django_assert_num_queries(HIT):
        again = client.get("/conditions/?utm_source=x&region=neck").content.decode()
    assert again == neck
    results = client.get("/search/?q=sciatica").content.decode()
    assert results != client.get("/search/?q=neck").content.decode()


def test_cookies_the_site_never_sets_do_not_bypass_the_cache(
    client, condition, django_assert_num_queries
):
    url = condition.get_absolute_url()
    client.get(url)
    client.cookies["_ga"] = "GA1.2.3"
    client.cookies["random"] = "x" * 100
    with django_assert_num_queries(HIT):
        assert client.get(url).status_code == 200


def test_a_session_still_bypasses_it(admin_client, condition):
    ConditionFactory(title="Draft page", status="draft", slug="draft-page")
    assert admin_client.get("/conditions/draft-page/").status_code == 200  # staff see drafts
    assert Client().get("/conditions/draft-page/").status_code == 404


def test_the_cache_is_bounded_in_bytes():
    cache = BoundedMemoryCache(
        "bounded-test", {"OPTIONS": {"MAX_ENTRIES": 1000, "MAX_BYTES": 100_000}}
    )
    for number in range(50):
        cache.set(f"page-{number}", b"x" * 10_000)
        assert cache.size_in_bytes <= 100_000
    # The most recently stored and read entries stay; the oldest went first.
    assert cache.get("page-49") is not None
    assert cache.get("page-0") is None
    cache.get("page-45")  # read: now the most recently used
    cache.set("new", b"y" * 10_000)
    assert cache.get("page-45") is not None
    # An entry larger than the whole budget is not kept at all, and evicts nothing.
    cache.set("huge", b"z" * 200_000)
    assert cache.get("huge") is None and cache.size_in_bytes <= 100_000
    assert cache.get("page-45") is not None and cache.get("new") is not None
    # Nor does it leave what the key held before in its place.
    cache.set("new", b"z" * 200_000)
    assert cache.get("new") is None and cache.get("page-45") is not None
    assert len(pickle.dumps(b"x" * 10_000)) > 10_000  # pickled sizes are what counts


def test_the_page_cache_bound_comes_from_the_environment():
    from tests.production_support import production_env, settings_in

    values = settings_in(production_env(PAGE_CACHE_MAX_BYTES="1000000"), "CACHES")
    assert values["CACHES"]["pages"]["OPTIONS"]["MAX_BYTES"] == 1_000_000
    assert values["CACHES"]["pages"]["BACKEND"] == "spinesite.boundedcache.BoundedMemoryCache"


def test_the_fragment_cache_is_bounded_in_bytes_from_the_environment():
    from tests.production_support import production_env, settings_in

    env = production_env(FRAGMENT_CACHE_MAX_BYTES="2000000", SEARCH_CACHE_MAX_BYTES="300000")
    values = settings_in(env, "CACHES")
    assert values["CACHES"]["fragments"]["OPTIONS"]["MAX_BYTES"] == 2_000_000
    assert values["CACHES"]["fragments"]["BACKEND"] == "spinesite.boundedcache.BoundedMemoryCache"
    assert values["CACHES"]["searches"]["OPTIONS"]["MAX_BYTES"] == 300_000
    assert values["CACHES"]["searches"]["BACKEND"] == "spinesite.boundedcache.BoundedMemoryCache"
