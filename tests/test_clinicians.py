"""Clinician pages: the team and its filters, profiles, links both ways, JSON-LD,
and clinicians as pages' reviewers."""

import json
import re

import pytest

from clinicians.models import BoardCertification, Clinician, Language, Specialty
from tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    LocationFactory,
    TreatmentFactory,
    VideoFactory,
)
from tests.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db


def structured(html, type_):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    return next(item for item in map(json.loads, blocks) if item["@type"] == type_)


def tag(model, name):
    return model.objects.create(name=name, slug=name.lower().replace(" ", "-"))


@pytest.fixture
def team():
    surgery, pain = tag(Specialty, "Spine surgery"), tag(Specialty, "Pain medicine")
    english, spanish = tag(Language, "English"), tag(Language, "Spanish")
    main, river = LocationFactory(slug="main", title="Main"), LocationFactory(slug="river")
    a = ClinicianFactory(title="Dr. Alpha", slug="alpha", locations=[main])
    a.specialties.set([surgery])
    a.languages.set([english, spanish])
    b = ClinicianFactory(title="Dr. Beta", slug="beta", locations=[river])
    b.specialties.set([pain])
    b.languages.set([english])
    ClinicianFactory(title="Dr. Draft", status=Clinician.Status.DRAFT)
    return a, b


@pytest.mark.parametrize(
    "query, shown",
    [
        ("", {"Dr. Alpha", "Dr. Beta"}),
        ("?specialty=pain-medicine", {"Dr. Beta"}),
        ("?language=spanish", {"Dr. Alpha"}),
        ("?location=river", {"Dr. Beta"}),
        ("?language=english&specialty=spine-surgery", {"Dr. Alpha"}),
        ("?language=spanish&location=river", set()),
    ],
)
def test_the_team_filters_through_the_query_string(client, team, query, shown):
    response = client.get(f"/clinicians/{query}")
    assert response.status_code == 200
    names = set(
        re.findall(r'<h2><a href="/clinicians/[^"]+/">([^<]+)</a>', response.content.decode())
    )
    assert names == shown


def test_a_large_team_is_listed_a_page_at_a_time_keeping_the_filters(client, team, monkeypatch):
    monkeypatch.setattr("clinicians.views.PER_PAGE", 2)
    english = Language.objects.get(slug="english")
    for n in range(3):
        ClinicianFactory(title=f"Dr. Gamma {n}", slug=f"gamma-{n}").languages.set([english])

    def names(url):
        html = client.get(url).content.decode()
        return re.findall(r'<h2><a href="/clinicians/[^"]+/">([^<]+)</a>', html), html

    first, html = names("/clinicians/?language=english")
    assert first == ["Dr. Alpha", "Dr. Beta"]
    assert "5 of 5 match: 1 to 2 on this page (page 1 of 3)." in html
    assert 'href="?language=english&amp;page=2" rel="next"' in html
    assert names("/clinicians/?language=english&page=2")[0] == ["Dr. Gamma 0", "Dr. Gamma 1"]
    assert names("/clinicians/?language=english&page=99")[0] == ["Dr. Gamma 2"]
    assert names("/clinicians/?language=english&page=-1")[0] == ["Dr. Alpha", "Dr. Beta"]
    assert names("/clinicians/?language=spanish&page=2")[0] == ["Dr. Alpha"]


def test_an_unknown_filter_answers_404_with_the_page(client, team):
    response = client.get("/clinicians/?language=klingon")
    assert response.status_code == 404
    assert "We could not find that choice" in response.content.decode()


def test_profile_shows_what_was_filled_in_and_its_json_ld(client, team):
    alpha, beta = team
    condition = ConditionFactory(title="Failed Back Surgery Syndrome", slug="fbss")
    treatment = TreatmentFactory(title="Spinal cord stimulation")
    alpha.conditions.set([condition])
    alpha.treatments.set([treatment])
    BoardCertification.objects.create(clinician=alpha, name="Test cert", board="Test board")
    html = client.get("/clinicians/alpha/").content.decode()
    assert "Failed Back Surgery Syndrome" in html and "Spinal cord stimulation" in html
    assert "Test cert, from Test board" in html
    data = structured(html, "Physician")
    assert data["medicalSpecialty"] == ["Spine surgery"]
    assert data["knowsLanguage"] == ["English", "Spanish"]
    assert data["hasCredential"][0]["recognizedBy"]["name"] == "Test board"

    bare = ClinicianFactory(slug="bare", credentials="DPT", summary="Physical therapist")
    data = structured(client.get("/clinicians/bare/").content.decode(), "Person")
    assert not {"medicalSpecialty", "knowsLanguage", "hasCredential"} & set(data)
    assert bare.is_physician is False


