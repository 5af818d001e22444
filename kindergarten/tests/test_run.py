"""admission_run: the order of allocation (§ 18 priority, § 16 right, date), wishes by rank,
capacity and age groups, and that a second run gives nothing twice."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from cases.models import Case, Decision
from correspondence.models import Letter
from kindergarten.models import AdmissionRound, Offer, WaitingListEntry
from kindergarten.services import admission_run
from notifications.models import Notification

pytestmark = pytest.mark.django_db

HAS_RIGHT = datetime.date(2025, 3, 1)     # turns 1 before August 2026: right from August 2027
NO_RIGHT = datetime.date(2026, 10, 5)     # turns 1 in October 2027: no right for an August start
AGE_TWO = datetime.date(2025, 3, 1)       # 2 on 1 August 2027
AGE_FOUR = datetime.date(2023, 3, 1)      # 4 on 1 August 2027


def offered(case):
    return Offer.objects.filter(case=case).first()


def test_priority_before_right_before_application_date(apply, kg, admission_round, caseworker):
    small = kg(capacity=2)
    first_applied_no_right = apply(born=NO_RIGHT, wishes=[small], days_ago=30)
    right = apply(born=HAS_RIGHT, wishes=[small], days_ago=20)
    priority_applied_last = apply(born=NO_RIGHT, wishes=[small], priority=True, days_ago=1)

    result = admission_run(round=admission_round, by=caseworker)

    assert result.offers_made == 2 and result.waiting_list == 1
    assert offered(priority_applied_last) and offered(right)
    assert offered(first_applied_no_right) is None
    assert WaitingListEntry.objects.filter(case=first_applied_no_right).exists()


def test_among_equals_the_earlier_application_wins(apply, kg, admission_round, caseworker):
    one_place = kg(capacity=1)
    later = apply(born=HAS_RIGHT, wishes=[one_place], days_ago=3)
    earlier = apply(born=HAS_RIGHT, wishes=[one_place], days_ago=5)

    admission_run(round=admission_round, by=caseworker)

    assert offered(earlier).kindergarten == one_place
    assert offered(later) is None


def test_highest_ranked_wish_with_a_free_place(apply, kg, admission_round, caseworker):
    full, second, third = kg(capacity=1), kg(capacity=5), kg(capacity=5)
    apply(born=HAS_RIGHT, wishes=[full], days_ago=9)  # takes the only place in `full`
    case = apply(born=HAS_RIGHT, wishes=[full, second, third], days_ago=2)

    admission_run(round=admission_round, by=caseworker)

    offer = offered(case)
    assert (offer.kindergarten, offer.wish_rank) == (second, 2)


def test_age_groups_are_respected(apply, kg, admission_round, caseworker):
    big_children, small_children = kg(ages="3-5"), kg(ages="0-2")
    two_year_old = apply(born=AGE_TWO, wishes=[big_children, small_children])
    four_year_old = apply(born=AGE_FOUR, wishes=[small_children, big_children])

    admission_run(round=admission_round, by=caseworker)

    assert offered(two_year_old).kindergarten == small_children
    assert offered(four_year_old).kindergarten == big_children


def test_outstanding_and_accepted_offers_count_against_capacity(apply, kg, admission_round, caseworker):
    two_places = kg(capacity=2)
    a = apply(born=HAS_RIGHT, wishes=[two_places], days_ago=9)
    b = apply(born=HAS_RIGHT, wishes=[two_places], days_ago=8)
    admission_run(round=admission_round, by=caseworker)
    Offer.objects.filter(case=a).update(status=Offer.Status.ACCEPTED)  # b's offer is still outstanding
    late = apply(born=HAS_RIGHT, wishes=[two_places], days_ago=1)

    admission_run(round=admission_round, by=caseworker)

    assert offered(late) is None
    assert Offer.objects.filter(kindergarten=two_places).count() == 2
    assert offered(b).status == Offer.Status.SENT


def test_a_second_run_offers_nothing_twice(apply, kg, admission_round, caseworker):
    place = kg(capacity=1)
    winner = apply(born=HAS_RIGHT, wishes=[place], days_ago=5)
    waiting = apply(born=HAS_RIGHT, wishes=[place], days_ago=1)
    admission_run(round=admission_round, by=caseworker)
    counts = (Offer.objects.count(), Letter.objects.count(), Decision.objects.count(), Notification.objects.count())

    again = admission_run(round=admission_round, by=caseworker)

    assert (again.offers_made, again.waiting_list) == (0, 0)
    assert (Offer.objects.count(), Letter.objects.count(), Decision.objects.count(),
            Notification.objects.count()) == counts
    assert offered(winner) and offered(waiting) is None


@translation.override("en")
def test_an_offer_is_a_decision_with_a_letter_and_the_kindergarten_wording(apply, kg, admission_round, caseworker):
    place = kg(capacity=1, name="Eventyrskogen barnehage")
    case = apply(born=HAS_RIGHT, wishes=[place])

    admission_run(round=admission_round, by=caseworker)

    case.refresh_from_db()
    offer = offered(case)
    assert (case.status, case.outcome) == (Case.Status.DECIDED, "approved")
    assert case.citizen_status == "Offer sent"
    assert offer.reply_deadline == offer.created_at.date() + datetime.timedelta(days=10)
    assert offer.letter.kind == Letter.Kind.OFFER and offer.letter.case == case
    assert offer.letter.template == "kindergarten/pdf/offer.html"
    decision = case.decisions.get()
    assert (decision.outcome, decision.letter_id) == ("approved", offer.letter.pk)
    # One notice for the news: the letter's (the status change itself sends none).
    assert list(Notification.objects.filter(case=case, letter=offer.letter).values_list("template", flat=True)) == ["letter"]
    assert not Notification.objects.filter(case=case, template="case_status_changed").exists()
    admission_round.refresh_from_db()
    assert (admission_round.status, admission_round.offers_made, admission_round.run_by) == (
        AdmissionRound.Status.DONE, 1, caseworker)


@translation.override("en")
def test_a_child_without_a_place_goes_on_the_waiting_list_and_gets_one_when_a_place_is_free(
        apply, kg, admission_round, caseworker):
    from kindergarten.services import admission_round_create, offer_answer

    place = kg(capacity=1)
    first = apply(born=HAS_RIGHT, wishes=[place], days_ago=5)
    second = apply(born=HAS_RIGHT, wishes=[place], days_ago=1)
    admission_run(round=admission_round, by=caseworker)
    second.refresh_from_db()
    assert second.citizen_status == "On the waiting list"
    assert second.letters.get().kind == Letter.Kind.DECISION

    offer_answer(offer=offered(first), by=first.applicant, accept=False)
    later_round = admission_round_create(name="Løpende opptak", places_start=datetime.date(2027, 9, 1))
    result = admission_run(round=later_round, by=caseworker)

    assert result.offers_made == 1
    second.refresh_from_db()
    assert (second.status, second.outcome, second.citizen_status) == (Case.Status.DECIDED, "approved", "Offer sent")
    assert offered(second).round == later_round
    assert not WaitingListEntry.objects.filter(case=second).exists() or offered(second).status == Offer.Status.SENT


def test_cases_still_awaiting_information_or_other_types_are_left_alone(apply, kg, admission_round, caseworker):
    from tests.factories import CaseFactory

    place = kg()
    building = CaseFactory(application_type="building_permit", case_number="2026/900")
    waiting_for_info = apply(born=HAS_RIGHT, wishes=[place])
    Case.objects.filter(pk=waiting_for_info.pk).update(status=Case.Status.AWAITING_INFORMATION)

    result = admission_run(round=admission_round, by=caseworker)

    assert result.offers_made == 0 and not Offer.objects.filter(case__in=[building, waiting_for_info]).exists()


def test_only_a_caseworker_runs_a_round(admission_round, citizen):
    with pytest.raises(PermissionDenied):
        admission_run(round=admission_round, by=citizen)


def test_a_caseworker_of_another_department_changes_nothing(apply, kg, admission_round, other_caseworker):
    case = apply(born=HAS_RIGHT, wishes=[kg()])

    with pytest.raises(PermissionDenied):
        admission_run(round=admission_round, by=other_caseworker)

    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED and not Offer.objects.exists() and not Letter.objects.exists()
