from django.apps import AppConfig
from django.db.models.signals import post_migrate

# Apps whose permissions the staff groups hold (see contact.groups), besides the
# apps of every kind of page.
GROUP_APPS = {"auth", "contact", "feedback", "glossary", "spinesite"}


def sync_staff_groups(sender, app_config, using=None, apps=None, **kwargs):
    from django.apps import apps as global_apps

    from .groups import page_apps, sync_groups

    if app_config.label not in GROUP_APPS | set(page_apps()):
        return

    apps = apps or global_apps
    try:
        apps.get_model("auth", "Group")
    except LookupError:  # auth is not migrated yet
        return
    sync_groups(apps=apps, using=using)


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = "Consultation requests"

    def ready(self):
        from spinesite import triggers

        from . import checks  # noqa: F401 - registers the deploy checks
        from .models import LanguageHelpPage, LanguageTagline

        # The language help page is public: its edits empty the page cache.
        triggers.watch(LanguageHelpPage, LanguageTagline)

        # After auth's own handler has created each app's permissions.
        post_migrate.connect(sync_staff_groups, dispatch_uid="contact.sync_staff_groups")
