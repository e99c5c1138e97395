"""Issue 18's editing guarantees on every registered kind of page, clinicians and
locations included: each test runs once per kind, and the first test fails when a kind
is registered that is not listed here.

Phantom edits, lost edits, history and restore, redirects, scheduling, sign-off and
preview links, through the admin as a browser would post it (tests.admin_forms).
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from spinesite import pagekinds
from spinesite.review import CLINICAL_REVIEWERS
from tests.admin_forms import change_form
from tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    LocationFactory,
    TreatmentFactory,
    UserFactory,
    VideoFactory,
)
from tests.sitemaps import sitemap_text
from tests.staff_support import verified_client
from tests.test_page_editing import change_form_from, change_url, editor

pytestmark = pytest.mark.django_db

FACTORIES = {
    "conditions.Condition": ConditionFactory,
    "treatments.Treatment": TreatmentFactory,
    "videos.Video": VideoFactory,
    "clinicians.Clinician": ClinicianFactory,
    "locations.Location": LocationFactory,
}


def test_every_registered_kind_is_tested_here():
    assert {kind.key for kind in pagekinds.kinds()} == set(FACTORIES)


def body_of(page):
    return pagekinds.kind_of(page).body


def save(client, page, **changes):
    data = change_form(client, change_url(page))
    data.update(changes)
    return client.post(change_url(page), data)


def changelist(page):
    opts = page._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


@pytest.mark.parametrize("key", FACTORIES)
def test_saving_an_unchanged_page_changes_nothing(key):
    page = FACTORIES[key]()
    field = body_of(page)
    setattr(page, field, "## One\n\nText.\n")  # a trailing newline, as files once had
    page.save()
    page.refresh_from_db()
    before = page.updated
    client = editor()
    response = save(client, page)  # CRLF in every text area, as browsers send
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.updated == before
    assert not Version.objects.get_for_object(page).exists()


@pytest.mark.parametrize("key", FACTORIES)
def test_an_edit_is_kept_with_who_and_a_diff_and_restores_as_a_new_version(key):
    page = FACTORIES[key](title="First title")
    client = editor("alice")
    assert save(client, page, title="Second title").status_code == 302
    newest, baseline = Version.objects.get_for_object(page)
    assert newest.revision.user.username == "alice"
    opts = page._meta
    history = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[page.pk])
    ).content.decode()
    assert '<span class="diff-del">-First title</span>' in history
    assert '<span class="diff-ins">+Second title</span>' in history
    restore = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_restore", args=[page.pk, baseline.pk]
    )
    response = client.post(restore, follow=True)
    assert "as a new version" in response.content.decode()
    page.refresh_from_db()
    assert page.title == "First title"
    assert Version.objects.get_for_object(page).count() == 3


@pytest.mark.parametrize("key", FACTORIES)
def test_a_save_over_a_newer_save_is_refused_and_keeps_your_text(key):
    page = FACTORIES[key](title="Opened")
    alice, bob = editor("alice"), editor("bob")
    alice_form = change_form(alice, change_url(page))
    bob_form = change_form(bob, change_url(page))
    bob_form["title"] = "Bob's title"
    assert bob.post(change_url(page), bob_form).status_code == 302
    alice_form["title"] = "Alice's title"
    response = alice.post(change_url(page), alice_form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "bob saved this page at" in html and "Bob&#x27;s title" in html
    assert 'value="Alice&#x27;s title"' in html  # your text, still in the form
    page.refresh_from_db()
    assert page.title == "Bob's title"
    again = change_form_from(response)
    assert alice.post(change_url(page), again).status_code == 302
    page.refresh_from_db()
    assert page.title == "Alice's title"


@pytest.mark.parametrize("key", FACTORIES)
def test_a_renamed_page_keeps_its_old_address(key, client):
    page = FACTORIES[key](slug="old-name")
    old_url = page.get_absolute_url()
    assert save(editor(), page, slug="new-name").status_code == 302
    page.refresh_from_db()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == page.get_absolute_url()
    assert client.get(page.get_absolute_url()).status_code == 200
    xml = sitemap_text(client)
    assert page.get_absolute_url() in xml and old_url not in xml


@pytest.mark.parametrize("key", FACTORIES)
def test_a_page_appears_and_disappears_on_schedule(key, client):
    now = timezone.now()
    later = FACTORIES[key](publish_at=now + timedelta(hours=1))
    ended = FACTORIES[key](unpublish_at=now - timedelta(hours=1))
    window = FACTORIES[key](publish_at=now - timedelta(hours=1))
    assert client.get(later.get_absolute_url()).status_code == 404
    assert client.get(ended.get_absolute_url()).status_code == 404
    assert client.get(window.get_absolute_url()).status_code == 200
    model = type(later)
    assert list(model.objects.filter(pk__in=[later.pk, ended.pk, window.pk]).published()) == [
        window
    ]


@pytest.mark.parametrize("key", FACTORIES)
def test_unpublish_before_publish_is_a_form_error_and_nothing_is_lost(key):
    page = FACTORIES[key](title="Kept title")
    client = editor()
    response = save(
        client, page,
        title="My new title",
        publish_at_0="2030-01-02", publish_at_1="09:00:00",
        unpublish_at_0="2030-01-01", unpublish_at_1="09:00:00",
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "The page must come down after it goes up" in html
    assert 'value="My new title"' in html  # the editor's text stays in the form
    page.refresh_from_db()
    assert page.title == "Kept title" and page.publish_at is None


@pytest.mark.parametrize("key", FACTORIES)
def test_the_admin_list_says_scheduled(key):
    page = FACTORIES[key](publish_at=timezone.now() + timedelta(days=3))
    listing = editor().get(changelist(page)).content.decode()
    assert "Scheduled: goes up" in listing


def reviewer_client(username="drlee"):
    user = UserFactory(username=username, first_name="Dana", last_name="Lee", is_staff=True)
    user.groups.add(Group.objects.get(name=CLINICAL_REVIEWERS))
    return user, verified_client(user)


def approve(client, page):
    return client.post(
        changelist(page), {"action": "approve", "_selected_action": [page.pk]}, follow=True
    )


@pytest.mark.parametrize("key", FACTORIES)
def test_a_reviewer_approves_every_kind_and_dates_come_from_the_act(key, settings):
    settings.CLINICAL_REVIEW_INTERVAL_DAYS = 200
    page = FACTORIES[key]()
    _, client = reviewer_client()
    assert "You approved 1" in approve(client, page).content.decode()
    page.refresh_from_db()
    today = timezone.localdate()
    assert page.last_reviewed == today
    assert page.next_review_due == today + timedelta(days=200)
    assert page.reviewed_hash and not page.changed_since_review
    # An edit to the body afterwards is flagged until approved again.
    setattr(page, body_of(page), getattr(page, body_of(page)) + "\n\nA new paragraph.")
    page.save()
    assert page.changed_since_review
    assert "Changed since clinical review" in editor().get(changelist(page)).content.decode()


@pytest.mark.parametrize("key", ["conditions.Condition", "treatments.Treatment", "videos.Video"])
def test_approval_by_a_clinicians_login_names_that_clinician(key, client):
    user, reviewer = reviewer_client()
    doctor = ClinicianFactory(title="Dr. Sample Reviewer", credentials="MD", user=user)
    page = FACTORIES[key]()
    approve(reviewer, page)
    page.refresh_from_db()
    assert page.reviewed_by == doctor
    assert page.reviewer_name == "" and page.reviewer_credentials == ""
    assert "Dr. Sample Reviewer, MD" in client.get(page.get_absolute_url()).content.decode()


@pytest.mark.parametrize("key", ["conditions.Condition", "treatments.Treatment", "videos.Video"])
def test_approval_by_a_login_of_no_clinician_names_the_person(key, client):
    _, reviewer = reviewer_client()
    page = FACTORIES[key](reviewed_by=ClinicianFactory(title="Dr. Earlier"))
    approve(reviewer, page)
    page.refresh_from_db()
    assert page.reviewed_by is None and page.reviewer_name == "Dana Lee"
    html = client.get(page.get_absolute_url()).content.decode()
    assert "Dana Lee" in html and "Dr. Earlier" not in html


@pytest.mark.parametrize("key", FACTORIES)
def test_reviewer_fields_cannot_be_typed_in(key):
    page = FACTORIES[key]()
    client = editor()
    data = change_form(client, change_url(page))
    for name in ("reviewed_by", "reviewer_name", "reviewer_credentials", "last_reviewed"):
        assert name not in data
    data.update(reviewer_name="Dr Invented", last_reviewed="2020-01-01", next_review_due="")
    client.post(change_url(page), data)
    page.refresh_from_db()
    assert page.last_reviewed is None
    assert getattr(page, "reviewer_name", None) in ("", None)


@pytest.mark.parametrize("key", FACTORIES)
def test_a_preview_link_shows_a_draft_of_every_kind_privately(key, client):
    draft = FACTORIES[key](title="A draft to read", status="draft")
    response = editor().post(
        changelist(draft),
        {"action": "preview_links", "_selected_action": [draft.pk]},
        follow=True,
    )
    link = re.search(r'href="http://testserver(/preview/[^"]+)"', response.content.decode())[1]
    shown = client.get(link)
    assert shown.status_code == 200
    assert "A draft to read" in shown.content.decode()
    assert shown["Cache-Control"] == "private, no-store"
    assert "noindex" in shown["X-Robots-Tag"]
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_public_page_is_kept_by_browsers_no_longer_than_the_next_scheduled_change(
    client, settings
):
    settings.PUBLIC_CACHE_SECONDS = 600
    ConditionFactory(slug="shown")
    ConditionFactory(publish_at=timezone.now() + timedelta(seconds=90))
    response = client.get("/conditions/shown/")
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1])
    assert 0 < max_age <= 90


HARD = (
    "Notwithstanding considerable interindividual variability, degenerative "
    "intervertebral discopathy characteristically precipitates multisegmental "
    "radiculopathic symptomatology necessitating comprehensive multidisciplinary "
    "evaluation and individualized therapeutic prioritization."
)


@pytest.mark.parametrize("key", FACTORIES)
def test_saving_warns_with_advice_and_saves_anyway(key):
    page = FACTORIES[key]()
    client = editor()
    field = body_of(page)
    text = f"## One\n\n#### Skipped\n\n![Describe the image](/media/uploads/spine.png)\n\n{HARD}"
    response = client.post(
        change_url(page), {**change_form(client, change_url(page)), field: text}, follow=True
    )
    html = response.content.decode()
    assert "The image spine.png has no description" in html
    assert "skips a level (h4 after h2)" in html
    assert re.search(r"reads at US grade [\d.]+, above grade 8", html)
    page.refresh_from_db()
    assert "spine.png" in getattr(page, field)


def test_a_locations_hours_are_kept_with_its_versions_and_come_back_on_restore():
    """Rows that belong to a page (PageKind.parts) are part of its history: a change to
    them alone is a version with a diff, and restoring brings the old rows back."""
    from locations.models import Location

    page = LocationFactory(hours=[(0, "08:00", "17:00")])
    client = editor("alice")
    data = change_form(client, change_url(page))
    opens = next(name for name in data if re.fullmatch(r"hours-0-opens", name))
    data[opens] = "09:30"
    before = Location.objects.get(pk=page.pk).updated
    assert client.post(change_url(page), data).status_code == 302
    page = Location.objects.get(pk=page.pk)
    assert page.updated > before  # "Last updated" moves for an edit to the hours alone
    newest, baseline = Version.objects.get_for_object(page)
    assert newest.revision.user.username == "alice"
    history = client.get(
        reverse("admin:locations_location_history", args=[page.pk])
    ).content.decode()
    assert "<dt>Opening hours</dt>" in history
    assert '<span class="diff-del">-weekday: Monday; opens: 08:00:00; closes: 17:00:00' in history
    assert '<span class="diff-ins">+weekday: Monday; opens: 09:30:00; closes: 17:00:00' in history
    restore = reverse("admin:locations_location_restore", args=[page.pk, baseline.pk])
    assert "as a new version" in client.post(restore, follow=True).content.decode()
    assert [str(row) for row in page.hours.all()] == ["Monday 8 am to 5 pm"]


def test_saving_a_location_unchanged_keeps_its_hours_and_records_nothing():
    page = LocationFactory()
    client = editor()
    assert save(client, page).status_code == 302
    assert page.hours.count() == 5
    assert not Version.objects.get_for_object(page).exists()


def test_a_row_deleted_in_the_same_save_does_not_come_back_with_the_version():
    from locations.models import Location

    page = LocationFactory(title="Main", hours=[(0, "08:00", "17:00"), (1, "08:00", "12:00")])
    client = editor()
    data = change_form(client, change_url(page))
    tuesday = next(
        name.removesuffix("-weekday") for name, value in data.items()
        if name.startswith("hours-") and name.endswith("-weekday") and value == "1"
    )  # fmt: skip
    data.update({f"{tuesday}-DELETE": "on", "title": "Main office"})
    assert client.post(change_url(page), data).status_code == 302
    page = Location.objects.get(pk=page.pk)
    assert [str(row) for row in page.hours.all()] == ["Monday 8 am to 5 pm"]
    newest, baseline = Version.objects.get_for_object(page)
    # The new version has Monday only; restoring the one before brings Tuesday back.
    part_rows = newest.revision.version_set.exclude(object_id=str(page.pk))
    assert [v.object_repr for v in part_rows] == ["Monday 8 am to 5 pm"]
    restore = reverse("admin:locations_location_restore", args=[page.pk, baseline.pk])
    client.post(restore)
    page.refresh_from_db()
    assert page.title == "Main"
    assert sorted(str(row) for row in page.hours.all()) == [
        "Monday 8 am to 5 pm",
        "Tuesday 8 am to noon",
    ]


def test_loading_a_clinicians_file_keeps_the_certifications_with_the_version(tmp_path):
    from clinicians.models import Clinician
    from tests.test_load_content import load

    folder = tmp_path / "clinicians"
    folder.mkdir()
    text = (
        "---\ntitle: Dr. Sample Clinician Z\ncredentials: MD\nsummary: Spine surgeon\n"
        "status: published\nis_sample: true\ncertifications:\n"
        "  - {{name: {name}, board: Sample Board}}\n---\nA short plain biography.\n"
    )
    (folder / "dr-z.md").write_text(text.format(name="Sample certification A"))
    load(tmp_path)
    page = Clinician.objects.get(slug="dr-z")
    (folder / "dr-z.md").write_text(text.format(name="Sample certification B"))
    load(tmp_path)
    newest, first = Version.objects.get_for_object(page)
    assert [
        v.object_repr for v in newest.revision.version_set.exclude(object_id=str(page.pk))
    ] == ["Sample certification B (Sample Board)"]
    assert [v.object_repr for v in first.revision.version_set.exclude(object_id=str(page.pk))] == [
        "Sample certification A (Sample Board)"
    ]


def test_restore_leaves_the_sign_off_as_it_is_and_flags_unreviewed_text():
    """Who approved and when is the record of an act: restoring old text does not
    bring back an old approval, and text nobody approved shows as changed."""
    page = ConditionFactory(body="## One\n\nFirst words.")
    client = editor()
    assert save(client, page, body="## One\n\nSecond words.").status_code == 302
    _, baseline = Version.objects.get_for_object(page)
    _, reviewer = reviewer_client()
    approve(reviewer, page)
    page.refresh_from_db()
    approved_on, approved_by = page.last_reviewed, page.reviewer_name
    client.post(reverse("admin:conditions_condition_restore", args=[page.pk, baseline.pk]))
    page.refresh_from_db()
    assert page.body == "## One\n\nFirst words."
    assert (page.last_reviewed, page.reviewer_name) == (approved_on, approved_by)
    assert page.changed_since_review


def test_restore_of_a_version_whose_linked_login_was_deleted_says_so():
    user = UserFactory(username="gone")
    page = ClinicianFactory(title="Dr. First", user=user)
    client = editor()
    assert save(client, page, title="Dr. Second").status_code == 302
    _, baseline = Version.objects.get_for_object(page)
    user.delete()
    response = client.post(
        reverse("admin:clinicians_clinician_restore", args=[page.pk, baseline.pk]), follow=True
    )
    assert response.status_code == 200
    assert "Left out, as they no longer exist: staff login #" in response.content.decode()
    page.refresh_from_db()
    assert page.title == "Dr. First" and page.user is None


@pytest.mark.parametrize("key", ["conditions.Condition", "treatments.Treatment", "videos.Video"])
def test_the_public_page_says_when_it_changed_since_its_review(key, client):
    page = FACTORIES[key]()
    _, reviewer = reviewer_client()
    approve(reviewer, page)
    page.refresh_from_db()
    assert (
        "updated since its last clinical review"
        not in client.get(page.get_absolute_url()).content.decode()
    )
    setattr(page, body_of(page), getattr(page, body_of(page)) + "\n\nA new paragraph.")
    page.save()
    html = client.get(page.get_absolute_url()).content.decode()
    assert "updated since its last clinical review" in html
    assert "Dana Lee" in html  # still names who reviewed the earlier text
