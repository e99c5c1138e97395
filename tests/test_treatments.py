"""Treatment pages: the index by kind, the page, its links, search, JSON-LD, admin, files."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conditions.models import Condition
from spinesite.search import search
from tests.factories import ConditionFactory, TreatmentFactory, VideoFactory
from tests.sitemaps import sitemap_text
from treatments.models import Treatment

pytestmark = pytest.mark.django_db

SITE = "https://spine.example.org"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def test_a_treatment_of_a_kind_no_longer_offered_is_left_off_the_index(client):
    """A kind removed from Treatment.Kind may still be stored on old rows: the index
    lists the kinds there are, rather than failing on a label it cannot find."""
    TreatmentFactory(title="Kept", kind=Treatment.Kind.SURGERY)
    Treatment.objects.filter(pk=TreatmentFactory(title="Retired").pk).update(kind="retired")
    response = client.get("/treatments/")
    assert response.status_code == 200
    assert "Kept" in response.text and "Retired" not in response.text


def test_index_groups_published_treatments_by_kind_in_order(client):
    TreatmentFactory(title="Spinal fusion", kind="surgery")
    TreatmentFactory(title="Physical therapy", kind="exercise-therapy")
    TreatmentFactory(title="Spinal cord stimulation", kind="implants")
    TreatmentFactory(title="Secret draft", kind="medicines", status="draft")
    html = client.get("/treatments/").content.decode()
    headings = re.findall(r'<h2 id="kind-[^"]+">([^<]+)</h2>', html)
    assert headings == ["Exercise and therapy", "Implanted devices", "Surgery"]
    assert html.index("Physical therapy") < html.index("Spinal cord stimulation")
    assert html.index("Spinal cord stimulation") < html.index("Spinal fusion")
    assert "Secret draft" not in html and "Medicines" not in html


def test_index_pages_keep_the_kinds_in_order_across_pages(client, monkeypatch):
    monkeypatch.setattr("spinesite.indexes.PER_PAGE", 3)
    for title, kind in [
        ("Fusion", "surgery"),
        ("Walking", "exercise-therapy"),
        ("Stretching", "exercise-therapy"),
        ("Stimulator", "implants"),
        ("Pump", "implants"),
        ("Laminectomy", "surgery"),
    ]:
        TreatmentFactory(title=title, kind=kind)

    def listed(page):
        html = client.get(f"/treatments/?page={page}").content.decode()
        headings = re.findall(r'<h2 id="kind-[^"]+">([^<]+)</h2>', html)
        return headings, re.findall(r'<a href="/treatments/[^"]+/">([^<]+)</a>', html)

    assert listed(1) == (
        ["Exercise and therapy", "Implanted devices"],
        ["Stretching", "Walking", "Pump"],
    )
    assert listed(2) == (["Implanted devices", "Surgery"], ["Stimulator", "Fusion", "Laminectomy"])
    assert listed("x") == listed(1)


def test_empty_index_says_so(client):
    response = client.get("/treatments/")
    assert response.status_code == 200
    assert "No treatment pages are published yet" in response.content.decode()


def test_detail_page_shows_the_whole_page(client):
    fbss = ConditionFactory(title="Failed back surgery syndrome", slug="fbss")
    ConditionFactory(title="Hidden draft condition", status="draft")
    pump = TreatmentFactory(title="Intrathecal drug pump", slug="pump", kind="implants")
    page = TreatmentFactory(
        title="Spinal cord stimulation",
        slug="spinal-cord-stimulation",
        kind="implants",
        also_called="Spinal cord stimulator\nSCS",
        body="## What is it?\n\nA small implant.\n\n!!! emergency\n    Call 911.\n",
        sources="- [NICE](https://www.nice.org.uk/)",
        conditions=[fbss, *Condition.objects.filter(status="draft")],
        related=[pump],
    )
    VideoFactory(title="What the trial is like", treatments=[page])
    VideoFactory(title="Unrelated video")
    response = client.get(page.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Spinal cord stimulation</h1>" in html
    assert "Implanted devices" in html and "Spinal cord stimulator; SCS" in html
    assert 'href="#what-is-it"' in html  # contents list
    assert "callout-emergency" in html
    assert "Awaiting clinical review" in html
    assert 'href="https://www.nice.org.uk/"' in html
    assert "Conditions it is used for" in html and 'href="/conditions/fbss/"' in html
    assert "Hidden draft condition" not in html
    assert "Related treatments" in html and 'href="/treatments/pump/"' in html
    assert "What the trial is like" in html and "Unrelated video" not in html
    assert "Request a consultation" in html and 'href="/contact/"' in html
    assert "Was this page helpful?" in html
    assert 'aria-current="page">Treatments</a>' in html


def test_video_pages_link_their_treatments(client):
    published = TreatmentFactory(title="Spinal cord stimulation", slug="scs")
    draft = TreatmentFactory(title="Draft treatment", status="draft")
    video = VideoFactory(treatments=[published, draft])
    html = client.get(video.get_absolute_url()).content.decode()
    assert "Read about the treatments in this video" in html
    assert 'href="/treatments/scs/">Spinal cord stimulation</a>' in html
    assert "Draft treatment" not in html


def test_drafts_are_404_for_the_public_and_previewable_by_staff(client, staff_client):
    draft = TreatmentFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Draft: only staff" in staff_client.get(draft.get_absolute_url()).content.decode()
    assert client.get("/treatments/no-such-page/").status_code == 404


def test_condition_pages_list_the_treatments_used_for_them(client):
    condition = ConditionFactory(title="Sciatica", slug="sciatica")
    TreatmentFactory(title="Epidural steroid injection", slug="esi", conditions=[condition])
    TreatmentFactory(title="Draft treatment", conditions=[condition], status="draft")
    TreatmentFactory(title="Unrelated treatment")
    html = client.get(condition.get_absolute_url()).content.decode()
    assert "Treatments used for this" in html
    assert 'href="/treatments/esi/">Epidural steroid injection</a>' in html
    assert "Draft treatment" not in html and "Unrelated treatment" not in html


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("stimulator", "spinal-cord-stimulation"),
        ("spinal cord stimulator", "spinal-cord-stimulation"),
        ("pain pump", "intrathecal-drug-pump"),
        ("morphine pump", "intrathecal-drug-pump"),
        ("rhizotomy", "endoscopic-rhizotomy"),
        ("physical therapy", "exercise-and-physical-therapy"),
    ],
)
def test_everyday_words_find_the_right_treatment_first(query, slug):
    # Pages that mention the words in passing, as real pages do.
    ConditionFactory(
        title="Failed back surgery syndrome",
        body="Options include physical therapy, a spinal cord stimulator, a pain pump "
        "(a morphine pump) and rhizotomy.",
    )
    # Found as well as the treatment page: the written page comes first.
    VideoFactory(title="How spinal cord stimulation works")
    TreatmentFactory(
        title="Spinal cord stimulation",
        slug="spinal-cord-stimulation",
        kind="implants",
        also_called="Spinal cord stimulator\nSCS",
        body="A stimulator sends mild pulses. Unlike a pain pump, it uses no medicine.",
    )
    TreatmentFactory(
        title="Intrathecal drug pump",
        slug="intrathecal-drug-pump",
        kind="implants",
        also_called="Pain pump\nMorphine pump",
        body="A pump puts medicine such as morphine near the spinal cord.",
    )
    TreatmentFactory(
        title="Endoscopic facet rhizotomy",
        slug="endoscopic-rhizotomy",
        kind="injections",
        also_called="Endoscopic rhizotomy",
        body="The nerve to a sore joint is cut through a small tube.",
    )
    TreatmentFactory(
        title="Radiofrequency ablation",
        slug="radiofrequency-ablation",
        kind="injections",
        also_called="Radiofrequency neurotomy",
        body="Heat turns off a nerve. Some call it a rhizotomy too; physical therapy helps after.",
    )
    TreatmentFactory(
        title="Exercise and physical therapy",
        slug="exercise-and-physical-therapy",
        also_called="Physiotherapy\nPT",
        body="Exercises you learn and keep doing at home.",
    )
    hits = search(query).hits
    assert hits[0].url == f"/treatments/{slug}/", [hit.url for hit in hits]
    assert hits[0].label == "Treatment"


def test_a_written_page_comes_before_a_video_that_matches_as_well():
    # The video's title sorts first, and both rank the same: only the kind decides.
    VideoFactory(title="A spinal cord stimulator", transcript="Plain words.")
    TreatmentFactory(title="Spinal cord stimulator", body="Plain words.")
    assert [hit.label for hit in search("spinal cord stimulator").hits] == ["Treatment", "Video"]


def test_json_ld_describes_a_therapy_or_a_procedure_with_breadcrumbs(client, settings):
    settings.SITE_URL = SITE
    expected = {
        "exercise-therapy": "MedicalTherapy",
        "medicines": "MedicalTherapy",
        "injections": "MedicalProcedure",
        "implants": "TherapeuticProcedure",
        "surgery": "SurgicalProcedure",
    }
    assert set(expected) == set(Treatment.Kind.values)
    for kind, schema_type in expected.items():
        page = TreatmentFactory(title=f"A {kind} page", kind=kind, also_called="Other name")
        blocks = [
            json.loads(block)
            for block in JSON_LD.findall(client.get(page.get_absolute_url()).content.decode())
        ]
        (web_page,) = [b for b in blocks if b["@type"] == "MedicalWebPage"]
        assert web_page["about"] == {
            "@type": schema_type,
            "name": page.title,
            "alternateName": ["Other name"],
        }
        assert "reviewedBy" not in web_page
        (crumbs,) = [b for b in blocks if b["@type"] == "BreadcrumbList"]
        assert [c["name"] for c in crumbs["itemListElement"]] == ["Home", "Treatments", page.title]
        assert crumbs["itemListElement"][1]["item"] == f"{SITE}/treatments/"


def test_header_navigation_links_treatments(client):
    assert 'href="/treatments/">Treatments</a>' in client.get("/").content.decode()


def test_sitemap_lists_treatments_and_their_index(client):
    page = TreatmentFactory(slug="discectomy")
    TreatmentFactory(slug="draft-one", status="draft")
    xml = sitemap_text(client)
    assert "/treatments/discectomy/" in xml and "/treatments/</loc>" in xml
    assert "draft-one" not in xml
    assert page.get_absolute_url() == "/treatments/discectomy/"


# Admin
# ------------------------------------------------------------------------------
def test_admin_pages_load_with_the_live_preview(admin_client):
    page = TreatmentFactory()
    for url in [
        "/admin/treatments/treatment/",
        "/admin/treatments/treatment/add/",
        f"/admin/treatments/treatment/{page.pk}/change/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    html = response.content.decode()
    assert "markdownx" in html and "Clinical review" in html and "Reading level" in html


def test_admin_publish_action_and_edits_show_at_once(admin_client, client):
    """Each page is seen (and cached) before the change, then seen changed at once."""
    draft = TreatmentFactory(status="draft", content_hash="loaded", summary="Before the edit.")
    condition = ConditionFactory()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.title not in client.get("/treatments/").content.decode()
    assert draft.title not in client.get(condition.get_absolute_url()).content.decode()

    admin_client.post(
        "/admin/treatments/treatment/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_published and draft.content_hash == ""
    assert "Before the edit." in client.get(draft.get_absolute_url()).content.decode()
    assert "Before the edit." in client.get("/treatments/").content.decode()

    data = {
        "title": draft.title,
        "slug": draft.slug,
        "summary": "Edited in admin.",
        "kind": "surgery",
        "body": draft.body,
        "status": "published",
        "conditions": [condition.pk],
    }
    response = admin_client.post(f"/admin/treatments/treatment/{draft.pk}/change/", data)
    assert response.status_code == 302
    assert "Edited in admin." in client.get(draft.get_absolute_url()).content.decode()
    assert "Edited in admin." in client.get("/treatments/").content.decode()
    # The many-to-many change shows on the condition's (cached) page at once too.
    assert draft.title in client.get(condition.get_absolute_url()).content.decode()


# Content files
# ------------------------------------------------------------------------------
GOOD = """---
title: Spinal cord stimulation
also_called:
  - Spinal cord stimulator
