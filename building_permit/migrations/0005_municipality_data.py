"""Rows written before municipalities existed belong to the installation's first municipality
(accounts/0003)."""

from django.db import migrations

MODELS = ['BuildingFee']


def backfill(apps, schema_editor):
    Municipality = apps.get_model("accounts", "Municipality")
    first = Municipality.objects.order_by("pk").first()
    if first is None:
        return
    for name in MODELS:
        apps.get_model("building_permit", name).objects.filter(municipality__isnull=True).update(municipality=first)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_first_municipality"),
        ("building_permit", "0004_municipality"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
