"""Once-only: the population register is asked once per operation for what it knows, not once
per form, summary line and check (registers.snapshot). Counted at the adapter, as the real
register would count them."""

import pytest
from django.urls import reverse

from accounts.selectors import Party
from accounts.services import citizen_get_or_create
from applications.models import Application
from applications.services import application_start
from registers import demo_data
from registers.adapters import _instance
from registers.population import LocalPopulationRegister
from tests.applications.conftest import kindergarten_data

from .factories import KindergartenFactory

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


@pytest.fixture
def kari_with_a_complete_draft(db, department, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kari = citizen_get_or_create(national_id=demo_data.KARI)
    draft = application_start(type_key="kindergarten", party=Party(person=kari))
    draft.data = kindergarten_data([KindergartenFactory(), KindergartenFactory()])
    draft.save()
    return kari, draft


def test_a_kindergarten_submit_asks_the_register_at_most_three_times(client, kari_with_a_complete_draft,
                                                                   counting_register):
    kari, draft = kari_with_a_complete_draft
    client.force_login(kari)
    response = client.post(reverse("applications:summary", args=[draft.pk]))
    assert response.status_code == 302, response.content.decode()[:500]
    assert Application.objects.get(pk=draft.pk).case is not None
    # children_of(Kari) and person(Per, the other guardian): the validation, the summary frozen
    # in the record, the case title, the receipt, the facts and the automated checks share them.
    assert len(counting_register) <= 3, counting_register
    print(f"register calls for one kindergarten submit: {len(counting_register)}")


def test_the_summary_page_asks_the_register_at_most_three_times(client, kari_with_a_complete_draft,
                                                                counting_register):
    kari, draft = kari_with_a_complete_draft
    client.force_login(kari)
    assert client.get(reverse("applications:summary", args=[draft.pk])).status_code == 200
    assert len(counting_register) <= 3, counting_register
    print(f"register calls for the summary page: {len(counting_register)}")


def test_an_admission_run_asks_the_register_nothing_for_cases_with_frozen_facts(kari_with_a_complete_draft,
                                                                                counting_register, caseworker):
    from applications.services import application_submit
    from kindergarten.services import admission_round_create, admission_run

    kari, draft = kari_with_a_complete_draft
    case = application_submit(application=draft, by=kari)
    assert case.facts["child_first_name"] == "Emma" and case.facts["child_birth_date"] == "2026-03-10"
    counting_register.clear()
    import datetime

    admission_run(round=admission_round_create(name="Runde", places_start=datetime.date(2027, 8, 1)), by=caseworker)
    assert counting_register == []
