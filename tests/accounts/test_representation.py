"""Choosing whom to act for (like Altinn's party choice): only organisations the person holds a
representation for today, re-checked on every request."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import ACTING_FOR_SESSION_KEY
from tests.factories import OrganisationFactory, RepresentationFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_citizen_with_a_valid_representation_is_asked_whom_to_act_for(client, citizen):
    representation = RepresentationFactory(person=citizen, organisation__name="Nordmann Eiendom AS")
    client.force_login(citizen)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:choose-party")
    page = client.get(reverse("accounts:choose-party")).content.decode()
    assert "Nordmann Eiendom AS" in page
    assert representation.organisation.organisation_number in page


def test_choosing_an_organisation_shows_it_in_the_header(client, citizen):
    representation = RepresentationFactory(person=citizen, organisation__name="Nordmann Eiendom AS")
    client.force_login(citizen)
    response = client.post(reverse("accounts:choose-party"), {"party": str(representation.organisation.pk)})
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "Representerer: <strong>Nordmann Eiendom AS</strong>" in " ".join(home.split())
    assert "Min Side for Nordmann Eiendom AS" in home
    assert "Du representerer nå Nordmann Eiendom AS." in home


def test_changing_back_to_yourself(client, citizen):
    representation = RepresentationFactory(person=citizen)
    client.force_login(citizen)
    client.post(reverse("accounts:choose-party"), {"party": str(representation.organisation.pk)})
    client.post(reverse("accounts:choose-party"), {"party": "self"})
    home = client.get(reverse("home")).content.decode()
    assert "Representerer: <strong>deg selv</strong>" in " ".join(home.split())
    assert f"Velkommen, {citizen.first_name}" in home


@pytest.mark.parametrize("dates", [
    {"valid_from": datetime.date(2020, 1, 1), "valid_to": datetime.date(2026, 11, 23)},   # ended yesterday-ish
    {"valid_from": datetime.date(2099, 1, 1), "valid_to": None},                          # starts in the future
], ids=["expired", "future"])
def test_expired_or_future_representation_does_not_count(client, citizen, dates):
    if dates["valid_to"] is not None:
        dates["valid_to"] = today() - datetime.timedelta(days=1)
    representation = RepresentationFactory(person=citizen, **dates)
    client.force_login(citizen)
    assert client.get(reverse("home")).status_code == 200  # not asked to choose
    response = client.post(reverse("accounts:choose-party"), {"party": str(representation.organisation.pk)})
    assert response["Location"] == reverse("accounts:choose-party")
    assert client.session.get(ACTING_FOR_SESSION_KEY) is None
    page = client.get(reverse("accounts:choose-party")).content.decode()
    assert "Du kan ikke representere den organisasjonen" in page
    assert representation.organisation.name not in page


def test_representation_valid_until_today_counts(client, citizen):
    representation = RepresentationFactory(person=citizen, valid_from=today(), valid_to=today())
    client.force_login(citizen)
    client.post(reverse("accounts:choose-party"), {"party": str(representation.organisation.pk)})
    assert client.session[ACTING_FOR_SESSION_KEY] == str(representation.organisation.pk)


@pytest.mark.parametrize("choice", ["not-a-uuid", "", "00000000-0000-0000-0000-000000000000"])
def test_garbage_choice_is_refused(client, citizen, choice):
    RepresentationFactory(person=citizen)
    client.force_login(citizen)
    response = client.post(reverse("accounts:choose-party"), {"party": choice})
    assert response["Location"] == reverse("accounts:choose-party")
    assert client.session.get(ACTING_FOR_SESSION_KEY) is None


def test_choosing_an_organisation_you_do_not_represent_is_refused(client, citizen, other_citizen):
    RepresentationFactory(person=citizen)
    someone_elses = RepresentationFactory(person=other_citizen).organisation
    unrelated = OrganisationFactory()
    client.force_login(citizen)
    for organisation in (someone_elses, unrelated):
        response = client.post(reverse("accounts:choose-party"), {"party": str(organisation.pk)})
        assert response["Location"] == reverse("accounts:choose-party")
        assert client.session.get(ACTING_FOR_SESSION_KEY) is None


def test_representation_ending_mid_session_stops_working(client, citizen):
    representation = RepresentationFactory(person=citizen, organisation__name="Gammel AS")
    client.force_login(citizen)
    client.post(reverse("accounts:choose-party"), {"party": str(representation.organisation.pk)})
    assert "Gammel AS" in client.get(reverse("home")).content.decode()
    representation.valid_to = today() - datetime.timedelta(days=1)
    representation.save()
    home = client.get(reverse("home")).content.decode()
    assert "Gammel AS" not in home
    assert ACTING_FOR_SESSION_KEY not in client.session


def test_party_choice_needs_login(client):
    response = client.get(reverse("accounts:choose-party"))
    assert response.status_code == 302 and "logg-inn" in response["Location"]


def test_choose_party_page_query_count_is_flat(client, citizen, django_assert_max_num_queries):
    for _ in range(3):
        RepresentationFactory(person=citizen)
    client.force_login(citizen)
    client.get(reverse("accounts:choose-party"))
    # session, user, the organisations, the header's "has representations" check, session save;
    # plus what other apps add to every page (the unread-inbox badge of correspondence).
    with django_assert_max_num_queries(9) as small_queries:
        small = client.get(reverse("accounts:choose-party"))
    for _ in range(20):
        RepresentationFactory(person=citizen)
    with django_assert_max_num_queries(9) as big_queries:
        big = client.get(reverse("accounts:choose-party"))
    assert len(big_queries.captured_queries) == len(small_queries.captured_queries)
    assert big.content.decode().count('name="party"') == small.content.decode().count('name="party"') + 20


def test_change_link_only_for_people_with_a_valid_representation(client, citizen):
    RepresentationFactory(person=citizen, valid_from=datetime.date(2020, 1, 1),
                          valid_to=today() - datetime.timedelta(days=1))
    client.force_login(citizen)
    assert reverse("accounts:choose-party") not in client.get(reverse("home")).content.decode()
    RepresentationFactory(person=citizen)
    client.post(reverse("accounts:choose-party"), {"party": "self"})
    assert reverse("accounts:choose-party") in client.get(reverse("home")).content.decode()
