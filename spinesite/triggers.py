"""The content-version triggers: every write to a table public pages show empties the page cache.

A statement-level trigger on each such table raises the content version and notifies
the page cache's listener (spinesite.contentsnapshot). The tables are not listed by hand:
they are every registered kind of page's table (spinesite.pagekinds), its parts (rows
that belong to a page, such as opening hours), each of its many-to-many tables and
the tables those point to (a renamed video topic shows on video pages), the clinic's
details, and any other table an app asks to have `watch()`ed. `install()` runs after every `migrate` (see
apps.py), so a new kind, or a new many-to-many field on an old one, gets its trigger
without a migration of its own.
"""

from django.db import connections

from . import pagekinds, translations

TRIGGER = "spinesite_content_version"

# The function migration 0005 made; replaced here too, so that the triggers never
# depend on a migration having run in the right order.
BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION spinesite_bump_content_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO spinesite_contentversion (id, value) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET value = spinesite_contentversion.value + 1;
    PERFORM pg_notify('spinesite_content', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


_watched = []


def watch(*models):
    """Also count `models` as content: for tables public pages show that belong to no
    kind of page (a singleton page's text, a list edited in admin). Call from ready()."""
    _watched.extend(model for model in models if model not in _watched)


def content_tables():
    """Every table whose rows a public page shows, in a stable order."""
    from .models import ClinicDetails

    tables = [ClinicDetails._meta.db_table, *(model._meta.db_table for model in _watched)]
    for kind in pagekinds.kinds():
        tables.append(kind.model._meta.db_table)
        tables.extend(part._meta.db_table for part in kind.parts)
        for relation in kind.model._meta.many_to_many:
            tables.append(relation.remote_field.through._meta.db_table)
            tables.append(relation.related_model._meta.db_table)
    tables.extend(model._meta.db_table for model in translations.models_registered())
    return list(dict.fromkeys(tables))


def install(using="default"):
    """Create or replace the trigger on every content table that exists."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if "spinesite_contentversion" not in existing:
            return  # spinesite is not migrated yet
        cursor.execute(BUMP_FUNCTION)
        for table in content_tables():
            if table in existing:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE "
                    f'OR TRUNCATE ON "{table}" FOR EACH STATEMENT '
                    "EXECUTE FUNCTION spinesite_bump_content_version()"
                )


def tables_with_trigger(using="default"):
    """The tables that have the content-version trigger, as PostgreSQL says."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND NOT t.tgisinternal",
            [TRIGGER],
        )
        return {row[0] for row in cursor.fetchall()}


def install_after_migrate(sender, using="default", **kwargs):
    """post_migrate handler: once per `migrate`, after spinesite's own migrations."""
    install(using)
