from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from feedback.models import Answer


class Command(BaseCommand):
    help = (
        "Empty readers' comments older than FEEDBACK_COMMENT_RETENTION_DAYS (default 365). "
        "The yes/no answers stay: they say nothing about anyone."
    )

    def handle(self, **options):
        days = settings.FEEDBACK_COMMENT_RETENTION_DAYS
        cutoff = timezone.now() - timedelta(days=days)
        emptied = Answer.objects.filter(created__lt=cutoff).exclude(comment="").update(comment="")
        self.stdout.write(f"Emptied {emptied} feedback comment(s) older than {days} days.")
