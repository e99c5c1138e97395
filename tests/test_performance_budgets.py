"""Budgets that keep pages fast: SQL queries, bytes on the wire, and HTTP caching.

Query counts and byte counts are deterministic, so they are enforced here; speed
itself is measured by the bench/ scripts, never asserted.
"""

import gzip
import os
import re
import select
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from clinicians.models import BoardCertification, Specialty
from conditions.models import Condition
from locations.models import HoursException
from spinesite import contentsnapshot
from spinesite.contentsnapshot import watcher
from spinesite.models import ClinicDetails, MissedSearch
from tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    LocationFactory,
    TopicFactory,
    TreatmentFactory,
    UserFactory,
    VideoFactory,
)
from tests.staff_support import verified_client
from treatments.models import Treatment

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 3
WEIGHT_BUDGET = 30 * 1024


@pytest.fixture(params=[1, 50], ids=["1-related", "50-related"])
def site(request):
    """A condition, a treatment and a video, each linked to `n` other pages and topics."""
    n = request.param
    ClinicDetails.get_solo()  # made by the first visit ever; every later one reads it
    others = [ConditionFactory(title=f"Other {i}", featured=i < 3) for i in range(n)]
    topics = [TopicFactory(name=f"Topic {i}") for i in range(n)]
    condition = ConditionFactory(
        title="Sciatica", slug="sciatica", also_called="Pinched nerve", related=others
    )
    other_treatments = [
        TreatmentFactory(title=f"Other treatment {i}", conditions=[condition], featured=i < 3)
        for i in range(n)
    ]
    treatment = TreatmentFactory(
        title="Spinal cord stimulation",
        slug="spinal-cord-stimulation",
        kind="implants",
        conditions=[condition, *others],
        related=other_treatments,
    )
    videos = [
        VideoFactory(conditions=[condition, *others], treatments=[treatment], topics=topics)
        for _ in range(n)
    ]
    locations = [LocationFactory(title=f"Location {i}") for i in range(min(n, 5))]
    for location in locations:
        HoursException.objects.create(location=location, date=timezone.localdate(), note="Holiday")
    clinicians = [
        ClinicianFactory(
            conditions=[condition, *others],
            treatments=[treatment, *other_treatments],
            locations=locations,
        )
        for _ in range(n)
    ]
    for clinician in clinicians:
        BoardCertification.objects.create(clinician=clinician, name="Cert", board="Board")
        clinician.specialties.set(
            [Specialty.objects.get_or_create(name="Surgery", slug="surgery")[0]]
        )
    return {
        "condition": condition,
        "treatment": treatment,
        "video": videos[0],
        "location": locations[0],
        "clinician": clinicians[0],
    }


def empty_page_cache():
    for cache in caches.all():
        cache.clear()


def public_pages(site):
    return {
        "home": "/",
        "conditions index": "/conditions/",
        "condition filtered": "/conditions/?region=lower-back",
        "condition detail": site["condition"].get_absolute_url(),
        "treatments index": "/treatments/",
        "treatment detail": site["treatment"].get_absolute_url(),
        "video list": "/videos/",
        "video list filtered": f"/videos/?condition={site['condition'].slug}",
        "video detail": site["video"].get_absolute_url(),
        "search results": "/search/?q=sciatica",
        "search no results": "/search/?q=zzzzqqqq",  # and counted in the search log
        "search misspelt": "/search/?q=sciatika",
        "contact": "/contact/",
        "locations index": "/locations/",
        "location detail": site["location"].get_absolute_url(),
        "clinicians index": "/clinicians/",
        "clinicians filtered": f"/clinicians/?specialty=surgery&location={site['location'].slug}",
        "clinician detail": site["clinician"].get_absolute_url(),
        "new patients": "/new-patients/",
    }


def test_every_public_page_stays_within_the_query_budget(
    site, client, django_assert_max_num_queries
):
    for name, url in public_pages(site).items():
        empty_page_cache()  # each page as the first visitor after a change sees it
        with django_assert_max_num_queries(QUERY_BUDGET, info=name):
            response = client.get(url)
        assert response.status_code == 200, name
        if name == "search misspelt":
            assert "Did you mean" in response.content.decode()
        if name == "search no results":
            assert MissedSearch.objects.get().words == "zzzzqqqq"


def test_every_public_page_stays_within_the_query_budget_when_the_cache_is_bypassed(
    site, client, django_assert_max_num_queries
):
    # A session cookie (an editor's, or a stale one) makes every request miss the page
    # cache; the clinic's details and the footer's locations still come with the
    # content snapshot, not in queries of their own.
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    for name, url in public_pages(site).items():
        with django_assert_max_num_queries(QUERY_BUDGET, info=name):
            response = client.get(url)
        assert response.status_code == 200, name
        assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


