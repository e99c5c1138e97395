from django.core.management.base import BaseCommand

from spinesite.searchlog import purge


class Command(BaseCommand):
    help = "Delete counts of searches that found nothing older than SEARCH_LOG_DAYS (90)."

    def handle(self, **options):
        self.stdout.write(f"Deleted {purge()} day(s) of searches that found nothing.")
