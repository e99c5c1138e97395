from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from spinesite import contentcheck, pagekinds, pageterms, readability, translated_content
from spinesite.content import ContentError, loaded_first
from spinesite.contentpass import keep_if_current, read_kind
from spinesite.contentreviewers import check_reviewers, write_reviewers
from spinesite.contentwrite import write_kind
from spinesite.parallel import frozen_heap, map_in_processes
from spinesite.translated_content import write
from spinesite.translations import ArticleTranslation


def content_kinds():
    """The content to load, in order: what is loaded first (the glossary, so that pages
    loaded in the same run explain its terms), then every registered kind of page's
    files (spinesite.pagekinds) in the order registered: a kind's links may name pages of
    the kinds before it."""
    page_kinds = [kind.content for kind in pagekinds.kinds() if kind.content is not None]
    return [*loaded_first(), *page_kinds]


class Command(BaseCommand):
    help = (
        "Create or update pages from content files (YAML front matter + Markdown). "
        "Every file is checked first; if any is bad, nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=settings.BASE_DIR / "content")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also overwrite pages that were edited in admin since they were loaded.",
        )

    def handle(self, path, force, **options):
        self.written = False
        try:
            with frozen_heap():  # Django's objects and the run's: see frozen_heap
                self.load(Path(path), force)
        except BrokenProcessPool as error:
            # A worker killed (out of memory, say) while reading, rendering or
            # checking files; before the commit, the transaction was rolled back.
            outcome = (
                "the pages were loaded but not checked" if self.written else "nothing was changed"
            )
            raise CommandError(
                "A worker process reading the content files stopped unexpectedly "
                f"({error}); {outcome}. Try again, or set LOAD_WORKERS lower."
            ) from error

    def load(self, root, force):
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        kinds = content_kinds()
        files, problems, pending = {}, [], {}
        terms = pageterms.page_terms()  # explained by the pages rendered where read
        for kind in kinds:
            try:
                files[kind.folder] = read_kind(root, kind, pending, terms)
            except ContentError as error:
                problems.extend(error.problems)
                continue
            pending[kind.model] = {item.slug for item in files[kind.folder]}
        problems += check_reviewers(kinds, files, pending)
        translations = []
        if not problems:  # a translation names English pages, which must be right first
            try:
                translations = translated_content.read(root, pending)
            except ContentError as error:
                problems.extend(error.problems)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s) in {root}; nothing was changed.")

        # What was read (every page's rendered HTML) is frozen too, so that the
        # collections of the writes do not walk it.
        with transaction.atomic(), frozen_heap():
            reports = []
            for kind in kinds:
                keep_if_current(files[kind.folder], terms)
                reports.append((kind, write_kind(files[kind.folder], kind, force=force)))
            by_folder = {kind.folder: report for kind, report in reports}
            write_reviewers(kinds, files, by_folder)
            translated = [
                (language, each, items, write(language, each, items, force))
                for language, each, items in translations
            ]
        self.written = True
        folders = [
            *((kind.folder, report) for kind, report in reports),
            *(
                (each.in_language(language).folder, report)
                for language, each, _, report in translated
            ),
        ]
        for folder, report in folders:
            self.stdout.write(
                f"{folder}: {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped"
            )
            for slug in report.skipped:
                self.stdout.write(
                    f"  skipped {slug}: edited in admin since it was loaded (--force overwrites)"
                )
        self.advise(files, reports, translated)

    def advise(self, files, reports, translated=()):
        """Print the content check's advice on the pages this run created or updated.

        Advice, not a refusal, as in admin: the pages are loaded either way. Unchanged
        pages were checked when they were loaded, so a second run costs nothing.
        """
        checked, names, warnings = contentcheck.checked_models(), None, []
        for kind, report in reports:
            changed = {*report.created, *report.updated}
            if not changed or kind.model not in checked:
                continue
            names = names or contentcheck.names_in_database()
            items = {item.slug: item for item in files[kind.folder]}
            if all(items[slug].advice is not None for slug in changed):
                found = self.checked_where_read(kind.model, changed, items, names)
            else:
                found = self.checked_again(kind.model, changed, names)
            for slug, problems in found:
                warnings += [f"  {items[slug].path}: {problem}" for problem in problems]
        # A translated condition or treatment: its boxes and its reading level on
        # its own language's scale (its sources and names are the English page's).
        for language, each, items, report in translated:
            changed = {*report.created, *report.updated}
            if not changed or not issubclass(each.model, ArticleTranslation):
                continue
            paths = {item.slug: item.path for item in items}
            rows = each.model.objects.filter(language=language, page__slug__in=changed)
            for row in rows.select_related("page").order_by("page__slug"):
                problems = contentcheck.check_translation(row.body_html, language)
                warnings += [f"  {paths[row.page.slug]}: {problem}" for problem in problems]
        if warnings:
            self.stderr.write(
                self.style.WARNING(
                    f"Content check: {len(warnings)} warning(s). The pages were loaded; "
                    "please fix the files:"
                )
            )
            for warning in warnings:
                self.stderr.write(warning)

    def checked_where_read(self, model, changed, items, names):
        """(slug, problems) of the changed pages, by slug: the advice found where each
        file was read (spinesite.contentpass), then names that another page uses, from
        the rows as saved (plain rows: no model instance for each of 10,000 pages)."""
        rows = model.objects.filter(slug__in=changed).order_by("slug")
        for slug, pk, title, also_called in rows.values_list("slug", "pk", "title", "also_called"):
            this = contentcheck.identity_of(model, pk)
            named = contentcheck.name_problems(title, also_called, names, this)
            yield slug, items[slug].advice + named

    def checked_again(self, model, changed, names):
        """(slug, problems) of the changed pages, by slug, checked as saved: after the
        glossary's terms changed in this run (spinesite.contentpass.keep_if_current)."""
        # Only what the check reads: not the search columns, say, of 10,000 pages.
        found = list(
            model.objects.filter(slug__in=changed)
            .order_by("slug")
            .only("slug", *contentcheck.CHECKED_FIELDS)
        )
        # The reading level of thousands of pages: spread over the cores, which share
        # the dictionary loaded here first.
        readability.load_dictionaries()
        checked_pages = map_in_processes(partial(contentcheck.check_instance, names=names), found)
        return [(page.slug, problems) for page, problems in zip(found, checked_pages, strict=True)]
