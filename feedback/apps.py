from django.apps import AppConfig
from django.db.models.signals import post_delete


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Reader feedback"

    def ready(self):
        from .models import forget_page

        # Generic relations do not cascade: a deleted page takes its feedback along.
        # Every model's deletes reach the handler, which keeps those of registered kinds
        # (spinesite.pagekinds), whenever they were registered.
        post_delete.connect(forget_page, dispatch_uid="feedback.forget_page")
