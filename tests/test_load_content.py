from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from conditions.models import Condition

pytestmark = pytest.mark.django_db

GOOD = """---
title: Sciatica
also_called:
  - Lumbar radiculopathy
summary: Pain that runs from the lower back down one leg.
region: lower-back
status: published
related: [{related}]
sources:
  - "[MedlinePlus](https://medlineplus.gov/)"
---
## What is it?

Pain along the sciatic nerve.
"""


def write(folder, name, text):
    path = Path(folder) / "conditions" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def load(folder, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("load_content", str(folder), *args, stdout=out, stderr=err)
    return out.getvalue()


def test_creates_then_skips_unchanged_then_updates(tmp_path):
    write(tmp_path, "sciatica.md", GOOD.format(related=""))
    assert "1 created, 0 updated, 0 unchanged" in load(tmp_path)
    page = Condition.objects.get(slug="sciatica")
    assert page.other_names == ["Lumbar radiculopathy"]
    assert '<h2 id="what-is-it">' in page.body_html
    assert 'href="https://medlineplus.gov/"' in page.sources_html
    assert page.is_published

    assert "0 created, 0 updated, 1 unchanged" in load(tmp_path)

    write(tmp_path, "sciatica.md", GOOD.format(related="").replace("one leg", "one or both legs"))
    assert "0 created, 1 updated, 0 unchanged" in load(tmp_path)
    assert Condition.objects.get(slug="sciatica").summary.endswith("one or both legs.")


def test_an_unchanged_file_is_not_parsed_again(tmp_path, monkeypatch):
    write(tmp_path, "sciatica.md", GOOD.format(related=""))
    load(tmp_path)

    def parse(path, kind):
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr("spinesite.content._read", parse)
    assert "0 created, 0 updated, 1 unchanged" in load(tmp_path)
    Condition.objects.filter(slug="sciatica").update(content_hash="")  # as an admin edit
    err = __import__("io").StringIO()
    with pytest.raises(CommandError):  # edited in admin since: read, to be skipped or --forced
        call_command("load_content", str(tmp_path), stderr=err)
    assert "AssertionError" in err.getvalue() and "parsed again" in err.getvalue()


def test_links_of_new_and_updated_pages_are_all_kept(tmp_path):
    write(tmp_path, "a.md", GOOD.replace("Sciatica", "A page").format(related="b, c"))
    write(tmp_path, "b.md", GOOD.replace("Sciatica", "B page").format(related="a"))
    write(tmp_path, "c.md", GOOD.replace("Sciatica", "C page").format(related=""))
    load(tmp_path)

    def links():
        return {p.slug: sorted(r.slug for r in p.related.all()) for p in Condition.objects.all()}

    assert links() == {"a": ["b", "c"], "b": ["a"], "c": []}
    write(tmp_path, "a.md", GOOD.replace("Sciatica", "A page").format(related="c"))
    load(tmp_path)
    assert links() == {"a": ["c"], "b": ["a"], "c": []}


def test_related_pages_are_linked_by_slug(tmp_path):
    write(tmp_path, "sciatica.md", GOOD.format(related="herniated-disc"))
    write(
        tmp_path,
        "herniated-disc.md",
        GOOD.replace("Sciatica", "Herniated disc").format(related="sciatica"),
    )
    load(tmp_path)
    sciatica = Condition.objects.get(slug="sciatica")
    assert [c.slug for c in sciatica.related.all()] == ["herniated-disc"]


def test_admin_edits_are_kept_unless_forced(tmp_path, admin_client):
    write(tmp_path, "sciatica.md", GOOD.format(related=""))
    load(tmp_path)
    page = Condition.objects.get(slug="sciatica")
    response = admin_client.post(
        f"/admin/conditions/condition/{page.pk}/change/",
        {
            "title": "Sciatica",
            "slug": "sciatica",
            "also_called": "",
            "summary": "Edited in admin.",
            "region": "lower-back",
            "body": "## Edited\n",
            "sources": "",
            "status": "published",
        },
    )
    assert response.status_code == 302

    write(tmp_path, "sciatica.md", GOOD.format(related="").replace("one leg", "a leg"))
    output = load(tmp_path)
    assert "1 skipped" in output and "skipped sciatica: edited in admin" in output
    assert Condition.objects.get(slug="sciatica").summary == "Edited in admin."

    assert "1 updated" in load(tmp_path, "--force")
    assert Condition.objects.get(slug="sciatica").summary.endswith("a leg.")


BAD_FILES = {
    "broken-front-matter": ("---\ntitle: [unclosed\n---\nBody\n", "broken front matter"),
    "no-front-matter": ("Just a body.\n", "no front matter"),
    "missing-title": (GOOD.format(related="").replace("title: Sciatica\n", ""), "'title'"),
    "unknown-field": (GOOD.format(related="").replace("status:", "colour: red\nstatus:"), "unknown field 'colour'"),
    "bad-date": (GOOD.format(related="").replace("status:", "last_reviewed: soon\nstatus:"), "'last_reviewed': Enter a valid date"),
    "impossible-date": (GOOD.format(related="").replace("status:", "next_review_due: 2025-02-30\nstatus:"), "day is out of range"),
    "bad-region": (GOOD.format(related="").replace("lower-back", "elbow"), "'region'"),
    "bad-status": (GOOD.format(related="").replace("published", "maybe"), "'status'"),
    "unknown-related": (GOOD.format(related="no-such-page"), "'related' names 'no-such-page'"),
    "list-not-list": (GOOD.format(related="").replace("  - Lumbar radiculopathy", "  key: value"), "'also_called' must be a list"),
    "empty-body": (GOOD.format(related="").split("## What")[0], "body after the front matter is empty"),
    "not-utf8": (b"---\ntitle: \xff\xfe\n---\nBody\n", "not UTF-8"),
    "front-matter-not-mapping": ("---\n- a\n- b\n---\nBody\n", "front matter"),
    "summary-too-long": (GOOD.format(related="").replace("Pain that runs", "x" * 200), "'summary'"),
    "figure-without-alt": (GOOD.format(related="") + "\n[figure herniated-disc]\ncaption: A disc.\n", "needs an alt: line"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_is_named_and_nothing_changes(tmp_path, case):
    text, problem = BAD_FILES[case]
    write(tmp_path, "sciatica.md", GOOD.format(related=""))
    load(tmp_path)
    before = list(Condition.objects.values_list("slug", "summary", "body_html"))

    write(tmp_path, "sciatica.md", GOOD.format(related="").replace("one leg", "CHANGED"))
    write(tmp_path, "zz-bad.md", text)
    with pytest.raises(CommandError, match="nothing was changed") as excinfo:
        call_command("load_content", str(tmp_path), stderr=(err := __import__("io").StringIO()))
    assert excinfo.value.returncode == 1
    report = err.getvalue()
    assert "zz-bad.md" in report and problem in report, report
    assert list(Condition.objects.values_list("slug", "summary", "body_html")) == before


def test_every_problem_in_every_file_is_reported(tmp_path):
    from io import StringIO

    write(tmp_path, "a.md", GOOD.format(related="").replace("status:", "colour: red\nstatus:"))
    write(tmp_path, "b.md", GOOD.format(related="").replace("title: Sciatica\n", ""))
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("load_content", str(tmp_path), stderr=err)
    assert "a.md" in err.getvalue() and "b.md" in err.getvalue()


def test_duplicate_slugs_are_refused(tmp_path):
    write(tmp_path, "sciatica.md", GOOD.format(related=""))
    write(
        tmp_path, "other.md", GOOD.format(related="").replace("title:", "slug: sciatica\ntitle:")
    )
    write(tmp_path, "zz.md", GOOD.format(related=""))  # read after both: names neither
    err = __import__("io").StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_content", str(tmp_path), stderr=err)
    report = err.getvalue()
    assert f"{tmp_path / 'conditions' / 'sciatica.md'}: slug 'sciatica' is already used by " in (
        report
    ) and report.rstrip().endswith("other.md"), report
    assert not Condition.objects.exists()


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        load(tmp_path / "nope")


def test_sample_content_loads_and_is_complete():
    output = load(settings.BASE_DIR / "content")
    assert "0 skipped" in output
    fbss = Condition.objects.get(slug="failed-back-surgery-syndrome")
    assert Condition.objects.get(slug="failed-neck-surgery-syndrome").is_published
    assert Condition.objects.published().count() >= 8
    assert "Chronic pain after spinal surgery" in fbss.other_names
    for page in Condition.objects.all():
        assert "callout-emergency" in page.body_html, page.slug
        assert "911" in page.body_text, page.slug
        assert not page.reviewer_name, "sample pages must not claim a reviewer"


def _load_counting_queries(folder, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(count):
        title = f"Made-up condition {n}"
        write(
            folder,
            f"page-{n}.md",
            GOOD.replace("Sciatica", title).format(related=f"page-{(n + 1) % count}"),
        )
    with CaptureQueriesContext(connection) as queries:
        load(folder)
    return len(queries)


def test_loading_more_files_costs_no_more_queries(tmp_path):
    """The loader's queries do not grow with the number of files (it used to run
    several per page: its reviewer, and its links for its history). Not timed:
    bench/load_content.py measures the time."""
    few = _load_counting_queries(tmp_path / "few", 5)
    Condition.objects.all().delete()
    many = _load_counting_queries(tmp_path / "many", 50)
    assert many <= few + 2, f"5 files took {few} queries, 50 took {many}"
    # Each page's recorded version has its links, for its history and restore.
    from spinesite import history

    page = Condition.objects.get(slug="page-7")
    version = history.versions(page).first()
    assert version.field_dict["related"] == [Condition.objects.get(slug="page-8").pk]


def test_files_read_in_worker_processes_load_as_in_one(tmp_path, monkeypatch):
    """Many files are parsed, rendered and checked in forked workers
    (spinesite.parallel); what they store, and a bad file's message, are the same."""
    from spinesite import parallel

    def pages():
        fields = ("slug", "title", "body_html", "toc", "body_text", "sources_html", "content_hash")
        return list(Condition.objects.order_by("slug").values_list(*fields))

    for n in range(6):
        text = GOOD.replace("Sciatica", f"Page {n}").replace("sciatic", f"number {n}")
        write(tmp_path, f"page-{n}.md", text.format(related=""))
    load(tmp_path)
    in_one = pages()
    assert "number 4" in in_one[4][2]
    Condition.objects.all().delete()

    forked = []

    class Pool(parallel.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            forked.append(args[0])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    out = load(tmp_path)
    # One pass of two workers reads, renders and checks the files (it was three).
    assert "6 created" in out and forked == [2]
    assert pages() == in_one

    write(tmp_path, "page-3.md", GOOD.format(related="").replace("published", "maybe"))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_content", str(tmp_path), stderr=(err := __import__("io").StringIO()))
    assert "page-3.md: 'status'" in err.getvalue()
    assert pages() == in_one  # nothing changed


@pytest.fixture
def in_workers(tmp_path, monkeypatch):
    """Six good files, read in two forked workers (spinesite.parallel)."""
    from spinesite import parallel

    for n in range(6):
        text = GOOD.replace("Sciatica", f"Page {n}").replace("sciatic", f"number {n}")
        write(tmp_path, f"page-{n}.md", text.format(related=""))
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    return tmp_path


def _in_a_worker(parent, then):
    """Run `then` in a worker only; in this process fail the test (no fork, say)."""
    import os

    if os.getpid() == parent:
        raise AssertionError("meant to run in a worker process")
    return then()


def test_a_worker_may_not_use_the_database(in_workers, monkeypatch):
    """A query in a worker would go over the parent's connection or its pool's
    sockets; it fails, naming the file, and the parent's connection is unharmed."""
    import os

    from spinesite import markdown

    problems = markdown.problems

    def querying(text):
        if "number 4" in text:
            _in_a_worker(parent, Condition.objects.count)
        return problems(text)

    parent = os.getpid()
    monkeypatch.setattr(markdown, "problems", querying)
    err = __import__("io").StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_content", str(in_workers), stderr=err)
    assert "page-4.md: could not be read (RuntimeError: no database in a loader worker)" in (
        err.getvalue()
    ), err.getvalue()
    assert not Condition.objects.exists()  # the parent's connection still works
    monkeypatch.setattr(markdown, "problems", problems)
    assert "6 created" in load(in_workers)


def test_an_unexpected_error_names_the_file(in_workers, monkeypatch):
    from spinesite import markdown

    def broken(text):
        raise KeyError("oops")

    monkeypatch.setattr(markdown, "problems", broken)
    err = __import__("io").StringIO()
    with pytest.raises(CommandError, match="6 problem"):
        call_command("load_content", str(in_workers), stderr=err)
    assert "page-2.md: could not be read (KeyError: 'oops')" in err.getvalue(), err.getvalue()
    assert not Condition.objects.exists()


def test_a_dead_worker_is_a_clear_error_and_nothing_changes(in_workers, monkeypatch):
    import os

    from spinesite import markdown

    problems = markdown.problems

    def dying(text):
        if "number 4" in text:
            _in_a_worker(parent, lambda: os._exit(1))
        return problems(text)

    parent = os.getpid()
    monkeypatch.setattr(markdown, "problems", dying)
    with pytest.raises(CommandError, match="worker process .* stopped unexpectedly .*nothing"):
        load(in_workers)
    assert not Condition.objects.exists()


def test_workers_are_capped_or_set(monkeypatch, settings):
    """sched_getaffinity ignores a container's CPU quota: at most 8 workers, or
    LOAD_WORKERS."""
    from spinesite import parallel

    monkeypatch.setattr(
        parallel.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False
    )
    settings.LOAD_WORKERS = 0
    assert parallel.workers() == 8
    settings.LOAD_WORKERS = 3
    assert parallel.workers() == 3
