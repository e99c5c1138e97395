"""Create the "Front desk" and "Content editors" groups with their permissions.

Permissions are normally created after all migrations have run; they are created
here first so that the groups can hold them on a fresh database. Apps that gain
models later (videos) are covered by the post_migrate handler in contact/apps.py,
which runs the same `sync_groups` after every migrate.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from contact.groups import GROUPS, sync_groups


def create_groups(apps, schema_editor):
    using = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        app_config.models_module = None
    sync_groups(apps=apps, using=using)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=list(GROUPS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("conditions", "0001_initial"),
        ("contact", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
