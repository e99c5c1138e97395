from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from contact import audit
from contact.models import AccessEvent, ConsultationRequest
from spinesite import ratelimit

Status = ConsultationRequest.Status


class Command(BaseCommand):
    help = (
        "Delete consultation requests that nobody has changed for "
        "CONSULTATION_RETENTION_DAYS days (default 365): closed and spam ones, and open "
        "ones nobody closed (the admin home flags those after CONSULTATION_STALE_DAYS). "
        "'Possible spam' waits for a person to look. Also deletes expired rate-limit "
        "counts and access-audit entries older than AUDIT_RETENTION_DAYS."
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
        # Never a request still waiting for someone to decide whether it is spam.
        old = ConsultationRequest.objects.exclude(status=Status.POSSIBLE_SPAM).filter(
            updated__lt=cutoff
        )
        when = f"last changed before {timezone.localtime(cutoff):%Y-%m-%d %H:%M} ({days} days ago)"
        with transaction.atomic():
            rows = list(old.select_for_update().order_by("pk").values_list("pk", "status"))
            spam = [pk for pk, status in rows if status == Status.SPAM]
            closed = [pk for pk, status in rows if status == Status.CLOSED]
            unclosed = [pk for pk, status in rows if status not in (Status.SPAM, Status.CLOSED)]
            numbers = ", ".join(f"#{pk}" for pk, _ in rows) or "none"
            counts = (
                f"{len(closed)} closed, {len(unclosed)} never closed (closed now), "
                f"{len(spam)} spam ({numbers})"
            )
            if dry_run:
                self.stdout.write(
                    f"Dry run: would delete {len(rows)} request(s) {when}: {counts}. "
                    "Nothing was deleted."
                )
                return
            ids = [pk for pk, _ in rows]
            ConsultationRequest.objects.filter(pk__in=unclosed).update(status=Status.CLOSED)
            ConsultationRequest.objects.filter(pk__in=ids).delete()
            if ids:
                AccessEvent.objects.create(
                    username="(retention purge)",
                    action=AccessEvent.Action.DELETE,
                    requests=ids,
                    detail=f"unchanged for {days} days",
                )
        expired = ratelimit.purge_expired()
        audited = audit.purge()
        self.stdout.write(
            f"Deleted {len(rows)} request(s) {when}: {counts}. Deleted {expired} expired "
            f"rate-limit count(s) and {audited} access-audit entr(y/ies) older than "
            f"{settings.AUDIT_RETENTION_DAYS} days."
        )
