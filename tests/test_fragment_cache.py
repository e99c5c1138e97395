"""What pages keep per content version for requests the page cache does not answer
(spinesite.fragments): reused while content is unchanged, never served after an
edit, and kept apart per language, per host and per what a visitor may see."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches

from conditions.models import Condition, ConditionTranslation
from spinesite.models import ClinicDetails, MissedSearch
from tests.factories import (
    ConditionFactory,
    TermFactory,
    TreatmentFactory,
    UserFactory,
    VideoFactory,
)
from tests.staff_support import verified_client
from treatments.models import Treatment

pytestmark = pytest.mark.django_db


@pytest.fixture
def bypassing(client):
    """A visitor whose session cookie names no session: every request misses the page
    cache and runs its view, as an editor's does."""
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    return client


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_missing_the_page_cache_is_read_and_rendered_once_per_version(
    bypassing, django_assert_num_queries
):
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    condition = ConditionFactory(summary="Kept summary.")
    TreatmentFactory(conditions=[condition])
    url = condition.get_absolute_url()
    first = text(bypassing.get(url))
    # Inside a test's transaction only the content version is asked for: the page,
    # its related lists and videos come from what the first request kept.
    with django_assert_num_queries(1):
        assert text(bypassing.get(url)) == first


@pytest.mark.parametrize(
    "kind, factory, index",
    [
        ("condition", ConditionFactory, "/conditions/"),
        ("treatment", TreatmentFactory, "/treatments/"),
    ],
)
def test_an_edit_shows_at_once_on_pages_that_miss_the_page_cache(bypassing, kind, factory, index):
    page = factory(title="Edited page", summary="Before the edit.", featured=True)
    model = type(page)
    for url in (page.get_absolute_url(), index, "/"):
        assert "Before the edit." in text(bypassing.get(url)), url
    model.objects.filter(pk=page.pk).update(summary="After the edit.")
    for url in (page.get_absolute_url(), index, "/"):
        html = text(bypassing.get(url))
        assert "After the edit." in html and "Before the edit." not in html, url


def test_an_edit_in_admin_shows_at_once_to_an_editor(admin_client):
    condition = ConditionFactory(summary="Before the edit.")
    staff = verified_client(UserFactory(is_staff=True, is_superuser=True))
    assert "Before the edit." in text(staff.get(condition.get_absolute_url()))
    data = {
        "title": condition.title,
        "slug": condition.slug,
        "summary": "Edited in admin.",
        "region": condition.region,
        "body": condition.body,
        "status": "published",
    }
    response = staff.post(f"/admin/conditions/condition/{condition.pk}/change/", data)
    assert response.status_code == 302
    assert "Edited in admin." in text(staff.get(condition.get_absolute_url()))
    assert "Edited in admin." in text(staff.get("/conditions/"))


def spanish(condition, summary):
    return ConditionTranslation.objects.create(
        page=condition,
        language="es",
        title="Ciática",
        summary=summary,
        body="## Qué es\n\nDolor en la pierna.",
        status=ConditionTranslation.Status.PUBLISHED,
    )


def test_each_language_keeps_its_own_and_is_updated_on_its_own(bypassing):
    condition = ConditionFactory(title="Sciatica", summary="English summary.")
    translation = spanish(condition, "Resumen en español.")
    english_url, spanish_url = condition.get_absolute_url(), f"/es{condition.get_absolute_url()}"
    for _ in range(2):  # the second time from what was kept
        english, es = text(bypassing.get(english_url)), text(bypassing.get(spanish_url))
        assert "English summary." in english and "Resumen en español." not in english
        assert "Resumen en español." in es and "English summary." not in es
        assert '<html lang="es">' in es and "Talk with our team" not in es
        assert "Resumen en español." in text(bypassing.get("/es/conditions/"))

    # An edit of the Spanish text shows on the Spanish pages at once...
    ConditionTranslation.objects.filter(pk=translation.pk).update(summary="Resumen nuevo.")
    assert "Resumen nuevo." in text(bypassing.get(spanish_url))
    assert "Resumen nuevo." in text(bypassing.get("/es/conditions/"))
    assert "English summary." in text(bypassing.get(english_url))
    # ...and an edit of the English one on the English pages.
    Condition.objects.filter(pk=condition.pk).update(summary="New English summary.")
    assert "New English summary." in text(bypassing.get(english_url))
    assert "New English summary." in text(bypassing.get("/conditions/"))
    assert "Resumen nuevo." in text(bypassing.get(spanish_url))


