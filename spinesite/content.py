"""Loading pages from content files: YAML front matter, then a Markdown body.

Each kind of page (conditions, treatments, videos) describes its files with a
`ContentKind`, given to `spinesite.pages.register()` (other content, such as glossary
terms, to `load_first()`);
`load_content` validates every file of every kind before it writes anything, so a
bad file never leaves the site half-updated.
"""

import hashlib
import math
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import frontmatter
import reversion
import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils.text import slugify

from . import history, markdown
from .history import keep_baseline
from .parallel import map_in_processes
from .redirects import Redirect
from .search import add_words_of, words_added_at_the_end

_loaded_first = []
REVIEWER = "reviewed_by"  # front matter: the slug of the clinician who reviewed the page


def load_first(kind):
    """Load `kind`'s files before every kind of page's, for content that is no kind of
    page but that pages use when they are saved (the glossary's terms, which pages
    loaded in the same run explain). Call from AppConfig.ready()."""
    if kind not in _loaded_first:
        _loaded_first.append(kind)


def loaded_first():
    return list(_loaded_first)


class ContentError(Exception):
    """One or more content files are bad; `problems` says which and why."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ContentKind:
    """How the files in `content/<folder>/*.md` map onto a model.

    `form` is a ModelForm over the front-matter fields that map one to one onto model
    fields: it does the validation (required fields, choices, dates, lengths).
    `lists` names fields written as YAML lists and stored one item per line, with an
    optional prefix per line (e.g. "- " for a Markdown list). `links` names
    front-matter lists of slugs that become many-to-many relations, to pages of this
    kind or of another (the model field says which). `tags` names front-matter lists of
    names for many-to-many relations to a model with `name` and `slug`, whose rows are
    created as needed. `files` names form fields given as paths relative to the content
    file; the form checks them exactly as it checks uploads. `parts` (`ContentPart`s)
    read front-matter lists into rows that belong to the page, such as opening hours.
    A kind whose pages have a clinical reviewer (`ReviewedPage.reviewed_by`) also takes
    `reviewed_by`: the slug of the reviewing clinician (see `check_reviewers`).
    """

    folder: str
    form: type
    body_field: str = "body"
    lists: dict = field(default_factory=dict)
    links: tuple = ()
    tags: tuple = ()
    files: tuple = ()
    parts: tuple = ()

    @property
    def model(self):
        return self.form._meta.model

    @property
    def body_checked(self):
        """Whether the body is a field of the form (a glossary term's meaning)."""
        return self.body_field in self.form._meta.fields

    @property
    def reviewer_model(self):
        """The model a page's `reviewed_by` names (settings.PAGE_REVIEWER_MODEL), or None
        for a kind without a clinical reviewer (a location, a clinician)."""
        try:
            field = self.model._meta.get_field(REVIEWER)
        except FieldDoesNotExist:
            return None
        return field.related_model if field.many_to_one else None

    @property
    def allowed_keys(self):
        keys = {
            "slug",
            *self.form._meta.fields,
            *self.lists,
            *self.links,
            *self.tags,
            *(part.key for part in self.parts),
            *([REVIEWER] if self.reviewer_model else []),
        }
        return keys - {self.body_field}

    def target(self, key):
        """The model a `links` or `tags` field points to."""
        return self.model._meta.get_field(key).related_model


@dataclass(frozen=True)
class ContentPart:
    """A front-matter list of rows that belong to the page (a location's opening hours).

    `read(value)` returns (rows, problems), checking the rows exactly as the admin
    does; `write(page, rows)` replaces the page's rows with them.
    """

    key: str
    read: object
    write: object


@dataclass
class ContentFile:
    path: Path
    slug: str
    data: dict
    links: dict
    digest: str
    tags: dict = field(default_factory=dict)
    parts: dict = field(default_factory=dict)
    reviewer: str | None = None  # the reviewing clinician's slug
    unchanged: bool = False  # read no further: a page holds exactly this file


def _loaded_unchanged(kind):
    """{content hash: slug} of the pages loaded from files and not edited since.

    A file whose bytes hash to one of these is that page's file, unchanged: it was
    validated when it was loaded, so it is neither parsed nor validated again, which
    makes a rerun over thousands of unchanged files take a second or two. Kinds with
    attached files are always read, since their hash covers the attachments too.
    """
    if kind.files:
        return {}
    pages = kind.model.objects.exclude(content_hash="").order_by()
    return dict(pages.values_list("content_hash", "slug"))


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def _read(path, kind):
    """Parse one file into a ContentFile, or raise ContentError naming its problems."""
    raw = path.read_bytes()
    try:
        post = frontmatter.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ContentError([f"{path}: not UTF-8 text"]) from None
    except (yaml.YAMLError, ValueError, TypeError, AttributeError) as error:
        reason = " ".join(str(error).split())
        raise ContentError([f"{path}: broken front matter ({reason})"]) from None
    meta = post.metadata
    if not meta:
        raise ContentError([f"{path}: no front matter (start the file with a --- block)"])

    problems = [
        f"{path}: unknown field '{key}' (allowed: {', '.join(sorted(kind.allowed_keys))})"
        for key in meta
        if key not in kind.allowed_keys
    ]
    slug = str(meta.get("slug") or path.stem)
    data = {
        key: meta[key] for key in kind.form._meta.fields if key in meta and key not in kind.files
    }
    # Normalised as the admin stores it, so an unchanged file is no edit.
    text = {kind.body_field: markdown.normalize_text(post.content)}
    if kind.body_checked:  # the form checks the body too, as the admin's does
        data[kind.body_field] = text.pop(kind.body_field)
    if not post.content.strip():
        problems.append(f"{path}: the body after the front matter is empty")
    problems += [f"{path}: {problem}" for problem in markdown.problems(post.content)]
    for key, prefix in kind.lists.items():
        items = meta.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            problems.append(f"{path}: '{key}' must be a list of text lines")
            continue
        text[key] = "\n".join(f"{prefix}{item.strip()}" for item in items)
    links = {}
    for key in kind.links:
        items = meta.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            problems.append(f"{path}: '{key}' must be a list of page slugs")
            continue
        links[key] = items
    tags = {}
    for key in kind.tags:
        items = meta.get(key) or []
        if not isinstance(items, list) or not all(
            isinstance(i, str) and slugify(i) for i in items
        ):
            problems.append(f"{path}: '{key}' must be a list of names")
            continue
        tags[key] = [item.strip() for item in items]
    reviewer = meta.get(REVIEWER) if kind.reviewer_model else None
    if reviewer is not None and not (isinstance(reviewer, str) and reviewer.strip()):
        problems.append(f"{path}: '{REVIEWER}' must be the slug of one of our clinicians")
        reviewer = None
    parts = {}
    for part in kind.parts:
        rows, part_problems = part.read(meta.get(part.key))
        problems.extend(f"{path}: '{part.key}': {problem}" for problem in part_problems)
        parts[part.key] = rows
    uploads, digest = {}, hashlib.sha256(raw)
    for key in kind.files:
        if not meta.get(key):
            continue
        attached = _attached_file(path, meta[key])
        if isinstance(attached, str):
            problems.append(f"{path}: '{key}' {attached}")
            continue
        content = attached.read_bytes()
        digest.update(content)
        uploads[key] = SimpleUploadedFile(attached.name, content)

    try:
        validate_slug(slug)
    except ValidationError:
        problems.append(f"{path}: '{slug}' is not a valid slug (use a-z, 0-9 and hyphens)")
    form = kind.form(data=data, files=uploads)
    if not form.is_valid():
        for name, errors in form.errors.get_json_data().items():
            for error in errors:
                label = "file" if name == "__all__" else f"'{name}'"
                problems.append(f"{path}: {label}: {error['message']}")
    if problems:
        raise ContentError(problems)
    data = {**form.cleaned_data, **text}
    reviewer = reviewer.strip() if reviewer else None
    return ContentFile(path, slug, data, links, digest.hexdigest(), tags, parts, reviewer)


def _read_checked(path, kind):
    """`_read`, with its problems returned rather than raised (from a worker process).
    Any other error becomes a problem naming the file, as the traceback would not."""
    try:
        return _read(path, kind)
    except ContentError as error:
        return error
    except Exception as error:  # a bug, or the database used in a worker
        return ContentError([f"{path}: could not be read ({type(error).__name__}: {error})"])


def _attached_file(path, value):
    """The file a front-matter path names, relative to the content file and inside its
    folder; or a string saying what is wrong."""
    if not isinstance(value, str):
        return "must be a file path, such as media/example.mp4"
    folder = path.parent.resolve()
    target = (folder / value).resolve()
    if not target.is_relative_to(folder):
        return f"names '{value}', which is outside {path.parent}"
    if not target.is_file():
        return f"names '{value}', which does not exist"
    return target


def read_kind(root, kind, pending=None):
    """Read and validate every file of one kind; raise ContentError listing all problems.

    `pending` maps models to the slugs of pages read (but not yet written) in the same
    run, so that links may name pages that are not in the database yet.
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
    parsed = map_in_processes(partial(_read_checked, kind=kind), new, **in_workers)
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


def write_kind(files, kind, force=False):
    """Create or update pages from validated files, as one recorded version
    (spinesite.history). Returns a Report.

    A file whose front matter gives a new slug renames the page it was loaded as,
    the one named like the file, which keeps its old address (spinesite.redirects).
    """
    report = Report()
    report.unchanged = [item.slug for item in files if item.unchanged]
    files = [item for item in files if not item.unchanged]
    slugs = {item.slug for item in files}
    existing = kind.model.objects.in_bulk(slugs, field_name="slug")
    by_file_name = kind.model.objects.in_bulk(
        {item.path.stem for item in files} - slugs, field_name="slug"
    )
    changed = []
    with transaction.atomic(), reversion.create_revision(), words_added_at_the_end():
        reversion.set_comment(f"Loaded from content files (content/{kind.folder}/).")
        for item in files:
            page = existing.get(item.slug) or by_file_name.get(item.path.stem)
            if page is not None and page.content_hash == item.digest and _has_files(page, kind):
                report.unchanged.append(item.slug)
                continue
            if page is not None and not page.content_hash and not force:
                report.skipped.append(item.slug)
                continue
            if page is None:
                page = kind.model(slug=item.slug)
                report.created.append(item.slug)
            else:
                report.updated.append(item.slug)
                keep_baseline(kind.model, page.pk)
            page.slug = item.slug
            for name, value in item.data.items():
                setattr(page, name, value)
            page.content_hash = item.digest
            if page.pk is not None or not _renders_on_save_only(kind.model):
                page.save()  # (a new Article is rendered and saved below, in bulk)
            changed.append((page, item))
        new = [page for page, _ in changed if page.pk is None]
        if new:
            rendered = map_in_processes(partial(_rendered, terms=markdown.page_terms()), new)
            for page, fields in zip(new, rendered, strict=True):
                for name, value in fields.items():
                    setattr(page, name, value)
            # One INSERT per 500 pages instead of one each; bulk_create sends no
            # post_save, so their words join the vocabulary here.
            kind.model.objects.bulk_create(new, batch_size=500)
            _created_in_bulk(kind.model, new)
        if changed:
            # Only the pages these files name, not every page of the kind.
            by_slug = {
                key: dict(
                    kind.target(key)
                    .objects.order_by()
                    .filter(
                        slug__in={slug for _, item in changed for slug in item.links.get(key, ())}
                    )
                    .values_list("slug", "pk")
                )
                for key in kind.links
            }
            created = set(report.created)
            new_links = {key: [] for key in kind.links}
            for page, item in changed:
                for key, slugs in item.links.items():
                    pks = [by_slug[key][slug] for slug in slugs]
                    if page.slug in created:  # nothing to compare with: insert below
                        new_links[key] += [(page.pk, pk) for pk in pks]
                    else:
                        getattr(page, key).set(pks)
                for key, names in item.tags.items():
                    getattr(page, key).set([_tag(kind.target(key), name) for name in names])
                for part in kind.parts:
                    part.write(page, item.parts[part.key])
                if kind.parts:
                    history.record(page)  # with the rows just written (bulk: no signal)
            for key, pairs in new_links.items():
                _insert_links(kind.model._meta.get_field(key), pairs)
            new = [page for page, _ in changed if page.slug in created]
            for start in range(0, len(new), 1000):  # a thousand pages' links at a time
                some = new[start : start + 1000]
                _prefetch_links(some, kind)
                for page in some:  # again, now with the links just inserted (no signal)
                    history.record(page)
                    page._prefetched_objects_cache = {}  # fetched for the record only
    return report


def _rendered(page, terms):
    """The fields a new page's render() fills (in a worker process: Markdown is most
    of a first load's time). `terms`, the glossary's, are fetched once for all."""
    page.render(terms)
    return {name: getattr(page, name) for name in page.RENDERED_FIELDS}


def _created_in_bulk(model, pages):
    """What saving each new page would have done beyond rendering it, as bulk_create
    sends no signals: its words join the vocabulary, and a page that takes an old
    address back ends that redirect (its history: write_kind, once its links exist)."""
    add_words_of(model, pages)
    Redirect.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        old_slug__in=[page.slug for page in pages],
    ).delete()


def check_reviewers(kinds, files, pending):
    """Problems with the reviewers files name: each must be a clinician in the database
    or loaded in the same run (`pending`, model to slugs). Checked once every kind is
    read, as a condition may name a clinician whose own file is read after it."""
    problems, known = [], {}
    for kind in kinds:
        model = kind.reviewer_model
        if model is None:
            continue
        if model not in known:
            saved = set(model.objects.values_list("slug", flat=True))
            known[model] = saved | pending.get(model, set())
        problems += [
            f"{item.path}: '{REVIEWER}' names '{item.reviewer}', which is not a known "
            f"{model._meta.verbose_name} (give the slug of their page)"
            for item in files.get(kind.folder, [])
            if item.reviewer and item.reviewer not in known[model]
        ]
    return problems


def write_reviewers(kinds, files, reports):
    """Set (or clear) the reviewer of each page created or updated in this run, once
    every kind is written, so that the clinician it names exists. In the caller's
    transaction; unchanged and skipped pages keep theirs, as they keep everything."""
    for kind in kinds:
        model, report = kind.reviewer_model, reports.get(kind.folder)
        if model is None or report is None:
            continue
        changed = {*report.created, *report.updated}
        items = [item for item in files.get(kind.folder, []) if item.slug in changed]
        wanted = {item.reviewer for item in items if item.reviewer}
        by_slug = dict(model.objects.filter(slug__in=wanted).values_list("slug", "pk"))
        # One UPDATE per reviewer, not one per page (each would also raise the
        # content version), and only of the pages whose reviewer differs.
        pages_of = {}
        for item in items:
            pages_of.setdefault(by_slug.get(item.reviewer), []).append(item.slug)
        for pk, slugs in pages_of.items():
            rows = kind.model.objects.filter(slug__in=slugs)
            if pk is None:
                rows = rows.filter(**{f"{REVIEWER}__isnull": False})
            else:
                rows = rows.exclude(**{f"{REVIEWER}_id": pk})
            rows.update(**{f"{REVIEWER}_id": pk})


def _renders_on_save_only(model):
    """Whether saving a new page of `model` does nothing beyond rendering its Markdown
    (an Article's own save()), so that it can be created with bulk_create."""
    from .pages import Article

    return issubclass(model, Article) and model.save is Article.save


def _prefetch_links(pages, kind):
    """Fetch the links of `pages` in one query per field, for their history: recording
    a page serialises its links, which would otherwise cost a query per page and field."""
    prefetch_related_objects(
        pages,
        *(
            Prefetch(key, queryset=kind.target(key)._default_manager.only("pk"))
            for key in kind.links
        ),
    )


def _insert_links(field, pairs):
    """Rows of a many-to-many field's table, inserted in one go: a new page's links."""
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in dict.fromkeys(pairs)]
    through.objects.bulk_create(rows, batch_size=1000)


def _tag(model, name):
    """The row called `name` (or with its slug), created if there is none."""
    found = model.objects.filter(Q(slug=slugify(name)) | Q(name__iexact=name)).first()
    return found or model.objects.create(name=name, slug=slugify(name))


def _has_files(page, kind):
    """False if a file the page was loaded with is gone from storage (say, an emptied
    media folder), so that loading again puts it back."""
    for name in kind.files:
        stored = getattr(page, name)
        if stored and not stored.storage.exists(stored.name):
            return False
    return True
