"""Demo correspondence: a welcome letter and a message from the municipality for Kari
Nordmann, so the inbox has something to show. Idempotent."""

from django.db import transaction

from accounts.models import User
from registers import demo_data

from .models import Letter, MessageThread
from .services import letter_create, message_create, thread_get_or_create_general

WELCOME_TITLE = "Velkommen til Min Side"


def load() -> int:
    kari = User.objects.filter(national_id=demo_data.KARI).first()
    staff = User.objects.filter(email="barnehage@kommune.example").first()
    if kari is None:
        return 0
    created = 0
    with transaction.atomic():
        if not Letter.objects.filter(recipient=kari, title=WELCOME_TITLE).exists():
            letter_create(
                recipient=kari, kind=Letter.Kind.GENERAL, title=WELCOME_TITLE,
                template="correspondence/pdf/general.html",
                context={"body": "Her finner du brev, vedtak og meldinger fra kommunen.\n\n"
                                 "Du kan skrive til kommunen fra innboksen."},
            )
            created += 1
        if staff is not None and not MessageThread.objects.filter(citizen=kari, case=None, messages__isnull=False).exists():
            thread = thread_get_or_create_general(citizen=kari)
            message_create(thread=thread, sender=staff, from_municipality=True,
                           body="Hei! Husk at fristen for å søke barnehageplass i hovedopptaket er 1. mars.")
            created += 1
    return created
