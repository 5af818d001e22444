"""The outbox rows other apps' events need, written in the same transaction as the event.
Connected in NotificationsConfig.ready."""

from cases import signals as case_signals
from correspondence import signals as correspondence_signals

from . import services


def _case_status_changed(sender, *, case, to_status, version, notify, **kwargs):
    if notify:  # False when a letter written in the same transaction carries the news
        services.notification_for_case_status(case=case, to_status=to_status, version=version)


def _letter_created(sender, *, letter, **kwargs):
    services.notification_for_letter(letter=letter)


def _message_sent(sender, *, message, **kwargs):
    services.notification_for_message(message=message)


def connect() -> None:
    case_signals.case_status_changed.connect(_case_status_changed, dispatch_uid="notifications.case_status")
    correspondence_signals.letter_created.connect(_letter_created, dispatch_uid="notifications.letter")
    correspondence_signals.message_sent.connect(_message_sent, dispatch_uid="notifications.message")
