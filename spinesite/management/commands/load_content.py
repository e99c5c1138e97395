from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from conditions.content import CONDITIONS
from glossary.content import GLOSSARY
from spinesite.content import ContentError, read_kind, write_kind
from videos.content import VIDEOS

# In this order: a kind's links may name pages of the kinds before it. The glossary
# comes first so that pages loaded in the same run explain its terms.
KINDS = [GLOSSARY, CONDITIONS, VIDEOS]


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
        root = Path(path)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        files, problems, pending = {}, [], {}
        for kind in KINDS:
            try:
                files[kind.folder] = read_kind(root, kind, pending)
            except ContentError as error:
                problems.extend(error.problems)
                continue
            pending[kind.model] = {item.slug for item in files[kind.folder]}
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s) in {root}; nothing was changed.")

        with transaction.atomic():
            reports = [(kind, write_kind(files[kind.folder], kind, force=force)) for kind in KINDS]
        for kind, report in reports:
            self.stdout.write(
                f"{kind.folder}: {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped"
            )
            for slug in report.skipped:
                self.stdout.write(
                    f"  skipped {slug}: edited in admin since it was loaded (--force overwrites)"
                )
