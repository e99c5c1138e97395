from django.core.management.base import BaseCommand, CommandError

from contact.models import ConsultationRequest
from contact.notifications import FAILED, SENT, notify


class Command(BaseCommand):
    help = (
        "Email staff about consultation requests whose notification has not been sent "
        "(the mail server was down, say). Safe to run from cron, and twice at once: a "
        "request another run is sending is skipped. Exits with an error if any send failed."
    )

    def handle(self, **options):
        pending = list(
            ConsultationRequest.objects.pending_notification()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        results = []
        for request_id in pending:
            results.append(notify(request_id))
            if results[-1] == FAILED:
                break  # the mail server is down or refusing: try again next run
        sent = results.count(SENT)
        skipped = len(results) - sent - results.count(FAILED)
        left = len(pending) - sent - skipped
        self.stdout.write(
            f"Pending notifications: {len(pending)}; sent {sent}; "
            f"skipped {skipped} (sent meanwhile by another run); not sent {left}."
        )
        if left:
            raise CommandError(
                f"The mail server did not accept a notification: {left} left for the next run."
            )
