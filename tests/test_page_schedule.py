"""Scheduled publishing: pages appear and disappear on time, with no cron job, and the
page cache never serves them early or late."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conditions.models import Condition
from spinesite.contentsnapshot import content_snapshot
from tests.admin_forms import change_form
from tests.factories import ConditionFactory, TreatmentFactory, VideoFactory
from tests.sitemaps import sitemap_text
from tests.test_page_editing import change_url, editor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory", [ConditionFactory, TreatmentFactory, VideoFactory])
def test_published_respects_the_schedule(factory):
    now = timezone.now()
    hour = timedelta(hours=1)
    live = factory()
    later = factory(publish_at=now + hour)
    ended = factory(unpublish_at=now - hour)
    window = factory(publish_at=now - hour, unpublish_at=now + hour)
    draft = factory(status="draft", publish_at=now - hour)
    model = type(live)
    assert set(model.objects.published()) == {live, window}
    assert [p.is_published for p in (live, later, ended, window, draft)] == [
        True,
        False,
        False,
        True,
        False,
    ]


def test_scheduled_pages_are_hidden_from_every_public_list(client):
    ConditionFactory(
        title="Future page", slug="future", publish_at=timezone.now() + timedelta(days=1)
    )
    assert client.get("/conditions/future/").status_code == 404
    assert "Future page" not in client.get("/conditions/").content.decode()
    assert "Future page" not in client.get("/search/?q=future").content.decode()
    assert "/conditions/future/" not in sitemap_text(client)


def test_unpublish_before_publish_is_a_clear_form_error():
    page = ConditionFactory()
    staff = editor()
    data = change_form(staff, change_url(page))
    data.update(
        publish_at_0="2030-01-02", publish_at_1="09:00:00",
        unpublish_at_0="2030-01-01", unpublish_at_1="09:00:00",
    )  # fmt: skip
    response = staff.post(change_url(page), data)
    assert response.status_code == 200
    assert "The page must come down after it goes up" in response.content.decode()
    page.refresh_from_db()
    assert page.publish_at is None


def test_admin_takes_times_in_the_clinic_zone_and_lists_scheduled_pages(settings):
    page = ConditionFactory()
    staff = editor()
    data = change_form(staff, change_url(page))
    data.update(publish_at_0="2030-01-02", publish_at_1="09:00:00")
    assert staff.post(change_url(page), data).status_code == 302
    page.refresh_from_db()
    assert settings.TIME_ZONE == "America/New_York"
    assert page.publish_at.isoformat() == "2030-01-02T14:00:00+00:00"  # 9 am in New York
    form = staff.get(change_url(page)).content.decode()
    assert "Times are America/New_York time." in form
    listing = staff.get(reverse("admin:conditions_condition_changelist")).content.decode()
    assert "Scheduled: goes up Jan 02, 2030 09:00" in listing


def test_the_snapshot_knows_the_next_scheduled_change():
    soon = timezone.now() + timedelta(minutes=5)
    TreatmentFactory(publish_at=soon + timedelta(minutes=5))
    VideoFactory(unpublish_at=soon)
    (counter, due), _, _ = content_snapshot()
    assert due == soon.timestamp()


@pytest.mark.django_db(transaction=True)
def test_the_page_cache_serves_a_scheduled_page_neither_early_nor_late(client):
    """Through the cache's own listener (no open transaction): no write happens when
    the page goes up or comes down, yet the cached list changes right then."""
    start = timezone.now()
    ConditionFactory(title="Goes up", publish_at=start + timedelta(seconds=2))
    ConditionFactory(title="Comes down", unpublish_at=start + timedelta(seconds=4))
    first = client.get("/conditions/").content.decode()
    assert "Goes up" not in first and "Comes down" in first
    assert client.get("/conditions/").content.decode() == first  # cached
    wait_until(start + timedelta(seconds=2))
    second = client.get("/conditions/").content.decode()
    assert "Goes up" in second and "Comes down" in second
    wait_until(start + timedelta(seconds=4))
    third = client.get("/conditions/").content.decode()
    assert "Goes up" in third and "Comes down" not in third
    assert not Condition.objects.filter(title="Comes down").published().exists()


def wait_until(moment):
    time.sleep(max(0, (moment - timezone.now()).total_seconds()) + 0.05)


def test_a_scheduled_pages_words_join_the_vocabulary_when_it_goes_up():
    from django_tasks_db.models import DBTaskResult

    from spinesite.models import SearchTerm
    from tests.contact_support import run_queued_tasks

    publish_at = timezone.now() + timedelta(hours=1)
    page = ConditionFactory(title="Arachnoiditis", publish_at=publish_at)
    ConditionFactory(title="Scheduled draft", status="draft", publish_at=publish_at)
    assert not SearchTerm.objects.filter(word="arachnoiditis").exists()  # not up yet
    (queued,) = DBTaskResult.objects.all()  # not for the draft
    assert queued.run_after == publish_at
    assert run_queued_tasks() == 0  # not due

    # The hour passes (the page was not saved again).
    Condition.objects.filter(pk=page.pk).update(publish_at=timezone.now())
    DBTaskResult.objects.update(run_after=timezone.now())
    assert run_queued_tasks() == 1
    assert SearchTerm.objects.filter(word="arachnoiditis").exists()
