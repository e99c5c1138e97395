"""The log of searches that found nothing: words only, per day, 90 days, never personal."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from spinesite import searchlog
from spinesite.models import MissedSearch
from tests.factories import ConditionFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/search/"


def logged():
    return {(row.words, row.count) for row in MissedSearch.objects.all()}


def test_searches_that_found_nothing_are_counted_per_day(client):
    ConditionFactory(title="Sciatica")
    for query in ["Pregnant", "pregnant ", "PREGNANT", "parking garage"]:
        response = client.get(URL, {"q": query})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]  # never served from a cache uncounted
    assert logged() == {("pregnant", 3), ("parking garage", 1)}
    assert MissedSearch.objects.get(words="pregnant").day == timezone.localdate()


def test_only_the_day_and_the_words_are_kept():
    fields = {field.name for field in MissedSearch._meta.get_fields()}
    assert fields == {"id", "day", "words", "count"}


def test_searches_that_found_something_or_a_spelling_are_not_counted(client):
    ConditionFactory(title="Sciatica")
    client.get(URL, {"q": "sciatica"})
    client.get(URL, {"q": "sciatika"})  # "Did you mean sciatica?"
    client.get(URL, {"q": "!!!"})  # no words
    client.get(URL, {"q": "qwxzv", "page": "2"})  # the first page was counted already
    assert logged() == set()


@pytest.mark.parametrize(
    "query",
    [
        "jane.doe@example.org",
        "me at jane@example",
        "555 010 0199",
        "(555) 010-0199",
        "+1 555 0100199",
        "born 03/04/1985",
        "123456",
        "https://example.org/my-scan",
        "www.example.org",
        "I fell off my bike last week and now my back hurts",
        "my name is jane doe and",
        "x" * 61,
    ],
)
def test_what_may_say_who_the_reader_is_is_never_stored(client, query):
    ConditionFactory(title="Sciatica")
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "We found no pages" in response.content.decode()
    assert logged() == set()


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("L5 S1", "l5 s1"),
        ("pain after 2 weeks", "pain after 2 weeks"),
        ('"tail bone" -pain', "tail bone pain"),
        ("Dolor de espalda", "dolor de espalda"),
        ("what's whiplash?", "what's whiplash"),
    ],
)
def test_the_words_are_kept_without_signs_or_capitals(query, words):
    assert searchlog.loggable_words(query) == words


def test_the_purge_keeps_90_days(settings):
    today = timezone.localdate()
    for age in (0, 89, 90, 91, 400):
        MissedSearch.objects.create(day=today - timedelta(days=age), words=f"w{age}", count=1)
    call_command("purge_search_log", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(MissedSearch.objects.values_list("words", flat=True)) == {"w0", "w89", "w90"}
    settings.SEARCH_LOG_DAYS = 0
    assert searchlog.purge() == 2


def test_content_editors_read_the_log_in_admin_and_cannot_write_it():
    MissedSearch.objects.create(day=timezone.localdate(), words="coccyx cushion", count=4)
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    browser = Client()
    browser.force_login(editor)
    html = browser.get("/admin/spinesite/missedsearch/").content.decode()
    assert "coccyx cushion" in html
    assert browser.get("/admin/spinesite/missedsearch/add/").status_code == 403
    row = MissedSearch.objects.get()
    assert browser.post(f"/admin/spinesite/missedsearch/{row.pk}/change/", {}).status_code == 403
    index = browser.get("/admin/").content.decode()
    assert "Searches that found nothing" in index
