"""The page editor in Chromium, under the site's strict CSP: the whole editing story.

An editor changes the FBSS page with the toolbar, sees the styled preview, schedules
it, restores the previous version, renames its slug and follows the old link; a
clinician reads a draft through a preview link and approves it in admin.
"""

import re
from io import BytesIO

import frontmatter
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from conditions.models import Condition
from spinesite.review import CLINICAL_REVIEWERS
from tests.factories import ClinicianFactory, ConditionFactory, UserFactory
from tests.test_browser_csp import RECORD_VIOLATIONS, sign_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FBSS = frontmatter.load(settings.BASE_DIR / "content/conditions/failed-back-surgery-syndrome.md")


@pytest.fixture
def tab(page):
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_violations = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.console_violations.append(m.text),
    )
    return page


def png():
    buffer = BytesIO()
    Image.linear_gradient("L").resize((64, 48)).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def test_an_editor_edits_schedules_restores_and_renames_fbss(tab, browser, live_server):
    fbss = ConditionFactory(
        title=FBSS["title"], slug="failed-back-surgery-syndrome", body=FBSS.content
    )
    original = Condition.objects.get(pk=fbss.pk).body
    sign_in(tab, UserFactory(username="editor", is_staff=True, is_superuser=True))
    change = reverse("admin:conditions_condition_change", args=[fbss.pk])
    tab.goto(change)

    body = tab.locator("textarea#id_body")
    toolbar = tab.get_by_role("toolbar", name="Formatting for body")
    # The preview beside the text, styled by the public stylesheet.
    preview = tab.get_by_role("region", name="Preview of body, as patients will see it")
    preview.locator(".callout-emergency").first.wait_for(timeout=10_000)
    text_box, preview_box = body.bounding_box(), preview.bounding_box()
    assert preview_box["x"] > text_box["x"] + text_box["width"] - 1  # beside, not below
    colour = preview.locator(".callout-emergency").first.evaluate(
        "box => getComputedStyle(box).borderLeftColor"
    )
    assert colour == "rgb(177, 14, 30)"  # --emergency, from static/css/site.css

    # Toolbar: a heading and a "911" box at the end, on lines of their own.
    body.evaluate("t => { t.focus(); t.setSelectionRange(t.value.length, t.value.length); }")
    toolbar.get_by_role("button", name="Section heading").click()
    tab.keyboard.type("After the operation")
    body.evaluate("t => t.setSelectionRange(t.value.length, t.value.length)")
    toolbar.get_by_role("button", name="911 box").click()
    tab.keyboard.type("Numbness between your legs")  # replaces the selected placeholder
    value = body.input_value()
    assert value.endswith(
        '\n\n## After the operation\n\n!!! emergency "Call 911 or go to the ER now if you '
        'have"\n    - Numbness between your legs\n    - Another sign'
    )
    added = preview.get_by_text("Numbness between your legs")
    added.wait_for()
    assert preview.locator("h2", has_text="After the operation").count() == 1

    # An upload error shows beside the editor, never in the text.
    picker = toolbar.locator("input[type=file]")
    before = body.input_value()
    picker.set_input_files({"name": "notes.png", "mimeType": "image/png", "buffer": b"not a png"})
    error = tab.get_by_role("alert").filter(has_text="not a JPEG, PNG or WebP")
    error.wait_for()
    assert body.input_value() == before
    # A good image lands on its own lines, its placeholder description selected.
    body.evaluate("t => t.setSelectionRange(12, 12)")  # inside the first line
    picker.set_input_files({"name": "spine.png", "mimeType": "image/png", "buffer": png()})
    image = re.compile(r"\n\n!\[Describe the image\]\(/media/uploads/\w+\.png\)\n\n")
    expect(body).to_have_value(image)
    assert error.is_hidden()

    # Schedule it, in the clinic's time zone; saving warns about the image's description.
    tab.locator("#id_publish_at_0").fill("2030-01-02")
    tab.locator("#id_publish_at_1").fill("09:00:00")
    tab.get_by_role("button", name="Save and continue editing").click()
    tab.wait_for_load_state()
    messages = tab.locator(".messagelist").inner_text()
    assert "has no description" in messages and ".png" in messages
    saved = Condition.objects.get(pk=fbss.pk)
    assert "Numbness between your legs" in saved.body
    assert saved.publish_at.isoformat() == "2030-01-02T14:00:00+00:00"
    tab.goto(reverse("admin:conditions_condition_changelist"))
    assert "Scheduled: goes up Jan 02, 2030 09:00" in tab.locator("#result_list").inner_text()

    # Restore the previous version from the history page.
    tab.goto(reverse("admin:conditions_condition_history", args=[fbss.pk]))
    assert tab.locator(".diff-ins", has_text="Numbness between your legs").count() == 1
    tab.get_by_role("button", name="Restore this version").click()
    tab.wait_for_load_state()
    assert "as a new version" in tab.locator(".messagelist").inner_text()
    restored = Condition.objects.get(pk=fbss.pk)
    assert restored.body == original.strip() and restored.publish_at is None

    # Rename the slug; the old address leads to the new one.
    tab.goto(change)
    tab.locator("#id_slug").fill("fbss")
    tab.get_by_role("button", name="Save", exact=True).click()
    tab.wait_for_load_state()
    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto("/conditions/failed-back-surgery-syndrome/")
    assert reader.url.endswith("/conditions/fbss/")
    assert reader.get_by_role("heading", level=1).inner_text() == FBSS["title"]
    reader.context.close()
    assert violations(tab) == []


