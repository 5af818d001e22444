"""What the archive shows on the caseworker's case page (cases.panels): the archive's case
number and registry entry numbers, what is on its way, and failures with a resend button."""

from django.urls import reverse

from cases.panels import caseworker_panel

from .models import ArchiveRecord
from .selectors import archive_records_for_case


@caseworker_panel(order=80)
def archive_references(request, case):
    records = archive_records_for_case(case=case)
    if not records:
        return None
    case_file = next((r for r in records if r.kind == ArchiveRecord.Kind.CASE_FILE), None)
    entries = [r for r in records if r.kind == ArchiveRecord.Kind.REGISTRY_ENTRY]
    return "archive/admin/case_archive.html", {
        "case_file": case_file, "entries": entries,
        "failures": [(record, message, reverse("caseworker:archive_message_resend", args=[message.pk]))
                     for record in records for message in record.failed],
    }
