from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Spanish search (spinesite.translations): PostgreSQL's `spanish` configuration with
    accents dropped first, so that "ciatica" finds "ciática". A configuration rather
    than unaccent() in each query: to_tsvector() with it is immutable, which the
    translations' generated search columns need, and every query gets it for free."""

    dependencies = [('spinesite', '0009_redirect')]

    operations = [
        UnaccentExtension(),
        migrations.RunSQL(
            """
            CREATE TEXT SEARCH CONFIGURATION spinesite_spanish (COPY = pg_catalog.spanish);
            ALTER TEXT SEARCH CONFIGURATION spinesite_spanish
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
            """,
            reverse_sql="DROP TEXT SEARCH CONFIGURATION IF EXISTS spinesite_spanish",
        ),
    ]
