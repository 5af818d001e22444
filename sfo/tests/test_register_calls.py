"""Once-only: the population register is asked once per operation for what it knows, not once
per form, summary line and check (registers.snapshot). Counted at the adapter, as the real
register would count them."""

import pytest
from django.urls import reverse

from applications.models import Application
from applications.services import application_run_automated_checks
from registers.adapters import _instance
from registers.population import LocalPopulationRegister

pytestmark = pytest.mark.django_db


class CountingPopulationRegister(LocalPopulationRegister):
    """The local register, counting the calls that reach it from outside."""

    calls: list[tuple[str, str]] = []

    def person(self, national_id):
        CountingPopulationRegister.calls.append(("person", national_id))
        return LocalPopulationRegister.person(LocalPopulationRegister(), national_id)

    def children_of(self, national_id):
        CountingPopulationRegister.calls.append(("children_of", national_id))
        return LocalPopulationRegister.children_of(LocalPopulationRegister(), national_id)


@pytest.fixture
def counting_register(settings):
    settings.POPULATION_REGISTER_ADAPTER = f"{__name__}.CountingPopulationRegister"
    _instance.cache_clear()
    CountingPopulationRegister.calls = []
    yield CountingPopulationRegister.calls
    _instance.cache_clear()


def test_an_sfo_submit_asks_the_register_at_most_three_times(client, kari, school, draft, counting_register):
    application = draft(kari, school)
    counting_register.clear()
    client.force_login(kari)
    response = client.post(reverse("applications:summary", args=[application.pk]))
    assert response.status_code == 302, response.content.decode()[:500]
    assert Application.objects.get(pk=application.pk).case is not None
    # children_of(Kari) and person(Per, the other guardian): the validation, the summary frozen
    # in the record, the case title, the receipt, the facts and the automated checks share them.
    assert 1 <= len(counting_register) <= 3, counting_register
    assert counting_register.count(("children_of", kari.national_id)) == 1
    print(f"register calls for one SFO submit: {len(counting_register)}")


def test_the_automated_checks_ask_the_register_once(client, kari, school, draft, counting_register):
    application = draft(kari, school)
    client.force_login(kari)
    client.post(reverse("applications:summary", args=[application.pk]))
    counting_register.clear()
    application_run_automated_checks(case_id=Application.objects.get(pk=application.pk).case_id)
    assert counting_register == [("children_of", kari.national_id)]
