from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("videos", "0013_admin_search_without_transcript")]

    # Rows kept whole, as conditions' 0012_whole_rows explains; rows written before
    # take the layout when next saved, or with VACUUM FULL videos_video and then VACUUM.
    operations = [
        migrations.RunSQL(
            "ALTER TABLE videos_video SET (toast_tuple_target = 8160)",
            reverse_sql="ALTER TABLE videos_video RESET (toast_tuple_target)",
        )
    ]
