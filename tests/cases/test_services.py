"""Case services: optimistic locking, deadlines paused while waiting for the citizen, requests
for information answered with uploads, decisions with letters, appeals, withdrawal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services
from cases.models import Case, CaseDocument, CaseEvent, Decision, InformationRequest
from cases.transitions import TransitionNotAllowed
from correspondence.models import Letter
from notifications.models import Notification

S = Case.Status
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name="vedlegg.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_case_create_sets_deadline_from_the_type_rule(citizen, department):
    case = services.case_create(application_type="building_permit", title="Tilbygg", department=department,
                                applicant=citizen)
    assert case.deadline == timezone.localdate() + datetime.timedelta(days=84)
    assert case.events.get().to_status == S.RECEIVED


class TestOptimisticLocking:
    def test_second_caseworker_is_told_and_nothing_is_overwritten(self, case, caseworker, colleague):
        # Both open the case at version 1.
        seen_by_first = Case.objects.get(pk=case.pk)
        seen_by_second = Case.objects.get(pk=case.pk)
        services.case_start_review(case=seen_by_first, by=caseworker, expected_version=1)

        with pytest.raises(services.CaseChanged) as changed:
            services.case_assign(case=seen_by_second, assignee=colleague, by=colleague, expected_version=1)

        # The second sees the new state; their change was not written.
        assert changed.value.case.status == S.UNDER_REVIEW
        assert changed.value.case.version == 2
        case.refresh_from_db()
        assert case.assigned_to is None and case.version == 2
        assert not case.events.filter(kind=CaseEvent.Kind.ASSIGNED).exists()

    def test_stale_version_on_transition_is_refused(self, case, caseworker):
        services.case_assign(case=case, assignee=caseworker, by=caseworker)  # version 2
        with pytest.raises(services.CaseChanged):
            services.case_transition(case=case, to_status=S.UNDER_REVIEW, by=caseworker, expected_version=1)
        case.refresh_from_db()
        assert case.status == S.RECEIVED and case.version == 2

    def test_the_update_itself_is_conditional(self, case, caseworker):
        # Someone saves between our read and our UPDATE: the conditional UPDATE catches it.
        stale = Case.objects.get(pk=case.pk)
        Case.objects.filter(pk=case.pk).update(version=5)
        with pytest.raises(services.CaseChanged):
            services._conditional_update(case=stale, expected_version=1, status=S.UNDER_REVIEW)
        assert Case.objects.get(pk=case.pk).status == S.RECEIVED


def test_refused_transition_writes_nothing(case, citizen):
    with pytest.raises(TransitionNotAllowed):
        services.case_transition(case=case, to_status=S.DECIDED, by=citizen)
    assert case.events.count() == 1
    assert not Notification.objects.filter(case=case).exists()


def test_caseworker_of_another_department_may_not_change_the_case(case, other_caseworker):
    with pytest.raises(PermissionDenied):
        services.case_start_review(case=case, by=other_caseworker)
    case.refresh_from_db()
    assert case.status == S.RECEIVED


def test_other_citizen_may_not_withdraw(case, other_citizen):
    with pytest.raises(PermissionDenied):
        services.case_withdraw(case=case, by=other_citizen)


def test_notification_is_an_outbox_row_once_per_version(case, caseworker):
    services.case_start_review(case=case, by=caseworker)
    notification = Notification.objects.get(case=case)
    assert notification.status == Notification.Status.CREATED
    assert notification.template == "case_status_changed"
    assert notification.context["status"] == S.UNDER_REVIEW
    assert notification.idempotency_key == f"case:{case.pk}:v2"


class TestInformationRequest:
    def test_request_pauses_deadline_and_sends_letter(self, case, caseworker):
        due = timezone.localdate() + datetime.timedelta(days=14)
        request = services.case_request_information(case=case, by=caseworker, text="Vi trenger legeerklæring.",
                                                    documents_requested="Legeerklæring", due_date=due)
        case.refresh_from_db()
        assert case.status == S.AWAITING_INFORMATION
        assert case.deadline_paused_at is not None
        assert request.status == InformationRequest.Status.OPEN
        letter = Letter.objects.get(pk=request.letter_id)
        assert letter.kind == Letter.Kind.INFORMATION_REQUEST
        assert letter.template == "correspondence/pdf/information_request.html"
        assert letter.context["due_date"] == due.isoformat()
        assert letter.needs_notice and letter.case == case
        assert case.events.get(kind=CaseEvent.Kind.INFORMATION_REQUESTED).text == "Vi trenger legeerklæring."

    def test_due_date_in_the_past_is_refused(self, case, caseworker):
        with pytest.raises(ValidationError):
            services.case_request_information(case=case, by=caseworker, text="x", documents_requested="",
                                              due_date=timezone.localdate())
        case.refresh_from_db()
        assert case.status == S.RECEIVED and not case.information_requests.exists()

    def test_answer_with_upload_resumes_and_extends_the_deadline(self, case, caseworker, citizen):
        request = services.case_request_information(case=case, by=caseworker, text="Send legeerklæring",
                                                    documents_requested="Legeerklæring",
                                                    due_date=timezone.localdate() + datetime.timedelta(days=14))
        deadline_before = Case.objects.get(pk=case.pk).deadline
        # Ten days pass while the case waits for the citizen.
        Case.objects.filter(pk=case.pk).update(deadline_paused_at=timezone.now() - datetime.timedelta(days=10))

        documents = services.case_information_submit(information_request=request, by=citizen,
                                                     files=[pdf_file()], comment="Her er den.")

        case.refresh_from_db()
        assert case.status == S.UNDER_REVIEW
        assert case.deadline == deadline_before + datetime.timedelta(days=10)
        assert case.deadline_paused_at is None
        assert [d.original_name for d in documents] == ["vedlegg.pdf"]
        assert documents[0].content_type == "application/pdf"
        assert default_storage.exists(documents[0].file.name)
        assert "vedlegg" not in documents[0].file.name  # server-generated name
        request.refresh_from_db()
        assert request.status == InformationRequest.Status.ANSWERED and request.answer_text == "Her er den."

    def test_a_bad_file_is_refused_and_nothing_is_kept(self, case, caseworker, citizen):
        request = services.case_request_information(case=case, by=caseworker, text="Send legeerklæring",
                                                    documents_requested="",
                                                    due_date=timezone.localdate() + datetime.timedelta(days=14))
        fake = SimpleUploadedFile("legeerklaering.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
        with pytest.raises(ValidationError) as refused:
            services.case_information_submit(information_request=request, by=citizen, files=[pdf_file(), fake])
        assert refused.value.code == "type_not_allowed"
        assert "legeerklaering.pdf" in refused.value.messages[0]
        assert not CaseDocument.objects.exists()
        request.refresh_from_db()
        assert request.status == InformationRequest.Status.OPEN
        assert Case.objects.get(pk=case.pk).status == S.AWAITING_INFORMATION

    def test_empty_answer_is_refused(self, case, caseworker, citizen):
        request = services.case_request_information(case=case, by=caseworker, text="x", documents_requested="",
                                                    due_date=timezone.localdate() + datetime.timedelta(days=3))
        with pytest.raises(ValidationError) as refused:
            services.case_information_submit(information_request=request, by=citizen, files=[], comment=" ")
        assert refused.value.code == "empty"

    def test_other_citizen_cannot_answer(self, case, caseworker, other_citizen):
        request = services.case_request_information(case=case, by=caseworker, text="x", documents_requested="",
                                                    due_date=timezone.localdate() + datetime.timedelta(days=3))
        with pytest.raises(PermissionDenied):
            services.case_information_submit(information_request=request, by=other_citizen, files=[pdf_file()])


class TestDecision:
    def test_decide_writes_decision_and_letter_with_appeal_deadline(self, case, caseworker):
        services.case_start_review(case=case, by=caseworker)
        decision = services.case_decide(case=case, by=caseworker, outcome="approved",
                                        reasoning="Barnet har rett til plass.", legal_basis="barnehageloven § 16")
        case.refresh_from_db()
        assert case.status == S.DECIDED and case.decided_at is not None
        assert decision.appeal_deadline == timezone.localdate() + datetime.timedelta(days=21)
        letter = Letter.objects.get(pk=decision.letter_id)
        assert letter.kind == Letter.Kind.DECISION and letter.template == "correspondence/pdf/decision.html"
        assert letter.context["appeal_deadline"] == decision.appeal_deadline.isoformat()
        assert letter.context["legal_basis"] == "barnehageloven § 16"

    @pytest.mark.parametrize(("field", "value"), [("outcome", "maybe"), ("reasoning", ""), ("legal_basis", " ")])
    def test_incomplete_decision_is_refused(self, case, caseworker, field, value):
        services.case_start_review(case=case, by=caseworker)
        data = {"outcome": "rejected", "reasoning": "Fordi.", "legal_basis": "§ 1", field: value}
        with pytest.raises(ValidationError):
            services.case_decide(case=case, by=caseworker, **data)
        assert Case.objects.get(pk=case.pk).status == S.UNDER_REVIEW
        assert not Decision.objects.exists()

    def test_appeal_before_deadline_then_reopen(self, case, caseworker, citizen):
        services.case_start_review(case=case, by=caseworker)
        services.case_decide(case=case, by=caseworker, outcome="rejected", reasoning="Nei.", legal_basis="§ 1")
        services.case_close(case=case, by=caseworker)
        services.case_appeal(case=case, by=citizen, text="Jeg er uenig.")
        case.refresh_from_db()
        assert case.status == S.APPEALED
        services.case_reopen_on_appeal(case=case, by=caseworker)
        case.refresh_from_db()
        assert case.status == S.UNDER_REVIEW
        # The appeal is processed within a new deadline from the type's own rule (kindergarten:
        # 6 weeks; it was once a copy that said 56 days).
        assert case.deadline == timezone.localdate() + datetime.timedelta(weeks=6)

    def test_appeal_after_the_deadline_is_refused(self, case, caseworker, citizen):
        services.case_start_review(case=case, by=caseworker)
        decision = services.case_decide(case=case, by=caseworker, outcome="rejected", reasoning="Nei.",
                                        legal_basis="§ 1")
        Decision.objects.filter(pk=decision.pk).update(appeal_deadline=timezone.localdate() - datetime.timedelta(days=1))
        with pytest.raises(ValidationError) as refused:
            services.case_appeal(case=case, by=citizen, text="For sent?")
        assert refused.value.code == "too_late"
        assert Case.objects.get(pk=case.pk).status == S.DECIDED

    def test_withdraw_after_decision_is_refused(self, case, caseworker, citizen):
        services.case_start_review(case=case, by=caseworker)
        services.case_decide(case=case, by=caseworker, outcome="approved", reasoning="Ja.", legal_basis="§ 1")
        with pytest.raises(TransitionNotAllowed):
            services.case_withdraw(case=case, by=citizen)


def test_withdraw_cancels_open_requests(case, caseworker, citizen):
    request = services.case_request_information(case=case, by=caseworker, text="x", documents_requested="",
                                                due_date=timezone.localdate() + datetime.timedelta(days=3))
    services.case_withdraw(case=case, by=citizen, reason="Fikk plass et annet sted.")
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.CANCELLED
    assert Case.objects.get(pk=case.pk).status == S.WITHDRAWN


def test_assign_only_to_staff_of_the_department(case, caseworker, other_caseworker):
    with pytest.raises(ValidationError):
        services.case_assign(case=case, assignee=other_caseworker, by=caseworker)
    services.case_assign(case=case, assignee=caseworker, by=caseworker)
    event = Case.objects.get(pk=case.pk).events.get(kind=CaseEvent.Kind.ASSIGNED)
    assert not event.public


def test_note_is_internal(case, caseworker):
    note = services.case_note_add(case=case, by=caseworker, text="Ring mor i morgen.")
    assert not note.public and note.text == "" and note.internal_text == "Ring mor i morgen."




def test_one_notice_per_decision_the_letter_carries_it(case, caseworker):
    services.case_start_review(case=case, by=caseworker)
    decision = services.case_decide(case=case, by=caseworker, outcome="approved", reasoning="Ja.", legal_basis="§ 1")
    status_notices = Notification.objects.filter(case=case, template="case_status_changed")
    assert list(status_notices.values_list("context__status", flat=True)) == [S.UNDER_REVIEW]
    assert Notification.objects.filter(letter_id=decision.letter_id).exists()  # the letter's own notice
