"""The documents of a registry entry in their archival format, PDF/A.

Arkivverket takes text documents as PDF/A (Riksarkivarens forskrift, chapter on approved
document formats; PDF/A-1 there, PDF/A-2 accepted since; PDF/A-3's embedded files are not), so
everything Min Side renders for the archive is PDF/A-2b (WeasyPrint): the application as
submitted, an answer to a request, a message, a note, and the letters (rendered again from the
letter's own template and context: the copy in the inbox is PDF/A-3b). A citizen's PNG or JPEG
is placed on PDF/A pages; a citizen's PDF that is already PDF/A is kept as it is, any other PDF
is rasterised page by page (poppler's pdftoppm) onto PDF/A pages; a file that cannot be read
gets a PDF/A page saying so. A converted file keeps its original as the production format.

Rendering is slow (about 0.5 s a document): only ever in a worker, never in a request.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import shutil
import subprocess  # noqa: S404 - pdftoppm, with fixed arguments and a temporary file
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.tenancy import municipality_get, working_municipality_id
from applications.models import Application
from cases.models import CaseDocument, CaseEvent, InformationRequest
from correspondence.models import Letter, Message
from correspondence.pdf import render_pdf
from correspondence.services import letter_pdf_context

from .models import ArchiveDocument, ArchiveRecord

logger = logging.getLogger(__name__)

ARCHIVE_PDF_VARIANT = "pdf/a-2b"
PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
RASTER_DPI = 150


@dataclass
class Part:
    role: str  # ArchiveDocument.Role
    document_type: str
    title: str
    content: bytes
    original_name: str = ""
    original_file: str = ""
    original_content_type: str = ""
    conversion: str = ""


def is_pdfa(content: bytes) -> bool:
    """Whether a PDF says it is PDF/A: the pdfaid:part in its XMP metadata, read by poppler's
    pdfinfo (the metadata stream may be compressed)."""
    if not content.startswith(b"%PDF"):
        return False
    if b"pdfaid:part" in content:
        return True
    binary = shutil.which("pdfinfo")
    if binary is None:
        return False
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(content)
        tmp.flush()
        try:
            result = subprocess.run([binary, "-meta", tmp.name], capture_output=True, timeout=60, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            return False
    return b"pdfaid:part" in result.stdout


def _render(template: str, context: dict, language: str) -> bytes:
    # The letterhead of the municipality whose case it is (the task runs in its scope).
    municipality = municipality_get(working_municipality_id())
    return render_pdf(template=template, context=context, language=language, pdf_variant=ARCHIVE_PDF_VARIANT,
                      municipality=municipality)


def _pages_pdf(*, images: list[tuple[str, bytes]], title: str, language: str) -> bytes:
    pages = [f"data:{mime};base64,{base64.b64encode(data).decode()}" for mime, data in images]
    return _render("archive/pdf/images.html", {"title": title, "pages": pages}, language)


def _rasterise(content: bytes) -> list[tuple[str, bytes]]:
    """PNG pages of a PDF (pdftoppm); [] when the file cannot be read."""
    binary = shutil.which("pdftoppm")
    if binary is None:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(content)
        try:
            subprocess.run([binary, "-r", str(RASTER_DPI), "-png", str(source), str(Path(tmp) / "page")],  # noqa: S603
                           check=True, capture_output=True, timeout=120)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            return []
        return [(PNG, p.read_bytes()) for p in sorted(Path(tmp).glob("page*.png"))]


def archival_variant(*, content: bytes, content_type: str, name: str, language: str) -> tuple[bytes, str]:
    """(PDF/A content, what was done) for a citizen's file."""
    if content_type == PDF and is_pdfa(content):
        return content, ""
    if content_type in (PNG, JPEG):
        return (_pages_pdf(images=[(content_type, content)], title=name, language=language),
                f"{content_type} placed on PDF/A-2b pages")
    if content_type == PDF:
        pages = _rasterise(content)
        if pages:
            return (_pages_pdf(images=pages, title=name, language=language),
                    f"PDF rasterised at {RASTER_DPI} dpi onto PDF/A-2b pages")
    digest = hashlib.sha256(content).hexdigest()
    notice = _render("archive/pdf/unreadable.html", {"name": name, "size": len(content), "sha256": digest,
                                                     "content_type": content_type}, language)
    return notice, "could not be read; a PDF/A-2b page describes the original"


def _upload(*, role: str, title: str, stored_name: str, content_type: str, language: str) -> Part:
    with default_storage.open(stored_name, "rb") as fh:
        content = fh.read()
    archival, conversion = archival_variant(content=content, content_type=content_type, name=title, language=language)
    return Part(role=role, document_type="VEDLEGG" if role == ArchiveDocument.Role.ATTACHMENT else "DOKUMENT",
                title=title, content=archival, original_name=title if conversion else "",
                original_file=stored_name if conversion else "",
                original_content_type=content_type if conversion else "", conversion=conversion)


