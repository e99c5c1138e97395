from django.contrib.postgres.operations import CreateExtension
from django.db import migrations


class Migration(migrations.Migration):
    """levenshtein(), for the spelling fallback's "fewest typos" (spinesite.search)."""

    dependencies = [("spinesite", "0003_content_version")]

    operations = [CreateExtension("fuzzystrmatch")]
