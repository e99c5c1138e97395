"""Clinical sign-off in admin, and signed preview links for clinicians without a login."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from conditions.models import Condition
from spinesite.review import CLINICAL_REVIEWERS, PREVIEW_SALT
from tests.admin_forms import change_form
from tests.factories import ConditionFactory, UserFactory, VideoFactory
from tests.staff_support import verified_client
from tests.test_page_editing import change_url, editor

pytestmark = pytest.mark.django_db


def reviewer(name="drlee"):
    user = UserFactory(username=name, first_name="Dana", last_name="Lee", is_staff=True)
    user.groups.add(Group.objects.get(name=CLINICAL_REVIEWERS))
    return verified_client(user)


def approve(client, page):
    opts = page._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "approve", "_selected_action": [page.pk]},
        follow=True,
    )


def test_the_group_exists_with_its_permissions():
    group = Group.objects.get(name=CLINICAL_REVIEWERS)
    codes = set(group.permissions.values_list("codename", flat=True))
    assert {"view_condition", "view_treatment", "view_video", "view_clinician"} <= codes
    assert "view_location" in codes
    # Read only: approving is their act; editing and uploads are the editors'.
    assert not any(code.startswith(("add_", "change_", "delete_")) for code in codes)


@pytest.mark.parametrize("factory", [ConditionFactory, VideoFactory])
def test_a_reviewer_approves_and_the_dates_come_from_the_act(factory, settings, client):
    settings.CLINICAL_REVIEW_INTERVAL_DAYS = 365
    page = factory()
    response = approve(reviewer(), page)
    assert "You approved 1" in response.content.decode()
    page.refresh_from_db()
    today = timezone.localdate()
    assert page.reviewer_name == "Dana Lee"
    assert page.last_reviewed == today
    assert page.next_review_due == today + timedelta(days=365)
    assert page.reviewed_hash and not page.changed_since_review
    assert "Medically reviewed by" in client.get(page.get_absolute_url()).content.decode()


def test_an_editor_who_is_not_a_reviewer_cannot_approve():
    page = ConditionFactory()
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    staff = verified_client(user)
    listing = staff.get(reverse("admin:conditions_condition_changelist")).content.decode()
    assert "Approve as clinical reviewer" not in listing
    approve(staff, page)
    page.refresh_from_db()
    assert not page.reviewed_hash and page.last_reviewed is None


def test_reviewer_fields_cannot_be_typed_in():
    page = ConditionFactory()
    staff = editor()
    data = change_form(staff, change_url(page))
    assert "reviewer_name" not in data and "last_reviewed" not in data
    data.update(reviewer_name="Dr Invented", last_reviewed="2020-01-01")
    staff.post(change_url(page), data)
    page.refresh_from_db()
    assert page.reviewer_name == "" and page.last_reviewed is None


def test_a_body_edit_after_approval_is_flagged_until_approved_again(client):
    page = ConditionFactory(slug="sciatica")
    approve(reviewer(), page)
    staff = editor()
    data = change_form(staff, change_url(page))
    data["summary"] = "A new summary, not the body."
    staff.post(change_url(page), data)
    page.refresh_from_db()
    assert not page.changed_since_review

    data = change_form(staff, change_url(page))
    data["body"] = data["body"] + "\r\n\r\nA new paragraph."
    staff.post(change_url(page), data)
    page.refresh_from_db()
    assert page.changed_since_review
    listing = staff.get(reverse("admin:conditions_condition_changelist")).content.decode()
    assert "Changed since clinical review" in listing
    assert "Changed since clinical review." in staff.get(change_url(page)).content.decode()
    public = client.get("/conditions/sciatica/").content.decode()
    assert "updated since its last clinical review" in public

    approve(reviewer("drkim"), page)
    page.refresh_from_db()
    assert not page.changed_since_review
    assert (
        "updated since its last clinical review"
        not in client.get("/conditions/sciatica/").content.decode()
    )


def preview_link(page):
    staff = editor()
    response = staff.post(
        reverse("admin:conditions_condition_changelist"),
        {"action": "preview_links", "_selected_action": [page.pk]},
        follow=True,
    )
    return re.search(r'href="http://testserver(/preview/[^"]+)"', response.content.decode())[1]


def test_a_preview_link_shows_that_draft_only_privately(client):
    draft = ConditionFactory(title="Draft page", slug="draft", status=Condition.Status.DRAFT)
    other = ConditionFactory(title="Other draft", slug="other", status=Condition.Status.DRAFT)
    link = preview_link(draft)
    response = client.get(link)
    assert response.status_code == 200
    assert "Draft page" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert client.get(link).status_code == 200  # not served from a public cache entry
    # The page only: the draft's own address and other drafts stay hidden.
    assert client.get("/conditions/draft/").status_code == 404
    assert client.get(other.get_absolute_url()).status_code == 404


def test_tampered_expired_and_dangling_links_get_a_clear_4xx(client, settings):
    draft = ConditionFactory(status=Condition.Status.DRAFT)
    link = preview_link(draft)
    tampered = client.get(link[:-3] + "abc/")
    assert tampered.status_code == 400
    assert "not valid" in tampered.content.decode()
    forged = signing.dumps(["conditions.Condition", draft.pk], salt="another salt")
    assert client.get(f"/preview/{forged}/").status_code == 400

    settings.PREVIEW_LINK_SECONDS = -1
    expired = client.get(link)
    assert expired.status_code == 410
    assert "has expired" in expired.content.decode()
    assert expired["Cache-Control"] == "private, no-store"

    settings.PREVIEW_LINK_SECONDS = 3600
    draft.delete()
    assert client.get(link).status_code == 404
    token = signing.dumps(["no.Such", 1], salt=PREVIEW_SALT)
    assert client.get(f"/preview/{token}/").status_code == 404


def test_the_review_date_setting_is_used(settings):
    settings.CLINICAL_REVIEW_INTERVAL_DAYS = 30
    page = ConditionFactory()
    approve(reviewer(), page)
    page.refresh_from_db()
    assert page.next_review_due - page.last_reviewed == timedelta(days=30)
    assert isinstance(page.last_reviewed, date)
