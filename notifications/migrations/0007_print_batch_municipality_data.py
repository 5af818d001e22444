"""Print batches made before municipalities existed were the first municipality's."""

from django.db import migrations


def backfill(apps, schema_editor):
    first = apps.get_model("accounts", "Municipality").objects.order_by("pk").first()
    if first is not None:
        apps.get_model("notifications", "PrintBatch").objects.filter(municipality__isnull=True).update(municipality=first)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_first_municipality"),
        ("notifications", "0006_print_batch_municipality"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
