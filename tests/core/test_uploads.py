import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import UploadRules, upload_download_response, upload_store, upload_validate

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def test_pdf_is_accepted_by_content():
    upload = upload_validate(SimpleUploadedFile("søknad.pdf", PDF_BYTES), rules=UploadRules())
    assert upload.content_type == "application/pdf"
    assert upload.size == len(PDF_BYTES)
    assert upload.original_name == "søknad.pdf"


def test_png_named_pdf_is_stored_as_png():
    upload = upload_validate(SimpleUploadedFile("bilde.pdf", PNG_BYTES), rules=UploadRules())
    assert upload.content_type == "image/png"
    assert upload.extension == ".png"


def test_renamed_exe_is_refused_naming_the_rule():
    with pytest.raises(ValidationError) as exc:
        upload_validate(SimpleUploadedFile("tegning.pdf", EXE_BYTES, content_type="application/pdf"), rules=UploadRules())
    assert exc.value.code == "type_not_allowed"
    assert "not a file type we accept" in exc.value.messages[0]
    assert "tegning.pdf" in exc.value.messages[0]


def test_oversized_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        upload_validate(SimpleUploadedFile("big.pdf", PDF_BYTES + b"x" * 2000), rules=UploadRules(max_size=1024))
    assert exc.value.code == "too_large"
    assert "largest file allowed is 1.0\xa0KB" in exc.value.messages[0]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        upload_validate(SimpleUploadedFile("empty.pdf", b""), rules=UploadRules())
    assert exc.value.code == "empty"


def test_too_many_files_is_refused():
    with pytest.raises(ValidationError) as exc:
        upload_validate(SimpleUploadedFile("x.pdf", PDF_BYTES), rules=UploadRules(max_count=3), existing_count=3)
    assert exc.value.code == "too_many"
    upload_validate(SimpleUploadedFile("x.pdf", PDF_BYTES), rules=UploadRules(max_count=3), existing_count=2)


def test_type_limited_by_rules():
    with pytest.raises(ValidationError):
        upload_validate(SimpleUploadedFile("x.png", PNG_BYTES), rules=UploadRules(allowed_types=frozenset({"application/pdf"})))


def test_path_in_name_is_stripped_and_store_generates_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = upload_validate(SimpleUploadedFile("../../etc/passwd.pdf", PDF_BYTES), rules=UploadRules())
    assert upload.original_name == "passwd.pdf"
    stored = upload_store(upload=upload, prefix="applications/abc")
    assert stored.startswith("applications/abc/") and stored.endswith(".pdf")
    assert "passwd" not in stored
    assert default_storage.open(stored).read() == PDF_BYTES
    response = upload_download_response(stored_name=stored, original_name="passwd.pdf", content_type="application/pdf")
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_plain_file_object_without_size():
    upload = upload_validate(io.BytesIO(PDF_BYTES), rules=UploadRules())
    assert upload.size == len(PDF_BYTES)


def test_rule_message_in_bokmal_and_nynorsk():
    from django.utils import translation

    for language, expected in (("nb", "er ikke en filtype vi tar imot"), ("nn", "er ikkje ein filtype vi tek imot")):
        with translation.override(language), pytest.raises(ValidationError) as exc:
            upload_validate(SimpleUploadedFile("x.pdf", EXE_BYTES), rules=UploadRules())
        assert expected in exc.value.messages[0]
