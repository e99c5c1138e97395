from django.apps import AppConfig
from django.db.models.signals import post_save


class SpinesiteConfig(AppConfig):
    """The project package doubles as the app for site-wide pieces (clinic details)."""

    name = "spinesite"
    verbose_name = "Clinic"

    def ready(self):
        from . import checks  # noqa: F401 - registers them
        from .search import SEARCHABLES, add_words

        # Saved pages add their words to the vocabulary misspelt searches are corrected to.
        for searchable in SEARCHABLES:
            post_save.connect(add_words, sender=searchable.model, dispatch_uid=searchable.model)
