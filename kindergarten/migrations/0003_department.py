"""The department whose queue gets this service's cases, so a new installation can take a
submission before anyone has configured anything. Its name and e-mail are edited in the admin
(accounts → Departments); the code is what the service looks it up by."""

from django.db import migrations

CODE, NAME = "barnehage", "Barnehage"


def create_department(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    # In the installation's first municipality (accounts/0003); another municipality gets its
    # own when its first application of this kind is submitted (applications.services).
    first = apps.get_model("accounts", "Municipality").objects.order_by("pk").first()
    Department.objects.get_or_create(code=CODE, municipality=first, defaults={"name": NAME})


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_first_municipality"),
        ("kindergarten", "0002_own_table_names"),
    ]

    operations = [
        # Kept on the way back: cases may point at it.
        migrations.RunPython(create_department, migrations.RunPython.noop),
    ]
