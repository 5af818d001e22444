"""Rows written before municipalities existed belong to the installation's first municipality
(accounts/0003)."""

from django.db import migrations

MODELS = ['Case']


def backfill(apps, schema_editor):
    Municipality = apps.get_model("accounts", "Municipality")
    first = Municipality.objects.order_by("pk").first()
    if first is None:
        return
    for name in MODELS:
        apps.get_model("cases", name).objects.filter(municipality__isnull=True).update(municipality=first)


def number_series(apps, schema_editor):
    """Each year's running number carries on in the first municipality's series."""
    Municipality = apps.get_model("accounts", "Municipality")
    first = Municipality.objects.order_by("pk").first()
    Series = apps.get_model("cases", "CaseNumberSeries")
    for old in apps.get_model("cases", "CaseNumberSequence").objects.all():
        Series.objects.get_or_create(municipality=first, year=old.year, defaults={"last_number": old.last_number})


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_first_municipality"),
        ("cases", "0008_municipality"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(number_series, migrations.RunPython.noop),
        migrations.DeleteModel(name="CaseNumberSequence"),
    ]
