"""Deposit packages made before municipalities existed were the first municipality's."""

from django.db import migrations


def backfill(apps, schema_editor):
    first = apps.get_model("accounts", "Municipality").objects.order_by("pk").first()
    if first is not None:
        apps.get_model("archive", "ArchiveDeposit").objects.filter(municipality__isnull=True).update(municipality=first)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_first_municipality"),
        ("archive", "0003_deposit_municipality"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
