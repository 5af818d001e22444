"""The landing page, the home page, the accessibility statement and the error pages."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.models import Municipality
from minside.views import server_error
from tests.factories import RepresentationFactory

pytestmark = pytest.mark.django_db


def test_landing_page_explains_min_side_and_offers_login(client):
    html = client.get(reverse("landing")).content.decode()
    assert "Min Side – dine digitale tjenester fra Eksempel kommune" in html
    assert f'href="{reverse("login")}"' in html
    assert 'href="#main-content"' in html  # skip link
    assert f'href="{reverse("accessibility")}"' in html


def test_logged_in_citizen_goes_from_landing_to_home(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("landing"))["Location"] == reverse("home")


def test_home_greets_the_person(client, citizen):
    client.force_login(citizen)
    html = client.get(reverse("home")).content.decode()
    assert f"Velkommen, {citizen.first_name}" in html
    assert f"Logget inn som <strong>{citizen.get_full_name()}</strong>" in html


def test_home_needs_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")


def test_home_for_an_organisation_names_it(client, citizen):
    representation = RepresentationFactory(person=citizen, organisation__name="Berg Bygg AS")
    client.force_login(citizen)
    client.post(reverse("accounts:choose-party"), {"party": str(representation.organisation.pk)})
    assert "Min Side for Berg Bygg AS" in client.get(reverse("home")).content.decode()


def test_staff_member_goes_from_home_to_the_admin(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("home"))["Location"] == reverse("admin:index")


def test_accessibility_statement_has_the_required_parts(client):
    html = client.get(reverse("accessibility")).content.decode()
    for part in ("Status", "Innhold som ikke er tilgjengelig", "Si fra om et problem",
                 "postmottak@kommune.example", "https://www.uutilsynet.no/", "24. november 2026"):
        assert part in html, part


def test_accessibility_statement_in_nynorsk(client):
    client.post(reverse("set-language"), {"language": "nn", "next": "/"})
    html = client.get(reverse("accessibility")).content.decode()
    assert "Innhald som ikkje er tilgjengeleg" in html and "Sei frå om eit problem" in html


def test_404_is_in_the_portal_layout_and_translated(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Fant ikke siden" in html and "site-header" in html
    client.post(reverse("set-language"), {"language": "nn", "next": "/"})
    assert "Fann ikkje sida" in client.get("/finnes-ikke/").content.decode()


def test_csrf_failure_is_a_clear_page_and_changes_nothing(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post(reverse("set-language"), {"language": "nn", "next": "/"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Skjemaet var utløpt" in html and "Ingenting ble lagret" in html
    assert "site-header" in html
    citizen.refresh_from_db()
    assert citizen.preferred_language == ""


def test_403_page_is_translated():
    from django.template import loader

    with translation.override("nn"):
        html = loader.render_to_string("403.html", {})
    assert "Du har ikkje tilgang" in html


def test_500_page_renders_without_a_database_or_session():
    request = RequestFactory().get("/")
    # The municipality the middleware resolved for the request, kept on it (no query here).
    request.municipality = Municipality(number="3301", name="Eksempel kommune", phone="32 00 00 00")
    with translation.override("nn"):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Noko gjekk gale" in html and "Eksempel kommune" in html and "32 00 00 00" in html


def test_staff_header_does_not_offer_acting_for(client, caseworker):
    client.force_login(caseworker)
    html = client.get(reverse("accessibility")).content.decode()
    assert "Representerer" not in html and "Logget inn som" in html
