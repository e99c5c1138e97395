"""A clinical reviewer approves the new patients page's Spanish translation with the
button on its admin page, in Chromium under the site's strict CSP."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from spinesite.review import CLINICAL_REVIEWERS
from tests.factories import UserFactory
from tests.test_browser_csp import RECORD_VIOLATIONS, sign_in, violations
from tests.test_translation_approve_button import spanish_new_patients

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_approves_the_new_patients_translation_in_a_browser(page):
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_violations = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.console_violations.append(m.text),
    )
    row = spanish_new_patients()
    doctor = UserFactory(username="drlee", first_name="Dana", last_name="Lee", is_staff=True)
    doctor.groups.add(Group.objects.get(name=CLINICAL_REVIEWERS))
    sign_in(page, doctor)
    page.goto(reverse("admin:locations_newpatientspage_change"))
    page.get_by_role("button", name="Approve the Spanish translation").click()
    page.wait_for_load_state()
    assert "You approved the Spanish translation" in page.locator(".messagelist").inner_text()
    row.refresh_from_db()
    assert row.reviewer_name == "Dana Lee" and row.last_reviewed is not None
    assert violations(page) == []
