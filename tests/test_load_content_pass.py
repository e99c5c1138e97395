"""The loader's one pass (spinesite.contentpass): each page is rendered and checked
where its file is read, and again only if the glossary's terms change in the run."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from conditions.models import Condition
from spinesite import contentcheck
from spinesite.pages import Article

pytestmark = pytest.mark.django_db

PAGE = """---
title: {title}
summary: Pain that runs from the lower back down one leg.
region: lower-back
status: published
sources:
  - "[NHS: Sciatica](https://www.nhs.uk/conditions/sciatica/)"
  - "[MedlinePlus: Sciatica](https://medlineplus.gov/sciatica.html)"
---
## What is it?

Pain along the sciatic nerve.
"""
TERM = """---
term: Sciatic nerve
status: published
---

{meaning}
"""


def write(folder, kind, name, text):
    path = Path(folder) / kind / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def load(folder):
    err = StringIO()
    call_command("load_content", str(folder), stdout=StringIO(), stderr=err)
    return err.getvalue()


@pytest.fixture
def renders(monkeypatch):
    """The slugs of the pages rendered, in order."""
    rendered, render = [], Article.render

    def counted(page, terms=None):
        rendered.append(page.slug or page.title)
        return render(page, terms)

    monkeypatch.setattr(Article, "render", counted)
    return rendered


def test_a_new_page_is_rendered_once_with_the_glossary_as_it_is(tmp_path, renders):
    write(tmp_path, "glossary", "sciatic-nerve.md", TERM.format(meaning="The longest nerve."))
    load(tmp_path)
    renders.clear()

    write(tmp_path, "conditions", "sciatica.md", PAGE.format(title="Sciatica"))
    load(tmp_path)
    assert renders == ["Sciatica"]  # where read (an unsaved page has no slug yet)
    assert "The longest nerve." in Condition.objects.get(slug="sciatica").body_html


def test_pages_read_before_the_glossary_changed_are_rendered_again(tmp_path, renders):
    """The glossary's files are written first; pages read with the terms as they were
    are rendered (and checked) again, so that they explain the terms as they are."""
    write(tmp_path, "glossary", "sciatic-nerve.md", TERM.format(meaning="The longest nerve."))
    write(tmp_path, "conditions", "sciatica.md", PAGE.format(title="Sciatica"))
    report = load(tmp_path)
    page = Condition.objects.get(slug="sciatica")
    assert "The longest nerve." in page.body_html
    # checked again too: as saved (no "When to get help" boxes in PAGE)
    assert all(problem in report for problem in contentcheck.check_instance(page))

    write(tmp_path, "glossary", "sciatic-nerve.md", TERM.format(meaning="A big nerve."))
    write(tmp_path, "conditions", "leg-pain.md", PAGE.format(title="Leg pain"))
    renders.clear()
    load(tmp_path)
    assert "Leg pain" in renders and "leg-pain" in renders  # where read, then again
    for page in Condition.objects.all():
        assert "A big nerve." in page.body_html, page.slug


def test_advice_found_where_read_is_the_advice_on_the_saved_page(tmp_path):
    """Warnings name the same problems as checking the saved page does (its boxes, its
    sources and reading level where the file was read; its names from the database)."""
    write(tmp_path, "conditions", "a.md", PAGE.format(title="Sciatica"))
    write(tmp_path, "conditions", "b.md", PAGE.format(title="Sciatica"))
    report = load(tmp_path)
    for page in Condition.objects.order_by("slug"):
        problems = contentcheck.check_instance(page)
        assert problems and all(f"{page.slug}.md: {problem}" in report for problem in problems)
    assert report.count(".md: ") == 2 * len(contentcheck.check_instance(page))


def test_the_garbage_collector_is_left_as_it_was(tmp_path):
    """A load freezes what it holds (spinesite.parallel.frozen_heap); after it, done or
    refused, the collector is as before, and what someone else froze stays frozen."""
    import gc

    from django.core.management.base import CommandError

    write(tmp_path, "conditions", "sciatica.md", PAGE.format(title="Sciatica"))
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    load(tmp_path)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    write(tmp_path, "conditions", "bad.md", "no front matter")
    with pytest.raises(CommandError):
        load(tmp_path)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        (tmp_path / "conditions" / "bad.md").unlink()
        write(tmp_path, "conditions", "leg-pain.md", PAGE.format(title="Leg pain"))
        load(tmp_path)
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_a_check_that_fails_where_read_is_made_again_once_written(tmp_path, monkeypatch):
    """The check is advice: if it breaks where the file is read, the page still loads
    and is checked as saved."""

    def broken(*args):
        raise ValueError("a bug")

    checked = []
    monkeypatch.setattr(contentcheck, "page_problems", broken)
    monkeypatch.setattr(
        contentcheck, "check_instance", lambda page, **kw: checked.append(page.slug) or []
    )
    write(tmp_path, "conditions", "sciatica.md", PAGE.format(title="Sciatica"))
    load(tmp_path)
    assert Condition.objects.filter(slug="sciatica").exists()
    assert checked == ["sciatica"]


def test_files_read_in_chunks_each_get_their_own_rendering(tmp_path, monkeypatch):
    """Each chunk's files are taken a step at a time (parallel.map_in_processes,
    chunked), in worker processes; every page gets what was rendered from its file."""
    from spinesite import parallel

    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    for n in range(7):
        text = PAGE.format(title=f"Condition {n}") + f"\nMarker {n}.\n"
        write(tmp_path, "conditions", f"c{n}.md", text)
    load(tmp_path)
    for page in Condition.objects.all():
        assert f"Marker {page.title.split()[-1]}." in page.body_html, page.title
    assert Condition.objects.count() == 7
