"""The home page's sections: each app registers a provider; None means nothing to show."""

import pytest
from django.urls import reverse

from minside import dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(monkeypatch):
    registered = []
    monkeypatch.setattr(dashboard, "SECTION_PROVIDERS", registered)
    return registered


def test_sections_in_registration_order_and_empty_ones_skipped(rf, citizen, providers):
    dashboard.section(lambda request: ("first.html", {"n": 1}))
    dashboard.section(lambda request: None)
    dashboard.section(lambda request: ("second.html", {"n": 2}))
    request = rf.get("/")
    request.user = citizen
    assert dashboard.dashboard_sections(request) == [("first.html", {"n": 1}), ("second.html", {"n": 2})]


def test_home_without_sections_says_there_is_nothing_yet(client, citizen, providers):
    client.force_login(citizen)
    html = client.get(reverse("home")).content.decode()
    assert "Du har ingen søknader, saker eller brev ennå." in html
