"""Demo correspondence: a welcome letter for Kari Nordmann, so the inbox has something to show.
Idempotent."""

from django.db import transaction

from accounts.models import User
from registers import demo_data

from .models import Letter
from .services import letter_create

WELCOME_TITLE = "Velkommen til Min Side"


def load() -> int:
    """A welcome letter from each demo municipality (run in its scope)."""
    kari = User.objects.filter(national_id=demo_data.KARI).first()
    if kari is None or Letter.objects.filter(recipient=kari, title=WELCOME_TITLE).exists():
        return 0
    with transaction.atomic():
        letter_create(
            recipient=kari, kind=Letter.Kind.GENERAL, title=WELCOME_TITLE,
            template="correspondence/pdf/general.html",
            context={"body": "Her finner du brev, vedtak og meldinger fra kommunen.\n\n"
                             "Du kan skrive til kommunen fra innboksen."},
        )
    return 1
