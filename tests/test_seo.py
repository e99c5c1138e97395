"""What search engines read: sitemap.xml, robots.txt, canonical and Open Graph tags, JSON-LD."""

import datetime
import json
import re

import pytest
from django.utils.timezone import localdate

from conditions.models import Condition
from spinesite import seo
from spinesite.models import ClinicDetails
from tests.factories import ConditionFactory, VideoFactory
from tests.sitemaps import sitemap_files, sitemap_text, sitemap_urls
from videos.models import Video

pytestmark = pytest.mark.django_db

SITE = "https://spine.example.org"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def structured_data(response):
    """Every JSON-LD block of a page, parsed: a block that is not valid JSON fails here."""
    return [json.loads(block) for block in JSON_LD.findall(response.content.decode())]


def of_type(blocks, schema_type):
    (block,) = [block for block in blocks if block["@type"] == schema_type]
    return block


def test_sitemap_lists_every_published_page_with_its_date(client):
    pages = [ConditionFactory(title=f"Page {n}", slug=f"page-{n}") for n in range(3)]
    ConditionFactory(slug="draft", status=Condition.Status.DRAFT)
    urls = sitemap_urls(client)
    for page in pages:
        page.refresh_from_db()
        assert urls[f"{SITE}/conditions/{page.slug}/"] == localdate(page.updated).isoformat()
    assert f"{SITE}/conditions/draft/" not in urls
    for path in ["/", "/conditions/", "/contact/", "/privacy/"]:
        assert urls[SITE + path], f"{path} has no last-modified date"
    newest = localdate(max(page.updated for page in pages)).isoformat()
    assert urls[f"{SITE}/"] == urls[f"{SITE}/conditions/"] == newest


def test_the_sitemap_is_an_index_of_files_each_within_the_url_limit(client, monkeypatch):
    from spinesite.sitemaps import SiteSitemap

    monkeypatch.setattr(SiteSitemap, "limit", 2)  # as 50,000 would with 100,001 pages
    pages = [ConditionFactory(title=f"Page {n}", slug=f"page-{n}") for n in range(5)]
    files = sitemap_files(client)
    condition_files = [content for content in files if b"/conditions/page-" in content]
    assert len(condition_files) == 3
    assert all(content.count(b"<url>") <= 2 for content in files)
    urls = sitemap_urls(client)
    assert all(f"{SITE}/conditions/{page.slug}/" in urls for page in pages)


def test_sitemap_lists_published_videos(client):
    video = VideoFactory(slug="sitting")
    VideoFactory(slug="draft-video", status=Video.Status.DRAFT)
    xml = sitemap_text(client)
    video.refresh_from_db()
    assert (
        f"<loc>{SITE}/videos/sitting/</loc><lastmod>{localdate(video.updated).isoformat()}</lastmod>"
        in xml
    )
    assert f"<loc>{SITE}/videos/</loc>" in xml
    assert "draft-video" not in xml


def test_video_pages_have_breadcrumbs(client):
    video = VideoFactory(title="Sitting well", slug="sitting")
    crumbs = of_type(structured_data(client.get(video.get_absolute_url())), "BreadcrumbList")
    assert [item["item"] for item in crumbs["itemListElement"]] == [
        f"{SITE}/",
        f"{SITE}/videos/",
        f"{SITE}/videos/sitting/",
    ]


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_a_custom_admin_address_is_not_published(client, settings):
    settings.ADMIN_URL = "clinic-staff-7f3/"
    assert "clinic-staff-7f3" not in client.get("/robots.txt").content.decode()


def test_without_site_url_the_request_host_is_used(client, settings):
    settings.SITE_URL = ""
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_condition_page_has_canonical_description_and_open_graph(client):
    page = ConditionFactory(title="Sciatica", slug="sciatica", summary="Leg pain from the back.")
    html = client.get("/conditions/sciatica/?utm_source=x").content.decode()
    assert f'<link rel="canonical" href="{SITE}/conditions/sciatica/">' in html
    assert '<meta name="description" content="Leg pain from the back.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Sciatica">' in html
    assert '<meta property="og:description" content="Leg pain from the back.">' in html
    assert f'<meta property="og:url" content="{SITE}{page.get_absolute_url()}">' in html


def test_search_results_are_not_for_search_engines(client):
    html = client.get("/search/", {"q": "sciatica"}).content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


def test_condition_json_ld_describes_the_page_and_the_condition(client):
    page = ConditionFactory(
        title="Herniated Disc",
        slug="herniated-disc",
        also_called="Slipped disc\nBulging disc",
        summary="A disc pushes on a nerve.",
    )
    blocks = structured_data(client.get(page.get_absolute_url()))
    web_page = of_type(blocks, "MedicalWebPage")
    assert web_page["@context"] == "https://schema.org"
    assert web_page["url"] == f"{SITE}/conditions/herniated-disc/"
    assert web_page["name"] == "Herniated Disc"
    assert web_page["description"] == "A disc pushes on a nerve."
    assert web_page["about"] == {
        "@type": "MedicalCondition",
        "name": "Herniated Disc",
        "alternateName": ["Slipped disc", "Bulging disc"],
    }
    # Nobody has reviewed this page, so the data claims no review.
    assert "reviewedBy" not in web_page and "lastReviewed" not in web_page

    crumbs = of_type(blocks, "BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", f"{SITE}/"),
        (2, "Conditions", f"{SITE}/conditions/"),
        (3, "Herniated Disc", f"{SITE}/conditions/herniated-disc/"),
    ]


def test_condition_json_ld_names_the_reviewer_once_there_is_one(client):
    page = ConditionFactory(
        reviewer_name="Dana Example",
        reviewer_credentials="MD, pain medicine",
        last_reviewed=datetime.date(2026, 3, 1),
    )
    web_page = of_type(structured_data(client.get(page.get_absolute_url())), "MedicalWebPage")
    assert web_page["lastReviewed"] == "2026-03-01"
    assert web_page["reviewedBy"] == {
        "@type": "Person",
        "name": "Dana Example",
        "description": "MD, pain medicine",
    }


def test_no_content_can_close_the_json_ld_script(client):
    hostile = "</script><script>alert(1)</script><!--"
    page = ConditionFactory(title=f"Sciatica {hostile}", also_called=hostile, summary=hostile)
    response = client.get(page.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    web_page = of_type(structured_data(response), "MedicalWebPage")
    assert web_page["name"] == f"Sciatica {hostile}"  # intact once parsed
    assert web_page["about"]["alternateName"] == [hostile]


def test_json_ld_escaping_matches_json_script():
    html = seo.json_ld({"name": "a</script>&<!--"})
    assert html == (
        '<script type="application/ld+json">'
        '{"name": "a\\u003C/script\\u003E\\u0026\\u003C!--"}</script>'
    )


@pytest.mark.parametrize("path", ["/", "/contact/"])
def test_home_and_contact_pages_describe_the_clinic(client, path):
    clinic = ClinicDetails.get_solo()
    clinic.name = "Riverside Spine & Pain"
    clinic.phone = "(555) 010-0123"
    clinic.address = "12 River Road\nSpringfield, ST 00001"
    clinic.save()
    blocks = structured_data(client.get(path))
    assert of_type(blocks, "MedicalClinic") == {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": "Riverside Spine & Pain",
        "url": f"{SITE}/",
        "telephone": "(555) 010-0123",
        "address": "12 River Road, Springfield, ST 00001",
    }
