"""The screening rule for every case type: a citizen's application to the municipality is about
personal matters (offentleglova § 13 with forvaltningsloven § 13 first paragraph no. 1), so
records are exempt from public access unless the archivist sets a type's own rule."""

from django.db import migrations


def add_default(apps, schema_editor):
    ArchiveScreening = apps.get_model("archive", "ArchiveScreening")
    ArchiveScreening.objects.get_or_create(application_type="", defaults={
        "restricted": True, "access_code": "13", "legal_basis": "Offl. § 13 jf. fvl. § 13 første ledd nr. 1"})


def remove_default(apps, schema_editor):
    apps.get_model("archive", "ArchiveScreening").objects.filter(application_type="").delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(add_default, remove_default)]
