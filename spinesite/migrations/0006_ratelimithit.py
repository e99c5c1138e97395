"""The rate limiter moved from contact to the shared layer (spinesite.ratelimit), and
its table with it: renamed, not recreated, so counts in progress are kept."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("spinesite", "0005_content_notify"),
        ("contact", "0002_staff_groups"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE contact_ratelimithit RENAME TO spinesite_ratelimithit;"
                    "ALTER INDEX contact_rat_scope_faca48_idx RENAME TO spinesite_r_scope_f7d89d_idx;",
                    "ALTER INDEX spinesite_r_scope_f7d89d_idx RENAME TO contact_rat_scope_faca48_idx;"
                    "ALTER TABLE spinesite_ratelimithit RENAME TO contact_ratelimithit;",
                )
            ],
            state_operations=[
                migrations.CreateModel(
                    name="RateLimitHit",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("scope", models.CharField(max_length=40)),
                        ("client", models.CharField(help_text="Salted hash of the client's address.", max_length=64)),
                        ("created", models.DateTimeField()),
                        ("expires", models.DateTimeField(db_index=True)),
                    ],
                    options={
                        "indexes": [models.Index(fields=["scope", "client", "created"], name="spinesite_r_scope_f7d89d_idx")],
                    },
                ),
            ],
        ),
    ]
