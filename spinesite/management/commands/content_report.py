from django.core.management.base import BaseCommand

from spinesite import editorial


class Command(BaseCommand):
    help = (
        "List pages due for clinical review (overdue or due soon) and every page's "
        "reading grade (Flesch-Kincaid), hardest first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=editorial.REVIEW_WINDOW_DAYS,
            help="List reviews due within this many days (default: %(default)s).",
        )

    def handle(self, days, **options):
        due = editorial.due_for_review(days=days)
        self.stdout.write(f"Due for clinical review: overdue or due within {days} days")
        if not due:
            self.stdout.write("  None.")
        for item in due:
            when = "OVERDUE" if item.overdue else "due    "
            self.stdout.write(
                f"  {when} {item.due:%Y-%m-%d}  {item.kind}: {item.page.title}"
                f" ({item.page.status})  {item.admin_url}"
            )

        graded = editorial.reading_grades()
        target = editorial.GRADE_TARGET
        too_hard = sum(1 for item in graded if item.grade is not None and item.grade > target)
        self.stdout.write("")
        self.stdout.write(
            f"Reading grade (Flesch-Kincaid), hardest first; aim for grade {target} or lower"
        )
        if not graded:
            self.stdout.write("  No pages yet.")
        for item in graded:
            grade = "  n/a" if item.grade is None else f"{item.grade:5.1f}"
            flag = "TOO HARD" if item.grade is not None and item.grade > target else "ok      "
            self.stdout.write(
                f"  {grade}  {flag}  {item.kind}: {item.page.title} ({item.page.status})"
            )
        self.stdout.write("")
        self.stdout.write(
            f"{len(due)} page(s) due for review; {too_hard} page(s) above grade {target}."
        )
