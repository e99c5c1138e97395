"""The glossary: terms explained in place on pages, /glossary/, search, loading and admin."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from conditions.models import Condition
from glossary.models import Term
from spinesite import pagekinds, search, triggers
from spinesite.markdown import plain_text, render_page
from spinesite.models import ClinicDetails
from spinesite.pageterms import Term as PageTerm
from spinesite.pageterms import explain_terms
from tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    LocationFactory,
    TermFactory,
    TreatmentFactory,
    UserFactory,
    VideoFactory,
)
from tests.sitemaps import sitemap_text
from treatments.models import Treatment

pytestmark = pytest.mark.django_db

STENOSIS = PageTerm(
    name="Stenosis", slug="stenosis", definition="A narrowing.", url="/glossary/#stenosis"
)
DISC = PageTerm(
    name="Disc", slug="disc", definition="A pad.", url="/glossary/#disc", forms=("disk",)
)


def explained(html):
    """The words shown as explained terms."""
    return re.findall(r'<a class="term" href="#gloss-[^"]+"[^>]*>([^<]+)</a>', html)


def without_tips(html):
    return re.sub(r'<span class="term-tip".*?</a></span>', "", html)


def test_only_the_first_use_of_each_term_is_explained_and_the_words_stay_as_written():
    html = "<p>Discs and a DISK.</p><p>Spinal stenosis, stenosis again, and disc.</p>"
    result = explain_terms(html, [STENOSIS, DISC])
    assert explained(result) == ["Discs", "stenosis"]
    assert plain_text(without_tips(result)) == plain_text(html)
    assert result.count('class="term-tip"') == 2
    assert '<span class="term-tip" id="gloss-stenosis">' in result
    assert 'aria-describedby="gloss-stenosis-meaning"' in result
    assert '<span id="gloss-stenosis-meaning"><dfn>Stenosis</dfn>: A narrowing.</span>' in result
    assert '<a href="/glossary/#stenosis"' in result


@pytest.mark.parametrize(
    "html",
    [
        '<h2 id="stenosis">Stenosis</h2>',
        '<p><a href="/conditions/spinal-stenosis/">Spinal stenosis</a></p>',
        "<p><code>stenosis</code></p>",
        "<pre>stenosis</pre>",
        '<div class="callout"><p class="callout-title">Stenosis signs</p></div>',
        '<p><span class="visually-hidden">stenosis</span></p>',
        "<p>Stenoses? Restenosis and stenosisx are other words.</p>",
        "<h2><code>x</code> stenosis</h2>",
        "<h2>A<br>B stenosis</h2>",
        '<p><span title="x class=" class="visually-hidden">stenosis</span></p>',
    ],
)
def test_terms_are_left_alone_in_headings_links_code_and_inside_other_words(html):
    result = explain_terms(html + "<p>Then stenosis.</p>", [STENOSIS])
    assert explained(result) == ["stenosis"]
    assert '<p>Then <a class="term"' in result


def test_escaped_characters_in_the_text_stay_escaped_once():
    html = '<p title="a &gt; b">Back &amp; neck: a disc, &lt;not a tag&gt; &amp;amp; a < b</p>'
    result = explain_terms(html + "<p><code>&lt;b&gt;disc&lt;/b&gt;</code></p>", [DISC])
    assert explained(result) == ["disc"]
    assert plain_text(without_tips(result)) == (
        "Back & neck: a disc, <not a tag> &amp; a < b <b>disc</b>"
    )
    assert 'title="a &gt; b"' in result
    assert "<code>&lt;b&gt;disc&lt;/b&gt;</code>" in result


def test_a_term_written_with_a_letter_that_case_folds_is_explained():
    assert explained(explain_terms("<p>The ſtenosis.</p>", [STENOSIS])) == ["ſtenosis"]


def test_a_definition_cannot_put_html_on_a_page():
    hostile = PageTerm(
        name='<img src=x onerror="alert(1)">',
        slug="disc",
        definition='<script>alert(1)</script> "quoted" & <b>bold</b>',
        url='javascript:alert(1)"',
        forms=("disc",),
    )
    result = explain_terms("<p>A disc.</p>", [hostile])
    assert "<script" not in result and "<img" not in result and "<b>" not in result
    assert "javascript:" not in result
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result


def test_a_page_with_terms_keeps_its_headings_ids_and_contents_list():
    page = render_page("## What is stenosis?\n\nStenosis.\n", terms=[STENOSIS])
    assert '<h2 id="what-is-stenosis">What is stenosis?</h2>' in page.html
    assert page.toc == [{"id": "what-is-stenosis", "name": "What is stenosis?"}]
    assert explained(page.html) == ["Stenosis"]


def test_editors_cannot_write_the_glossary_markup_themselves():
    body = (
        '<span class="term-tip" id="gloss-x">fake</span>'
        '<a class="term" href="#x" aria-describedby="main">x</a> <dfn>y</dfn>'
    )
    html = render_page(body, terms=[STENOSIS]).html
    assert "term-tip" not in html and "aria-describedby" not in html
    assert 'id="gloss-x"' not in html and "<dfn>" not in html


def test_a_saved_page_explains_published_terms_and_its_text_stays_the_editors():
    TermFactory(term="Stenosis", definition="A narrowing of the spaces in the spine.")
    TermFactory(term="Laminectomy", status=Term.Status.DRAFT)
    page = ConditionFactory(body="## About\n\nStenosis may need a laminectomy.\n")
    assert explained(page.body_html) == ["Stenosis"]
    assert page.body_text == "About Stenosis may need a laminectomy."  # search, reading grade
    video = VideoFactory(transcript="### Part\n\nThe doctor explains stenosis.\n")
    assert explained(video.transcript_html) == ["stenosis"]


def test_pages_follow_a_changed_term():
    term = TermFactory(term="Stenosis", definition="A narrowing.")
    page = ConditionFactory(body="## About\n\nSpinal stenosis and a disk.\n")
    other = ConditionFactory(body="## About\n\nNothing to explain.\n")
    untouched = Condition.objects.get(pk=other.pk).updated

    term.definition = "A narrowing of the spaces in the spine."
    term.save()
    page.refresh_from_db()
    assert "A narrowing of the spaces in the spine." in page.body_html
    assert Condition.objects.get(pk=other.pk).updated == untouched  # only pages that use it

    term.term, term.slug, term.also_called = "Disc", "disc", "disk"
    term.save()  # renamed: the old explanation goes, the new one comes
    page.refresh_from_db()
    assert explained(page.body_html) == ["disk"]
    assert "gloss-stenosis" not in page.body_html

    TermFactory(term="Spinal", definition="Of the spine.")  # a new term
    page.refresh_from_db()
    assert explained(page.body_html) == ["Spinal", "disk"]

    term.status = Term.Status.DRAFT
    term.save()
    page.refresh_from_db()
    assert explained(page.body_html) == ["Spinal"]

    Term.objects.get(slug="spinal").delete()
    page.refresh_from_db()
    assert explained(page.body_html) == []


def test_publishing_and_unpublishing_in_admin_update_the_pages(admin_client):
    term = TermFactory(term="Stenosis", status=Term.Status.DRAFT)
    page = ConditionFactory(body="## About\n\nStenosis.\n")
    changelist = "/admin/glossary/term/"
    admin_client.post(changelist, {"action": "publish", "_selected_action": [term.pk]})
    page.refresh_from_db()
    assert explained(page.body_html) == ["Stenosis"]
    admin_client.post(changelist, {"action": "unpublish", "_selected_action": [term.pk]})
    page.refresh_from_db()
    assert explained(page.body_html) == []


def test_the_glossary_lists_published_terms_a_to_z_with_anchors(client):
    TermFactory(term="Stenosis", definition="A narrowing.", also_called="stenoses")
    TermFactory(term="disc", slug="disc", definition="A pad.")
    TermFactory(term="Draft word", status=Term.Status.DRAFT)
    html = client.get("/glossary/").content.decode()
    assert re.findall(r'<a href="#letter-(\w)">', html) == ["D", "S"]
    assert html.index('<dt id="disc"><dfn>disc</dfn></dt>') < html.index('<dt id="stenosis">')
    assert "A narrowing." in html and "stenoses" in html
    assert "Draft word" not in html
    assert 'href="/glossary/"' in client.get("/").content.decode()  # linked from every page


def test_glossary_and_pages_with_terms_stay_within_the_query_budget(
    client, django_assert_max_num_queries
):
    ClinicDetails.get_solo()  # made by the first visit ever
    for n in range(30):
        TermFactory(term=f"Word{n}", definition=f"Meaning {n}.")
    page = ConditionFactory(body="## About\n\n" + " ".join(f"Word{n}" for n in range(30)))
    assert len(explained(page.body_html)) == 30
    for url in ("/glossary/", page.get_absolute_url()):
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == 200


def test_every_kind_of_page_explains_terms_and_follows_a_changed_term():
    """Terms are explained by the kinds' save hooks, and re-rendered through the
    registry (PageKind.html), so a kind needs nothing of its own."""
    term = TermFactory(term="Stenosis", definition="A narrowing.")
    saved = [
        ConditionFactory(body="## About\n\nStenosis here.\n"),
        TreatmentFactory(body="## About\n\nFor stenosis.\n"),
        VideoFactory(transcript="### Part\n\nAbout stenosis.\n"),
        ClinicianFactory(bio="Treats stenosis."),
        LocationFactory(about="Stenosis clinic."),
    ]
    assert {pagekinds.kind_of(page).key for page in saved} == {
        kind.key for kind in pagekinds.kinds()
    }

    def html(page):
        page.refresh_from_db()
        return getattr(page, pagekinds.kind_of(page).html)

    for page in saved:
        assert [word.lower() for word in explained(html(page))] == ["stenosis"], page
    term.definition = "A narrowing of the spaces in the spine."
    term.save()
    for page in saved:
        assert "A narrowing of the spaces in the spine." in html(page), page
    assert "Stenosis" not in saved[3].bio_text  # plain text stays the editor's words
    assert "A narrowing" not in saved[3].bio_text


def test_terms_are_content_for_the_page_cache_and_the_sitemap(client):
    assert Term._meta.db_table in triggers.content_tables()
    assert Term._meta.db_table in triggers.tables_with_trigger()
    TermFactory(term="Disc")
    xml = sitemap_text(client)
    assert "/glossary/</loc><lastmod>" in xml
    assert "/glossary/#" not in xml  # terms are no pages of their own


def test_search_finds_terms_and_links_to_their_entry(client):
    TermFactory(term="Myelopathy", definition="Damage to the spinal cord from pressure.")
    ConditionFactory(title="Neck pain")
    hits = search.search("myelopathy").hits
    assert [(hit.title, hit.label, hit.url) for hit in hits] == [
        ("Myelopathy", "Word explained", "/glossary/#myelopathy")
    ]
    assert search.search("myelopaty").corrected == "myelopathy"  # its words join the vocabulary
    html = client.get("/search/", {"q": "spinal cord"}).content.decode()
    assert '<a href="/glossary/#myelopathy">Myelopathy</a>' in html


# Loading content/glossary/*.md
# ------------------------------------------------------------------------------
GOOD = """---
term: Stenosis
also_called:
  - stenoses
