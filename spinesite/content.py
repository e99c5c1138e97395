"""Loading pages from content files: YAML front matter, then a Markdown body.

Each kind of page (conditions, treatments, videos) describes its files with a
`ContentKind`, given to `spinesite.pagekinds.register()` (other content, such as glossary
terms, to `load_first()`);
`load_content` validates every file of every kind (here, in the pass over a kind's
files in spinesite.contentpass) before it writes anything (spinesite.contentwrite,
spinesite.contentreviewers), so a bad file never leaves the site half-updated.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_slug
from django.utils.text import slugify

from . import markdown

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
    `reviewed_by`: the slug of the reviewing clinician (see spinesite.contentreviewers).
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
    # Rendered and checked where the file was read (spinesite.contentpass): the page's
    # RENDERED_FIELDS, and the content check's problems that need no other page.
    rendered: dict | None = None
    advice: list | None = None


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
