"""The treatment content files (content/treatments/*.md) that ship with the site.

These read the files with python-frontmatter alone, so they hold whether or not the
Treatment model exists: patient safety boxes, sources and reading level are checked
on the words we publish, before any loader sees them.
"""

import re

import frontmatter
import pytest
from django.conf import settings

from spinesite.editorial import GRADE_TARGET, reading_grade
from spinesite.markdown import render_markdown

CONTENT = settings.BASE_DIR / "content"
TREATMENTS = sorted((CONTENT / "treatments").glob("*.md"))
CONDITIONS = sorted((CONTENT / "conditions").glob("*.md"))

KINDS = {"exercise-therapy", "medicines", "injections", "implants", "surgery"}
REQUIRED = {
    "title": str,
    "also_called": list,
    "summary": str,
    "kind": str,
    "status": str,
    "featured": bool,
    "conditions": list,
    "related": list,
    "sources": list,
}
# The three boxes every page needs, each with at least one indented list item.
BOXES = ("emergency", "urgent", "routine")
SOURCE_LINK = re.compile(r"\[[^\]]+\]\(https://[^\s()]+\)")


def box_pattern(kind):
    return re.compile(rf'^!!! {kind} "[^"\n]+"\n(?:    - \S.*\n)+', re.MULTILINE)


def names(path):
    """The names a page answers to: its title and every 'also called' name."""
    page = frontmatter.load(path)
    return {name.strip().casefold() for name in [page["title"], *page.get("also_called", [])]}


@pytest.fixture(params=TREATMENTS, ids=lambda path: path.stem)
def treatment(request):
    return request.param, frontmatter.load(request.param)


def test_the_treatment_pages_ship():
    # Without files the parametrised tests below would all vanish and pass.
    assert len(TREATMENTS) >= 14


def test_front_matter_has_every_field(treatment):
    path, page = treatment
    for key, kind in REQUIRED.items():
        assert isinstance(page.get(key), kind), f"{path.name}: '{key}' missing or not a {kind}"
    assert page["kind"] in KINDS, f"{path.name}: unknown kind {page['kind']!r}"
    assert page["status"] == "published", f"{path.name}: status {page['status']!r}"
    assert 0 < len(page["summary"]) <= 160, f"{path.name}: summary must be 1-160 characters"
    assert page["also_called"], f"{path.name}: no 'also called' names"


def test_every_page_has_the_three_help_boxes(treatment):
    path, page = treatment
    text = page.content + "\n"
    for kind in BOXES:
        assert box_pattern(kind).search(text), f"{path.name}: no '!!! {kind}' box with a list"


def test_sources_are_links(treatment):
    path, page = treatment
    assert len(page["sources"]) >= 2, f"{path.name}: needs at least two sources"
    for source in page["sources"]:
        assert SOURCE_LINK.fullmatch(source.strip()), f"{path.name}: not a link: {source!r}"


def test_reading_grade_is_at_most_eight(treatment):
    # The same measure editors see in admin and in `content_report`.
    path, page = treatment
    grade = reading_grade(render_markdown(page.content))
    assert grade is not None and grade <= GRADE_TARGET, f"{path.name}: grade {grade}"


def test_conditions_and_related_treatments_exist(treatment):
    path, page = treatment
    condition_slugs = {p.stem for p in CONDITIONS}
    treatment_slugs = {p.stem for p in TREATMENTS}
    for slug in page["conditions"]:
        assert slug in condition_slugs, f"{path.name}: no condition page '{slug}'"
    for slug in page["related"]:
        assert slug in treatment_slugs - {path.stem}, f"{path.name}: no other treatment '{slug}'"


def test_no_treatment_shares_a_name_with_another_page(treatment):
    """A name a patient searches for must lead to one page.

    Condition pages sharing a name among themselves are the content check's
    business (issue 15); here every treatment name is checked against every
    other page, condition or treatment.
    """
    path, _ = treatment
    own = names(path)
    for other in [*CONDITIONS, *TREATMENTS]:
        if other != path:
            shared = own & names(other)
            assert not shared, f"{path.name} and {other.parent.name}/{other.name} share {shared}"
