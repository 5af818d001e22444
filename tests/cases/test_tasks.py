import datetime

from django.utils import timezone

from cases import services, tasks
from cases.models import Case, CaseEvent, InformationRequest


def _request(case, caseworker, days):
    return services.case_request_information(case=case, by=caseworker, text="Send attest", documents_requested="",
                                             due_date=timezone.localdate() + datetime.timedelta(days=days))


def test_overdue_request_expires_and_the_case_goes_back_to_review(case, caseworker):
    request = _request(case, caseworker, 3)
    assert services.information_requests_expire(today=timezone.localdate() + datetime.timedelta(days=3)) == 0

    assert tasks.periodic_expire_information_requests.apply().get() == 0  # not yet due
    assert services.information_requests_expire(today=timezone.localdate() + datetime.timedelta(days=4)) == 1

    request.refresh_from_db()
    case.refresh_from_db()
    assert request.status == InformationRequest.Status.EXPIRED
    assert case.status == Case.Status.UNDER_REVIEW and case.deadline_paused_at is None
    event = case.events.order_by("-created_at", "-pk").first()
    assert event.actor is None and event.kind == CaseEvent.Kind.STATUS_CHANGED
    # A second run changes nothing.
    assert services.information_requests_expire(today=timezone.localdate() + datetime.timedelta(days=4)) == 0


def test_answered_request_is_left_alone(case, caseworker, citizen):
    request = _request(case, caseworker, 3)
    services.case_information_submit(information_request=request, by=citizen, comment="Svar")
    assert services.information_requests_expire(today=timezone.localdate() + datetime.timedelta(days=10)) == 0
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.ANSWERED


def test_periodic_task_is_scheduled():
    assert tasks.beat_schedule["cases-expire-information-requests"]["task"] == \
        "cases.tasks.periodic_expire_information_requests"
