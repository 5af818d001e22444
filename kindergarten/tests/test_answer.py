"""The citizen's answer: accept (optionally staying on the waiting list), decline, too late;
unanswered offers expire (silence is declining) and free the place."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cases.models import Case
from kindergarten.models import Offer
from kindergarten.services import admission_run, offer_answer, offers_expire
from kindergarten.tasks import beat_schedule, periodic_expire_offers
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
    with translation.override("nb"):
        assert case.citizen_status == "Takket nei"
    with translation.override("nn"):
        assert case.citizen_status == "Takka nei"
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

    assert beat_schedule["kindergarten-expire-offers"]["task"] == periodic_expire_offers.name
    route = app.amqp.router.route({}, periodic_expire_offers.name)
    assert route["queue"].name == "periodic"
    Offer.objects.filter(pk=offer.pk).update(reply_deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert periodic_expire_offers.apply().get() == 1


@translation.override("en")
def test_waiting_for_a_higher_wish_gets_an_offer_when_it_frees_and_accepting_it_gives_up_the_first_place(
        offer, apply, caseworker):
    from kindergarten.services import admission_round_create

    first_wish = Offer.objects.exclude(pk=offer.pk).get()  # the other child holds the first wish's only place
    offer_answer(offer=offer, by=offer.case.applicant, accept=True, keep_on_waiting_list=True)
    later = admission_round_create(name="Løpende opptak", places_start=datetime.date(2027, 9, 1))
    assert admission_run(round=later, by=caseworker).offers_made == 0  # no higher place free yet

    offer_answer(offer=first_wish, by=first_wish.case.applicant, accept=False)
    assert admission_run(round=later, by=caseworker).offers_made == 1

    higher = Offer.objects.get(case=offer.case, status=Offer.Status.SENT)
    assert (higher.wish_rank, higher.kindergarten) == (1, first_wish.kindergarten)
    case = Case.objects.get(pk=offer.case_id)
    # A new offer is a new decision: the case says what the family must do now (answer it).
    assert (case.status, case.citizen_status) == (Case.Status.DECIDED, "Offer sent")
    offer_answer(offer=higher, by=case.applicant, accept=True)

    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DECLINED  # the second wish's place is free again
    case.refresh_from_db()
    assert (case.status, case.citizen_status) == (Case.Status.CLOSED, "Accepted")
    assert not Offer.objects.filter(kindergarten=offer.kindergarten, status__in=Offer.HOLDING).exists()


def test_declining_the_higher_wish_keeps_the_first_place(offer, caseworker):
    from kindergarten.services import admission_round_create

    first_wish = Offer.objects.exclude(pk=offer.pk).get()
    offer_answer(offer=offer, by=offer.case.applicant, accept=True, keep_on_waiting_list=True)
    offer_answer(offer=first_wish, by=first_wish.case.applicant, accept=False)
    admission_run(round=admission_round_create(name="Runde 2", places_start=datetime.date(2027, 9, 1)), by=caseworker)
    higher = Offer.objects.get(case=offer.case, status=Offer.Status.SENT)

    offer_answer(offer=higher, by=offer.case.applicant, accept=False)

    offer.refresh_from_db()
    assert (offer.status, offer.keep_on_waiting_list) == (Offer.Status.ACCEPTED, False)
    case = Case.objects.get(pk=offer.case_id)
    assert (case.status, case.outcome) == (Case.Status.CLOSED, "approved")
    # No longer waiting: a third round offers nothing.
    assert admission_run(round=admission_round_create(name="Runde 3", places_start=datetime.date(2027, 10, 1)),
                         by=caseworker).offers_made == 0