def _language(record: ArchiveRecord) -> str:
    return record.case.applicant.preferred_language or "nb"


def parts_for(record: ArchiveRecord) -> list[Part]:
    """The documents of a registry entry, rendered and converted (the slow part)."""
    source, language = record.source, _language(record)
    main, attachments = ArchiveDocument.Role.MAIN, ArchiveDocument.Role.ATTACHMENT
    if source == ArchiveRecord.Source.APPLICATION:
        application = Application.objects.select_related("case", "applicant", "organisation").get(pk=record.source_id)
        language = application.language or language
        parts = [Part(role=main, document_type="SØKNAD", title=record.title, content=_render(
            "archive/pdf/application.html", {"application": application, "case": record.case,
                                             "sections": application.submitted_summary, "title": record.title}, language))]
        for attachment in application.attachments.all():
            parts.append(_upload(role=attachments, title=attachment.original_name, stored_name=attachment.stored_name,
                                 content_type=attachment.content_type, language=language))
        return parts
    if source == ArchiveRecord.Source.DOCUMENTS:
        request = InformationRequest.objects.get(pk=record.source_id)
        documents = list(CaseDocument.objects.filter(information_request=request).order_by("created_at", "pk"))
        parts = [Part(role=main, document_type="DOKUMENT", title=record.title, content=_render(
            "archive/pdf/answer.html", {"request": request, "documents": documents, "case": record.case,
                                        "title": record.title}, language))]
        for document in documents:
            parts.append(_upload(role=attachments, title=document.original_name, stored_name=document.file.name,
                                 content_type=document.content_type, language=language))
        return parts
    if source == ArchiveRecord.Source.LETTER:
        letter = Letter.objects.select_related("recipient", "organisation", "case").get(pk=record.source_id)
        with translation.override(letter.language):
            context = letter_pdf_context(letter=letter)
        kind = "VEDTAK" if letter.kind in (Letter.Kind.DECISION, Letter.Kind.OFFER) else "KORR"
        return [Part(role=main, document_type=kind, title=letter.title,
                     content=render_pdf(template=letter.template, context=context, language=letter.language,
                                        pdf_variant=ARCHIVE_PDF_VARIANT, municipality=letter.municipality))]
    if source == ArchiveRecord.Source.MESSAGE:
        message = Message.objects.select_related("sender", "thread").get(pk=record.source_id)
        parts = [Part(role=main, document_type="KORR", title=record.title, content=_render(
            "archive/pdf/message.html", {"message": message, "case": record.case, "title": record.title}, language))]
        for attachment in message.attachments.all():
            parts.append(_upload(role=attachments, title=attachment.original_name, stored_name=attachment.file.name,
                                 content_type=attachment.content_type, language=language))
        return parts
    if source == ArchiveRecord.Source.NOTE:
        event = CaseEvent.objects.select_related("actor").get(pk=record.source_id)
        return [Part(role=main, document_type="NOTAT", title=record.title, content=_render(
            "archive/pdf/note.html", {"event": event, "case": record.case, "title": record.title}, "nb"))]
    raise ValueError(f"A {source} has no documents")


def record_documents(*, record: ArchiveRecord) -> list[ArchiveDocument]:
    """The entry's archived documents, produced and stored the first time (idempotent: two
    workers at once keep the first set)."""
    existing = list(record.documents.order_by("number"))
    if existing or record.kind != ArchiveRecord.Kind.REGISTRY_ENTRY:
        return existing
    parts = parts_for(record)
    stored = []
    try:
        with transaction.atomic():
            for number, part in enumerate(parts, start=1):
                name = default_storage.save(f"archive/{record.case_id}/{record.pk}/{number}.pdf", ContentFile(part.content))
                stored.append(name)
                ArchiveDocument.objects.create(
                    record=record, number=number, role=part.role, document_type=part.document_type,
                    title=part.title[:300], file=name, sha256=hashlib.sha256(part.content).hexdigest(),
                    size=len(part.content), original_name=part.original_name[:300], original_file=part.original_file,
                    original_content_type=part.original_content_type, conversion=part.conversion)
    except IntegrityError:
        for name in stored:
            default_storage.delete(name)
        logger.info("Archive record %s: another worker stored its documents first", record.pk)
    ArchiveRecord.objects.filter(pk=record.pk).update(updated_at=timezone.now())
    return list(record.documents.order_by("number"))
