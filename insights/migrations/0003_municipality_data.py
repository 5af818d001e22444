"""Rows written before municipalities existed belong to the installation's first municipality
(accounts/0003)."""

from django.db import migrations

MODELS = ['AbandonedDraft']


def backfill(apps, schema_editor):
    Municipality = apps.get_model("accounts", "Municipality")
    first = Municipality.objects.order_by("pk").first()
    if first is None:
        return
    for name in MODELS:
        apps.get_model("insights", name).objects.filter(municipality__isnull=True).update(municipality=first)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_first_municipality"),
        ("insights", "0002_municipality"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
