"""The building permit fee schedule, moved here from applications without touching its rows: an
installation that had it keeps its table (taken over as it is, state only); a new installation
gets it created here. It carries its old name until 0002 renames it to this app's."""

from django.db import migrations, models

OLD_TABLE = "applications_buildingfee"


def create_missing_table(apps, schema_editor):
    model = apps.get_model("building_permit", "BuildingFee")
    if model._meta.db_table not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(model)


def drop_table(apps, schema_editor):
    schema_editor.delete_model(apps.get_model("building_permit", "BuildingFee"))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # applications 0001 created applications_buildingfee on a new installation: take it over.
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BuildingFee",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("permit_kind", models.CharField(choices=[("20-3", "With a responsible applicant (§ 20-3)"), ("20-4", "Without a responsible applicant (§ 20-4)")], max_length=4, verbose_name="kind of permit")),
                        ("category", models.CharField(choices=[("new_dwelling", "New dwelling"), ("extension", "Extension or annex"), ("garage", "Garage, shed or other small building"), ("change_of_use", "Change of use"), ("commercial", "Commercial or industrial building"), ("other", "Other")], max_length=20, verbose_name="project")),
                        ("amount", models.DecimalField(decimal_places=0, max_digits=10, verbose_name="fee (NOK)")),
                        ("valid_from", models.DateField(verbose_name="valid from")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name": "building permit fee",
                        "verbose_name_plural": "building permit fees",
                        "ordering": ["permit_kind", "category", "-valid_from"],
                        "constraints": [models.UniqueConstraint(fields=("permit_kind", "category", "valid_from"), name="applications_fee_unique")],
                        "db_table": OLD_TABLE,
                    },
                ),
            ],
            database_operations=[],
        ),
        # After the state: an installation without the table gets it created from it.
        migrations.RunPython(create_missing_table, drop_table),
    ]
