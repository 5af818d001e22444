"""Letters that cases' changes need (cases.signals), written in the same transaction.
Connected in CorrespondenceConfig.ready."""

from cases import signals as case_signals

from . import services


def _decided(sender, *, case, decision, by, send_letter, **kwargs):
    if send_letter:
        services.decision_letter_write(case=case, decision=decision, by=by)


def _information_requested(sender, *, case, information_request, by, **kwargs):
    services.information_request_letter_write(case=case, information_request=information_request, by=by)


def connect() -> None:
    case_signals.case_decided.connect(_decided, dispatch_uid="correspondence.decision_letter")
    case_signals.information_requested.connect(_information_requested,
                                               dispatch_uid="correspondence.information_request_letter")
