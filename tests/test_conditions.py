import datetime
import re

import pytest

from conditions.models import Condition
from spinesite.models import ClinicDetails
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db


def test_body_is_rendered_once_on_save():
    page = ConditionFactory(body="## Causes\n\nText <script>alert(1)</script>\n")
    assert '<h2 id="causes">Causes</h2>' in page.body_html
    assert "script" not in page.body_html
    assert page.toc == [{"id": "causes", "name": "Causes"}]
    assert page.body_text == "Causes Text"


def test_published_queryset_hides_drafts():
    shown = ConditionFactory()
    ConditionFactory(status=Condition.Status.DRAFT)
    assert list(Condition.objects.published()) == [shown]


def test_detail_page_shows_the_whole_page(client):
    related = ConditionFactory(title="Sciatica", slug="sciatica")
    draft_related = ConditionFactory(title="Secret draft", status=Condition.Status.DRAFT)
    page = ConditionFactory(
        title="Failed Back Surgery Syndrome",
        slug="failed-back-surgery-syndrome",
        also_called="Persistent spinal pain syndrome type 2\nChronic pain after spinal surgery",
        summary="Pain that lasts after spine surgery.",
        sources="- [MedlinePlus](https://medlineplus.gov/)",
        related=[related, draft_related],
    )
    html = client.get(page.get_absolute_url()).content.decode()
    assert "<h1>Failed Back Surgery Syndrome</h1>" in html
    assert "Persistent spinal pain syndrome type 2; Chronic pain after spinal surgery" in html
    assert '<meta name="description" content="Pain that lasts after spine surgery.">' in html
    assert '<a href="#what-is-it">What is it?</a>' in html
    assert "Awaiting clinical review" in html
    assert "This is not medical advice" in html
    assert 'href="https://medlineplus.gov/"' in html
    assert 'href="/conditions/sciatica/"' in html
    assert "Secret draft" not in html


def test_reviewer_and_dates_are_shown_when_set(client):
    page = ConditionFactory(
        reviewer_name="Dana Example",
        reviewer_credentials="MD",
        last_reviewed=datetime.date(2026, 3, 1),
        next_review_due=datetime.date(2027, 3, 1),
    )
    html = client.get(page.get_absolute_url()).content.decode()
    assert "Medically reviewed by" in html and "Dana Example, MD" in html
    assert "March 1, 2026" in html and "March 1, 2027" in html
    assert "Awaiting clinical review" not in html