def test_the_glossary_and_footer_follow_edits(bypassing):
    term = TermFactory(term="Disc", definition="A cushion between bones.")
    assert "A cushion between bones." in text(bypassing.get("/glossary/"))
    type(term).objects.filter(pk=term.pk).update(definition="A soft pad between bones.")
    assert "A soft pad between bones." in text(bypassing.get("/glossary/"))


def test_a_draft_an_editor_saw_is_not_shown_to_anyone_else(bypassing):
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    draft = ConditionFactory(status=Condition.Status.DRAFT, summary="Draft summary.")
    staff = verified_client(UserFactory(is_staff=True, is_superuser=True))
    assert "Draft summary." in text(staff.get(draft.get_absolute_url()))
    assert bypassing.get(draft.get_absolute_url()).status_code == 404
    assert "Draft summary." not in text(bypassing.get("/conditions/"))


def test_a_page_published_after_a_visitor_was_refused_it_is_shown(bypassing):
    treatment = TreatmentFactory(status=Treatment.Status.DRAFT, summary="Not yet.")
    assert bypassing.get(treatment.get_absolute_url()).status_code == 404
    Treatment.objects.filter(pk=treatment.pk).update(status=Treatment.Status.PUBLISHED)
    assert "Not yet." in text(bypassing.get(treatment.get_absolute_url()))


