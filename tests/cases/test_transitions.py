"""The transition table, exhaustively: every (from, to) pair for every kind of actor is either
allowed (and then case_transition makes exactly that change) or refused (and nothing changes)."""

import itertools

import pytest
from django.utils import translation

from cases.models import Case, CaseEvent
from cases.services import case_transition
from cases.transitions import (
    ACTORS,
    CASEWORKER,
    CITIZEN,
    SYSTEM,
    TRANSITIONS,
    TransitionNotAllowed,
    allowed_targets,
    citizen_wording,
    is_allowed,
)
from notifications.models import Notification
from tests.factories import CaseFactory

S = Case.Status
# The lifecycle as the issue describes it, written out independently of the table.
EXPECTED_ALLOWED = {
    (S.RECEIVED, S.UNDER_REVIEW, CASEWORKER), (S.RECEIVED, S.UNDER_REVIEW, SYSTEM),
    (S.RECEIVED, S.AWAITING_INFORMATION, CASEWORKER), (S.RECEIVED, S.AWAITING_INFORMATION, SYSTEM),
    (S.RECEIVED, S.WITHDRAWN, CITIZEN),
    (S.UNDER_REVIEW, S.AWAITING_INFORMATION, CASEWORKER),
    (S.UNDER_REVIEW, S.DECIDED, CASEWORKER),
    (S.UNDER_REVIEW, S.WITHDRAWN, CITIZEN),
    (S.AWAITING_INFORMATION, S.UNDER_REVIEW, CITIZEN), (S.AWAITING_INFORMATION, S.UNDER_REVIEW, CASEWORKER),
    (S.AWAITING_INFORMATION, S.UNDER_REVIEW, SYSTEM),
    (S.AWAITING_INFORMATION, S.WITHDRAWN, CITIZEN),
    (S.DECIDED, S.CLOSED, CASEWORKER), (S.DECIDED, S.CLOSED, SYSTEM),
    (S.DECIDED, S.APPEALED, CITIZEN), (S.CLOSED, S.APPEALED, CITIZEN),
    (S.APPEALED, S.UNDER_REVIEW, CASEWORKER),
}
ALL_TRIPLES = list(itertools.product(S.values, S.values, ACTORS))


def test_table_is_the_documented_lifecycle():
    in_table = {(frm, to, actor) for (frm, to), actors in TRANSITIONS.items() for actor in actors}
    assert in_table == EXPECTED_ALLOWED


def test_no_decided_case_can_be_withdrawn_and_nothing_leaves_withdrawn():
    assert not any(frm == S.WITHDRAWN for frm, _to in TRANSITIONS)
    assert (S.DECIDED, S.WITHDRAWN) not in TRANSITIONS and (S.CLOSED, S.WITHDRAWN) not in TRANSITIONS


@pytest.mark.parametrize(("from_status", "to_status", "actor"), ALL_TRIPLES,
                         ids=[f"{f}->{t}-by-{a}" for f, t, a in ALL_TRIPLES])
@pytest.mark.django_db
def test_every_pair_for_every_actor(from_status, to_status, actor, citizen, caseworker, department):
    # A type that adds nothing to the table (a registered service may: see below).
    case = CaseFactory(status=from_status, applicant=citizen, department=department, application_type="dog_licence")
    by = {CITIZEN: citizen, CASEWORKER: caseworker, SYSTEM: None}[actor]

    if (from_status, to_status, actor) in EXPECTED_ALLOWED:
        result = case_transition(case=case, to_status=to_status, by=by, public_text="ok")
        assert result.status == to_status
        assert result.version == 2
        event = CaseEvent.objects.get(case=case)
        assert (event.from_status, event.to_status, event.actor) == (from_status, to_status, by)
        notification = Notification.objects.get(case=case)
        assert notification.recipient == citizen
        assert notification.idempotency_key == f"case:{case.pk}:v2"
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            case_transition(case=case, to_status=to_status, by=by)
        assert from_status in str(refused.value) and to_status in str(refused.value)
        case.refresh_from_db()
        assert (case.status, case.version) == (from_status, 1)
        assert not CaseEvent.objects.filter(case=case).exists()
        assert not Notification.objects.filter(case=case).exists()


def test_a_type_adds_its_own_transitions_and_only_for_its_cases():
    # A later admission round decides a kindergarten case again (a new offer); nothing else may.
    assert is_allowed(S.DECIDED, S.DECIDED, CASEWORKER, application_type="kindergarten")
    assert is_allowed(S.CLOSED, S.DECIDED, CASEWORKER, application_type="kindergarten")
    assert not is_allowed(S.CLOSED, S.DECIDED, CITIZEN, application_type="kindergarten")
    assert not is_allowed(S.DECIDED, S.DECIDED, CASEWORKER, application_type="building_permit")
    assert not is_allowed(S.DECIDED, S.DECIDED, CASEWORKER)
    assert S.DECIDED in allowed_targets(S.CLOSED, CASEWORKER, application_type="kindergarten")
    assert S.DECIDED not in allowed_targets(S.CLOSED, CASEWORKER, application_type="building_permit")


@translation.override("en")
def test_kindergarten_has_its_own_words_and_others_fall_back():
    assert citizen_wording(application_type="kindergarten", status=S.DECIDED, outcome="approved") == "Offer sent"
    assert citizen_wording(application_type="kindergarten", status=S.DECIDED, outcome="rejected") == "On the waiting list"
    assert citizen_wording(application_type="kindergarten", status=S.CLOSED, outcome="approved") == "Accepted"
    assert citizen_wording(application_type="kindergarten", status=S.RECEIVED) == "Application received"
    assert citizen_wording(application_type="building_permit", status=S.DECIDED, outcome="approved") == "Permit granted"
    assert citizen_wording(application_type="dog_licence", status=S.DECIDED, outcome="approved") == "Approved"
    assert citizen_wording(application_type="dog_licence", status=S.AWAITING_INFORMATION) == "Waiting for information from you"
