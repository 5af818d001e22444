"""Files in S3-compatible object storage (django-storages, as with STORAGE_URL in production),
against a real S3 HTTP endpoint: moto's server, started by the test run (conftest.s3_server).

Uploads, letter PDFs and print batches go to the bucket, privately; the portal streams them
after its access check; a file read by another process is the same file; a missing object is a
404 (and an error in the log); a store that is down is a clear error and leaves nothing
half-written in the database."""

import hashlib
import logging
import os
import subprocess
import sys
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.selectors import Party
from accounts.services import ACT_FOR_SELF, ACTING_FOR_SESSION_KEY
from applications.models import Attachment
from applications.services import application_start, attachment_add
from core.storage import StorageUnavailable, storage_read
from correspondence.models import Letter, Message
from correspondence.services import letter_render_pdf, message_create, thread_get_or_create_general
from kindergarten.tests.factories import KindergartenFactory
from minside.logging import redact
from notifications.models import Notification, PrintBatch, PrintItem
from notifications.services import notification_create, notification_deliver, print_batch_create
from registers import demo_data
from registers.delivery import LocalSpool
from tests.factories import CitizenFactory, DepartmentFactory, LetterFactory
from tests.realservices import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"%" + uuid.uuid4().bytes


def pdf(name="erklaering.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def store_down(s3_server, settings):
    """The storage points at an S3 endpoint where nothing answers (the store is down)."""
    settings.STORAGES = {**settings.STORAGES,
                         "default": s3_server.storage_config("minside-down", endpoint=f"http://127.0.0.1:{free_port()}")}


@pytest.fixture
def kari(db):
    return CitizenFactory(national_id=demo_data.KARI, first_name="Kari", last_name="Nordmann")


@pytest.fixture
def kari_client(client, kari):
    client.force_login(kari)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = ACT_FOR_SELF
    session.save()
    return client


@pytest.fixture
def draft(kari):
    DepartmentFactory(code="barnehage", name="Barnehage")
    KindergartenFactory()
    return application_start(type_key="kindergarten", party=Party(person=kari))


def _step_url(application, step="priority"):
    return reverse("applications:step", kwargs={"pk": application.pk, "step": step})


def _upload(client, application):
    return client.post(_step_url(application), {"grounds": ["disability"], "action": "upload:priority_documentation",
                                                "file-priority_documentation": pdf()})


def test_an_upload_is_a_private_object_in_the_bucket_and_downloads_through_the_portal(kari_client, draft, s3_storage):
    server, bucket = s3_storage

    _upload(kari_client, draft)

    attachment = Attachment.objects.get()
    s3 = server.client()
    head = s3.head_object(Bucket=bucket, Key=attachment.stored_name)
    assert head["ContentLength"] == len(PDF)
    # Private: only the owner is granted anything; nobody else (AllUsers) may read it.
    grants = s3.get_object_acl(Bucket=bucket, Key=attachment.stored_name)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants), grants
    assert type(default_storage._wrapped).__name__ == "S3Storage"

    response = kari_client.get(reverse("applications:attachment-download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="erklaering.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "Location" not in response  # streamed, never a redirect to a (presigned) store URL


def test_other_citizen_gets_404_for_an_object_in_the_bucket(client, draft, s3_storage, other_citizen):
    attachment = attachment_add(application=draft, kind="priority_documentation", file=pdf())
    client.force_login(other_citizen)
    assert client.get(reverse("applications:attachment-download", args=[attachment.pk])).status_code == 404


def test_a_file_stored_here_is_read_by_another_process_configured_by_storage_url(draft, s3_storage):
    server, bucket = s3_storage
    attachment = attachment_add(application=draft, kind="priority_documentation", file=pdf())

    # Another node: a fresh interpreter that knows only the environment (STORAGE_URL, AWS_*).
    code = ("import django, hashlib, sys; django.setup(); "
            "from django.conf import settings; from django.core.files.storage import default_storage; "
            "print(settings.FILE_STORAGE, hashlib.sha256(default_storage.open(sys.argv[1]).read()).hexdigest())")
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "minside.settings", "DJANGO_ENV": "test",
           **server.environment(bucket)}
    result = subprocess.run([sys.executable, "-c", code, attachment.stored_name], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["s3", hashlib.sha256(PDF).hexdigest()]


def test_a_missing_object_is_a_404_and_an_error_in_the_log(kari_client, draft, s3_storage, caplog):
    server, bucket = s3_storage
    attachment = attachment_add(application=draft, kind="priority_documentation", file=pdf())
    server.client().delete_object(Bucket=bucket, Key=attachment.stored_name)

    with caplog.at_level(logging.ERROR, logger="core.storage"):
        response = kari_client.get(reverse("applications:attachment-download", args=[attachment.pk]))

    assert response.status_code == 404
    # As the log line reads it: a generated name can hold 11 digits in a row, which the log's
    # national-id filter masks like any other.
    assert f"Stored file {redact(attachment.stored_name)} is missing" in caplog.text
    with pytest.raises(FileNotFoundError):
        storage_read(name=attachment.stored_name)


def test_store_down_an_upload_is_refused_with_a_clear_message_and_nothing_is_written(kari_client, draft, store_down):
    response = _upload(kari_client, draft)

    assert response.status_code == 302  # back to the step, which shows why
    page = kari_client.get(_step_url(draft)).content.decode()
    assert "ds-error-summary" in page and "erklaering.pdf" in page
    assert not Attachment.objects.exists()
    draft.refresh_from_db()
    assert draft.is_draft


def test_store_down_the_service_names_the_rule(draft, store_down):
    with pytest.raises(ValidationError) as error:
        attachment_add(application=draft, kind="priority_documentation", file=pdf())
    assert error.value.code == "storage_unavailable"
    assert "file store is not answering" in error.value.messages[0] and "Nothing was saved" in error.value.messages[0]
    assert not Attachment.objects.exists()


def test_store_down_a_message_with_an_attachment_writes_no_message(kari, store_down):
    thread = thread_get_or_create_general(citizen=kari)

    with pytest.raises(ValidationError):
        message_create(thread=thread, sender=kari, body="Her er dokumentet", from_municipality=False,
                       attachments=[pdf()])

    assert not Message.objects.exists()
    thread.refresh_from_db()
    assert thread.last_message_at is None


def test_store_down_a_download_is_a_503_page_in_the_persons_language(kari_client, draft, s3_storage, settings, s3_server):
    attachment = attachment_add(application=draft, kind="priority_documentation", file=pdf())
    settings.STORAGES = {**settings.STORAGES,
                         "default": s3_server.storage_config("x", endpoint=f"http://127.0.0.1:{free_port()}")}

    response = kari_client.get(reverse("applications:attachment-download", args=[attachment.pk]))

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "Filer er ikke tilgjengelige akkurat nå" in response.content.decode()


def test_a_letter_pdf_is_rendered_into_the_bucket_and_downloaded_by_its_recipient(db, client, s3_storage):
    server, bucket = s3_storage
    letter = LetterFactory()

    letter_render_pdf(letter=letter)

    letter.refresh_from_db()
    assert server.client().get_object(Bucket=bucket, Key=letter.pdf.name)["Body"].read().startswith(b"%PDF")
    client.force_login(letter.recipient)
    response = client.get(reverse("correspondence:letter-pdf", args=[letter.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"


def test_store_down_a_letter_keeps_no_pdf_and_the_render_raises_for_a_retry(db, store_down):
    letter = LetterFactory()

    with pytest.raises(StorageUnavailable) as error:
        letter_render_pdf(letter=letter)

    assert isinstance(error.value, OSError)  # letter_render_pdf_task retries OSError with backoff
    letter.refresh_from_db()
    assert not letter.pdf  # the sweeper renders it when the store is back


def test_store_down_a_print_batch_fails_before_it_is_handed_over_and_its_letters_wait(db, s3_storage, settings,
                                                                                      s3_server, tmp_path):
    settings.LOCAL_PROVIDER_SPOOL_DIR = str(tmp_path / "spool")
    reidun = CitizenFactory(national_id=demo_data.REIDUN, first_name="Reidun", last_name="Dahl")
    letter = LetterFactory(recipient=reidun, kind="decision", title="Vedtak")
    letter_render_pdf(letter=letter)  # rendered while the store was up
    row = notification_create(recipient=reidun, template="letter", letter=letter, idempotency_key=f"letter-{letter.pk}")
    assert notification_deliver(notification_id=row.pk).status == Notification.Status.SENDING  # in the print queue
    settings.STORAGES = {**settings.STORAGES,
                         "default": s3_server.storage_config("x", endpoint=f"http://127.0.0.1:{free_port()}")}

    batch = print_batch_create()

    assert batch.status == PrintBatch.Status.FAILED and "StorageUnavailable" in batch.last_error
    assert not batch.archive
    assert LocalSpool("print").accepted() == []  # never handed to the print service
    assert PrintItem.objects.get().batch is None  # back in the queue for the next run
    row.refresh_from_db()
    assert row.status == Notification.Status.SENDING


def test_a_print_batch_archive_is_kept_in_the_bucket(db, s3_storage, settings, tmp_path):
    server, bucket = s3_storage
    settings.LOCAL_PROVIDER_SPOOL_DIR = str(tmp_path / "spool")
    reidun = CitizenFactory(national_id=demo_data.REIDUN, first_name="Reidun", last_name="Dahl")
    letter = LetterFactory(recipient=reidun, kind="decision", title="Vedtak")
    row = notification_create(recipient=reidun, template="letter", letter=letter, idempotency_key=f"letter-{letter.pk}")
    notification_deliver(notification_id=row.pk)

    batch = print_batch_create()

    assert batch.status == PrintBatch.Status.SUBMITTED
    assert server.client().get_object(Bucket=bucket, Key=batch.archive.name)["Body"].read().startswith(b"PK")
    assert Letter.objects.get().pdf.name.startswith("letters/")
