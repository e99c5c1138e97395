"""Loading pages from content files: YAML front matter, then a Markdown body.

Each kind of page (conditions, treatments, videos) describes its files with a
`ContentKind`, given to `spinesite.pages.register()` (other content, such as glossary
terms, to `load_first()`);
`load_content` validates every file of every kind before it writes anything, so a
bad file never leaves the site half-updated.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import reversion
import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from . import markdown
from .history import keep_baseline

_loaded_first = []


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
    def allowed_keys(self):
        keys = {
            "slug",
            *self.form._meta.fields,
            *self.lists,
            *self.links,
            *self.tags,
            *(part.key for part in self.parts),
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
    return ContentFile(path, slug, data, links, digest.hexdigest(), tags, parts)


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
    for path in sorted((Path(root) / kind.folder).glob("*.md")):
        try:
            item = _read(path, kind)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if item.slug in seen:
            problems.append(f"{path}: slug '{item.slug}' is already used by {seen[item.slug]}")
        seen[item.slug] = path
        files.append(item)

    pending = {**(pending or {}), kind.model: set(seen)}
    known = {}
    for key in kind.links:
        target = kind.target(key)
        known[key] = pending.get(target, set()) | set(
            target.objects.values_list("slug", flat=True)
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
    slugs = {item.slug for item in files}
    existing = kind.model.objects.in_bulk(slugs, field_name="slug")
    by_file_name = kind.model.objects.in_bulk(
        {item.path.stem for item in files} - slugs, field_name="slug"
    )
    changed = []
    with transaction.atomic(), reversion.create_revision():
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
            page.save()
            changed.append((page, item))
        if changed:
            by_slug = {
                key: dict(kind.target(key).objects.values_list("slug", "pk")) for key in kind.links
            }
            for page, item in changed:
                for key, slugs in item.links.items():
                    getattr(page, key).set([by_slug[key][slug] for slug in slugs])
                for key, names in item.tags.items():
                    getattr(page, key).set([_tag(kind.target(key), name) for name in names])
                for part in kind.parts:
                    part.write(page, item.parts[part.key])
    return report


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
