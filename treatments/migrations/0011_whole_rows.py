from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("treatments", "0010_admin_search")]

    # The row keeps its search vector (STORAGE MAIN, 0001_initial), which fills most of
    # a table page; at PostgreSQL's default TOAST target of 2 KB, that sent every other
    # column over the limit out of line, even the title, slug and summary, so each row
    # that search or an index page read cost four more buffer reads from the TOAST
    # table. Up to a whole table page (8160 bytes), they stay; a long body is
    # compressed, or moved out, instead (bench/scale.py, one machine and database: the
    # admin's condition list p95 261 -> 136 ms; ranking 500 conditions read 5,226
    # buffers in 7.5 ms before, 2,008 in 5.4 ms after). Rows
    # written before take this layout when next saved, or all at once with
    # VACUUM FULL treatments_treatment (which locks the table while it runs) and then
    # VACUUM treatments_treatment (VACUUM FULL leaves index-only scans reading the table).
    operations = [
        migrations.RunSQL(
            "ALTER TABLE treatments_treatment SET (toast_tuple_target = 8160)",
            reverse_sql="ALTER TABLE treatments_treatment RESET (toast_tuple_target)",
        )
    ]
