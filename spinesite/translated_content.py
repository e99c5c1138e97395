"""Loading translations from content files: `content/<language>/<folder>/<english-slug>.md`.

A translation's file is read and checked like an English page's (spinesite.content:
the same front matter rules, Markdown checks and a form over its fields), named
after the English page it translates, and loaded after every English file in the
same transaction. A file whose English page does not exist, or that misses a
required field (its translator, say), stops the whole run with a clear message.

An app describes its translations' files with a `TranslationFiles` and adds it from
its AppConfig.ready() with `add()`.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .content import REVIEWER, ContentError, ContentFile, ContentKind, _read, loaded_first
from .contentwrite import Report
from .translations import LANGUAGES


@dataclass
class TranslationFiles:
    """The files of one kind's translations.

    `kind` is a ContentKind whose folder is relative to the language's folder and
    whose form is over the translation model's fields. `source` is the English model;
    `page_for(slugs, create)` returns the English pages by slug ({slug: page}), by
    default by their `slug` field (the new patients page, a singleton, passes its
    own): while the files are checked `create` is False, so checking stores nothing
    (a singleton not yet in the database is then an unsaved instance).
    """

    kind: ContentKind
    source: type
    page_for: object = None

    @property
    def model(self):
        return self.kind.model

    def pages(self, slugs, create=True):
        if self.page_for is not None:
            return self.page_for(slugs, create=create)
        return self.source.objects.in_bulk(list(slugs), field_name="slug")

    def in_language(self, language):
        """The ContentKind for this language's folder, e.g. es/conditions."""
        folder = f"{language}/{self.kind.folder}" if self.kind.folder else language
        return ContentKind(
            folder=folder,
            form=self.kind.form,
            body_field=self.kind.body_field,
            lists=self.kind.lists,
            files=self.kind.files,
        )


_files = []


def add(files):
    if all(files.model is not known.model for known in _files):
        _files.append(files)


def registered():
    """The kinds' translation files, those of what loads first (the glossary) first:
    translated pages written in the same run then explain the translated terms."""
    first = {kind.model for kind in loaded_first()}
    return sorted(_files, key=lambda files: files.source not in first)


def read(root, pending):
    """Read and check every translation file under `root`: [(language, files, items)].

    `pending` maps English models to the slugs read in the same run. Raises
    ContentError listing every problem.
    """
    found, problems = [], []
    for language, _name in LANGUAGES:
        seen = set()
        for files in registered():
            kind = files.in_language(language)
            items, loaded = [], _loaded_unchanged(files, language)
            for path in sorted((Path(root) / kind.folder).glob("*.md")):
                seen.add(path)
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                if loaded.get(digest) == path.stem:  # as loaded, when it was checked
                    items.append(ContentFile(path, path.stem, {}, {}, digest, unchanged=True))
                    continue
                try:
                    items.append(_read(path, kind))
                except ContentError as error:
                    problems.extend(error.problems)
            slugs = {item.slug for item in items}
            known = set(files.pages(slugs, create=False)) | pending.get(files.source, set())
            problems.extend(
                f"{item.path}: translates '{item.slug}', but there is no English page "
                f"with that slug (name the file after the English page's slug)"
                for item in items
                if item.slug not in known
            )
            found.append((language, files, items))
            # A translation's clinical review is the act of approving it in admin
            # (spinesite.review.approve_translation), never a line in its file: a
            # typed-in reviewer would make the page say "reviewed" with no approval.
            problems.extend(
                f"{item.path}: '{REVIEWER}': a translation's clinical review is "
                "recorded when a clinical reviewer approves it in admin (\u201cApprove "
                "the translation as clinical reviewer\u201d), not in its file; remove "
                "this line"
                for item in items
                if item.reviewer
            )
        problems += unread(Path(root), language, seen)
    if problems:
        raise ContentError(problems)
    return found


def _loaded_unchanged(files, language):
    """{content hash: English slug} of the translations loaded from files and not
    edited since, whose files are then neither parsed nor checked again (as English
    files, spinesite.contentpass._loaded_unchanged): a rerun over thousands of unchanged
    files stays quick. Not for a singleton's (`page_for`) or with attached files."""
    if files.page_for is not None or files.kind.files:
        return {}
    rows = files.model.objects.filter(language=language).exclude(content_hash="")
    return dict(rows.order_by().values_list("content_hash", "page__slug"))


def unread(root, language, seen):
    """A file under the language's folder that no kind reads (a misspelt folder such
    as es/condition/) is a problem, not silently left out."""
    folders = sorted({files.in_language(language).folder for files in _files})
    return [
        f"{path}: no kind of page reads this file; a translation goes in "
        f"{' or '.join(folder + '/' for folder in folders)}, named after the English "
        "page's slug"
        for path in sorted((root / language).rglob("*.md"))
        if path not in seen
    ]


def write(language, files, items, force=False):
    """Create or update translations from checked files, after the English is written."""
    report = Report()
    pages = files.pages({item.slug for item in items})
    existing = {
        row.page_id: row
        for row in files.model.objects.filter(
            language=language, page__in=[page.pk for page in pages.values()]
        )
    }
    with transaction.atomic():
        for item in items:
            if item.unchanged:
                report.unchanged.append(item.slug)
                continue
            page = pages[item.slug]
            row = existing.get(page.pk)
            if row is not None and row.content_hash == item.digest:
                report.unchanged.append(item.slug)
                continue
            if row is not None and not row.content_hash and not force:
                report.skipped.append(item.slug)
                continue
            if row is None:
                row = files.model(page=page, language=language)
                report.created.append(item.slug)
            else:
                report.updated.append(item.slug)
            for name, value in item.data.items():
                setattr(row, name, value)
            # A new or changed file is the translator's word that it matches the
            # English as it is now; an unchanged file keeps its old source, so a
            # changed English page leaves it flagged out of date.
            row.page = page
            row.mark_current()
            row.content_hash = item.digest
            # The sign-off (reviewer, dates, reviewed_hash) is left as the approval
            # set it: a changed text shows as "changed since clinical review" (save()).
            row.save()
    return report


# What every translation's file may hold besides its text: who translated it and
# whether it is published. Not its clinical review: that is set by a reviewer's
# approval in admin, which a reload of the file must not overwrite or fake.
TRANSLATION_FIELDS = ["translator", "status"]


def files_for(
    model, folder, text_fields, body_field="body", lists=None, page_for=None, files=(), form=None
):
    """The TranslationFiles of `model` (a Translation), in `<language>/<folder>/`.

    `files` names fields given as paths next to the file (a captions track), which
    `form` (a ModelForm class to build on) checks as the admin does.
    """
    from django import forms

    fields = [*text_fields, *files, *TRANSLATION_FIELDS]
    form = forms.modelform_factory(model, form=form or forms.ModelForm, fields=fields)
    kind = ContentKind(
        folder=folder, form=form, body_field=body_field, lists=lists or {}, files=files
    )
    source = model._meta.get_field("page").related_model
    return TranslationFiles(kind, source, page_for)


def article_files(model, folder):
    """A translated Article (a condition, a treatment): title, summary, also_called, body."""
    return files_for(model, folder, ["title", "summary"], lists={"also_called": ""})
