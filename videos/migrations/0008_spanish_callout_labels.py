"""Spanish pages saved before render_page() took the page's language carry the red-flag
boxes' hidden screen-reader labels in English ("Emergency:"); give them the Spanish
labels. Only the label spans change, so the translator's text and the review are kept.
Labels are written out here, not imported, so the migration means the same later."""

from django.db import migrations

LABELS = {
    "Emergency: ": "Emergencia: ",
    "Urgent: ": "Urgente: ",
    "Non-urgent: ": "No urgente: ",
}
FIELDS = ("transcript_html", "description_html")


def relabel(apps, schema_editor):
    model = apps.get_model("videos", "VideoTranslation")
    for row in model.objects.filter(language="es").only("pk", *FIELDS):
        changed = {}
        for name in FIELDS:
            html = getattr(row, name)
            for english, spanish in LABELS.items():
                html = html.replace(
                    f'<span class="visually-hidden">{english}</span>',
                    f'<span class="visually-hidden">{spanish}</span>',
                )
            if html != getattr(row, name):
                changed[name] = html
        if changed:
            model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("videos", "0007_translations")]

    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
