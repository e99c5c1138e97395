from django.apps import AppConfig


class SpinesiteConfig(AppConfig):
    """The project package doubles as the app for site-wide pieces (clinic details)."""

    name = "spinesite"
    verbose_name = "Clinic"
