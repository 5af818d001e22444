"""Domain events of cases. Apps above cases subscribe (in their AppConfig.ready) to do what a
case's change causes in their part: correspondence writes the letters, notifications the
notices. Receivers run in the sender's transaction, so what they write commits with the change
or not at all; side effects beyond the database still wait for commit (the outbox).

    case_created(case)
        a case was registered (by a submitted application, or by a caseworker); the archive
        opens its case file
    case_status_changed(case, from_status, to_status, version, by, notify)
        after every status change; `notify=False` when a letter written in the same
        transaction carries the news (the citizen gets one notice, not two)
    case_decided(case, decision, by, send_letter)
        a decision was made; `send_letter=False` when the service writes its own letter
        (e.g. the kindergarten offer) and attaches it with cases.services.decision_letter_attach
    information_requested(case, information_request, by)
        the caseworker asked the citizen for information; a letter must say so
    documents_received(case, information_request, documents, by)
        the citizen answered a request (files and/or a comment); the archive journals the answer
    note_added(case, event, by)
        a caseworker wrote an internal note (the archive journals it when the municipality wants)
"""

from django.dispatch import Signal

case_created = Signal()
case_status_changed = Signal()
case_decided = Signal()
information_requested = Signal()
documents_received = Signal()
note_added = Signal()
