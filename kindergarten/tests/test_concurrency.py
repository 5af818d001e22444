"""Two admission runs at the same time (two caseworkers, or a redelivered task next to a
click) must not give the same place twice: they lock the kindergartens in the same order, so
the second allocates after the first has committed and counts its offers."""

import threading

import pytest
from django.db import connection

from kindergarten.models import Offer
from kindergarten.services import admission_round_create, admission_run
from tests.factories import in_test_context

from .conftest import PLACES_START
from .test_run import HAS_RIGHT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_do_not_over_allocate(apply, kg, caseworker):
    one_place, two_places = kg(capacity=1), kg(capacity=2)
    cases = [apply(born=HAS_RIGHT, wishes=[one_place, two_places], days_ago=10 - i) for i in range(6)]
    rounds = [admission_round_create(name=f"Runde {i}", places_start=PLACES_START) for i in range(2)]
    start = threading.Barrier(2)
    results, errors = [], []

    def run(round):
        try:
            start.wait()
            results.append(admission_run(round=round, by=caseworker))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=in_test_context(run), args=(r,)) for r in rounds]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert not errors
    assert Offer.objects.filter(kindergarten=one_place).count() == 1
    assert Offer.objects.filter(kindergarten=two_places).count() == 2
    assert sum(r.offers_made for r in results) == 3
    # Each child at most one offer; the three earliest applicants got them.
    assert sorted(Offer.objects.values_list("case", flat=True)) == sorted(c.pk for c in cases[:3])
