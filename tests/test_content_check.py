"""The content check (spinesite.contentcheck): over the shipped pages, in `load_content`
and in admin, and proof that each of its checks fails on a page that breaks it."""

import re
from io import StringIO
from pathlib import Path

import frontmatter
import pytest
from django.conf import settings
from django.core.management import call_command

from conditions.models import Condition
from spinesite.contentcheck import NamedPage, check_instance, check_markdown, name_index
from spinesite.markdown import render_page
from tests.factories import ConditionFactory, TreatmentFactory

CONTENT = settings.BASE_DIR / "content"
FOLDERS = ["conditions", "treatments"]


def shipped_files():
    return [path for folder in FOLDERS for path in sorted((CONTENT / folder).glob("*.md"))]


def read(path):
    post = frontmatter.load(path)
    return {
        "title": post["title"],
        "body": post.content,
        "sources": "\n".join(f"- {source}" for source in post.get("sources") or []),
        "also_called": "\n".join(post.get("also_called") or []),
        "region": post.get("region"),
    }


def label(path):
    return f"{path.parent.name}/{path.name}"


def test_every_shipped_page_passes_the_content_check():
    files = shipped_files()
    assert len([p for p in files if p.parent.name == "conditions"]) >= 18
    pages = {path: read(path) for path in files}
    names = name_index(
        NamedPage(label(path), page["title"], page["also_called"]) for path, page in pages.items()
    )
    problems = [
        f"{label(path)}: {problem}"
        for path, page in pages.items()
        for problem in check_markdown(
            page["title"],
            page["body"],
            page["sources"],
            page["also_called"],
            names=names,
            this=label(path),
        )
    ]
    assert problems == []


def boxes(body):
    """The text of each "When to get help" box of a Markdown page, by kind."""
    html = render_page(body).html
    found = {}
    for kind, inner in re.findall(r'<div class="callout callout-(\w+)">(.*?)</div>', html, re.S):
        found.setdefault(kind, "")
        found[kind] += inner
    return found


CONDITIONS = sorted((CONTENT / "conditions").glob("*.md"))


@pytest.mark.parametrize("path", CONDITIONS, ids=[p.stem for p in CONDITIONS])
def test_every_condition_page_has_the_general_warning_signs_in_the_right_box(path):
    page = read(path)
    found = boxes(page["body"])
    today = found["urgent"].lower()
    for sign in ["fever", "cancer", "weight", "night", "calf"]:
        assert sign in today, f"{path.name}: '{sign}' is not in the call-the-clinic-today box"
    assert "wound" not in found["emergency"].lower(), "a red wound is urgent, not 911"
    if page["region"] in ("lower-back", "whole-spine") and path.stem != "cauda-equina-syndrome":
        emergency = found["emergency"]
        assert 'href="/conditions/cauda-equina-syndrome/"' in emergency, path.name
        # The early signs, not only the late "loss of control".
        for early in ["pee", "genitals", "both legs", "sex"]:
            assert early in emergency, f"{path.name}: no early sign '{early}' in the 911 box"


GOOD = {
    "title": "Test Condition",
    "body": (
        "## What is it?\n\nIt is a sore back. It gets better.\n\n"
        '!!! emergency "Call 911 or go to the ER now if you have"\n'
        "    - Weak legs\n\n"
        '!!! urgent "Call the clinic today if"\n    - A fever\n\n'
        '!!! routine "Book a visit if"\n    - Pain lasts\n'
    ),
    "sources": "- [NHS: Back pain](https://www.nhs.uk/conditions/back-pain/)\n"
    "- [MedlinePlus: Back Pain](https://medlineplus.gov/backpain.html)",
    "also_called": "Sore back",
}
HARD = (
    "Intervertebral degeneration characteristically precipitates multifactorial "
    "neurological symptomatology, necessitating comprehensive multidisciplinary evaluation "
    "incorporating electrophysiological investigations and sophisticated radiological "
    "examinations. "
)
BAD = {
    "no-911-box": ({"body": GOOD["body"].replace("!!! emergency", "!!! urgent")}, "no \"Call 911\" box"),
    "911-box-without-911": ({"body": GOOD["body"].replace("Call 911 or go to the ER", "Go to the ER")}, "does not say to call 911"),
    "no-call-today-box": ({"body": GOOD["body"].replace("!!! urgent", "!!! routine")}, 'no "Call the clinic today" box'),
    "no-book-a-visit-box": ({"body": GOOD["body"].replace("!!! routine", "!!! urgent")}, 'no "Book a visit" box'),
    "source-not-a-link": ({"sources": GOOD["sources"] + "\n- NHS (UK): Sciatica"}, 'Source 3 is not a link: "NHS (UK): Sciatica"'),
    "source-link-not-web": ({"sources": "- [A](https://a.example/)\n- [B](javascript:alert(1))"}, "Source 2 is not a link"),
    "one-source": ({"sources": "- [NHS: Back pain](https://www.nhs.uk/conditions/back-pain/)"}, "1 source(s); give at least 2"),
    "no-sources": ({"sources": ""}, "0 source(s)"),
    "above-grade-8": ({"body": GOOD["body"] + "\n" + HARD * 3}, "above grade 8"),
    "name-on-two-pages": ({"also_called": "Sore back\nSlipped  DISC"}, '"Slipped  DISC" is also a name of herniated-disc'),
    "title-is-another-pages-name": ({"title": "Slipped disc"}, '"Slipped disc" is also a name of herniated-disc'),
}  # fmt: skip


