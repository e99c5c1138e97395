"""Front-desk triage in admin, and who may see requests at all."""

import csv
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from contact.groups import CONTENT_EDITORS, FRONT_DESK, sync_groups
from contact.models import ConsultationRequest
from tests.factories import ConditionFactory, UserFactory
from tests.staff_support import verified_client

pytestmark = pytest.mark.django_db

ADMIN = "/admin/contact/consultationrequest/"


def make_request(**fields):
    values = {
        "name": "Ana Patient",
        "phone": "5550100142",
        "email": "ana@example.org",
        "preferred_contact": "phone",
        "consented_at": timezone.now(),
        "message": "Back pain.",
    }
    values.update(fields)
    return ConsultationRequest.objects.create(**values)


def login(*groups, perms=()):
    user = UserFactory(is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return verified_client(user), user


def action(client, name, *requests):
    return client.post(
        ADMIN,
        {"action": name, "_selected_action": [r.pk for r in requests], "index": 0},
    )


def test_groups_exist_with_their_permissions():
    front_desk = set(
        Group.objects.get(name=FRONT_DESK).permissions.values_list("codename", flat=True)
    )
    assert {"view_consultationrequest", "change_consultationrequest"} <= front_desk
    assert not any("condition" in code and "consultation" not in code for code in front_desk)
    editors = set(
        Group.objects.get(name=CONTENT_EDITORS).permissions.values_list("codename", flat=True)
    )
    assert {"add_condition", "change_condition", "delete_condition", "view_condition"} <= editors
    assert not any("consultation" in code or "ratelimit" in code for code in editors)
    # Every model of each app with a kind of page (spinesite.pagekinds), topics included.
    for app_label in ["conditions", "treatments", "videos"]:
        perms = Permission.objects.filter(content_type__app_label=app_label)
        assert perms.exists() and set(perms.values_list("codename", flat=True)) <= editors
    assert {"change_treatment", "view_topic"} <= editors


def test_sync_adds_missing_permissions_and_keeps_extra_ones():
    editors = Group.objects.get(name=CONTENT_EDITORS)
    editors.permissions.remove(Permission.objects.get(codename="change_condition"))
    extra = Permission.objects.get(codename="view_user")
    editors.permissions.add(extra)
    sync_groups()
    codes = set(editors.permissions.values_list("codename", flat=True))
    assert "change_condition" in codes and "view_user" in codes


def test_front_desk_sees_requests_newest_first_and_handles_them():
    older = make_request(name="Older Person", created=timezone.now() - timezone.timedelta(days=2))
    newer = make_request(name="Newer Person")
    client, user = login(FRONT_DESK)
    response = client.get(ADMIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Newer Person") < html.index("Older Person")
    for column in ["Status", "Assigned staff member", "Staff emailed"]:
        assert column in html
    # Filters and search.
    assert client.get(ADMIN, {"status__exact": "new"}).status_code == 200
    searched = client.get(ADMIN, {"q": "Older"}).content.decode()
    assert "Older Person" in searched and "Newer Person" not in searched
    # Change status, assignee and notes on the page; the patient's words stay read-only.
    page = client.get(f"{ADMIN}{newer.pk}/change/")
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()
    response = client.post(
        f"{ADMIN}{newer.pk}/change/",
        {"status": "contacted", "assigned_to": user.pk, "internal_notes": "Left a voicemail."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newer.refresh_from_db()
    assert (newer.status, newer.assigned_to, newer.internal_notes) == (
        "contacted",
        user,
        "Left a voicemail.",
    )
    assert newer.name == "Newer Person"
    # Actions change status.
    for name, status in [
        ("mark_scheduled", "scheduled"),
        ("mark_closed", "closed"),
        ("mark_spam", "spam"),
        ("mark_new", "new"),
        ("mark_contacted", "contacted"),
    ]:
        assert action(client, name, older, newer).status_code == 302
        assert set(ConsultationRequest.objects.values_list("status", flat=True)) == {status}


def test_nobody_adds_requests_in_admin():
    client, _ = login(FRONT_DESK)
    assert client.get(f"{ADMIN}add/").status_code == 403


def test_history_and_messages_name_no_patient():
    item = make_request(name="Hidden Name")
    client, _ = login(FRONT_DESK)
    client.post(f"{ADMIN}{item.pk}/change/", {"status": "closed", "internal_notes": "x"})
    entry = LogEntry.objects.get()
    assert entry.object_repr == f"Request #{item.pk}"
    assert "Hidden Name" not in entry.change_message


def test_csv_export_only_for_users_allowed_to_export():
    item = make_request(name='=HYPERLINK("http://evil")', message="+1 line\nsecond line")
    front_desk, _ = login(FRONT_DESK)
    html = front_desk.get(ADMIN).content.decode()
    assert "export_csv" not in html
    refused = action(front_desk, "export_csv", item)
    assert refused.get("Content-Type", "").startswith("text/html")  # no file for them

    exporter, _ = login(FRONT_DESK, perms=["export_consultationrequest"])
    assert "export_csv" in exporter.get(ADMIN).content.decode()
    response = action(exporter, "export_csv", item)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="consultation-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "created", "status", "name"]
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'  # not a formula in a spreadsheet
    assert rows[1][9] == "'+1 line\nsecond line"


def test_content_editors_get_403_on_every_request_url():
    item = make_request()
    condition = ConditionFactory()
    editor, _ = login(CONTENT_EDITORS)
    base = f"{ADMIN}{item.pk}"
    for url in [
        ADMIN,
        f"{ADMIN}?status__exact=new",
        f"{ADMIN}?q=Ana",
        f"{ADMIN}add/",
        f"{base}/change/",
        f"{base}/delete/",
        f"{base}/history/",
    ]:
        assert editor.get(url).status_code == 403, url
    assert editor.post(f"{base}/change/", {"status": "closed"}).status_code == 403
    assert editor.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert action(editor, "export_csv", item).status_code == 403
    assert action(editor, "mark_closed", item).status_code == 403
    # Nothing of it shows elsewhere in admin either.
    index = editor.get("/admin/").content.decode()
    assert "Consultation requests" not in index
    assert editor.get("/admin/contact/").status_code in (403, 404)
    autocomplete = editor.get(
        "/admin/autocomplete/",
        {"app_label": "contact", "model_name": "consultationrequest", "field_name": "assigned_to"},
    )
    assert autocomplete.status_code == 403
    item.refresh_from_db()
    assert item.status == "new"
    # What they may do, they can.
    assert editor.get("/admin/conditions/condition/").status_code == 200
    assert editor.get(f"/admin/conditions/condition/{condition.pk}/change/").status_code == 200


def test_a_403_in_admin_is_in_the_site_design():
    make_request()
    editor, _ = login(CONTENT_EDITORS)
    response = editor.get(ADMIN)
    assert response.status_code == 403
    assert "Sorry, you cannot see this page" in response.content.decode()


def test_the_admin_home_counts_what_the_front_desk_must_do(settings):
    settings.CONSULTATION_STALE_DAYS = 90
    for _ in range(3):
        make_request()
    make_request(status="review")
    old = make_request(status="contacted")
    ConsultationRequest.objects.filter(pk=old.pk).update(
        updated=timezone.now() - timezone.timedelta(days=91)
    )
    client, _ = login(FRONT_DESK)
    html = client.get("/admin/").content.decode()
    summary = html[html.index('id="front-desk"') :]
    assert "New requests</a></th>\n        <td><strong>3</strong>" in summary
    assert "Possible spam to check</a></th>\n        <td>1</td>" in summary
    assert "unchanged for over 90 days</a></th>\n        <td>1</td>" in summary
    stale = client.get(ADMIN, {"attention": "stale"}).content.decode()
    assert f"#{old.pk}</a>" in stale and stale.count('class="action-select"') == 1
    editor, _ = login(CONTENT_EDITORS)
    assert 'id="front-desk"' not in editor.get("/admin/").content.decode()


def test_phone_and_email_are_links_in_the_list_and_on_the_page():
    item = make_request(phone="(555) 010-0142 ext. 7", email="ana@example.org")
    client, _ = login(FRONT_DESK)
    for html in (
        client.get(ADMIN).content.decode(),
        client.get(f"{ADMIN}{item.pk}/change/").content.decode(),
    ):
        assert '<a href="tel:5550100142;ext=7">(555) 010-0142 ext. 7</a>' in html
        assert '<a href="mailto:ana@example.org">ana@example.org</a>' in html
