"""Optimistic locking under real concurrency (PostgreSQL): two caseworkers save the same
case at the same moment; exactly one change is written, the other is told."""

import threading

import pytest
from django.db import connection, transaction

from cases import services
from cases.models import Case, CaseEvent
from notifications.models import Notification
from tests.factories import in_test_context


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_caseworkers_at_once_one_wins(case, caseworker, colleague):
    barrier = threading.Barrier(2)
    outcomes = {}

    def work(name, user, to_status):
        try:
            seen = Case.objects.get(pk=case.pk)  # both read version 1
            barrier.wait()
            services.case_transition(case=seen, to_status=to_status, by=user, expected_version=1)
            outcomes[name] = "saved"
        except services.CaseChanged as changed:
            outcomes[name] = ("told", changed.case.version)
        finally:
            connection.close()

    threads = [threading.Thread(target=in_test_context(work), args=("a", caseworker, "under_review")),
               threading.Thread(target=in_test_context(work), args=("b", colleague, "awaiting_information"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(str(v) for v in outcomes.values()) == ["('told', 2)", "saved"]
    case.refresh_from_db()
    assert case.version == 2
    assert case.events.filter(kind=CaseEvent.Kind.STATUS_CHANGED).exclude(to_status="received").count() == 1
    assert Notification.objects.filter(case=case).count() == 1


def test_notification_is_enqueued_only_after_commit(case, caseworker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_start_review(case=case, by=caseworker)
    assert Notification.objects.filter(case=case, status=Notification.Status.CREATED).count() == 1
    assert len(callbacks) >= 1  # delivery waits for the commit


def test_rolled_back_transition_leaves_no_trace(case, caseworker):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.case_start_review(case=case, by=caseworker)
        raise Boom
    case.refresh_from_db()
    assert case.status == "received" and case.version == 1
    assert not Notification.objects.filter(case=case).exists()
    assert case.events.count() == 1
