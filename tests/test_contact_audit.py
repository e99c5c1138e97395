"""The access audit: every look at a request recorded, append-only, for the privacy officer."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from contact import audit
from contact.groups import (
    CLINICAL_REVIEWERS,
    CONTENT_EDITORS,
    FRONT_DESK,
    FRONT_DESK_EXPORT,
    PRIVACY_OFFICER,
)
from contact.models import AccessEvent, ConsultationRequest
from tests.factories import UserFactory
from tests.staff_support import verified_client

pytestmark = pytest.mark.django_db

ADMIN = "/admin/contact/consultationrequest/"
AUDIT = "/admin/contact/accessevent/"


def make_request(name="Ana Patient"):
    return ConsultationRequest.objects.create(
        name=name, phone="5550100142", preferred_contact="phone", consented_at=timezone.now()
    )


def member(*groups, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.set(Group.objects.filter(name__in=groups))
    return verified_client(user), user


def events():
    return list(AccessEvent.objects.order_by("id").values_list("action", "requests", "username"))


def test_every_look_and_change_is_recorded_with_who_and_which_requests():
    first, second = make_request("Ana One"), make_request("Bo Two")
    client, user = member(FRONT_DESK, FRONT_DESK_EXPORT)
    name = user.username

    client.get(ADMIN)
    client.get(ADMIN, {"q": "Ana"})
    client.get(ADMIN, {"status__exact": "new"})
    client.get(f"{ADMIN}{first.pk}/change/")
    client.post(f"{ADMIN}{first.pk}/change/", {"status": "contacted", "internal_notes": ""})
    client.post(ADMIN, {"action": "mark_closed", "_selected_action": [second.pk], "index": 0})
    client.post(ADMIN, {"action": "export_csv", "_selected_action": [first.pk], "index": 0})

    recorded = events()
    both = sorted([first.pk, second.pk])
    assert recorded[:4] == [
        ("list", both, name),
        ("search", [first.pk], name),
        ("filter", both, name),
        ("view", [first.pk], name),
    ]
    assert ("change", [first.pk], name) in recorded
    assert ("change", [second.pk], name) in recorded
    assert ("export", [first.pk], name) in recorded
    search = AccessEvent.objects.get(action="search")
    assert search.detail == "q=Ana"  # what was searched for
    assert AccessEvent.objects.filter(action="change", detail="changed: Status").exists()


def test_status_changes_say_who_and_when():
    item, other = make_request(), make_request()
    client, user = member(FRONT_DESK)
    before = timezone.now()
    client.post(f"{ADMIN}{item.pk}/change/", {"status": "contacted", "internal_notes": ""})
    client.post(ADMIN, {"action": "mark_scheduled", "_selected_action": [other.pk], "index": 0})
    for request in (item, other):
        request.refresh_from_db()
        assert request.status_changed_by == user
        assert request.status_changed_at >= before
    page = client.get(f"{ADMIN}{other.pk}/history/").content.decode()
    assert "Status set to Scheduled." in page


def test_deleting_is_recorded():
    item = make_request()
    client, _ = member(is_superuser=True)
    assert client.post(f"{ADMIN}{item.pk}/delete/", {"post": "yes"}).status_code == 302
    assert AccessEvent.objects.filter(action="delete", requests=[item.pk]).exists()


def test_the_database_refuses_to_change_or_delete_the_audit():
    AccessEvent.objects.create(username="someone", action="view", requests=[1])
    for change in (
        lambda: AccessEvent.objects.update(username="nobody"),
        lambda: AccessEvent.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM contact_accessevent")
    assert AccessEvent.objects.get().username == "someone"


def test_only_the_purge_removes_entries_and_only_past_the_retention(settings):
    assert settings.AUDIT_RETENTION_DAYS == 6 * 365 + 2
    old = AccessEvent.objects.create(
        username="a", action="view", at=timezone.now() - timedelta(days=6 * 366)
    )
    kept = AccessEvent.objects.create(
        username="b", action="view", at=timezone.now() - timedelta(days=5 * 365)
    )
    assert audit.purge() == 1
    assert list(AccessEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert old.pk != kept.pk
    with pytest.raises(DatabaseError, match="at least 365"), transaction.atomic():
        audit.purge(days=30)
    # Even a session that sets the purge's cut-off itself cannot delete a young row.
    AccessEvent.objects.create(username="c", action="view")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('contact.audit_purge_before', '2999-01-01', true)")
        cursor.execute("DELETE FROM contact_accessevent")


def test_only_the_privacy_officer_reads_and_exports_the_audit():
    AccessEvent.objects.create(username="frontdesk-ann", action="view", requests=[7])
    for groups in [(FRONT_DESK,), (FRONT_DESK, FRONT_DESK_EXPORT), (CONTENT_EDITORS,)]:
        client, _ = member(*groups)
        assert client.get(AUDIT).status_code == 403, groups
    officer, _ = member(PRIVACY_OFFICER)
    listing = officer.get(AUDIT)
    assert listing.status_code == 200 and "frontdesk-ann" in listing.content.decode()
    assert "#7" in officer.get(AUDIT, {"q": "7"}).content.decode()
    event = AccessEvent.objects.first()
    response = officer.post(
        AUDIT, {"action": "export_csv", "_selected_action": [event.pk], "index": 0}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["at", "user", "action", "requests", "detail"]
    assert rows[1][1:4] == ["frontdesk-ann", "Viewed", "7"]
    # The privacy officer sees no request itself.
    assert officer.get(ADMIN).status_code == 403


def test_nobody_adds_changes_or_deletes_entries_in_admin():
    event = AccessEvent.objects.create(username="x", action="view", requests=[1])
    client, _ = member(is_superuser=True)
    assert client.get(f"{AUDIT}add/").status_code == 403
    assert client.get(f"{AUDIT}{event.pk}/delete/").status_code == 403
    assert client.post(f"{AUDIT}{event.pk}/change/", {"username": "y"}).status_code == 403
    event.refresh_from_db()
    assert event.username == "x"


def test_each_group_has_exactly_its_rights():
    def codes(name):
        group = Group.objects.get(name=name)
        return set(group.permissions.values_list("content_type__app_label", "codename"))

    assert codes(FRONT_DESK) == {
        ("contact", "view_consultationrequest"),
        ("contact", "change_consultationrequest"),
    }
    assert codes(FRONT_DESK_EXPORT) == {
        ("contact", "view_consultationrequest"),
        ("contact", "export_consultationrequest"),
    }
    assert codes(PRIVACY_OFFICER) == {
        ("contact", "view_accessevent"),
        ("contact", "export_accessevent"),
    }
    reviewers = codes(CLINICAL_REVIEWERS)
    assert reviewers and all(code.startswith("view_") for _, code in reviewers)
    # Every kind of page, to approve it (spinesite.review); read only.
    assert {app for app, _ in reviewers} == {
        "conditions",
        "treatments",
        "videos",
        "clinicians",
        "locations",
    }
    editors = codes(CONTENT_EDITORS)
    assert not any(app in ("contact", "auth") for app, _ in editors)
