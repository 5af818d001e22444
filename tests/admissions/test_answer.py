"""The citizen's answer: accept (optionally staying on the waiting list), decline, too late;
unanswered offers expire (silence is declining) and free the place."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from admissions.models import Offer
from admissions.services import admission_run, offer_answer, offers_expire
from admissions.tasks import beat_schedule, periodic_expire_offers
from cases.models import Case
from notifications.models import Notification

from .test_run import HAS_RIGHT

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(apply, kg, admission_round, caseworker):
    first, second = kg(capacity=1, name="Solsikken barnehage"), kg(capacity=5, name="Elvebredden barnehage")
    apply(born=HAS_RIGHT, wishes=[first], days_ago=20)  # takes the first wish's only place
    case = apply(born=HAS_RIGHT, wishes=[first, second], days_ago=2)
    admission_run(round=admission_round, by=caseworker)
    return Offer.objects.select_related("case").get(case=case)


@translation.override("en")
def test_accept(offer):
    offer_answer(offer=offer, by=offer.case.applicant, accept=True)

    offer.refresh_from_db()
    case = Case.objects.get(pk=offer.case_id)
    assert (offer.status, offer.answered_by, offer.keep_on_waiting_list) == (Offer.Status.ACCEPTED, case.applicant, False)
    assert (case.status, case.citizen_status) == (Case.Status.CLOSED, "Accepted")
    assert case.events.filter(text="Du takket ja til plassen i Elvebredden barnehage.").exists()


@translation.override("en")
def test_accept_and_stay_on_the_waiting_list_for_a_higher_wish(offer):
    offer_answer(offer=offer, by=offer.case.applicant, accept=True, keep_on_waiting_list=True)

    offer.refresh_from_db()
    assert offer.keep_on_waiting_list is True
    assert Case.objects.get(pk=offer.case_id).citizen_status == "Accepted, on the waiting list for a higher wish"


def test_decline_frees_the_place(offer, apply, caseworker, admission_round):
    offer_answer(offer=offer, by=offer.case.applicant, accept=False)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED
    case = Case.objects.get(pk=offer.case_id)
    assert (case.status, case.outcome) == (Case.Status.CLOSED, "declined")
    next_child = apply(born=HAS_RIGHT, wishes=[offer.kindergarten])
    admission_run(round=admission_round, by=caseworker)
    assert Offer.objects.get(case=next_child).kindergarten == offer.kindergarten


def test_an_answer_after_the_deadline_is_refused_and_nothing_changes(offer):
    Offer.objects.filter(pk=offer.pk).update(reply_deadline=timezone.localdate() - datetime.timedelta(days=1))
    offer.refresh_from_db()

    with translation.override("en"), pytest.raises(ValidationError, match="deadline for answering") as refused:
        offer_answer(offer=offer, by=offer.case.applicant, accept=True)

    assert refused.value.code == "too_late"
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT
    assert Case.objects.get(pk=offer.case_id).status == Case.Status.DECIDED


def test_answering_twice_is_refused(offer):
    offer_answer(offer=offer, by=offer.case.applicant, accept=True)

    with pytest.raises(ValidationError) as refused:
        offer_answer(offer=offer, by=offer.case.applicant, accept=False)

    assert refused.value.code == "answered"
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.ACCEPTED


def test_another_citizen_may_not_answer(offer, other_citizen):
    with pytest.raises(PermissionDenied):
        offer_answer(offer=offer, by=other_citizen, accept=False)
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT


def test_unanswered_offers_expire_after_the_deadline_and_free_the_place(offer):
    answered = Offer.objects.exclude(pk=offer.pk).get()
    offer_answer(offer=answered, by=answered.case.applicant, accept=True)
    today = offer.reply_deadline
    assert offers_expire(today=today) == 0  # the deadline day itself is still open

    assert offers_expire(today=today + datetime.timedelta(days=1)) == 1

    offer.refresh_from_db()
    case = Case.objects.get(pk=offer.case_id)
    assert offer.status == Offer.Status.EXPIRED
    assert (case.status, case.outcome) == (Case.Status.CLOSED, "declined")
    # The citizen is told (silence counted as declining).
    assert Notification.objects.filter(case=case, template="case_status_changed").exists()
    assert not Offer.objects.filter(kindergarten=offer.kindergarten, status__in=Offer.HOLDING).exists()
    assert offers_expire(today=today + datetime.timedelta(days=1)) == 0  # idempotent
    assert Offer.objects.get(pk=answered.pk).status == Offer.Status.ACCEPTED  # an answered offer stays


def test_expiry_is_a_periodic_task_on_the_periodic_queue(offer, settings):
    from minside.celery import app

    assert beat_schedule["admissions-expire-offers"]["task"] == periodic_expire_offers.name
    route = app.amqp.router.route({}, periodic_expire_offers.name)
    assert route["queue"].name == "periodic"
    Offer.objects.filter(pk=offer.pk).update(reply_deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert periodic_expire_offers.apply().get() == 1
