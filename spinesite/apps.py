from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SpinesiteConfig(AppConfig):
    """The project package doubles as the app for site-wide pieces (clinic details)."""

    name = "spinesite"
    verbose_name = "Clinic"

    def ready(self):
        from . import arrays, checks, clientaddress, staffauth  # noqa: F401 - checks, receivers
        from .triggers import install_after_migrate

        # Every app's tables exist by the time post_migrate is sent, for any app.
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="spinesite.triggers")
