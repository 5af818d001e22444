"""Kindergarten and BuildingFee now belong to the kindergarten and building_permit packages,
which take over their tables (kindergarten/0001, building_permit/0001). Here they only leave
applications' state: the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Kindergarten"), migrations.DeleteModel(name="BuildingFee")],
            database_operations=[],
        ),
    ]
