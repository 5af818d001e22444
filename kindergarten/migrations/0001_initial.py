"""The kindergarten service's models, moved here from applications (Kindergarten) and the former
admissions app (AdmissionRound, Offer, WaitingListEntry) without touching their rows.

An installation that had them keeps its tables: this migration takes them over as they are
(state only). A new installation gets them created here. Either way they carry their old names
until 0002 renames them to this app's."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_TABLES = {
    "Kindergarten": "applications_kindergarten",
    "AdmissionRound": "admissions_admissionround",
    "WaitingListEntry": "admissions_waitinglistentry",
    "Offer": "admissions_offer",
}


def create_missing_tables(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for name in ("Kindergarten", "AdmissionRound", "WaitingListEntry", "Offer"):
        model = apps.get_model("kindergarten", name)
        if model._meta.db_table not in existing:
            schema_editor.create_model(model)


def drop_tables(apps, schema_editor):
    for name in ("Offer", "WaitingListEntry", "AdmissionRound", "Kindergarten"):
        schema_editor.delete_model(apps.get_model("kindergarten", name))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # applications 0001 created applications_kindergarten on a new installation: take it over.
        ("applications", "0001_initial"),
        ("cases", "0006_case_outcome"),
        ("correspondence", "0003_thread_subject_blank"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Kindergarten",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                ("address", models.CharField(max_length=200, verbose_name="address")),
                ("age_groups", models.CharField(choices=[("0-2", "Ages 0–2"), ("3-5", "Ages 3–5"), ("0-5", "Ages 0–5")], default="0-5", max_length=3, verbose_name="age groups")),
                ("capacity", models.PositiveSmallIntegerField(verbose_name="capacity (children)")),
                ("active", models.BooleanField(default=True, verbose_name="takes applications")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "kindergarten",
                "verbose_name_plural": "kindergartens",
                "ordering": ["name"],
                "db_table": OLD_TABLES["Kindergarten"],
            },
        ),
        migrations.CreateModel(
            name="AdmissionRound",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                ("places_start", models.DateField(verbose_name="start date of the places")),
                ("reply_days", models.PositiveSmallIntegerField(default=10, verbose_name="days to reply")),
                ("status", models.CharField(choices=[("ready", "Ready to run"), ("running", "Running"), ("done", "Offers sent")], default="ready", max_length=20, verbose_name="status")),
                ("run_at", models.DateTimeField(blank=True, null=True, verbose_name="run at")),
                ("offers_made", models.PositiveIntegerField(default=0, verbose_name="offers made")),
                ("waiting_list", models.PositiveIntegerField(default=0, verbose_name="on the waiting list")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("run_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="run by")),
            ],
            options={
                "verbose_name": "admission round",
                "verbose_name_plural": "admission rounds",
                "ordering": ["-places_start", "-created_at"],
                "db_table": OLD_TABLES["AdmissionRound"],
            },
        ),
        migrations.CreateModel(
            name="WaitingListEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("case", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="waiting_list_entry", to="cases.case")),
                ("round", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="waiting_list_entries", to="kindergarten.admissionround")),
            ],
            options={
                "verbose_name": "waiting list entry",
                "verbose_name_plural": "waiting list",
                "ordering": ["created_at", "pk"],
                "db_table": OLD_TABLES["WaitingListEntry"],
            },
        ),
        migrations.CreateModel(
            name="Offer",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("wish_rank", models.PositiveSmallIntegerField(verbose_name="wish")),
                ("start_date", models.DateField(verbose_name="start date")),
                ("reply_deadline", models.DateField(verbose_name="reply by")),
                ("status", models.CharField(choices=[("sent", "Waiting for your answer"), ("accepted", "Accepted"), ("declined", "Declined"), ("expired", "No answer by the deadline (declined)")], default="sent", max_length=20, verbose_name="status")),
                ("keep_on_waiting_list", models.BooleanField(default=False, verbose_name="stays on the waiting list for a higher wish")),
                ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="answered")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("answered_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="offers", to="cases.case")),
                ("kindergarten", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="offers", to="kindergarten.kindergarten", verbose_name="kindergarten")),
                ("letter", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="correspondence.letter")),
                ("round", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="offers", to="kindergarten.admissionround", verbose_name="round")),
            ],
            options={
                "verbose_name": "offer",
                "verbose_name_plural": "offers",
                "ordering": ["-created_at", "pk"],
                "indexes": [
                    models.Index(fields=["kindergarten", "status"], name="admissions__kinderg_ef2271_idx"),
                    models.Index(fields=["case", "status"], name="admissions__case_id_d69a35_idx"),
                    models.Index(fields=["status", "reply_deadline"], name="admissions__status_b19662_idx"),
                ],
                "db_table": OLD_TABLES["Offer"],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
        # After the state: the tables an installation did not have yet are created from it.
        migrations.RunPython(create_missing_tables, drop_tables),
    ]