def check(page):
    names = name_index(
        [
            NamedPage("herniated-disc", "Herniated Disc", "Slipped disc"),
            NamedPage("this-page", page["title"], page["also_called"]),
        ]
    )
    return check_markdown(
        page["title"], page["body"], page["sources"], page["also_called"], names, "this-page"
    )


def test_a_good_page_passes():
    assert check(GOOD) == []


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_each_check_fails_on_a_page_that_breaks_it(case):
    change, expected = BAD[case]
    problems = check({**GOOD, **change})
    assert len(problems) == 1 and expected in problems[0], problems


# In the loader and in admin


def write(folder, name, page, also_called=""):
    path = Path(folder) / "conditions" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    sources = "".join(f'  - "{line[2:]}"\n' for line in page["sources"].splitlines())
    names = "".join(f"  - {name}\n" for name in also_called.splitlines())
    path.write_text(
        f"---\ntitle: {page['title']}\nsummary: A summary.\nregion: lower-back\n"
        f"status: published\nalso_called:\n{names or '  []'}\nsources:\n{sources or '  []'}\n"
        f"---\n{page['body']}"
    )


@pytest.mark.django_db
def test_load_content_warns_about_the_pages_it_loads_and_still_loads_them(tmp_path):
    ConditionFactory(title="Herniated Disc", also_called="Slipped disc")
    write(tmp_path, "good.md", GOOD, also_called="Sore back")
    write(tmp_path, "bad.md", {**GOOD, "title": "Bad", "sources": "- NHS (UK): Sciatica"},
          also_called="Slipped disc")  # fmt: skip
    out, err = StringIO(), StringIO()
    call_command("load_content", str(tmp_path), stdout=out, stderr=err)
    assert "2 created" in out.getvalue()
    assert Condition.objects.filter(slug="bad").exists()
    report = err.getvalue()
    assert "Content check: 3 warning(s). The pages were loaded" in report, report
    assert 'bad.md: Source 1 is not a link: "NHS (UK): Sciatica"' in report
    assert "bad.md: The page has 1 source(s)" in report
    assert (
        'bad.md: "Slipped disc" is also a name of the condition page \u201cHerniated Disc'
        in report
    )
    assert "good.md" not in report

    # Unchanged files are not checked again.
    err = StringIO()
    call_command("load_content", str(tmp_path), stdout=StringIO(), stderr=err)
    assert "Content check" not in err.getvalue()


def admin_data(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "also_called": page.also_called,
        "summary": page.summary,
        "region": page.region,
        "body": GOOD["body"],
        "sources": GOOD["sources"],
        "status": "published",
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_admin_saves_a_page_that_fails_the_check_and_advises_the_editor(admin_client):
    ConditionFactory(title="Herniated Disc", also_called="Slipped disc")
    page = ConditionFactory(title="Sciatica")
    url = f"/admin/conditions/condition/{page.pk}/change/"
    response = admin_client.post(
        url, admin_data(page, body="## Edited\n\nNo boxes.\n", also_called="Slipped disc"),
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[0][1] == 302
    page.refresh_from_db()
    assert page.body.startswith("## Edited")
    html = response.content.decode()
    assert "The content check suggests fixing:" in html
    assert "<li>There is no &quot;Call 911&quot; box." in html
    assert "There is no &quot;Book a visit&quot; box." in html
    assert "&quot;Slipped disc&quot; is also a name of the condition page" in html

    response = admin_client.post(url, admin_data(page, also_called="Sciatic pain"), follow=True)
    assert "content check" not in response.content.decode()


@pytest.mark.django_db
def test_a_second_page_with_the_same_title_is_caught():
    """Pages are told apart by kind and key, not by title: a copy of a page under a
    new slug must not pass as the page itself."""
    first = TreatmentFactory(title="Discectomy", also_called="")
    second = TreatmentFactory(title="Discectomy", slug="discectomy-2", also_called="")
    problems = check_instance(second)
    assert any('"Discectomy" is also a name of' in problem for problem in problems), problems
    assert any('"Discectomy" is also a name of' in problem for problem in check_instance(first))
