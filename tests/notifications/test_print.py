"""Paper: the print queue, daily batches with address sheets, visible in the admin."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from notifications.models import Notification, PrintBatch
from notifications.services import notification_create, notification_deliver, print_batch_create
from registers.delivery import LocalSpool
from tests.factories import LetterFactory

Status = Notification.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_letters(reidun, lars, krr):
    rows = []
    for person in (reidun, lars):
        letter = LetterFactory(recipient=person, kind="decision", title="Vedtak")
        row = notification_create(recipient=person, template="letter", letter=letter, idempotency_key=f"letter-{letter.pk}")
        rows.append(notification_deliver(notification_id=row.pk))
    return rows


def test_daily_batch_holds_an_address_sheet_and_the_letter_for_each_and_marks_them_sent(queued_letters):
    batch = print_batch_create()

    assert batch.status == PrintBatch.Status.SUBMITTED and batch.letters == 2
    with zipfile.ZipFile(batch.archive.open("rb")) as archive:
        names = sorted(archive.namelist())
        manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
        assert all(archive.read(n).startswith(b"%PDF") for n in names if n.endswith(".pdf"))
    assert names == ["0001-1-address.pdf", "0001-2-letter.pdf", "0002-1-address.pdf", "0002-2-letter.pdf", "manifest.csv"]
    assert {row["name"] for row in manifest} == {"Reidun Dahl", "Lars Berg"}
    assert LocalSpool("print").accepted()[0]["letters"] == 2
    for row in queued_letters:
        row.refresh_from_db()
        assert row.status == Status.SENT and row.provider_reference == batch.reference

    assert print_batch_create() is None  # nothing left for the next run


def test_print_batch_is_visible_to_caseworkers_with_a_download(client, caseworker, queued_letters):
    batch = print_batch_create()
    client.force_login(caseworker)

    page = client.get(reverse("caseworker:notifications_printbatch_change", args=[batch.pk]))
    download = client.get(reverse("caseworker:notifications_printbatch_download", args=[batch.pk]))

    assert page.status_code == 200 and "Reidun Dahl" in page.content.decode()
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")
