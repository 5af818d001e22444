"""Schools entered before municipalities existed belong to the installation's first municipality
(accounts/0003)."""

from django.db import migrations


def backfill(apps, schema_editor):
    first = apps.get_model("accounts", "Municipality").objects.order_by("pk").first()
    if first is not None:
        apps.get_model("sfo", "School").objects.filter(municipality__isnull=True).update(municipality=first)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_first_municipality"),
        ("sfo", "0003_municipality"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