def test_drafts_are_404_for_the_public_and_previewable_by_staff(client, staff_client):
    draft = ConditionFactory(status=Condition.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft: only staff can see this page." in response.content.decode()


def test_unknown_slug_is_404(client):
    assert client.get("/conditions/no-such-page/").status_code == 404


def test_index_lists_published_pages_by_letter_and_filters_by_region(client):
    ConditionFactory(title="Sciatica", region=Condition.Region.LOWER_BACK)
    ConditionFactory(title="Spinal stenosis", region=Condition.Region.WHOLE_SPINE)
    ConditionFactory(title="Cervical radiculopathy", region=Condition.Region.NECK)
    ConditionFactory(title="Hidden", status=Condition.Status.DRAFT)

    html = client.get("/conditions/").content.decode()
    assert html.index('id="letter-C"') < html.index('id="letter-S"')
    assert "Sciatica" in html and "Cervical radiculopathy" in html and "Hidden" not in html

    html = client.get("/conditions/?region=neck").content.decode()
    assert "Cervical radiculopathy" in html and "Sciatica" not in html
    assert '<option value="neck" selected>' in html


def region_options(html):
    return re.findall(r'<option value="([^"]*)"', html)


def listed(html):
    return re.findall(r'<li>\s*<a href="/conditions/[^"]+/">([^<]+)</a>', html)


def test_only_regions_with_pages_are_offered(client):
    ConditionFactory(title="Sciatica", region=Condition.Region.LOWER_BACK)
    ConditionFactory(title="Hidden", region=Condition.Region.NECK, status="draft")
    html = client.get("/conditions/").content.decode()
    assert region_options(html) == ["", "lower-back"]  # the whole list, and one region
    # An empty region asked for by its address shows the whole list, not an empty one.
    html = client.get("/conditions/?region=neck").content.decode()
    assert listed(html) == ["Sciatica"]
    assert 'value="neck"' not in html


def test_a_whole_spine_page_shows_under_every_region(client):
    ConditionFactory(title="Sciatica", region=Condition.Region.LOWER_BACK)
    ConditionFactory(title="Cervical radiculopathy", region=Condition.Region.NECK)
    ConditionFactory(title="Spinal stenosis", region=Condition.Region.WHOLE_SPINE)
    html = client.get("/conditions/").content.decode()
    # "Whole spine" is not a part of the spine to choose; its pages are under each part.
    assert region_options(html) == ["", "lower-back", "neck", "upper-mid-back"]
    expected = {
        "lower-back": ["Sciatica", "Spinal stenosis"],
        "neck": ["Cervical radiculopathy", "Spinal stenosis"],
        "upper-mid-back": ["Spinal stenosis"],
    }
    for region, titles in expected.items():
        html = client.get("/conditions/", {"region": region}).content.decode()
        assert listed(html) == titles, region
        assert f'<option value="{region}" selected>' in html


@pytest.mark.parametrize("query", ["region=elbow", "region=%00", "region=" + "x" * 5000, "a=b"])
def test_index_ignores_bad_filters(client, query):
    ConditionFactory(title="Sciatica")
    response = client.get(f"/conditions/?{query}")
    assert response.status_code == 200
    assert "Sciatica" in response.content.decode()


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page=999", "page=%00", "page=-1"])
def test_index_pages_come_a_few_at_a_time_and_bad_page_numbers_get_a_page(
    client, monkeypatch, query
):
    monkeypatch.setattr("spinesite.indexes.PER_PAGE", 2)
    for title in ["Arm pain", "Back pain", "Coccydynia", "Disc bulge", "Neck pain"]:
        ConditionFactory(title=title, region=Condition.Region.NECK)
    html = client.get("/conditions/?region=neck&page=2").content.decode()
    assert "Coccydynia" in html and "Disc bulge" in html
    assert "Back pain" not in html and "Neck pain" not in html
    assert 'href="?region=neck&amp;page=3"' in html and 'rel="prev"' in html
    assert "Neck pain" in client.get("/conditions/?page=3").content.decode()
    response = client.get(f"/conditions/?{query}")
    assert response.status_code == 200
    assert 1 <= response.content.decode().count('<li>\n      <a href="/conditions/') <= 2


def test_the_region_filter_pages_through_its_own_pages_only(
    client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("spinesite.indexes.PER_PAGE", 2)
    ClinicDetails.get_solo()  # made by the first request otherwise, a query more
    Region = Condition.Region
    for title, region in [
        ("Arm pain", Region.NECK),
        ("Back spasm", Region.LOWER_BACK),
        ("Cord compression", Region.WHOLE_SPINE),
        ("Disc bulge", Region.NECK),
        ("Facet pain", Region.LOWER_BACK),
        ("Whiplash", Region.NECK),
    ]:
        ConditionFactory(title=title, region=region)
    pages = []
    for number in (1, 2, 3):
        # The content version; once per version the order of the pages, with their
        # regions (spinesite.indexes.kept_order); then the page's own rows.
        with django_assert_max_num_queries(3 if number == 1 else 2):
            html = client.get(f"/conditions/?region=neck&page={number}").content.decode()
        pages.append(listed(html))
    # Neck pages and the whole-spine one, two to a page, and no lower-back page.
    assert pages == [
        ["Arm pain", "Cord compression"],
        ["Disc bulge", "Whiplash"],
        ["Disc bulge", "Whiplash"],
    ]
    assert 'href="?region=neck&amp;page=3"' not in html  # two pages, not three
    assert listed(client.get("/conditions/?page=3").content.decode()) == ["Facet pain", "Whiplash"]


def test_home_shows_featured_pages_and_clinic_details(client):
    ConditionFactory(title="Failed Back Surgery Syndrome", featured=True)
    ConditionFactory(title="Not featured")
    clinic = ClinicDetails.get_solo()
    clinic.name = "Riverside Spine Care"
    clinic.phone = "(555) 010-0123"
    clinic.save()
    html = client.get("/").content.decode()
    assert "Failed Back Surgery Syndrome" in html and "Not featured" not in html
    assert "Riverside Spine Care" in html
    assert 'href="tel:5550100123"' in html


def test_staff_edit_in_admin_shows_on_the_site(admin_client, client):
    page = ConditionFactory(body="## Old\n")
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "region": page.region,
        "body": '## New section\n\n!!! emergency "Call 911 now if"\n    - You cannot move your legs\n',
        "status": "published",
    }
    assert (
        admin_client.post(f"/admin/conditions/condition/{page.pk}/change/", data).status_code
        == 302
    )
    html = client.get(page.get_absolute_url()).content.decode()
    assert "New section" in html and "callout-emergency" in html


def test_admin_pages_load(admin_client):
    page = ConditionFactory()
    for url in [
        "/admin/",
        "/admin/conditions/condition/",
        "/admin/conditions/condition/add/",
        f"/admin/conditions/condition/{page.pk}/change/",
        "/admin/spinesite/clinicdetails/",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_admin_publish_action(admin_client):
    draft = ConditionFactory(status=Condition.Status.DRAFT)
    admin_client.post(
        "/admin/conditions/condition/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_published
