from importlib import import_module

from django.db import migrations

# The content version's trigger function (migration 0003), which now also notifies
# the channel that spinesite.contentsnapshot.ContentWatcher listens on. PostgreSQL sends
# the notification when the writing transaction commits, and only once per
# transaction however many rows or tables it wrote.
NOTIFYING = """
CREATE OR REPLACE FUNCTION spinesite_bump_content_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO spinesite_contentversion (id, value) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET value = spinesite_contentversion.value + 1;
    PERFORM pg_notify('spinesite_content', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

# Undone, the function is again the one migration 0003 made.
SILENT = import_module("spinesite.migrations.0003_content_version").BUMP_FUNCTION


class Migration(migrations.Migration):
    dependencies = [("spinesite", "0004_fuzzystrmatch")]

    operations = [migrations.RunSQL(NOTIFYING, SILENT)]
