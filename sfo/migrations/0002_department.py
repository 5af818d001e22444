"""The department whose queue gets this service's cases, so a new installation can take a
submission before anyone has configured anything. Its name and e-mail are edited in the admin
(accounts → Departments); the code is what the service looks it up by."""

from django.db import migrations

CODE, NAME = "sfo", "SFO"


def create_department(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    Department.objects.get_or_create(code=CODE, defaults={"name": NAME})


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("sfo", "0001_initial"),
    ]

    operations = [
        # Kept on the way back: cases may point at it.
        migrations.RunPython(create_department, migrations.RunPython.noop),
    ]
