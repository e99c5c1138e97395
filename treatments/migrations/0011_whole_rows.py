from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("treatments", "0010_admin_search")]

    # The row keeps its search vector (STORAGE MAIN, 0002_search), which fills most of
    # a table page; at PostgreSQL's default TOAST target of 2 KB, that sent every other
    # column over the limit out of line, even the title, slug and summary, so each row
    # that search or an index page read cost four more buffer reads from the TOAST
    # table. Up to a whole table page (8160 bytes), they stay; a long body is
    # compressed, or moved out, instead (bench/scale.py: search p95 100 to 46 ms at
    # 100,000 pages). Rows written before take this layout when next saved, or all at
    # once with VACUUM FULL treatments_treatment (which locks the table while it runs).
    operations = [
        migrations.RunSQL(
            "ALTER TABLE treatments_treatment SET (toast_tuple_target = 8160)",
            reverse_sql="ALTER TABLE treatments_treatment RESET (toast_tuple_target)",
        )
    ]
