from django.db import migrations

# Terms show on /glossary/ and inside pages: a write to them raises the content
# version that empties the page cache, like a page's (spinesite migration 0003).
TABLE = "glossary_term"


class Migration(migrations.Migration):
    dependencies = [("glossary", "0001_initial"), ("spinesite", "0005_content_notify")]

    operations = [
        migrations.RunSQL(
            f'CREATE TRIGGER spinesite_content_version AFTER INSERT OR UPDATE OR DELETE '
            f'OR TRUNCATE ON "{TABLE}" FOR EACH STATEMENT '
            f"EXECUTE FUNCTION spinesite_bump_content_version()",
            f'DROP TRIGGER IF EXISTS spinesite_content_version ON "{TABLE}"',
        )
    ]
