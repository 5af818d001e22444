"""The home page's sections: each app registers a provider; None means nothing to show."""

import pytest
from django.urls import reverse

from core import dashboard

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


def test_sections_are_placed_by_their_order(rf, citizen, providers):
    dashboard.section(lambda request: ("settings.html", {}), order=90)
    dashboard.section(order=10)(lambda request: ("must-answer.html", {}))
    dashboard.section(lambda request: ("default.html", {}))
    request = rf.get("/")
    request.user = citizen
    names = [name for name, _context in dashboard.dashboard_sections(request)]
    assert names == ["must-answer.html", "default.html", "settings.html"]


def test_what_the_citizen_must_answer_comes_before_the_rest():
    from core.dashboard import SECTION_PROVIDERS

    modules = [provider.__module__ for _order, provider in SECTION_PROVIDERS]
    assert modules.index("cases.dashboard") < modules.index("applications.dashboard") < modules.index("notifications.dashboard")
