"""Loading pages from content files: YAML front matter, then a Markdown body.

Each kind of page (conditions, videos) describes its files with a `ContentKind`;
`load_content` validates every file of every kind before it writes anything, so a
bad file never leaves the site half-updated.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction


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
    front-matter lists of slugs that become many-to-many relations on the same model.
    """

    folder: str
    form: type
    body_field: str = "body"
    lists: dict = field(default_factory=dict)
    links: tuple = ()

    @property
    def model(self):
        return self.form._meta.model

    @property
    def allowed_keys(self):
        return {"slug", *self.form._meta.fields, *self.lists, *self.links}


@dataclass
class ContentFile:
    path: Path
    slug: str
    data: dict
    links: dict
    digest: str


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
    data = {key: meta[key] for key in kind.form._meta.fields if key in meta}
    text = {kind.body_field: post.content.strip() + "\n"}
    if not post.content.strip():
        problems.append(f"{path}: the body after the front matter is empty")
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

    try:
        validate_slug(slug)
    except ValidationError:
        problems.append(f"{path}: '{slug}' is not a valid slug (use a-z, 0-9 and hyphens)")
    form = kind.form(data=data)
    if not form.is_valid():
        for name, errors in form.errors.get_json_data().items():
            for error in errors:
                label = "file" if name == "__all__" else f"'{name}'"
                problems.append(f"{path}: {label}: {error['message']}")
    if problems:
        raise ContentError(problems)
    digest = hashlib.sha256(raw).hexdigest()
    return ContentFile(path, slug, {**form.cleaned_data, **text}, links, digest)


def read_kind(root, kind):
    """Read and validate every file of one kind; raise ContentError listing all problems."""
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

    known = set(seen) | set(kind.model.objects.values_list("slug", flat=True))
    for item in files:
        for key, slugs in item.links.items():
            problems.extend(
                f"{item.path}: '{key}' names '{slug}', which is not a known page"
                for slug in slugs
                if slug not in known
            )
    if problems:
        raise ContentError(problems)
    return files


def write_kind(files, kind, force=False):
    """Create or update pages from validated files. Returns a Report."""
    report = Report()
    existing = kind.model.objects.in_bulk([item.slug for item in files], field_name="slug")
    changed = []
    with transaction.atomic():
        for item in files:
            page = existing.get(item.slug)
            if page is not None and page.content_hash == item.digest:
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
            for name, value in item.data.items():
                setattr(page, name, value)
            page.content_hash = item.digest
            page.save()
            changed.append((page, item))
        if changed:
            by_slug = dict(kind.model.objects.values_list("slug", "pk"))
            for page, item in changed:
                for key, slugs in item.links.items():
                    getattr(page, key).set([by_slug[slug] for slug in slugs])
    return report
