"""An existing single-municipality installation becomes its first municipality: the values it
kept in the environment (MUNICIPALITY_NAME, MUNICIPALITY_NUMBER, MUNICIPALITY_CONTACT_EMAIL,
MUNICIPALITY_PHONE, and SITE_URL's host as its host name) become a Municipality row, and every
department joins it. A new installation gets the same from the defaults, ready to be edited in
the admin. The other apps' data migrations give their rows this municipality."""

from urllib.parse import urlparse

from django.conf import settings
from django.db import migrations


def first_municipality(apps, schema_editor):
    Municipality = apps.get_model("accounts", "Municipality")
    MunicipalityHost = apps.get_model("accounts", "MunicipalityHost")
    Department = apps.get_model("accounts", "Department")
    municipality = Municipality.objects.order_by("pk").first()
    if municipality is None:
        municipality = Municipality.objects.create(
            number=getattr(settings, "MUNICIPALITY_NUMBER", "3301"),
            name=getattr(settings, "MUNICIPALITY_NAME", "Eksempel kommune"),
            email=getattr(settings, "MUNICIPALITY_CONTACT_EMAIL", "postmottak@kommune.example"),
            phone=getattr(settings, "MUNICIPALITY_PHONE", "32 00 00 00"),
        )
        host = (urlparse(getattr(settings, "SITE_URL", "")).hostname or "").lower()
        if host and not MunicipalityHost.objects.filter(host=host).exists():
            MunicipalityHost.objects.create(municipality=municipality, host=host, primary=True)
    Department.objects.filter(municipality__isnull=True).update(municipality=municipality)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_municipalities"),
    ]

    operations = [
        migrations.RunPython(first_municipality, migrations.RunPython.noop),
    ]
