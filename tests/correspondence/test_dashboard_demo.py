"""The home page's inbox section, and the demo data."""

import pytest
from django.urls import reverse

from accounts import demo as accounts_demo
from correspondence import demo
from correspondence.models import Letter
from registers.demo_data import KARI
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_newest_letters_with_unread_count(client, citizen):
    LetterFactory(recipient=citizen, title="Faktura for SFO")
    client.force_login(citizen)

    html = client.get(reverse("home")).content.decode()

    assert "Siste brev og meldinger" in html
    assert "Faktura for SFO" in html
    assert "Du har 1 ulest brev eller melding." in html


def test_home_without_mail_has_no_inbox_section(client, citizen):
    client.force_login(citizen)
    assert "Siste brev og meldinger" not in client.get(reverse("home")).content.decode()


def test_demo_data_is_idempotent(django_capture_on_commit_callbacks):
    accounts_demo.load()

    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load() == 1
    assert demo.load() == 0

    letter = Letter.objects.get(recipient__national_id=KARI, title=demo.WELCOME_TITLE)
    assert letter.notifications.filter(idempotency_key=f"letter-{letter.pk}").exists()  # sent via the outbox
