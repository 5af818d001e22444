"""Routing per dispatch: KRR is looked up every time, and the situation decides the channels."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import NoticePreference, Notification, PrintItem
from notifications.services import notification_create, notification_deliver
from registers.krr import ContactInfo
from tests.factories import CitizenFactory, LetterFactory

Channel, Status = Notification.Channel, Notification.Status
pytestmark = pytest.mark.django_db


def letter_row(recipient, **letter_kwargs):
    letter = LetterFactory(recipient=recipient, **letter_kwargs)
    return notification_create(recipient=recipient, template="letter", letter=letter,
                               idempotency_key=f"letter-{letter.pk}")


def rows_for(letter):
    return {n.channel: n for n in Notification.objects.filter(letter=letter)}


def test_contact_with_email_and_mobile_gets_letter_in_min_side_with_email_and_sms_notice(kari, krr, sms_spool, mailoutbox):
    row = letter_row(kari, title="Vedtak om barnehageplass")

    notification_deliver(notification_id=row.pk)
    rows = rows_for(row.letter)
    assert set(rows) == {Channel.EMAIL, Channel.SMS}
    # The SMS is a second row with its own key; deliver it like the worker would.
    notification_deliver(notification_id=rows[Channel.SMS].pk)

    rows = rows_for(row.letter)
    assert [rows[c].status for c in (Channel.EMAIL, Channel.SMS)] == [Status.SENT, Status.SENT]
    assert rows[Channel.EMAIL].destination == "k***@example.no"
    assert rows[Channel.SMS].destination == "*****4567"
    assert rows[Channel.SMS].idempotency_key == f"letter-{row.letter.pk}:sms"
    # Kari's language comes from KRR (nynorsk) since her profile has none.
    assert rows[Channel.EMAIL].language == "nn"
    assert mailoutbox[0].to == ["kari.nordmann@example.no"]
    assert "Vedtak om barnehageplass" in mailoutbox[0].body
    assert [a["to"] for a in sms_spool.accepted()] == ["+4791234567"]


def test_digital_mailbox_receives_the_letter_pdf_itself(per, krr, mailbox_spool, mailoutbox):
    row = letter_row(per, kind="decision", title="Vedtak")

    delivered = notification_deliver(notification_id=row.pk)

    assert delivered.channel == Channel.DIGITAL_MAILBOX
    assert delivered.status == Status.SENT
    assert delivered.destination == "Digipost"
    assert delivered.provider_reference.startswith("digital_mailbox-")
    [accepted] = mailbox_spool.accepted()
    assert accepted["address"] == "per.hansen#8F2A"
    assert accepted["title"] == "Vedtak"
    pdf = next(mailbox_spool.root.glob("*.bin")).read_bytes()
    assert pdf.startswith(b"%PDF")
    # No e-mail notice from us: the mailbox provider notifies the citizen itself.
    assert mailoutbox == []
    assert Notification.objects.filter(letter=row.letter).count() == 1


def test_reserved_person_gets_the_letter_on_paper_with_the_population_register_address(reidun, krr, mailoutbox):
    reidun.email = "reidun@example.no"  # even with an address in her profile: she is reserved
    reidun.save()
    row = letter_row(reidun, kind="decision")

    delivered = notification_deliver(notification_id=row.pk)

    assert delivered.channel == Channel.PAPER
    # Waiting for the daily print batch.
    assert delivered.status == Status.SENDING
    item = PrintItem.objects.get(notification=delivered)
    assert item.name == "Reidun Dahl"
    assert item.address == {"street": "Kirkevegen 7", "postcode": "3054", "city": "Krokstadelva"}
    assert mailoutbox == []


def test_contact_details_older_than_18_months_are_not_used_formal_letter_goes_on_paper(lars, krr, sms_spool, mailoutbox):
    row = letter_row(lars, kind="decision")

    delivered = notification_deliver(notification_id=row.pk)

    assert delivered.channel == Channel.PAPER
    assert mailoutbox == [] and sms_spool.calls() == []


def test_stale_details_and_an_ordinary_letter_stay_in_min_side_without_notice(lars, krr, mailoutbox):
    row = letter_row(lars, kind="general")

    delivered = notification_deliver(notification_id=row.pk)

    assert delivered.status == Status.CANCELLED
    assert "No usable contact details" in delivered.last_error
    assert mailoutbox == []


def test_freshness_is_judged_at_dispatch_time(kari, krr, mailoutbox):
    # The same KRR entry, dispatched two years later: the details are too old by then.
    row = letter_row(kari, kind="decision")
    later = timezone.now() + datetime.timedelta(days=730)

    delivered = notification_deliver(notification_id=row.pk, now=later)

    assert delivered.channel == Channel.PAPER


def test_krr_is_looked_up_at_each_dispatch(kari, krr, mailbox_spool):
    first = letter_row(kari)
    notification_deliver(notification_id=first.pk)
    assert Notification.objects.get(pk=first.pk).channel == Channel.EMAIL

    # Kari opens a Digipost mailbox; the next letter goes there.
    from registers.krr import DigitalMailboxAddress

    contact = krr.lookup(kari.national_id)
    krr.put(ContactInfo(**{**contact.__dict__, "digital_mailbox": DigitalMailboxAddress("digipost", "kari#1")}))
    second = letter_row(kari)
    assert notification_deliver(notification_id=second.pk).channel == Channel.DIGITAL_MAILBOX


def test_person_unknown_to_krr_is_notified_at_the_contact_given_in_the_profile(krr, mailoutbox):
    citizen = CitizenFactory(email="ola@example.no", mobile="")
    row = letter_row(citizen)

    delivered = notification_deliver(notification_id=row.pk)

    assert delivered.channel == Channel.EMAIL and delivered.status == Status.SENT
    assert mailoutbox[0].to == ["ola@example.no"]
    assert Notification.objects.filter(letter=row.letter).count() == 1  # no mobile: no SMS row


def test_citizen_preferences_pick_the_notice_channels(kari, krr, mailoutbox):
    NoticePreference.objects.create(user=kari, email=False, sms=True)
    row = letter_row(kari)

    delivered = notification_deliver(notification_id=row.pk)

    assert delivered.channel == Channel.SMS
    assert Notification.objects.filter(letter=row.letter).count() == 1
    assert mailoutbox == []


def test_profile_language_wins_over_krr(kari, krr, mailoutbox):
    kari.preferred_language = "en"
    kari.save()
    row = letter_row(kari, title="Decision")
    NoticePreference.objects.create(user=kari, email=True, sms=False)

    delivered = notification_deliver(notification_id=row.pk)

    assert delivered.language == "en"
    assert mailoutbox[0].subject == "New letter from Eksempel kommune"


def test_plain_notice_goes_by_email_and_sms_never_to_paper(ahmed, reidun, krr, sms_spool, mailoutbox):
    notice = notification_create(recipient=ahmed, template="case_status_changed", idempotency_key="case:1:v2",
                                 context={"case_number": "2026/7"})
    delivered = notification_deliver(notification_id=notice.pk)
    assert delivered.channel == Channel.SMS and delivered.status == Status.SENT
    assert delivered.language == "en"
    assert "2026/7" in sms_spool.accepted()[0]["text"]

    # Reserved, no contact of her own: nothing to send, and no paper for a mere notice.
    notice = notification_create(recipient=reidun, template="case_status_changed", idempotency_key="case:2:v2")
    delivered = notification_deliver(notification_id=notice.pk)
    assert delivered.status == Status.CANCELLED
    assert not PrintItem.objects.exists()


def test_krr_unavailable_is_a_temporary_failure_retried_later(kari, krr):
    krr.set_unavailable(True)
    row = letter_row(kari)
    now = timezone.now()

    delivered = notification_deliver(notification_id=row.pk, now=now)

    assert delivered.status == Status.TEMPORARY_FAILURE
    assert delivered.channel == Channel.AUTO  # routed again at the next dispatch
    assert delivered.attempts == 1
    assert delivered.next_attempt_at > now
    assert "KRR" in delivered.last_error


def test_receipt_with_its_own_case_received_notice_gets_no_second_notice(kari, krr, mailoutbox, sms_spool):
    """A submission sends one notice ("we have received your application"), not two."""
    from tests.factories import CaseFactory

    case = CaseFactory(applicant=kari)
    receipt = LetterFactory(recipient=kari, case=case, kind="receipt", title="Kvittering")
    letter_row_ = notification_create(recipient=kari, template="letter", letter=receipt, case=case,
                                      idempotency_key=f"letter-{receipt.pk}")
    received = notification_create(recipient=kari, template="case_received", letter=receipt, case=case,
                                   idempotency_key=f"case-received-{case.pk}")

    assert notification_deliver(notification_id=letter_row_.pk).status == Status.CANCELLED
    assert notification_deliver(notification_id=received.pk).status == Status.SENT
    assert len(mailoutbox) == 1 and mailoutbox[0].subject.startswith("Vi har motteke søknaden din")  # nynorsk, from KRR


def test_receipt_still_reaches_a_digital_mailbox_and_paper(per, reidun, krr):
    from tests.factories import CaseFactory

    for person, channel in ((per, Channel.DIGITAL_MAILBOX), (reidun, Channel.PAPER)):
        case = CaseFactory(applicant=person)
        receipt = LetterFactory(recipient=person, case=case, kind="receipt")
        row = notification_create(recipient=person, template="letter", letter=receipt, case=case,
                                  idempotency_key=f"letter-{receipt.pk}")
        notification_create(recipient=person, template="case_received", letter=receipt, case=case,
                            idempotency_key=f"case-received-{case.pk}")
        assert notification_deliver(notification_id=row.pk).channel == channel
