from django.apps import AppConfig
from django.db.models.signals import post_delete


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Reader feedback"

    def ready(self):
        from .models import PAGE_MODELS, forget_page

        # Generic relations do not cascade: a deleted page takes its feedback along.
        for label in PAGE_MODELS:
            post_delete.connect(forget_page, sender=label, dispatch_uid=f"feedback.{label}")
