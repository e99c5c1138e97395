from django.db import migrations, models

# Every table whose rows public pages show. A write to any of them raises the
# content version, which empties the page cache (spinesite.pagecache).
CONTENT_MODELS = [
    ("conditions", "Condition"),
    ("videos", "Video"),
    ("videos", "Topic"),
    ("spinesite", "ClinicDetails"),
]

BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION spinesite_bump_content_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO spinesite_contentversion (id, value) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET value = spinesite_contentversion.value + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def content_tables(apps):
    for app_label, model_name in CONTENT_MODELS:
        model = apps.get_model(app_label, model_name)
        yield model._meta.db_table
        for field in model._meta.local_many_to_many:
            yield field.remote_field.through._meta.db_table


def add_triggers(apps, schema_editor):
    schema_editor.execute(BUMP_FUNCTION)
    for table in content_tables(apps):
        schema_editor.execute(
            f'CREATE TRIGGER spinesite_content_version AFTER INSERT OR UPDATE OR DELETE '
            f'OR TRUNCATE ON "{table}" FOR EACH STATEMENT '
            f"EXECUTE FUNCTION spinesite_bump_content_version()"
        )


def remove_triggers(apps, schema_editor):
    for table in content_tables(apps):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS spinesite_content_version ON "{table}"')
    schema_editor.execute("DROP FUNCTION IF EXISTS spinesite_bump_content_version()")


class Migration(migrations.Migration):
    dependencies = [
        ("spinesite", "0002_search_terms"),
        ("conditions", "0002_search"),
        ("videos", "0002_search"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(add_triggers, remove_triggers),
    ]
