"""Editing staff can trust: no phantom edits, no lost edits, redirects on slug change.

Every kind of page gets these from the registry (spinesite.pagekinds); they are tested on
conditions, treatments and videos through the admin as a browser would post it.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from reversion.models import Version

from conditions.models import Condition
from spinesite.models import Redirect
from tests.admin_forms import change_form
from tests.factories import ConditionFactory, TreatmentFactory, UserFactory, VideoFactory
from tests.sitemaps import sitemap_text
from tests.staff_support import verified_client

pytestmark = pytest.mark.django_db

FACTORIES = {"condition": ConditionFactory, "treatment": TreatmentFactory, "video": VideoFactory}


def change_url(page):
    opts = page._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk])


def editor(name="editor"):
    client = verified_client(UserFactory(username=name, is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("kind", FACTORIES)
def test_saving_an_unchanged_page_changes_nothing(kind):
    # Stored text with a trailing newline, as content files used to be loaded.
    text = (
        {"transcript": "### Part\n\nWords.\n"}
        if kind == "video"
        else {"body": "## One\n\nText.\n"}
    )
    page = FACTORIES[kind](**text)
    page.refresh_from_db()
    before = page.updated
    client = editor()
    data = change_form(client, change_url(page))
    response = client.post(change_url(page), data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.updated == before
    assert not Version.objects.get_for_object(page).exists()


def test_crlf_and_trailing_spaces_are_normalised_on_the_way_in():
    page = ConditionFactory(body="## One\n\nText.\n")
    client = editor()
    data = change_form(client, change_url(page))
    data["body"] = "## One  \r\n\r\nText, changed.   \r\n"
    assert client.post(change_url(page), data).status_code == 302
    page.refresh_from_db()
    assert page.body == "## One\n\nText, changed."
    # ...and the preview endpoint reads them the same way.
    preview = client.post("/markdownx/markdownify/", {"content": "Line  \r\nnext"})
    assert preview.content.decode() == "<p>Line\nnext</p>"


def test_an_edit_records_a_version_with_who_and_a_diff():
    page = ConditionFactory(body="## One\n\nOld words.")
    client = editor("alice")
    data = change_form(client, change_url(page))
    data["body"] = "## One\n\nNew words."
    client.post(change_url(page), data)
    newest, baseline = Version.objects.get_for_object(page)
    assert newest.revision.user.username == "alice"
    # The page as it was before its first recorded edit is kept, so it can come back.
    assert baseline.revision.user is None and baseline.field_dict["body"] == "## One\n\nOld words."
    history = client.get(reverse("admin:conditions_condition_history", args=[page.pk]))
    html = history.content.decode()
    assert '<span class="diff-del">-Old words.</span>' in html
    assert '<span class="diff-ins">+New words.</span>' in html
    assert "alice" in html
    assert "<dt>Title</dt>" not in html  # only what changed


def test_a_save_over_a_newer_save_is_refused_and_shows_their_change():
    page = ConditionFactory(body="## One\n\nFirst text.")
    alice, bob = editor("alice"), editor("bob")
    alice_form = change_form(alice, change_url(page))
    bob_form = change_form(bob, change_url(page))
    bob_form["body"] = "## One\n\nBob's text."
    assert bob.post(change_url(page), bob_form).status_code == 302

    alice_form["body"] = "## One\n\nAlice's text."
    response = alice.post(change_url(page), alice_form)
    assert response.status_code == 200  # the form again, not saved
    html = response.content.decode()
    assert "bob saved this page at" in html
    assert "Bob&#x27;s text." in html  # their change, shown
    assert "Alice&#x27;s text.</textarea>" in html  # your text, kept
    page.refresh_from_db()
    assert page.body == "## One\n\nBob's text."

    # Saving again, having seen their change, is a deliberate choice and works.
    again = change_form_from(response)
    again["body"] = "## One\n\nAlice's text, with Bob's."
    assert alice.post(change_url(page), again).status_code == 302
    page.refresh_from_db()
    assert page.body == "## One\n\nAlice's text, with Bob's."


def change_form_from(response):
    from tests.admin_forms import _FormReader

    reader = _FormReader()
    reader.feed(response.content.decode())
    return {k: (v if len(v) != 1 else v[0]) for k, v in reader.data.items()}


@pytest.mark.parametrize("kind", FACTORIES)
def test_a_renamed_page_keeps_its_old_address(kind, client):
    page = FACTORIES[kind](slug="old-name")
    old_url = page.get_absolute_url()
    staff = editor()
    data = change_form(staff, change_url(page))
    data["slug"] = "new-name"
    assert staff.post(change_url(page), data).status_code == 302
    page.refresh_from_db()
    response = client.get(old_url + "?x=1")
    assert response.status_code == 301
    assert response["Location"] == page.get_absolute_url() + "?x=1"
    assert client.get(page.get_absolute_url()).status_code == 200


def test_chains_collapse_and_a_page_never_redirects_to_itself(client):
    page = ConditionFactory(slug="a")
    for slug in ("b", "c", "a"):
        page.slug = slug
        page.save()
    # a -> b -> c -> a: back at "a", which is its own address again.
    kind = ContentType.objects.get_for_model(Condition)
    assert set(Redirect.objects.filter(content_type=kind).values_list("old_slug", flat=True)) == {
        "b",
        "c",
    }
    assert client.get("/conditions/b/")["Location"] == "/conditions/a/"
    assert client.get("/conditions/c/")["Location"] == "/conditions/a/"
    assert client.get("/conditions/a/").status_code == 200


def test_a_new_page_may_take_an_old_slug_back(client):
    page = ConditionFactory(slug="sciatica", title="Sciatica")
    staff = editor()
    data = change_form(staff, change_url(page))
    data["slug"] = "sciatica-leg-pain"
    staff.post(change_url(page), data)
    newer = ConditionFactory(slug="other", title="Another page")
    data = change_form(staff, change_url(newer))
    data["slug"] = "sciatica"
    response = staff.post(change_url(newer), data, follow=True)
    assert "/conditions/sciatica/ used to lead to" in response.content.decode()
    assert client.get("/conditions/sciatica/").status_code == 200
    assert "Another page" in client.get("/conditions/sciatica/").content.decode()
    assert client.get("/conditions/sciatica-leg-pain/").status_code == 200


def test_redirects_lead_only_to_pages_the_visitor_may_see(client):
    page = ConditionFactory(slug="old", status=Condition.Status.DRAFT)
    page.slug = "new"
    page.save()
    assert client.get("/conditions/old/").status_code == 404
    page.delete()
    assert not Redirect.objects.exists()


def test_sitemap_lists_only_current_addresses(client):
    page = ConditionFactory(slug="old")
    page.slug = "new"
    page.save()
    xml = sitemap_text(client)
    assert "/conditions/new/" in xml and "/conditions/old/" not in xml
