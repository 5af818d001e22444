"""Checking and storing uploaded files: one place for every app that takes attachments
(application steps, message attachments, answers to information requests).

    rules = UploadRules(max_size=10 * 1024 * 1024, max_count=10)
    upload = upload_validate(request.FILES["file"], rules=rules, existing_count=n)  # ValidationError
    stored_name = upload_store(upload=upload, prefix="applications/<uuid>")

The type is decided by the file's content (its first bytes), never by its name or the
browser's Content-Type: a renamed `.exe` is refused. The stored name is generated here, so a
user-chosen name never reaches the file system; keep `upload.original_name` for display only.
Downloads: `upload_download_response(...)` answers with `Content-Disposition: attachment`.
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass, field

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .storage import StorageUnavailable, storage_delete, storage_save, stored_file_response

logger = logging.getLogger(__name__)

# Content type -> the extension we store it under.
PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}
TYPE_LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG"}
HEAD_BYTES = 8192


@dataclass(frozen=True)
class UploadRules:
    """What a caller accepts. `max_count` is the number of files already attached plus this one."""

    allowed_types: frozenset[str] = field(default_factory=lambda: frozenset({PDF, PNG, JPEG}))
    max_size: int = 10 * 1024 * 1024
    max_count: int | None = None

    @property
    def allowed_labels(self) -> str:
        return ", ".join(TYPE_LABELS.get(t, t) for t in sorted(self.allowed_types))


@dataclass(frozen=True)
class ValidatedUpload:
    file: object  # the UploadedFile, rewound
    original_name: str  # for display only; never used as a path
    content_type: str  # decided from the content
    size: int

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "")


def _display_name(name: str) -> str:
    # Keep only the last path segment a browser might send, and a sane length.
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    return base[:200] or "file"


def _sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime is None and head.lstrip()[:5] == b"%PDF-":
        mime = PDF
    return mime


def upload_validate(file, *, rules: UploadRules, existing_count: int = 0) -> ValidatedUpload:
    """Check one uploaded file against the rules. Raises ValidationError whose message names
    the rule broken (code: "too_many", "empty", "too_large" or "type_not_allowed")."""
    name = _display_name(getattr(file, "name", ""))
    if rules.max_count is not None and existing_count >= rules.max_count:
        raise ValidationError(
            _("You can attach at most %(max)d files here. Remove one before adding %(name)s.")
            % {"max": rules.max_count, "name": name},
            code="too_many",
        )
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
    if not size:
        raise ValidationError(_("%(name)s is empty (0 bytes). Choose another file.") % {"name": name}, code="empty")
    if size > rules.max_size:
        raise ValidationError(
            _("%(name)s is %(size)s; the largest file allowed is %(max)s.")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(rules.max_size)},
            code="too_large",
        )
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    content_type = _sniff(head)
    if content_type not in rules.allowed_types:
        raise ValidationError(
            _("%(name)s is not a file type we accept. Allowed types: %(types)s (checked by the file's content, not its name).")
            % {"name": name, "types": rules.allowed_labels},
            code="type_not_allowed",
        )
    return ValidatedUpload(file=file, original_name=name, content_type=content_type, size=size)


def upload_store(*, upload: ValidatedUpload, prefix: str) -> str:
    """Save the file under a server-generated name inside `prefix`; returns the storage name.
    A file store that is down is a ValidationError (code "storage_unavailable") saying so: the
    caller writes no row for it, and the person's form stays as it was."""
    prefix = prefix.strip("/")
    name = f"{prefix}/{uuid.uuid4().hex}{upload.extension}"
    upload.file.seek(0)
    try:
        return storage_save(name=name, content=upload.file)
    except StorageUnavailable:
        logger.exception("Could not store an upload under %s", prefix)
        raise ValidationError(
            _("We could not store %(name)s just now: our file store is not answering. Nothing was saved. "
              "Please try again in a few minutes.") % {"name": upload.original_name},
            code="storage_unavailable",
        )


def upload_delete(*, stored_name: str) -> None:
    storage_delete(name=stored_name)


def upload_download_response(*, stored_name: str, original_name: str, content_type: str) -> FileResponse:
    """Serve a stored file as a download (never inline), under its display name. The caller
    must already have checked that the user may see it (a selector; a miss is a 404).
    core.storage.stored_file_response streams it (why not a presigned URL: see there)."""
    return stored_file_response(name=stored_name, filename=_display_name(original_name), content_type=content_type)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one form field (Django's documented pattern). The field only collects
    them; each file is then checked with upload_validate() by the service that stores it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "ds-input", "accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []
