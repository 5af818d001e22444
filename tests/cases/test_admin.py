"""The caseworker's queue and case page in /saksbehandling/."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseEvent, Decision
from tests.factories import CaseFactory, CitizenFactory, DepartmentFactory, StaffFactory

CHANGELIST = "caseworker:cases_case_changelist"


def change_url(case):
    return reverse("caseworker:cases_case_change", args=[case.pk])


def action_url(case, action):
    return reverse("caseworker:cases_case_action", args=[case.pk, action])


def _make_cases(n, department, **kwargs):
    applicants = CitizenFactory.create_batch(min(n, 20))
    start = Case.objects.count()
    return Case.objects.bulk_create([
        CaseFactory.build(department=department, applicant=applicants[i % len(applicants)],
                          case_number=f"2026/{100000 + start + i}", **kwargs)
        for i in range(n)
    ])


def _queue_queries(client, n_before, n_after, department):
    counts = []
    for n in (n_before, n_after):
        _make_cases(n - Case.objects.filter(department=department).count(), department)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(CHANGELIST))
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == min(n, 50)
        counts.append(len(captured))
    return counts


def test_queue_query_count_is_flat_from_10_to_1000_cases(client, caseworker, department):
    _make_cases(5, DepartmentFactory(code="byggesak"))  # not in the caseworker's queue
    client.force_login(caseworker)
    small, large = _queue_queries(client, 10, 1000, department)
    # session, user, "is a caseworker" (once, cached), the department filter's choices, the
    # filtered count, one page of cases with applicant and assignee joined, the permission
    # lookups of the other apps' registrations on the site, the session save.
    print(f"queue queries: 10 cases={small}, 1000 cases={large}")
    assert small == large
    assert large <= 12


def test_queue_filters_and_search(client, caseworker, department):
    today = timezone.localdate()
    kari = CitizenFactory(first_name="Kari", last_name="Nordmann")
    mine = CaseFactory(department=department, assigned_to=caseworker, case_number="2026/11")
    unassigned = CaseFactory(department=department, case_number="2026/12")
    overdue = CaseFactory(department=department, case_number="2026/13", applicant=kari,
                          deadline=today - datetime.timedelta(days=3), status=Case.Status.UNDER_REVIEW)
    paused = CaseFactory(department=department, case_number="2026/14", deadline=today - datetime.timedelta(days=3),
                         status=Case.Status.AWAITING_INFORMATION, deadline_paused_at=timezone.now())
    permit = CaseFactory(department=department, case_number="2026/15", application_type="building_permit")
    client.force_login(caseworker)

    def listed(**params):
        return {c.case_number for c in client.get(reverse(CHANGELIST), params).context["cl"].result_list}

    assert listed(assigned="me") == {mine.case_number}
    assert mine.case_number not in listed(assigned="none") and unassigned.case_number in listed(assigned="none")
    assert listed(overdue="yes") == {overdue.case_number}  # the paused one is not running late
    assert listed(type="building_permit") == {permit.case_number}
    assert listed(status="awaiting_information") == {paused.case_number}
    assert listed(q="2026/13") == {overdue.case_number}
    assert listed(q="Kari Nordmann") == {overdue.case_number}
    body = client.get(reverse(CHANGELIST)).content.decode()
    assert "case-overdue" in body and "case-paused" in body


def test_case_page_shows_timeline_notes_and_actions(client, case, caseworker):
    services.case_note_add(case=case, by=caseworker, text="Ring mor.")
    client.force_login(caseworker)
    response = client.get(change_url(case))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ring mor." in body
    assert case.case_number in body
    assert case.applicant.masked_national_id in body and case.applicant.national_id not in body
    assert 'name="version"' in body


def test_the_work_of_a_case_through_the_admin(client, case, caseworker, citizen):
    client.force_login(caseworker)
    assert client.post(action_url(case, "assign-me"), {"version": 1}).status_code == 302
    assert client.post(action_url(case, "start-review"), {"version": 2}).status_code == 302
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(action_url(case, "request-information"),
                           {"version": 3, "text": "Send legeerklæring", "documents_requested": "Legeerklæring",
                            "due_date": due})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_INFORMATION and case.assigned_to == caseworker

    request = case.information_requests.get()
    services.case_information_submit(information_request=request, by=citizen, comment="Legeerklæring kommer i posten")
    case.refresh_from_db()
    response = client.post(action_url(case, "decide"), {"version": case.version, "outcome": "approved",
                                                        "reasoning": "Rett til plass.",
                                                        "legal_basis": "barnehageloven § 16"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.DECIDED
    assert Decision.objects.get(case=case).outcome == "approved"
    assert client.post(action_url(case, "close"), {"version": case.version}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED


def test_invalid_decision_form_shows_errors_and_keeps_the_text(client, case, caseworker):
    services.case_start_review(case=case, by=caseworker)
    client.force_login(caseworker)
    response = client.post(action_url(case, "decide"), {"version": 2, "outcome": "approved",
                                                        "reasoning": "Lang begrunnelse som ikke må gå tapt",
                                                        "legal_basis": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Lang begrunnelse som ikke må gå tapt" in body
    assert Case.objects.get(pk=case.pk).status == Case.Status.UNDER_REVIEW


def test_second_caseworker_is_told_the_case_changed(client, case, caseworker, colleague):
    # Both load the page at version 1; the colleague saves first.
    services.case_assign(case=case, assignee=colleague, by=colleague, expected_version=1)
    client.force_login(caseworker)
    response = client.post(action_url(case, "start-review"), {"version": 1}, follow=True)
    body = response.content.decode()
    assert "changed this case" in body or "endra" in body or "endret" in body
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED and case.assigned_to == colleague
    assert response.context["case"].version == 2  # the page now shows the current state


def test_illegal_action_is_refused_with_a_message(client, case, caseworker):
    client.force_login(caseworker)
    response = client.post(action_url(case, "close"), {"version": 1}, follow=True)
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).status == Case.Status.RECEIVED
    assert list(response.context["messages"])


def test_actions_need_post(client, case, caseworker):
    client.force_login(caseworker)
    assert client.get(action_url(case, "close")).status_code == 405


def test_case_page_cannot_edit_the_case_fields(client, case, caseworker):
    client.force_login(caseworker)
    client.post(change_url(case), {"status": "decided", "title": "Hacked"})
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED and case.title != "Hacked"
    assert not case.events.filter(kind=CaseEvent.Kind.DECISION).exists()


def test_staff_without_department_cannot_enter(client, case):
    client.force_login(StaffFactory())
    assert client.get(reverse(CHANGELIST)).status_code == 302


def test_case_page_shows_the_application_as_submitted(client, caseworker, department, settings, tmp_path):
    # A real submission through the applications app: the caseworker reads it, not raw JSON.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.selectors import Party
    from accounts.services import citizen_get_or_create
    from applications.services import application_start, application_submit, attachment_add
    from kindergarten.application import child_token
    from kindergarten.tests.factories import KindergartenFactory
    from registers.demo_data import EMMA, KARI

    kari = citizen_get_or_create(national_id=KARI)
    wishes = [KindergartenFactory(), KindergartenFactory()]
    application = application_start(type_key="kindergarten", party=Party(person=kari))
    application.data = {
        "child": {"child": child_token(EMMA)},
        "place": {"start_date": "2027-08-02", "wish_1": str(wishes[0].pk), "wish_2": str(wishes[1].pk),
                  "wish_3": "", "wish_4": "", "wish_5": "", "attendance": "full_time"},
        "priority": {"grounds": ["disability"], "explanation": "Trenger tett oppfølging"},
        "invoice": {"invoice_to": "applicant"},
    }
    application.save()
    kind = application.app_type.steps[2].attachments[0].kind
    attachment_add(application=application, kind=kind,
                   file=SimpleUploadedFile("legeerklaering.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
    from applications.services import application_validate

    assert application_validate(application=application) == []
    case = application_submit(application=application, by=kari)

    client.force_login(caseworker)
    body = client.get(change_url(case)).content.decode()
    assert wishes[0].name in body
    assert "Emma" in body
    assert "legeerklaering.pdf" in body
    assert "wish_1" not in body and "full_time" not in body  # readable, not the raw draft data


def test_caseworker_downloads_the_citizens_document_others_get_404(client, case, caseworker, other_caseworker,
                                                                  citizen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.models import CaseAccessLog

    request = services.case_request_information(case=case, by=caseworker, text="Send attest", documents_requested="",
                                                due_date=timezone.localdate() + datetime.timedelta(days=5))
    pdf = b"%PDF-1.4\n%%EOF\n"
    document, = services.case_information_submit(
        information_request=request, by=citizen, files=[SimpleUploadedFile("attest.pdf", pdf)])
    url = reverse("caseworker:cases_case_document", args=[case.pk, document.pk])

    client.force_login(other_caseworker)
    assert client.get(url).status_code == 404
    client.force_login(caseworker)
    assert str(document.pk) in client.get(change_url(case)).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    assert "attachment" in response["Content-Disposition"]
    assert CaseAccessLog.objects.filter(case=case, user=caseworker).count() == 2  # page + download