def test_a_cached_page_costs_one_query_inside_a_transaction(
    site, client, django_assert_num_queries
):
    # A test's open transaction may hold writes no notification reports, so the
    # cache asks for the content version (with the clinic details) each time.
    url = site["condition"].get_absolute_url()
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


# Outside a transaction, as in production, the page cache learns of content changes
# from PostgreSQL's notifications (spinesite.contentsnapshot.ContentWatcher).
committing = pytest.mark.django_db(transaction=True)


def edit_in_admin(admin_client, condition, summary):
    data = {
        "title": condition.title,
        "slug": condition.slug,
        "summary": summary,
        "region": condition.region,
        "body": condition.body,
        "status": "published",
    }
    response = admin_client.post(f"/admin/conditions/condition/{condition.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


@committing
def test_a_cached_page_costs_no_query(client, django_assert_num_queries):
    ClinicDetails.get_solo()  # made by the first visit ever: a write
    url = ConditionFactory().get_absolute_url()
    client.get(url)
    client.get("/contact/")
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/contact/").status_code == 200  # a PersonalPage once cached


def notified():
    """Whether the page cache's listener has a notification to read within 10 s.

    PostgreSQL delivers it a fraction of a millisecond after the commit (a few
    milliseconds on a machine whose cores are all busy), which is sooner than an
    editor's browser can ask for a page again, but not sooner than a test can.
    """
    return bool(select.select([watcher._listener], [], [], 10)[0])


@committing
def test_an_admin_save_shows_as_soon_as_postgresql_notifies(client, admin_client):
    condition = ConditionFactory(summary="Before the edit.")
    url = condition.get_absolute_url()
    assert "Before the edit." in client.get(url).content.decode()
    for n in range(3):
        edit_in_admin(admin_client, condition, f"Edit number {n}.")
        assert notified()
        assert f"Edit number {n}." in client.get(url).content.decode()
        assert f"Edit number {n}." in client.get("/conditions/").content.decode()


@committing
def test_a_write_from_outside_django_shows_once_notified(client):
    condition = ConditionFactory(summary="Before the edit.")
    url = condition.get_absolute_url()
    client.get(url)
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as psql:
        psql.execute(
            "UPDATE conditions_condition SET summary = 'Edited in psql.' WHERE id = %s",
            [condition.pk],
        )
    assert notified()
    assert "Edited in psql." in client.get(url).content.decode()


@committing
def test_a_lost_listener_is_replaced_and_misses_nothing(client, django_assert_num_queries):
    ClinicDetails.get_solo()
    condition = ConditionFactory(summary="Before the edit.")
    url = condition.get_absolute_url()
    client.get(url)
    with connection.cursor() as cursor:  # as a restart of PostgreSQL would
        cursor.execute(  # and wait until the server process has gone
            "SELECT pg_terminate_backend(%s, 10000)", [watcher._listener.info.backend_pid]
        )
    Condition.objects.filter(pk=condition.pk).update(summary="Edited while nobody listened.")
    response = client.get(url)
    assert response.status_code == 200
    assert "Edited while nobody listened." in response.content.decode()
    client.get(url)  # listens again, and reads the version once more
    with django_assert_num_queries(0):
        assert "Edited while nobody listened." in client.get(url).content.decode()


def later(monkeypatch, seconds):
    """Move the page cache's clock `seconds` on."""
    now = time.monotonic() + seconds
    monkeypatch.setattr(contentsnapshot, "time", SimpleNamespace(monotonic=lambda: now))


@committing
def test_pages_are_read_again_after_max_age_even_if_no_notification_comes(client, monkeypatch):
    condition = ConditionFactory(summary="Before the edit.")
    url = condition.get_absolute_url()
    client.get(url)
    watcher._listener.execute("UNLISTEN *")  # as a pooler that swallows notifications
    Condition.objects.filter(pk=condition.pk).update(summary="After the edit.")
    assert "Before the edit." in client.get(url).content.decode()
    later(monkeypatch, watcher.MAX_AGE)
    assert "After the edit." in client.get(url).content.decode()


@committing
def test_a_listener_that_cannot_connect_waits_before_trying_again(client, monkeypatch):
    attempts = []

    def unreachable():
        attempts.append(1)
        raise psycopg.OperationalError("connection refused")

    monkeypatch.setattr(watcher, "_listen", unreachable)
    condition = ConditionFactory(summary="Before the edit.")
    url = condition.get_absolute_url()
    client.get(url)
    Condition.objects.filter(pk=condition.pk).update(summary="After the edit.")
    assert "After the edit." in client.get(url).content.decode()  # asked the database
    assert len(attempts) == 1
    later(monkeypatch, watcher.RETRY_SECONDS)
    client.get(url)
    assert len(attempts) == 2


@committing
def test_a_forked_process_does_not_share_the_listener(client):
    client.get(ConditionFactory().get_absolute_url())
    assert watcher._listener is not None
    child = os.fork()
    if child == 0:  # the child leaves at once, running no cleanup of its parent's
        os._exit(0 if watcher._listener is None else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 0
    assert not watcher._listener.closed


@committing
def test_without_listening_every_page_asks_for_the_version(
    client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_LISTEN = False  # behind PgBouncer in transaction mode
    ClinicDetails.get_solo()
    condition = ConditionFactory(summary="Before the edit.")
    url = condition.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
    Condition.objects.filter(pk=condition.pk).update(summary="After the edit.")
    assert "After the edit." in client.get(url).content.decode()


def test_saving_a_page_empties_the_cache_at_once(client, admin_client):
    condition = ConditionFactory(summary="Before the edit.")
    assert "Before the edit." in client.get(condition.get_absolute_url()).content.decode()
    Condition.objects.filter(pk=condition.pk).update(summary="After the edit.")
    assert "After the edit." in client.get(condition.get_absolute_url()).content.decode()

    data = {
        "title": condition.title,
        "slug": condition.slug,
        "summary": "Edited in admin.",
        "region": condition.region,
        "body": condition.body,
        "status": "published",
    }
    admin_client.post(f"/admin/conditions/condition/{condition.pk}/change/", data)
    assert "Edited in admin." in client.get(condition.get_absolute_url()).content.decode()
    assert "Edited in admin." in client.get("/conditions/").content.decode()


def test_clinic_details_edits_show_at_once(client):
    client.get("/")
    clinic = ClinicDetails.get_solo()
    clinic.phone = "(555) 010-0177"
    clinic.save()
    assert "(555) 010-0177" in client.get("/").content.decode()


def test_condition_treatment_and_video_pages_answer_conditional_requests(site, client):
    for page in (site["condition"], site["treatment"], site["video"]):
        response = client.get(page.get_absolute_url())
        assert response["Last-Modified"] == http_date(page.updated.timestamp())
        assert response.has_header("ETag")
        again = client.get(
            page.get_absolute_url(), headers={"If-Modified-Since": response["Last-Modified"]}
        )
        assert again.status_code == 304
        again = client.get(page.get_absolute_url(), headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304
        earlier = http_date((page.updated - timedelta(days=1)).timestamp())
        assert (
            client.get(page.get_absolute_url(), headers={"If-Modified-Since": earlier}).status_code
            == 200
        )


def test_anonymous_pages_may_be_cached_briefly_by_proxies(site, client):
    for name, url in public_pages(site).items():
        if name in ("contact", "search no results"):  # the latter is counted every time
            continue
        response = client.get(url)
        cache_control = response.get("Cache-Control", "")
        max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
        assert "public" in cache_control, name
        # A location page says "open now": kept no longer than that holds.
        assert max_age == 60 or (name.startswith("location") and max_age < 60), name
        assert not response.cookies, name
        assert "csrfmiddlewaretoken" not in response.content.decode(), name


def test_nothing_personal_is_cached_publicly(site, client):
    staff = verified_client(UserFactory(is_staff=True, is_superuser=True))
    personal = [
        (client, "/contact/"),
        (client, "/contact/thanks/"),
        (client, "/accounts/login/"),
        (staff, "/admin/"),
        (staff, site["condition"].get_absolute_url()),
        (staff, "/"),
    ]
    for who, url in personal:
        response = who.get(url)
        cache_control = response.get("Cache-Control", "")
        assert "public" not in cache_control, url
        assert "private" in cache_control or "no-store" in cache_control, url


def test_staff_drafts_never_reach_the_public_cache(client):
    draft = ConditionFactory(status=Condition.Status.DRAFT)
    staff = verified_client(UserFactory(is_staff=True, is_superuser=True))
    assert staff.get(draft.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_request_with_a_session_is_never_served_from_the_cache(client):
    page = ConditionFactory(summary="Public summary.")
    client.get(page.get_absolute_url())  # cached for anonymous visitors
    staff = verified_client(UserFactory(is_staff=True, is_superuser=True))
    response = staff.get(page.get_absolute_url())
    assert "Log out" in response.content.decode() or "private" in response["Cache-Control"]


def gzipped_size(data):
    return len(gzip.compress(data, compresslevel=9))


@pytest.mark.parametrize(
    "kind", ["condition", "treatment", "treatments index", "location", "clinician"]
)
def test_a_page_with_its_css_and_scripts_weighs_under_30_kb(client, settings, kind):
    settings.STATIC_URL = "/static/"
    ConditionFactory(slug="other", title="Other")
    # A long real page: the sample condition page is as long as a treatment page.
    body = (settings.BASE_DIR / "content/conditions/failed-back-surgery-syndrome.md").read_text()
    body = body.split("---", 2)[2]
    if kind == "condition":
        url = ConditionFactory(body=body, sources="- A source").get_absolute_url()
    elif kind in ("location", "clinician"):
        conditions = [ConditionFactory() for _ in range(5)]
        location = LocationFactory(about=body[:2000], parking="Behind the building.")
        clinician = ClinicianFactory(bio=body[:2000], conditions=conditions, locations=[location])
        url = (location if kind == "location" else clinician).get_absolute_url()
    else:
        conditions = [ConditionFactory() for _ in range(5)]
        treatments = [
            TreatmentFactory(kind=choice, conditions=conditions)
            for choice in Treatment.Kind.values * 3
        ]
        page = TreatmentFactory(
            body=body, sources="- A source", conditions=conditions, related=treatments[:5]
        )
        url = page.get_absolute_url() if kind == "treatment" else "/treatments/"
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    total = len(response.content)

    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<script[^>]* src="([^"]+)"', html)
    assets += re.findall(r'<img[^>]* src="([^"]+)"', html)  # the spine figures
    # Without the stylesheet and the theme the check would weigh the HTML alone.
    assert any("/css/site" in a for a in assets) and any("/theme/" in a for a in assets), assets
    for url in assets:
        assert url.startswith("/") and not url.startswith("//"), f"{url} comes from elsewhere"
        if url.startswith("/static/"):
            path = finders.find(url.removeprefix("/static/"))
            assert path, url
            content = Path(path).read_bytes()
        else:  # the clinic's theme stylesheet
            answer = client.get(url)
            assert answer.status_code == 200, url
            content = answer.content
        assert b"@font-face" not in content and b"url(http" not in content, url
        total += gzipped_size(content)
    assert total < WEIGHT_BUDGET, f"{total} bytes"


def test_page_images_have_dimensions_and_load_lazily(site, client):
    for url in (
        site["condition"].get_absolute_url(),
        "/videos/",
        site["video"].get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        for tag in re.findall(r"<img\b[^>]*>", html):
            assert re.search(r'\bwidth="\d+"', tag) and re.search(r'\bheight="\d+"', tag), tag
        below_the_fold = re.findall(r"<img\b[^>]*>", html)[1:]
        for tag in below_the_fold:
            assert 'loading="lazy"' in tag, tag


def test_no_page_links_another_host(site, client):
    for name, url in public_pages(site).items():
        html = client.get(url).content.decode()
        for attr in re.findall(
            r'<(?:link rel="(?:stylesheet|icon)"|script|img|iframe|video|source)\b[^>]*(?:href|src)="([^"]+)"',
            html,
        ):
            assert attr.startswith("/") and not attr.startswith("//"), f"{name}: {attr}"


def test_favicon_is_linked_and_served(client):
    html = client.get("/").content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    assert finders.find(href.removeprefix("/static/"))


def test_not_modified_is_not_sent_for_changed_pages(client):
    page = ConditionFactory()
    first = client.get(page.get_absolute_url())
    Condition.objects.filter(pk=page.pk).update(
        summary="Changed.", updated=timezone.now() + timedelta(seconds=5)
    )
    again = client.get(page.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200 and "Changed." in again.content.decode()


def test_a_page_with_a_csp_nonce_is_never_kept(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    from spinesite.pagecache import PageCacheMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    serve = PageCacheMiddleware(CSPMiddleware(view))
    first, second = serve(rf.get("/nonce/")), serve(rf.get("/nonce/"))
    assert first.content != second.content
    assert first["Content-Security-Policy"] != second["Content-Security-Policy"]


def test_static_files_are_served_without_a_query(settings, django_assert_num_queries):
    settings.WHITENOISE_USE_FINDERS = True  # serve the source files: no collectstatic here
    client = Client()
    html = client.get("/").content.decode()
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    with django_assert_num_queries(0):
        response = client.get(stylesheet)
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
