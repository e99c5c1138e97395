"""The content loader's one pass over a kind's files: each file is read and validated
(spinesite.content) in a worker process, and a page written in Markdown (an Article)
is rendered and checked by the same worker, with the other files of its chunk.

A first load of 10,000 files used to fork three times: to read the files, to render
the new pages, and to check them (their reading level is most of the check), with the
loader's serial work between, and it read every new page back from the database to
check it. Rendering and checking need only the file and the glossary's terms, so they
are done where the file is read: the writer stores what was rendered
(spinesite.contentwrite), and `load_content` prints the advice with the one part of
the check that needs every page in the database, names that another page uses.

Pages explain the glossary's terms as they are when the files are read. The glossary's
own files are written first, in the same run; if that changes the terms,
`keep_if_current` drops what was rendered and checked, and it is done again after
writing, as before.
"""

import hashlib
import math
from functools import partial
from pathlib import Path

from . import content, contentcheck, pages, pageterms, readability
from .content import ContentError, ContentFile
from .parallel import map_in_processes


def read_kind(root, kind, pending=None, terms=()):
    """Read and validate every file of one kind; raise ContentError listing all problems.

    `pending` maps models to the slugs of pages read (but not yet written) in the same
    run, so that links may name pages that are not in the database yet. A page of a
    kind written in Markdown is also rendered, explaining `terms` (pageterms.page_terms()),
    and checked (ContentFile.rendered and .advice).
    """
    files, problems, seen = [], [], {}
    loaded, read = _loaded_unchanged(kind), {}
    for path in sorted((Path(root) / kind.folder).glob("*.md")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        # exactly as loaded before, when it was checked; or to be read (below)
        read[path] = (
            ContentFile(path, loaded[digest], {}, {}, digest, unchanged=True)
            if digest in loaded
            else None
        )
    new = [path for path, item in read.items() if item is None]
    # Attached files (uploads in the form's data) are read here, not in a worker.
    in_workers = {"min_items": math.inf} if kind.files else {}
    checked = kind.model in contentcheck.checked_models()
    if checked and new:
        # The reading level's dictionary, loaded the quick way (and before the workers
        # fork, so that they share it) rather than on first use.
        readability.load_dictionaries()
    parsed = map_in_processes(
        partial(_prepared, kind=kind, terms=terms, checked=checked),
        new,
        chunked=True,
        **in_workers,
    )
    read.update(zip(new, parsed, strict=True))
    for item in read.values():
        if isinstance(item, ContentError):
            problems.extend(item.problems)
            continue
        if item.slug in seen:
            problems.append(
                f"{item.path}: slug '{item.slug}' is already used by {seen[item.slug]}"
            )
            continue
        seen[item.slug] = item.path
        files.append(item)

    pending = {**(pending or {}), kind.model: set(seen)}
    known = {}
    for key in kind.links:
        target = kind.target(key)
        known[key] = pending.get(target, set()) | set(
            target.objects.order_by().values_list("slug", flat=True)
        )
    for item in files:
        for key, slugs in item.links.items():
            problems.extend(
                f"{item.path}: '{key}' names '{slug}', which is not a known page"
                for slug in slugs
                if slug not in known[key]
            )
    if problems:
        raise ContentError(problems)
    return files


def _loaded_unchanged(kind):
    """{content hash: slug} of the pages loaded from files and not edited since.

    A file whose bytes hash to one of these is that page's file, unchanged: it was
    validated when it was loaded, so it is neither parsed nor validated again, which
    makes a rerun over thousands of unchanged files take a second or two. Kinds with
    attached files are always read, since their hash covers the attachments too.
    """
    if kind.files:
        return {}
    rows = kind.model.objects.exclude(content_hash="").order_by()
    return dict(rows.values_list("content_hash", "slug"))


def _prepared(paths, kind, terms, checked):
    """The files at `paths` read, and their pages rendered and checked (`checked`: for
    the kinds the content check reads): ContentFiles, or ContentErrors naming the
    problems of the files that are bad.

    Each step is taken for every file before the next (parsing, then Markdown, then
    the reading level): file by file, the same work took about a third longer, as
    the interpreter kept switching between three large bodies of code and data.
    """
    items = [_checked(path, "read", content._read, path, kind) for path in paths]
    if not _renders(kind):
        return items
    unsaved = {}  # path: the unsaved page, rendered, for the check

    def render(item):
        unsaved[item.path] = page = _page(item, kind)
        item.rendered = rendered_fields(page, terms)
        return item

    items = [
        item if isinstance(item, ContentError) else _checked(item.path, "rendered", render, item)
        for item in items
    ]
    if checked:
        for item in items:
            if not isinstance(item, ContentError):
                _advise(item, unsaved[item.path])
    return items


def _checked(path, doing, step, *args):
    """`step(*args)`, with its problems returned rather than raised (from a worker
    process). Any other error becomes a problem naming the file and the step, as the
    traceback would not."""
    try:
        return step(*args)
    except ContentError as error:
        return error
    except Exception as error:  # a bug, or the database used in a worker
        name = type(error).__name__
        return ContentError([f"{path}: could not be {doing} ({name}: {error})"])


def _renders(kind):
    """Whether the kind's pages render Markdown on save (Article.render)."""
    return issubclass(kind.model, pages.Article)


def _page(item, kind):
    """An unsaved page with the file's fields, as the writer sets them."""
    page = kind.model()
    for name, value in item.data.items():
        setattr(page, name, value)
    return page


def rendered_fields(page, terms):
    """The fields `page.render()` fills (RENDERED_FIELDS), explaining `terms`."""
    page.render(terms)
    return {name: getattr(page, name) for name in page.RENDERED_FIELDS}


def _advise(item, page):
    """The content check's problems that need no other page (name_problems do). The
    check is advice: if it fails here, the page is checked again once written."""
    try:
        item.advice = contentcheck.page_problems(page.body_html, page.sources)
    except Exception:  # load_content checks it again, as written (advice None)
        item.advice = None


def keep_if_current(files, terms):
    """Forget what was rendered and checked with `terms` if the glossary's terms are
    no longer those (its files, written first, changed them): the writer renders the
    pages again, and `load_content` checks them again, from the database."""
    if any(item.rendered is not None for item in files) and pageterms.page_terms() != terms:
        for item in files:
            item.rendered = item.advice = None