def test_each_host_keeps_its_own_absolute_addresses(bypassing, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    condition = ConditionFactory()
    url = condition.get_absolute_url()
    assert "http://testserver/" in text(bypassing.get(url))
    other = text(bypassing.get(url, HTTP_HOST="other.example"))
    assert "http://other.example/" in other and "http://testserver/" not in other


def test_index_page_links_keep_the_filters_and_not_made_up_parameters(bypassing, monkeypatch):
    # What is kept holds the filters the view understood, never a visitor's other
    # parameters (spinesite.indexes.numbered): those would reach the next visitor.
    monkeypatch.setattr("spinesite.indexes.PER_PAGE", 2)
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    for title in ["Arm pain", "Back pain", "Coccydynia", "Disc bulge", "Neck pain"]:
        ConditionFactory(title=title)
    assert 'href="?page=3"' in text(bypassing.get("/conditions/?page=2"))
    html = text(bypassing.get("/conditions/?page=2&from=leaflet"))
    pagination = html.split('<nav class="pagination"')[1].split("</nav>")[0]
    assert "Coccydynia" in html and 'href="?page=3"' in pagination and "leaflet" not in pagination


def test_a_part_that_used_the_visitors_csrf_token_or_a_nonce_is_not_kept(rf):
    from django.core.cache import caches
    from django.template import engines

    template = engines["django"].from_string(
        '{% contentcache "form" %}{% csrf_token %}{% endcontentcache %}'
        '{% contentcache "script" %}{{ request.csp_nonce }}{% endcontentcache %}'
        '{% contentcache "plain" %}Same for everyone{% endcontentcache %}'
    )
    for _ in range(2):
        request = rf.get("/")
        request.content_version = (1, None)
        # django-csp's nonce: made (and noted on the request) when it is first read.
        request.__class__ = type("R", (type(request),), {"csp_nonce": property(_nonce)})
        html = template.render({}, request)
        assert "csrfmiddlewaretoken" in html and "nonce-of-this-request" in html
    assert len(caches["fragments"]._cache) == 1  # only "plain"


def _nonce(request):
    request._csp_nonce = "nonce-of-this-request"
    return request._csp_nonce


def test_a_part_is_not_kept_when_the_token_or_nonce_was_made_earlier_in_the_page(rf):
    """Once the page has used the visitor's token or nonce above the part, using them
    again inside it changes nothing on the request; the part is still theirs alone."""
    from django.core.cache import caches
    from django.template import engines

    template = engines["django"].from_string(
        "{% csrf_token %}{{ request.csp_nonce }}"
        '{% contentcache "form" %}{% csrf_token %}{% endcontentcache %}'
        '{% contentcache "script" %}{{ request.csp_nonce }}{% endcontentcache %}'
        '{% contentcache "plain" %}Same for everyone{% endcontentcache %}'
    )
    for _ in range(2):
        request = rf.get("/")
        request.content_version = (1, None)
        request.__class__ = type("R", (type(request),), {"csp_nonce": property(_nonce)})
        html = template.render({}, request)
        assert html.count("csrfmiddlewaretoken") == 2 and html.count("nonce-of-this") == 2
        # The flag that sends the CSRF cookie, set above the parts, is still set.
        assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(caches["fragments"]._cache) == 1  # only "plain"


def test_addresses_that_do_not_exist_do_not_fill_the_cache(bypassing):
    """A scanner trying made-up addresses and slugs takes no entry for each one."""
    from django.core.cache import caches

    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    ConditionFactory(title="Sciatica")
    cache = caches["fragments"]
    for url in ("/", "/conditions/", "/no-such-page/", "/conditions/no-such-page/"):
        bypassing.get(url)
    kept = len(cache._cache)
    for number in range(50):
        for url in (f"/wp-admin-{number}.php", f"/conditions/no-such-{number}/"):
            response = bypassing.get(url)
            assert response.status_code == 404
            assert "Sorry, we cannot find that page" in response.content.decode()
    assert len(cache._cache) == kept


def _kept(name):
    from django.core.cache import caches

    return sum(f".data:{name}." in key for key in caches["fragments"]._cache)


@pytest.mark.parametrize(
    "index, name, factory",
    [
        ("/conditions/", "condition-index", ConditionFactory),
        ("/treatments/", "treatment-index", TreatmentFactory),
    ],
)
def test_index_pages_are_kept_once_per_page_whatever_the_query_says(
    bypassing, monkeypatch, index, name, factory
):
    monkeypatch.setattr("spinesite.indexes.PER_PAGE", 2)
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    for title in ["Arm pain", "Back pain", "Coccydynia", "Disc bulge", "Neck pain"]:
        factory(title=title)
    # Page 1, however it is asked for; a region no page is filtered by is no region.
    for query in ["", "page=abc", "page=0", "page=-1", "page=01", "page=1", "region=elbow"]:
        assert "Arm pain" in text(bypassing.get(f"{index}?{query}")), query
    assert _kept(name) == 1
    # A page past the last shows the last, and is kept only as itself.
    for query in ["page=999", "page=1000", "page=3"]:
        html = text(bypassing.get(f"{index}?{query}"))
        assert "Neck pain" in html and "Arm pain" not in html, query
    assert _kept(name) == 2


def test_a_filter_and_a_page_number_cannot_pass_for_another_filter(bypassing):
    """Key parts are kept apart: ("neck:2", page 1) is not ("neck", "2:None")."""
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    ConditionFactory(title="Stiff neck", region=Condition.Region.NECK)
    ConditionFactory(title="Low back pain", region=Condition.Region.LOWER_BACK)
    assert "Low back pain" in text(bypassing.get("/conditions/?region=neck:2"))
    html = text(bypassing.get("/conditions/?region=neck&page=2:None"))
    assert "Stiff neck" in html and "Low back pain" not in html


def test_fragment_keys_keep_their_parts_apart(rf):
    from spinesite import fragments

    request = rf.get("/")
    request.content_version = (1, None)
    assert fragments.key(request, "x", ("a:b", None)) != fragments.key(
        request, "x", ("a", "b:None")
    )
    assert fragments.key(request, "x", ("a", 1)) == fragments.key(request, "x", ("a", 1))


def test_a_scheduled_page_shows_when_its_time_comes_with_no_edit(bypassing):
    """No write happens when a page goes up: what was kept before is not served after
    (the content version names the next scheduled change, by the database's clock)."""
    import time

    from django.db import connection

    def database_now():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement_timestamp()")
            return cursor.fetchone()[0]

    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    ConditionFactory(title="Already up")
    page = ConditionFactory(title="Goes up soon", publish_at=database_now() + timedelta(seconds=1))
    url = page.get_absolute_url()
    for _ in range(2):  # the second time from what was kept
        assert bypassing.get(url).status_code == 404
        html = text(bypassing.get("/conditions/"))
        assert "Already up" in html and "Goes up soon" not in html
    while database_now() <= page.publish_at:
        time.sleep(0.2)
    assert "Goes up soon" in text(bypassing.get(url))
    assert "Goes up soon" in text(bypassing.get("/conditions/"))


def test_the_language_switch_is_each_visitors_own(bypassing):
    """The switch's links carry the visitor's search words: never kept for the next."""
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    assert 'href="/es/search/?q=alpha"' in text(bypassing.get("/search/?q=alpha"))
    html = text(bypassing.get("/search/?q=beta"))
    assert 'href="/es/search/?q=beta"' in html and "alpha" not in html


def test_the_video_library_is_read_once_per_version_filters_and_page(
    bypassing, django_assert_num_queries
):
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    condition = ConditionFactory(title="Sciatica", slug="sciatica")
    VideoFactory(title="About sciatica", conditions=[condition])
    VideoFactory(title="Something else")
    everything = text(bypassing.get("/videos/"))
    filtered = text(bypassing.get("/videos/?condition=sciatica"))
    assert "Something else" in everything and "Something else" not in filtered
    with django_assert_num_queries(1):  # the content version only
        again = text(bypassing.get("/videos/?condition=sciatica&page=1"))
    assert "About sciatica" in again and "Something else" not in again
    # A made-up filter is a 404 each time, never kept.
    assert bypassing.get("/videos/?condition=made-up").status_code == 404
    assert bypassing.get("/videos/?condition=made-up").status_code == 404
    VideoFactory(title="A new video")
    assert "A new video" in text(bypassing.get("/videos/"))


def test_a_search_is_run_once_per_version_words_and_page(bypassing, django_assert_num_queries):
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    ConditionFactory(title="Sciatica", summary="Pain down the leg.")
    first = text(bypassing.get("/search/?q=sciatica"))
    assert "Sciatica" in first
    with django_assert_num_queries(1):  # the content version only
        assert text(bypassing.get("/search/?q=sciatica")) == first
    # Other words, or another page of them, are searches of their own.
    assert "Sciatica" not in text(bypassing.get("/search/?q=stenosis"))
    assert "Sciatica" not in text(bypassing.get("/search/?q=sciatica&page=2"))
    ConditionFactory(title="Sciatica in pregnancy")
    assert "Sciatica in pregnancy" in text(bypassing.get("/search/?q=sciatica"))


def test_a_search_that_found_nothing_is_run_and_counted_each_time(bypassing):
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    ConditionFactory(title="Sciatica")
    for _ in range(2):
        assert "Sciatica" not in text(bypassing.get("/search/?q=zebra"))
    assert MissedSearch.objects.get().count == 2
    # Nor on a later page: made-up words with any page number take no room.
    for number in range(2, 5):
        assert "Sciatica" not in text(bypassing.get(f"/search/?q=zebra&page={number}"))
    assert not caches["searches"].size_in_bytes  # only found-something is kept
