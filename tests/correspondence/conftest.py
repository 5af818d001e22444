import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.services import case_create
from tests.factories import OrganisationFactory, RepresentationFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Letters' PDFs and attachments go to a directory of this test only.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_case(department):
    def make(*, applicant, organisation=None, title="Barnehageplass"):
        return case_create(application_type="kindergarten", title=title, department=department,
                           applicant=applicant, organisation=organisation)
    return make


@pytest.fixture
def case(make_case, citizen):
    return make_case(applicant=citizen)


@pytest.fixture
def organisation_with_rep(db):
    """An organisation and a person who represents it today."""
    organisation = OrganisationFactory()
    rep = RepresentationFactory(organisation=organisation)
    return organisation, rep.person


def pdf_file(name="vedlegg.pdf", size=None) -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    if size:
        content = content + b"0" * (size - len(content))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_file(name="bilde.png") -> SimpleUploadedFile:
    # A real 1x1 PNG.
    import base64
    data = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    return SimpleUploadedFile(name, data, content_type="image/png")


def exe_named_pdf(name="faktura.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
