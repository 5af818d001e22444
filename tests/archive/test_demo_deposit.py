"""The demo municipality end to end: its demo cases (loaded through the real services) are
archived live exactly once, and once the decided ones are closed, their deposit package keeps
to the Noark 5 v5.0 rules and its checksums match."""

import datetime
import hashlib
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import etree

from archive.deposit import NS, deposit_build, deposit_request
from archive.models import ArchiveMessage, ArchiveRecord
from cases.models import Case
from cases.services import case_close
from registers.archive import LocalArchive

from .conftest import drain
from .test_deposit import RULES, SCHEMAS, open_package

pytestmark = pytest.mark.django_db


def test_the_demo_municipalitys_cases_are_archived_once_and_deposited(settings):
    call_command("load_demo_data", stdout=io.StringIO())
    drain()
    assert not ArchiveMessage.objects.exclude(status=ArchiveMessage.Status.ARCHIVED).exists()
    keys = Counter(tuple(r["external_key"]) for r in LocalArchive().records())
    assert len(keys) == ArchiveRecord.objects.count() and all(n == 1 for n in keys.values())
    assert set(ArchiveRecord.objects.filter(kind="case_file").values_list("case_id", flat=True)) == set(
        Case.objects.values_list("pk", flat=True))

    decided = list(Case.objects.filter(status=Case.Status.DECIDED))
    assert decided
    for case in decided:
        case_close(case=case, by=None)
    drain()
    today = timezone.localdate()
    # The demo's decided cases are Drammen's: its archive is deposited, in its scope.
    from accounts.models import Municipality
    from accounts.tenancy import municipality_scope

    with municipality_scope(Municipality.objects.get(number="3301")):
        deposit = deposit_build(deposit=deposit_request(start=today - datetime.timedelta(days=1), end=today))
    assert deposit.status == "ready", deposit.last_error
    assert deposit.case_files == len(decided)
    files = open_package(deposit)
    for name, rules in RULES.items():
        schema = etree.XMLSchema(etree.parse(str(SCHEMAS / rules)))
        assert schema.validate(etree.fromstring(files[name])), f"{name}: {schema.error_log.last_error}"
    structure = etree.fromstring(files["arkivstruktur.xml"])
    objects = structure.findall(f".//{{{NS}}}dokumentobjekt")
    assert len(objects) == deposit.documents > 0
    for obj in objects:
        content = files[obj.findtext(f"{{{NS}}}referanseDokumentfil")]
        assert hashlib.sha256(content).hexdigest() == obj.findtext(f"{{{NS}}}sjekksum")
