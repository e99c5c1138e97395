from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from contact.models import ConsultationRequest
from spinesite import ratelimit

Status = ConsultationRequest.Status


class Command(BaseCommand):
    help = (
        "Delete closed and spam consultation requests that nobody has changed for "
        "CONSULTATION_RETENTION_DAYS days (default 365), and expired rate-limit counts. "
        "Requests still new, contacted or scheduled are kept whatever their age."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention period in days (default: the CONSULTATION_RETENTION_DAYS setting).",
        )

    def handle(self, *, dry_run, days, **options):
        days = settings.CONSULTATION_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("The retention period must be at least 1 day.")
        cutoff = timezone.now() - timedelta(days=days)
        old = ConsultationRequest.objects.filter(
            status__in=[Status.CLOSED, Status.SPAM], updated__lt=cutoff
        )
        when = f"closed or spam, last changed before {timezone.localtime(cutoff):%Y-%m-%d %H:%M} ({days} days ago)"
        with transaction.atomic():
            rows = list(old.select_for_update().order_by("pk").values_list("pk", "status"))
            closed = [pk for pk, status in rows if status == Status.CLOSED]
            spam = [pk for pk, status in rows if status == Status.SPAM]
            numbers = ", ".join(f"#{pk}" for pk, _ in rows) or "none"
            if dry_run:
                self.stdout.write(
                    f"Dry run: would delete {len(rows)} request(s) {when}: "
                    f"{len(closed)} closed, {len(spam)} spam ({numbers}). Nothing was deleted."
                )
                return
            ConsultationRequest.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
        expired = ratelimit.purge_expired()
        self.stdout.write(
            f"Deleted {len(rows)} request(s) {when}: {len(closed)} closed, {len(spam)} spam "
            f"({numbers}). Deleted {expired} expired rate-limit count(s)."
        )