def test_a_clinician_reads_a_draft_by_link_and_approves_it(tab, browser, live_server):
    draft = ConditionFactory(title="Draft page", status=Condition.Status.DRAFT)
    sign_in(tab, UserFactory(is_staff=True, is_superuser=True))
    tab.goto(reverse("admin:conditions_condition_changelist"))
    tab.get_by_role("row", name=re.compile("Draft page")).get_by_role("checkbox").check()
    tab.locator("select[name=action]").select_option("preview_links")
    tab.get_by_role("button", name="Go").click()
    tab.wait_for_load_state()
    link = tab.locator(".messagelist a").first.get_attribute("href")

    clinician = browser.new_context(base_url=live_server.url).new_page()
    response = clinician.goto(link)
    assert response.status == 200 and response.headers["cache-control"] == "private, no-store"
    assert clinician.get_by_role("heading", level=1).inner_text() == "Draft page"
    assert clinician.goto(draft.get_absolute_url()).status == 404

    doctor = UserFactory(username="drlee", first_name="Dana", last_name="Lee", is_staff=True)
    doctor.groups.add(Group.objects.get(name=CLINICAL_REVIEWERS))
    # Their login is one of our clinicians': the page names that clinician.
    profile = ClinicianFactory(title="Dr. Sample Reviewer", credentials="MD", user=doctor)
    sign_in(clinician, doctor)
    clinician.goto(reverse("admin:conditions_condition_changelist"))
    clinician.get_by_role("row", name=re.compile("Draft page")).get_by_role("checkbox").check()
    clinician.locator("select[name=action]").select_option("approve")
    clinician.get_by_role("button", name="Go").click()
    clinician.wait_for_load_state()
    assert "You approved 1" in clinician.locator(".messagelist").inner_text()
    draft.refresh_from_db()
    assert draft.reviewed_by == profile and draft.last_reviewed is not None
    clinician.goto(link)  # the draft as patients will see it, approved
    assert "Dr. Sample Reviewer, MD" in clinician.locator("main").inner_text()
    clinician.context.close()
    assert violations(tab) == []


def test_admin_home_tables_have_readable_headings(tab):
    """The unhelpful-pages table's column headings sit on one line each."""
    from feedback.models import Answer, FeedbackPage

    record = FeedbackPage.objects.create(page=ConditionFactory())
    Answer.objects.create(page=record, helpful=False)
    sign_in(tab, UserFactory(is_staff=True, is_superuser=True))
    heading = tab.locator("#feedback-queue thead th", has_text="Not helpful")
    heading.wait_for()
    size = float(heading.evaluate("th => getComputedStyle(th).fontSize").rstrip("px"))
    assert heading.bounding_box()["height"] < 3 * size  # one line, not a letter per line
