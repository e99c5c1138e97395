from django.db import migrations

# A page's row keeps its search vector (STORAGE MAIN), which fills most of a table
# page; under PostgreSQL's default TOAST target of 2 KB, that sent every other column
# over the limit out of line, even the title, slug and summary: each row that search
# or an index page read cost four more buffer reads, from the TOAST table. Up to a
# whole table page (8160 bytes), only the longest columns (the body, its HTML) move
# out (bench/scale.py: search p95 100 to 46 ms at 100,000 pages). Rows take this
# layout when they are next saved.
TABLES = ["videos_video", "videos_videotranslation"]


class Migration(migrations.Migration):
    dependencies = [("videos", "0013_admin_search_without_transcript")]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE {table} SET (toast_tuple_target = 8160)",
            reverse_sql=f"ALTER TABLE {table} RESET (toast_tuple_target)",
        )
        for table in TABLES
    ]
