"""The demo installation (`make run`): every app's demo module loads, through the real
services, and a second load creates nothing."""

import io

from django.core.management import call_command

from cases.models import Case


def test_demo_data_loads_once_with_every_services_cases(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first, second = io.StringIO(), io.StringIO()
    call_command("load_demo_data", stdout=first)
    call_command("load_demo_data", stdout=second)
    assert "kindergarten.demo:" in first.getvalue() and "building_permit.demo:" in first.getvalue()
    assert all(line.endswith(" 0 created") for line in second.getvalue().splitlines() if ".demo:" in line)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {"received", "awaiting_information", "under_review", "decided"}
    assert Case.objects.get(title__startswith="Garasje").organisation.name == "Ali Bygg AS"
    assert "barnehage@kommune.example / demo-passord-2026  (barnehage)" in first.getvalue()