summary: A small implant sends mild electrical pulses to the spinal cord.
kind: implants
status: published
featured: true
conditions: [{conditions}]
related: [{related}]
sources:
  - "[NICE](https://www.nice.org.uk/)"
---
## What is it?

A small implant.
"""


def write(root, folder, name, text):
    path = Path(root) / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def load(root):
    out, err = StringIO(), StringIO()
    try:
        call_command("load_content", str(root), stdout=out, stderr=err)
    except CommandError as error:
        raise CommandError(f"{error}\n{err.getvalue()}") from None
    return out.getvalue()


def test_treatment_files_load_link_and_are_idempotent(tmp_path):
    ConditionFactory(slug="failed-back-surgery-syndrome")
    write(
        tmp_path,
        "treatments",
        "spinal-cord-stimulation.md",
        GOOD.format(conditions="failed-back-surgery-syndrome", related="intrathecal-drug-pump"),
    )
    write(
        tmp_path,
        "treatments",
        "intrathecal-drug-pump.md",
        GOOD.format(conditions="", related="").replace("Spinal cord stimulation", "Drug pump"),
    )
    write(
        tmp_path,
        "videos",
        "trial.md",
        "---\ntitle: The trial\ndescription: What the trial is like.\n"
        "source_url: https://youtu.be/testvid0001\nduration: '0:45'\nstatus: draft\n"
        "thumbnail: thumb.png\ntreatments: [spinal-cord-stimulation]\n---\nWhat is said.\n",
    )
    from PIL import Image

    Image.new("RGB", (64, 36)).save(tmp_path / "videos" / "thumb.png")
    assert "treatments: 2 created" in load(tmp_path)
    page = Treatment.objects.get(slug="spinal-cord-stimulation")
    assert page.kind == "implants" and page.featured and page.is_published
    assert list(page.conditions.values_list("slug", flat=True)) == ["failed-back-surgery-syndrome"]
    assert list(page.related.values_list("slug", flat=True)) == ["intrathecal-drug-pump"]
    assert list(page.videos.values_list("title", flat=True)) == ["The trial"]
    assert "treatments: 0 created, 0 updated, 2 unchanged" in load(tmp_path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (GOOD.format(conditions="", related="").replace("implants", "magic"), "'kind'"),
        (GOOD.format(conditions="no-such-condition", related=""), "'no-such-condition'"),
        (GOOD.format(conditions="", related="no-such-treatment"), "'no-such-treatment'"),
        ("---\ntitle: [broken\n---\nBody.\n", "broken front matter"),
    ],
    ids=["unknown kind", "unknown condition", "unknown related", "broken front matter"],
)
def test_a_bad_treatment_file_is_named_and_nothing_changes(tmp_path, text, problem):
    ConditionFactory(slug="sciatica")
    write(tmp_path, "treatments", "good.md", GOOD.format(conditions="sciatica", related=""))
    bad = write(tmp_path, "treatments", "bad.md", text)
    with pytest.raises(CommandError) as error:
        load(tmp_path)
    assert f"{bad}: " in str(error.value) and problem in str(error.value)
    assert not Treatment.objects.exists()


def test_content_report_and_the_admin_home_list_treatments_due_for_review(admin_client):
    TreatmentFactory(title="Spinal fusion", next_review_due="2000-01-01")
    out = StringIO()
    call_command("content_report", stdout=out)
    assert "OVERDUE 2000-01-01  Treatment: Spinal fusion (published)" in out.getvalue()
    assert re.search(r"ok\s+Treatment: Spinal fusion", out.getvalue())
    html = admin_client.get("/admin/").content.decode()
    assert "Spinal fusion</a></th>\n        <td>Treatment</td>" in html