def test_condition_and_treatment_pages_list_clinicians_who_treat_them(client):
    condition = ConditionFactory(slug="fbss")
    treatment = TreatmentFactory(slug="scs")
    ClinicianFactory(
        title="Dr. Gamma", slug="gamma", conditions=[condition], treatments=[treatment]
    )
    ClinicianFactory(title="Dr. Hidden", conditions=[condition], status=Clinician.Status.DRAFT)
    for url in ("/conditions/fbss/", "/treatments/scs/"):
        html = client.get(url).content.decode()
        assert "Clinicians who treat this" in html
        assert '<a href="/clinicians/gamma/">Dr. Gamma</a>' in html
        assert "Dr. Hidden" not in html


def test_a_page_reviewed_by_our_clinician_links_their_profile(client):
    reviewer = ClinicianFactory(title="Dr. Reviewer", slug="reviewer", credentials="MD")
    condition = ConditionFactory(slug="fbss", reviewed_by=reviewer, last_reviewed="2026-11-01")
    video = VideoFactory(slug="a-video", reviewed_by=reviewer)
    html = client.get("/conditions/fbss/").content.decode()
    assert '<a href="/clinicians/reviewer/">Dr. Reviewer, MD</a>' in html
    reviewed_by = structured(html, "MedicalWebPage")["reviewedBy"]
    assert reviewed_by["name"] == "Dr. Reviewer"
    assert reviewed_by["honorificSuffix"] == "MD"
    assert reviewed_by["url"].endswith("/clinicians/reviewer/")
    assert "Dr. Reviewer, MD" in client.get(video.get_absolute_url()).content.decode()

    # A draft profile is named but not linked; an outside reviewer is typed in.
    Clinician.objects.filter(pk=reviewer.pk).update(status=Clinician.Status.DRAFT)
    html = client.get("/conditions/fbss/").content.decode()
    assert "Dr. Reviewer, MD" in html and 'href="/clinicians/reviewer/"' not in html
    condition.reviewed_by = None
    condition.reviewer_name, condition.reviewer_credentials = "Dr. Outside", "DO"
    condition.save()
    html = client.get("/conditions/fbss/").content.decode()
    assert "Dr. Outside, DO" in html
    assert structured(html, "MedicalWebPage")["reviewedBy"]["description"] == "DO"


def test_sample_profiles_say_so(client):
    ClinicianFactory(slug="sample", title="Dr. Sample Clinician A", is_sample=True)
    assert "This is a sample profile." in client.get("/clinicians/sample/").content.decode()
    assert "Sample profile." in client.get("/clinicians/").content.decode()
    assert (
        client.get("/admin/clinicians/clinician/?is_sample__exact=1").status_code == 302
    )  # admin only


def test_sitemap_and_search_include_clinicians_locations_and_new_patients(client):
    from spinesite import editorial
    from spinesite.search import search

    alpha = ClinicianFactory(
        slug="alpha", title="Dr. Alpha", summary="Spine surgeon", next_review_due="2000-01-01"
    )
    LocationFactory(slug="main", title="Riverside clinic")
    assert alpha in [item.page for item in editorial.due_for_review()]
    xml = sitemap_text(client)
    for path in ["/clinicians/", "/clinicians/alpha/", "/locations/", "/locations/main/"]:
        assert f"{path}</loc>" in xml, path
    assert "/new-patients/</loc>" in xml
    assert [hit.url for hit in search("riverside").hits] == ["/locations/main/"]
    assert [hit.url for hit in search("surgeon").hits] == ["/clinicians/alpha/"]
