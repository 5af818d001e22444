"""Archive records for what happens on a case, written in the same transaction as the event
(the outbox). Connected in ArchiveConfig.ready."""

from applications import signals as application_signals
from cases import signals as case_signals
from correspondence import signals as correspondence_signals

from . import services


def _case_created(sender, *, case, **kwargs):
    services.case_file_record(case=case)


def _application_submitted(sender, *, case, application, **kwargs):
    services.archive_application_submitted(case=case, application=application)


def _documents_received(sender, *, case, information_request, documents, **kwargs):
    services.archive_documents_received(case=case, information_request=information_request, documents=documents)


def _letter_created(sender, *, letter, **kwargs):
    services.archive_letter(letter=letter)


def _message_sent(sender, *, message, **kwargs):
    services.archive_message(message=message)


def _note_added(sender, *, case, event, **kwargs):
    services.archive_note(case=case, event=event)


def _status_changed(sender, *, case, from_status, to_status, version, by, **kwargs):
    services.archive_case_status_changed(case=case, from_status=from_status, to_status=to_status, version=version, by=by)


def connect() -> None:
    case_signals.case_created.connect(_case_created, dispatch_uid="archive.case")
    application_signals.application_submitted.connect(_application_submitted, dispatch_uid="archive.application")
    case_signals.documents_received.connect(_documents_received, dispatch_uid="archive.documents")
    case_signals.note_added.connect(_note_added, dispatch_uid="archive.note")
    case_signals.case_status_changed.connect(_status_changed, dispatch_uid="archive.case_status")
    correspondence_signals.letter_created.connect(_letter_created, dispatch_uid="archive.letter")
    correspondence_signals.message_sent.connect(_message_sent, dispatch_uid="archive.message")
