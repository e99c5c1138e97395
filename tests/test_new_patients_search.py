"""Site search finds /new-patients/: by its words and by the insurance plans we take,
kept up to date at once when a plan is added, renamed or removed."""

import pytest

from locations.models import InsurancePlan, NewPatientsPage
from spinesite import search
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db


def urls(query):
    return [(hit.label, hit.url) for hit in search.search(query).hits]


def saved_in_admin(admin_client, *plans):
    data = {
        "body": "## What to bring\n\nYour photo ID and your referral letter.",
        "insurance_note": "Plans change. Call us first.",
        "plans-TOTAL_FORMS": str(len(plans)),
        "plans-INITIAL_FORMS": "0",
    }
    for number, name in enumerate(plans):
        data |= {f"plans-{number}-name": name, f"plans-{number}-position": str(number)}
    response = admin_client.post("/admin/locations/newpatientspage/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_search_finds_the_page_by_its_words_and_the_plans_names(admin_client):
    ConditionFactory(title="Sciatica", summary="Leg pain from a pinched nerve.")
    saved_in_admin(admin_client, "Medicare", "Sample Health Plan")
    assert urls("new patients") == [("New patients", "/new-patients/")]
    assert urls("insurance") == [("New patients", "/new-patients/")]
    assert urls("referral letter") == [("New patients", "/new-patients/")]
    assert urls("Medicare") == [("New patients", "/new-patients/")]
    hit = search.search("medicare").hits[0]
    assert "<mark>Medicare</mark>" in hit.snippet
    assert search.search("medicre").corrected == "medicare"  # plans join the vocabulary


def test_the_cached_search_page_follows_the_plans_at_once(client, admin_client):
    saved_in_admin(admin_client)
    page = NewPatientsPage.get_solo()

    def found(query):
        html = client.get("/search/", {"q": query}).content.decode()
        return '<a href="/new-patients/">New patients</a>' in html

    assert found("insurance") and not found("medicare")
    assert not found("medicare")  # served from the cache the second time
    plan = InsurancePlan.objects.create(page=page, name="Medicare")
    assert found("medicare")
    plan.name = "Sample Care Plan"
    plan.save()
    assert not found("medicare") and found("sample care plan")
    plan.delete()
    assert not found("sample care plan")


def test_removing_a_plan_in_admin_takes_it_out_of_search(admin_client):
    saved_in_admin(admin_client, "Medicare")
    plan = InsurancePlan.objects.get()
    page = NewPatientsPage.get_solo()
    response = admin_client.post(
        "/admin/locations/newpatientspage/",
        {
            "body": page.body,
            "insurance_note": page.insurance_note,
            "plans-TOTAL_FORMS": "1",
            "plans-INITIAL_FORMS": "1",
            "plans-0-id": str(plan.pk),
            "plans-0-page": str(page.pk),
            "plans-0-name": "Medicare",
            "plans-0-position": "0",
            "plans-0-DELETE": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not InsurancePlan.objects.exists()
    assert urls("medicare") == []
    assert urls("insurance") == [("New patients", "/new-patients/")]
