"""Page history: restore (one click, as a new version), and what else records versions."""

import pytest
from django.urls import reverse
from reversion.models import Version

from conditions.models import Condition
from tests.admin_forms import change_form
from tests.factories import ConditionFactory, TreatmentFactory
from tests.test_load_content import GOOD, load, write
from tests.test_page_editing import change_url, editor

pytestmark = pytest.mark.django_db


def edit(client, page, **changes):
    data = change_form(client, change_url(page))
    data.update(changes)
    response = client.post(change_url(page), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def restore_url(page, version):
    return reverse("admin:conditions_condition_restore", args=[page.pk, version.pk])


def test_restoring_a_version_brings_it_back_as_a_new_version(client):
    page = ConditionFactory(body="## One\n\nFirst words.", slug="first")
    staff = editor("alice")
    edit(staff, page, body="## One\n\nSecond words.", slug="second")
    _, baseline = Version.objects.get_for_object(page)
    # What the page renders from its Markdown is not kept: a restore renders it again.
    assert not {"body_html", "toc", "body_text", "sources_html"} & set(baseline.field_dict)
    assert "First words.</p>" not in baseline.serialized_data

    history = staff.get(reverse("admin:conditions_condition_history", args=[page.pk]))
    assert history.content.decode().count("Restore this version") == 1  # not the newest

    response = staff.post(restore_url(page, baseline), follow=True)
    assert "as a new version" in response.content.decode()
    page.refresh_from_db()
    assert page.body == "## One\n\nFirst words." and page.slug == "first"
    assert "First words." in page.body_html and "Second" not in page.body_html  # rendered again
    assert Version.objects.get_for_object(page).count() == 3
    assert Version.objects.get_for_object(page).first().revision.comment.startswith("Restored")
    # The address it had in between still leads to it.
    assert client.get("/conditions/second/")["Location"] == "/conditions/first/"


def test_restoring_a_version_whose_related_pages_were_deleted():
    kept, gone = ConditionFactory(title="Kept"), ConditionFactory(title="Gone")
    page = ConditionFactory(related=[kept, gone])
    staff = editor()
    edit(staff, page, related=[str(kept.pk)], body="## Changed")
    _, baseline = Version.objects.get_for_object(page)
    gone.delete()
    response = staff.post(restore_url(page, baseline), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Left out, as they no longer exist: related conditions #" in html
    page.refresh_from_db()
    assert list(page.related.all()) == [kept]
    assert page.body == ConditionFactory._meta.declarations["body"]


def test_a_version_of_another_page_or_a_get_cannot_restore():
    page, other = ConditionFactory(), ConditionFactory()
    staff = editor()
    edit(staff, other, body="## Changed")
    version = Version.objects.get_for_object(other).first()
    response = staff.post(restore_url(page, version), follow=True)
    assert "not one of this page" in response.content.decode()
    assert staff.get(restore_url(other, version)).status_code == 405


def test_restore_keeps_a_slug_another_page_has_taken():
    page = ConditionFactory(slug="sciatica")
    staff = editor()
    edit(staff, page, slug="sciatica-2")
    _, baseline = Version.objects.get_for_object(page)
    ConditionFactory(slug="sciatica")
    response = staff.post(restore_url(page, baseline), follow=True)
    assert (
        "the address \u201csciatica\u201d (another page has it now)" in response.content.decode()
    )
    page.refresh_from_db()
    assert page.slug == "sciatica-2"


def test_publish_actions_and_content_loads_are_recorded(tmp_path):
    draft = TreatmentFactory(status="draft")
    staff = editor("alice")
    staff.post(
        reverse("admin:treatments_treatment_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    newest = Version.objects.get_for_object(draft).first()
    assert newest.revision.user.username == "alice"
    assert newest.field_dict["status"] == "published"

    write(tmp_path, "sciatica.md", GOOD.format(related=""))
    load(tmp_path)
    page = Condition.objects.get(slug="sciatica")
    loaded = Version.objects.get_for_object(page).get()
    assert loaded.revision.comment == "Loaded from content files (content/conditions/)."


def test_loading_a_file_with_normalised_text_is_no_edit_and_a_new_slug_renames(tmp_path, client):
    write(tmp_path, "sciatica.md", GOOD.format(related="").replace("\n", "\r\n"))
    load(tmp_path)
    page = Condition.objects.get(slug="sciatica")
    assert "\r" not in page.body and not page.body.endswith("\n")
    # Saved unchanged in admin: nothing changes, so the loader still owns the page.
    staff = editor()
    edit(staff, page)
    page.refresh_from_db()
    assert page.content_hash

    renamed = GOOD.format(related="").replace(
        "title: Sciatica", "title: Sciatica\nslug: sciatic-pain"
    )
    write(tmp_path, "sciatica.md", renamed)
    assert "0 created, 1 updated" in load(tmp_path)
    assert Condition.objects.get().slug == "sciatic-pain"
    assert client.get("/conditions/sciatica/")["Location"] == "/conditions/sciatic-pain/"


def test_a_loaded_page_is_recorded_with_its_links(tmp_path):
    """New pages are inserted in bulk and their links after them: the loaded version
    must hold the links, or restoring it would clear them."""
    other = GOOD.format(related="").replace("title: Sciatica", "title: Disc trouble")
    write(tmp_path, "disc-trouble.md", other)
    write(tmp_path, "sciatica.md", GOOD.format(related="disc-trouble"))
    load(tmp_path)
    page = Condition.objects.get(slug="sciatica")
    assert list(page.related.values_list("slug", flat=True)) == ["disc-trouble"]
    loaded = Version.objects.get_for_object(page).get()
    assert loaded.field_dict["related"] == [Condition.objects.get(slug="disc-trouble").pk]


def test_a_version_that_can_no_longer_be_read_is_shown_as_such_not_a_500():
    page = ConditionFactory(body="## One\n\nFirst words.")
    staff = editor()
    edit(staff, page, body="## One\n\nSecond words.")
    edit(staff, page, body="## One\n\nThird words.")
    newest, middle, baseline = Version.objects.get_for_object(page)
    # As a version saved by an older model would read: reversion cannot load it.
    Version.objects.filter(pk=middle.pk).update(serialized_data="not what reversion wrote")

    response = staff.get(reverse("admin:conditions_condition_history", args=[page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "can no longer be read or restored" in html
    assert "what this one changed cannot be shown" in html  # the newest, after it
    assert html.count("Restore this version") == 1  # the baseline only
    assert restore_url(page, middle) not in html

    response = staff.post(restore_url(page, middle), follow=True)
    assert "cannot be restored" in response.content.decode()
    page.refresh_from_db()
    assert "Third words." in page.body
