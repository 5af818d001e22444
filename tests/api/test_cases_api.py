"""The cases API: the citizen's own cases; the caseworkers' queue, case and transitions with
the same scoping as the pages; the OpenAPI schema describes it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseAccessLog
from tests.factories import CaseFactory, CitizenFactory


def test_citizen_lists_own_cases_with_plain_status(client, case, citizen):
    client.force_login(citizen)
    data = client.get(reverse("api-cases-list"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["case_number"] == case.case_number and row["status"] == "received"
    assert row["status_text"]


def test_citizen_detail_has_public_timeline_only(client, case, citizen, caseworker):
    services.case_note_add(case=case, by=caseworker, text="internt notat")
    services.case_start_review(case=case, by=caseworker, internal_text="intern kommentar")
    client.force_login(citizen)
    data = client.get(reverse("api-cases-detail", args=[case.pk])).json()
    assert [e["to_status"] for e in data["timeline"]] == ["received", "under_review"]
    assert "internt notat" not in str(data) and "intern kommentar" not in str(data)
    assert "internal_text" not in data["timeline"][0]
    assert data["expected_decision_date"] == case.deadline.isoformat()


def test_queue_is_scoped_filtered_and_flat(client, caseworker, department, other_department):
    applicant = CitizenFactory()
    for i in range(5):
        CaseFactory(department=department, applicant=applicant, case_number=f"2026/{900 + i}")
    CaseFactory(department=other_department, applicant=applicant, case_number="2026/999")
    client.force_login(caseworker)
    with CaptureQueriesContext(connection) as small:
        data = client.get(reverse("api-caseworker-queue")).json()
    assert data["count"] == 5 and "2026/999" not in str(data)
    for i in range(40):
        CaseFactory(department=department, applicant=CitizenFactory(), case_number=f"2026/{1000 + i}")
    with CaptureQueriesContext(connection) as large:
        data = client.get(reverse("api-caseworker-queue")).json()
    assert data["count"] == 45
    assert len(small) == len(large)


def test_queue_filters(client, caseworker, department):
    today = timezone.localdate()
    late = CaseFactory(department=department, status=Case.Status.UNDER_REVIEW, deadline=today - datetime.timedelta(days=1))
    mine = CaseFactory(department=department, assigned_to=caseworker)
    client.force_login(caseworker)
    url = reverse("api-caseworker-queue")
    assert [r["case_number"] for r in client.get(url, {"overdue": "true"}).json()["results"]] == [late.case_number]
    assert [r["case_number"] for r in client.get(url, {"assigned": "me"}).json()["results"]] == [mine.case_number]
    assert client.get(url, {"overdue": "true"}).json()["results"][0]["overdue"] is True


def test_caseworker_detail_is_logged(client, case, caseworker):
    client.force_login(caseworker)
    data = client.get(reverse("api-caseworker-case", args=[case.pk])).json()
    assert data["allowed_transitions"] == ["under_review", "awaiting_information"]
    assert CaseAccessLog.objects.get(case=case).channel == "api"


class TestTransitions:
    def post(self, client, case, endpoint="api-caseworker-transition", **data):
        return client.post(reverse(endpoint, args=[case.pk]), data, content_type="application/json")

    def test_legal_transition(self, client, case, caseworker):
        client.force_login(caseworker)
        response = self.post(client, case, to_status="under_review", expected_version=1)
        assert response.status_code == 200
        assert response.json()["status"] == "under_review" and response.json()["version"] == 2

    def test_illegal_transition_is_400_with_a_clear_error(self, client, case, caseworker):
        client.force_login(caseworker)
        response = self.post(client, case, to_status="closed", expected_version=1)
        assert response.status_code == 400
        body = response.json()
        assert (body["code"], body["from_status"], body["to_status"]) == ("transition_not_allowed", "received", "closed")
        assert "«Mottatt»" in body["detail"] and "«Avsluttet»" in body["detail"]  # in the request's language
        assert Case.objects.get(pk=case.pk).status == "received"

    def test_stale_version_is_409_with_the_current_case(self, client, case, caseworker, colleague):
        services.case_assign(case=case, assignee=colleague, by=colleague)
        client.force_login(caseworker)
        response = self.post(client, case, to_status="under_review", expected_version=1)
        assert response.status_code == 409
        assert response.json()["case"]["version"] == 2
        assert Case.objects.get(pk=case.pk).status == "received"

    def test_decide_through_the_api(self, client, case, caseworker):
        services.case_start_review(case=case, by=caseworker)
        client.force_login(caseworker)
        response = self.post(client, case, "api-caseworker-decision", expected_version=2, outcome="partly",
                             reasoning="Delvis.", legal_basis="§ 1")
        assert response.status_code == 200
        assert case.decisions.get().outcome == "partly"
        assert response.json()["status"] == "decided"

    def test_decide_without_reasons_is_400(self, client, case, caseworker):
        services.case_start_review(case=case, by=caseworker)
        client.force_login(caseworker)
        response = self.post(client, case, "api-caseworker-decision", expected_version=2, outcome="partly")
        assert response.status_code == 400
        assert set(response.json()) == {"reasoning", "legal_basis"}  # both required, named
        assert not case.decisions.exists()

    def test_a_decision_needs_an_outcome_and_is_not_a_plain_transition(self, client, case, caseworker):
        services.case_start_review(case=case, by=caseworker)
        client.force_login(caseworker)
        response = self.post(client, case, "api-caseworker-decision", expected_version=2, reasoning="x", legal_basis="y")
        assert response.status_code == 400 and "outcome" in response.json()
        response = self.post(client, case, to_status="decided", expected_version=2)
        assert response.status_code == 400 and "to_status" in response.json()
        assert not case.decisions.exists()

    def test_request_information_through_the_api(self, client, case, caseworker):
        client.force_login(caseworker)
        due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
        response = self.post(client, case, "api-caseworker-information-request", expected_version=1,
                             text="Send kart.", due_date=due)
        assert response.status_code == 200
        assert case.information_requests.get().text == "Send kart."
        assert response.json()["status"] == "awaiting_information"

    def test_request_information_with_a_past_date_is_400(self, client, case, caseworker):
        client.force_login(caseworker)
        past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        response = self.post(client, case, "api-caseworker-information-request", expected_version=1,
                             text="Send kart.", due_date=past)
        assert response.status_code == 400 and response.json()["code"] == "invalid"
        assert not case.information_requests.exists()

    def test_citizen_cannot_use_caseworker_endpoints(self, client, case, citizen):
        client.force_login(citizen)
        assert self.post(client, case, to_status="withdrawn", expected_version=1).status_code == 403
        assert client.get(reverse("api-caseworker-queue")).status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/cases/{id}/", "/api/v1/caseworker/cases/",
                                  "/api/v1/caseworker/cases/{id}/", "/api/v1/caseworker/cases/{id}/transitions/",
                                  "/api/v1/caseworker/cases/{id}/decision/",
                                  "/api/v1/caseworker/cases/{id}/information-requests/"])
def test_schema_describes_the_endpoints(client, db, path):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert path in schema["paths"]


def test_docs_page_is_served(client, db):
    assert client.get(reverse("api-docs")).status_code == 200


def test_citizen_list_query_count_is_flat(client, citizen, department, caseworker):
    from tests.factories import CaseFactory as Factory

    client.force_login(citizen)
    counts = []
    for n in (2, 25):
        while Case.objects.filter(applicant=citizen).count() < n:
            decided = Factory(applicant=citizen, department=department, status=Case.Status.DECIDED, outcome="approved")
        with CaptureQueriesContext(connection) as captured:
            data = client.get(reverse("api-cases-list"), HTTP_ACCEPT_LANGUAGE="nb").json()
        counts.append(len(captured))
        assert data["count"] == n
    assert counts[0] == counts[1]
    assert {r["status_text"] for r in data["results"]} == {"Tilbud sendt"}
    assert decided
