"""RateLimitHit now belongs to spinesite (its migration 0006 renames the table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0002_staff_groups"),
        ("spinesite", "0006_ratelimithit"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateLimitHit")],
        ),
    ]
