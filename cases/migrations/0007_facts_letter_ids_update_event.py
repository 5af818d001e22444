"""Cases sit below correspondence: a decision and an information request keep their letter as a
plain id (the letter is written by correspondence), not a foreign key up into it. The column
and its values stay; only the constraint goes. Also: the facts frozen on a case at submit, and
the public "update" timeline entry."""

from django.db import migrations, models

class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0006_case_outcome"),
        ("correspondence", "0003_thread_subject_blank"),
    ]

    operations = [
        # The database: drop the foreign-key constraints, keep the columns (letter_id) and values.
        migrations.AlterField(
            model_name="decision", name="letter",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=models.SET_NULL,
                                    related_name="+", to="correspondence.letter"),
        ),
        migrations.AlterField(
            model_name="informationrequest", name="letter",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=models.SET_NULL,
                                    related_name="+", to="correspondence.letter"),
        ),
        # The state: a plain UUID field on the same column.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="decision", name="letter"),
                migrations.AddField(model_name="decision", name="letter_id",
                                    field=models.UUIDField(blank=True, editable=False, null=True)),
                migrations.RemoveField(model_name="informationrequest", name="letter"),
                migrations.AddField(model_name="informationrequest", name="letter_id",
                                    field=models.UUIDField(blank=True, editable=False, null=True)),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="case", name="facts",
            field=models.JSONField(blank=True, default=dict, verbose_name="facts"),
        ),
        migrations.AlterField(
            model_name="caseevent", name="kind",
            field=models.CharField(choices=[("status_changed", "Status changed"), ("assigned", "Assigned"), ("note", "Internal note"), ("information_requested", "Information requested"), ("information_received", "Information received"), ("decision", "Decision"), ("letter_sent", "Letter sent"), ("automated_check", "Automated check"), ("update", "Update")], max_length=40),
        ),
    ]
