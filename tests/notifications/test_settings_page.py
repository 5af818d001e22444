"""The citizen's notice settings at notifications:settings."""

import pytest
from django.urls import reverse

from notifications.models import NoticePreference

pytestmark = pytest.mark.django_db
URL = "/varsler/innstillinger/"


def test_url_name_is_the_contract():
    assert reverse("notifications:settings") == URL


def test_page_in_nynorsk_shows_krr_details_masked(client, kari, krr):
    client.force_login(kari)
    client.cookies["django_language"] = "nn"

    html = client.get(URL).content.decode()

    assert "Varsel og språk" in html
    assert "Opplysningane dine i Kontakt- og reservasjonsregisteret (KRR)" in html
    assert "k***@example.no" in html and "*****4567" in html
    assert "kari.nordmann@example.no" not in html and "91234567" not in html


def test_stale_details_are_explained(client, lars, krr):
    client.force_login(lars)
    html = client.get(URL).content.decode()
    assert "ikke bekreftet de siste 18 månedene" in html


def test_reserved_person_is_told_letters_come_on_paper(client, reidun, krr):
    client.force_login(reidun)
    assert "formelle brev sendes til deg på papir" in client.get(URL).content.decode()


def test_krr_down_still_shows_the_settings(client, kari, krr):
    krr.set_unavailable(True)
    client.force_login(kari)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Kontaktregisteret svarer ikke akkurat nå" in response.content.decode()


def test_saving_channels_and_language(client, kari, krr):
    client.force_login(kari)

    response = client.post(URL, {"sms": "on", "language": "nn"})

    assert response.status_code == 302
    preference = NoticePreference.objects.get(user=kari)
    assert (preference.email, preference.sms) == (False, True)
    kari.refresh_from_db()
    assert kari.preferred_language == "nn"


def test_turning_off_every_channel_is_refused_with_a_clear_error_and_nothing_saved(client, kari, krr):
    client.force_login(kari)

    response = client.post(URL, {"language": "nb"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Velg minst én måte å bli varslet på" in html
    assert "ds-error-summary" in html
    assert not NoticePreference.objects.filter(user=kari).exists()


def test_unknown_language_is_refused(client, kari, krr):
    client.force_login(kari)
    response = client.post(URL, {"email": "on", "language": "sv"})
    assert response.status_code == 200
    assert not NoticePreference.objects.filter(user=kari).exists()


def test_anonymous_is_sent_to_login_and_staff_gets_404(client, caseworker):
    assert client.get(URL).status_code == 302
    client.force_login(caseworker)
    assert client.get(URL).status_code == 404


def test_home_page_shows_how_the_citizen_is_notified_in_nynorsk(client, kari, krr):
    NoticePreference.objects.create(user=kari, email=False, sms=True)
    kari.preferred_language = "nn"
    kari.save()
    client.force_login(kari)
    client.cookies["django_language"] = "nn"

    html = client.get(reverse("home")).content.decode()

    assert "Vi varsler deg på SMS." in html
    assert "Endre varsel og språk" in html