status: published
---

A narrowing. In the spine, the spaces for the nerves become too small.
"""


def write(folder, name, text):
    path = Path(folder) / "glossary" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def load(folder):
    out, err = StringIO(), StringIO()
    try:
        call_command("load_content", str(folder), stdout=out, stderr=err)
    except CommandError as error:
        return err.getvalue() + str(error)
    return out.getvalue()


def test_terms_load_from_files_once(tmp_path):
    write(tmp_path, "stenosis.md", GOOD)
    assert "glossary: 1 created" in load(tmp_path)
    term = Term.objects.get(slug="stenosis")
    assert (term.term, term.forms, term.is_published) == ("Stenosis", ["stenoses"], True)
    assert (
        term.definition == "A narrowing. In the spine, the spaces for the nerves become too small."
    )
    assert "glossary: 0 created, 0 updated, 1 unchanged" in load(tmp_path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (GOOD.replace("small.", "small. Three. Four."), "one or two sentences"),
        (GOOD.replace("A narrowing. In", "A narrowing.\n\nIn"), "without line breaks"),
        (GOOD.replace("status: published", "status: live"), "'status'"),
        (GOOD.replace("term: Stenosis\n", ""), "'term': This field is required"),
        (GOOD.replace("status:", "definition: x\nstatus:"), "unknown field 'definition'"),
        (GOOD.replace("A narrowing", "A narrowing" + " very" * 60), "at most 300"),
    ],
)
def test_a_bad_term_file_is_named_and_nothing_changes(tmp_path, text, problem):
    write(tmp_path, "disc.md", GOOD.replace("Stenosis", "Disc"))
    write(tmp_path, "stenosis.md", text)
    output = load(tmp_path)
    assert "stenosis.md" in output and problem in output
    assert "nothing was changed" in output
    assert not Term.objects.exists()


def test_the_shipped_glossary_loads_and_pages_explain_it():
    call_command("load_content", stdout=StringIO())
    names = {term.slug for term in Term.objects.published()}
    wanted = {
        "disc", "facet-joint", "nerve-root", "fusion", "laminectomy", "radiculopathy",
        "myelopathy", "intrathecal", "stenosis", "vertebra", "spinal-cord", "cauda-equina",
        "sciatic-nerve", "epidural", "discectomy", "spondylolisthesis",
        "radiofrequency-ablation", "mri", "physical-therapy",
    }  # fmt: skip
    assert wanted <= names
    for term in Term.objects.all():
        assert len(term.definition) <= 300
    page = Condition.objects.get(slug="spinal-stenosis")
    assert "Stenosis" in explained(page.body_html)
    # Terms load before every kind of page, so treatments loaded in the same run explain them.
    assert "gloss-laminectomy" in Treatment.objects.get(slug="laminectomy").body_html


# Admin
# ------------------------------------------------------------------------------
def test_content_editors_edit_terms_in_admin_with_the_same_checks():
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    browser = Client()
    browser.force_login(editor)
    data = {"term": "Fusion", "slug": "fusion", "also_called": "", "status": "published"}
    response = browser.post(
        "/admin/glossary/term/add/", {**data, "definition": "One. Two. Three."}
    )
    assert response.status_code == 200
    assert "Write one or two sentences" in response.content.decode()
    assert not Term.objects.exists()
    response = browser.post(
        "/admin/glossary/term/add/", {**data, "definition": "Surgery that joins two bones."}
    )
    assert response.status_code == 302
    assert Term.objects.get().content_hash == ""  # load_content will not overwrite it
