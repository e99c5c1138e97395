from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("treatments", "0010_admin_search")]

    # Rows kept whole, as conditions' 0012_whole_rows explains; rows written before
    # take the layout when next saved, or with VACUUM FULL treatments_treatment and then VACUUM.
    operations = [
        migrations.RunSQL(
            "ALTER TABLE treatments_treatment SET (toast_tuple_target = 8160)",
            reverse_sql="ALTER TABLE treatments_treatment RESET (toast_tuple_target)",
        )
    ]
