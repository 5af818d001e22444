"""The access matrix: owner, other citizen, organisation representative, caseworker of the
case's department, caseworker of another department and anonymous, over every case URL in the
portal, the caseworker admin and the API. Wrong ones get 404/403 (or the login page), never data."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CaseAccessLog, CaseDocument
from tests.cases.conftest import act_for
from tests.factories import RepresentationFactory

ALLOWED, DENIED = "allowed", "denied"


@pytest.fixture
def full_case(case, caseworker, citizen):
    """A case with an open information request and a document, so every URL has something."""
    request = services.case_request_information(case=case, by=caseworker, text="Send mer", documents_requested="",
                                                due_date=timezone.localdate() + datetime.timedelta(days=7))
    stored = default_storage.save(f"cases/{case.pk}/x.pdf", ContentFile(b"%PDF-1.4 test"))
    document = CaseDocument.objects.create(case=case, file=stored, original_name="x.pdf",
                                           content_type="application/pdf", size=10, uploaded_by=citizen)
    return case, request, document


def portal_urls(case, request, document):
    return [
        ("get", reverse("cases:detail", args=[case.pk])),
        ("post", reverse("cases:answer", args=[case.pk, request.pk])),
        ("get", reverse("cases:withdraw", args=[case.pk])),
        ("get", reverse("cases:appeal", args=[case.pk])),
        ("get", reverse("cases:document", args=[case.pk, document.pk])),
        # The case's message thread (correspondence app) answers through the same access rules.
        ("post", reverse("correspondence:case-message-create", args=[case.pk])),
    ]


def admin_urls(case, document=None):
    urls = [
        ("get", reverse("caseworker:cases_case_change", args=[case.pk])),
        ("post", reverse("caseworker:cases_case_action", args=[case.pk, "note"])),
    ]
    if document is not None:
        urls.append(("get", reverse("caseworker:cases_case_document", args=[case.pk, document.pk])))
    return urls


def api_citizen_urls(case):
    return [("get", reverse("api-cases-detail", args=[case.pk]))]


def api_staff_urls(case):
    return [
        ("get", reverse("api-caseworker-case", args=[case.pk])),
        ("post", reverse("api-caseworker-transition", args=[case.pk])),
        ("post", reverse("api-caseworker-decision", args=[case.pk])),
        ("post", reverse("api-caseworker-information-request", args=[case.pk])),
    ]


def _request(client, method, url):
    if method == "get":
        return client.get(url)
    if "/api/" in url:
        return client.post(url, {"to_status": "under_review", "expected_version": 99}, content_type="application/json")
    return client.post(url, {"text": "notat", "version": "1"})


def _assert_denied(response, case, kind):
    if kind == "portal":
        assert response.status_code in (302, 404), response.status_code
        if response.status_code == 302:
            assert "logg-inn" in response["Location"] or "login" in response["Location"]
    elif kind == "admin":
        assert response.status_code in (302, 403, 404), response.status_code
        if response.status_code == 302:
            assert "login" in response["Location"]
    else:
        assert response.status_code in (403, 404), response.status_code
    body = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
    assert case.case_number not in body
    assert case.title not in body


def _assert_allowed(response):
    assert response.status_code not in (403, 404), response.status_code
    if response.status_code == 302:
        assert "login" not in response["Location"] and "logg-inn" not in response["Location"]


def _check(client, urls, case, expected, kind):
    for method, url in urls:
        response = _request(client, method, url)
        if expected == ALLOWED:
            _assert_allowed(response)
        else:
            _assert_denied(response, case, kind)


@pytest.fixture
def people(citizen, other_citizen, caseworker, other_caseworker, organisation, representative):
    return {
        "owner": (citizen, None),
        "other_citizen": (other_citizen, None),
        "organisation_representative": (representative, organisation),
        "caseworker_same_department": (caseworker, None),
        "caseworker_other_department": (other_caseworker, None),
        "anonymous": (None, None),
    }


MATRIX = {
    # who: (portal, admin, citizen API, staff API)
    "owner": (ALLOWED, DENIED, ALLOWED, DENIED),
    "other_citizen": (DENIED, DENIED, DENIED, DENIED),
    "organisation_representative": (DENIED, DENIED, DENIED, DENIED),
    "caseworker_same_department": (DENIED, ALLOWED, DENIED, ALLOWED),
    "caseworker_other_department": (DENIED, DENIED, DENIED, DENIED),
    "anonymous": (DENIED, DENIED, DENIED, DENIED),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_access_matrix_on_a_personal_case(client, full_case, people, who):
    case, request, document = full_case
    user, organisation = people[who]
    if user is not None:
        client.force_login(user)
        act_for(client, organisation)
    portal, admin_site, api_citizen, api_staff = MATRIX[who]
    _check(client, portal_urls(case, request, document), case, portal, "portal")
    _check(client, admin_urls(case, document), case, admin_site, "admin")
    _check(client, api_citizen_urls(case), case, api_citizen, "api")
    _check(client, api_staff_urls(case), case, api_staff, "api")


@pytest.mark.parametrize(("who", "acting_for_org", "expected"), [
    ("applicant", True, ALLOWED),
    ("colleague_representative", True, ALLOWED),
    ("applicant", False, DENIED),  # acting for themselves, the organisation's case is not theirs
    ("other_citizen", False, DENIED),
])
def test_organisation_cases_are_seen_by_its_representatives(client, org_case, organisation, representative,
                                                            other_citizen, who, acting_for_org, expected):
    user = {"applicant": representative, "other_citizen": other_citizen,
            "colleague_representative": RepresentationFactory(organisation=organisation).person}[who]
    client.force_login(user)
    act_for(client, organisation if acting_for_org else None)
    _check(client, [("get", reverse("cases:detail", args=[org_case.pk]))], org_case, expected, "portal")
    _check(client, api_citizen_urls(org_case), org_case, expected, "api")
    list_body = client.get(reverse("cases:list")).content.decode()
    assert (org_case.case_number in list_body) == (expected == ALLOWED)


def test_a_representation_that_ended_no_longer_gives_access(client, org_case, organisation):
    person = RepresentationFactory(organisation=organisation,
                                   valid_to=timezone.localdate() - datetime.timedelta(days=1)).person
    client.force_login(person)
    act_for(client, organisation)
    assert client.get(reverse("cases:detail", args=[org_case.pk])).status_code == 404


def test_lists_show_only_what_you_may_see(client, case, citizen, other_citizen, caseworker, other_caseworker):
    client.force_login(other_citizen)
    assert case.case_number not in client.get(reverse("cases:list")).content.decode()
    assert client.get(reverse("api-cases-list")).json()["count"] == 0
    client.force_login(other_caseworker)
    assert client.get(reverse("api-caseworker-queue")).json()["count"] == 0
    assert str(case.pk) not in client.get(reverse("caseworker:cases_case_changelist")).content.decode()
    client.force_login(caseworker)
    assert client.get(reverse("api-caseworker-queue")).json()["count"] == 1
    assert str(case.pk) in client.get(reverse("caseworker:cases_case_changelist")).content.decode()


def test_superuser_sees_every_department(client, case, other_department):
    from tests.factories import StaffFactory

    boss = StaffFactory(is_superuser=True)
    client.force_login(boss)
    assert client.get(reverse("caseworker:cases_case_change", args=[case.pk])).status_code == 200


def test_citizen_never_sees_internal_notes(client, case, caseworker, citizen):
    services.case_note_add(case=case, by=caseworker, text="HEMMELIG notat om familien")
    services.case_transition(case=case, to_status="under_review", by=caseworker, public_text="Vi ser på saken",
                             internal_text="INTERNT: sjekk barnevern")
    client.force_login(citizen)
    for url in (reverse("cases:detail", args=[case.pk]), reverse("api-cases-detail", args=[case.pk])):
        body = client.get(url).content.decode()
        assert "Vi ser på saken" in body
        assert "HEMMELIG" not in body and "INTERNT" not in body


def test_every_staff_view_is_logged_and_shown_to_the_citizen(client, case, caseworker, citizen):
    client.force_login(caseworker)
    client.get(reverse("caseworker:cases_case_change", args=[case.pk]))
    client.get(reverse("api-caseworker-case", args=[case.pk]))
    log = list(CaseAccessLog.objects.filter(case=case).order_by("created_at"))
    assert [(e.user, e.channel) for e in log] == [(caseworker, "admin"), (caseworker, "api")]

    client.force_login(citizen)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert caseworker.get_full_name() in body


def test_denied_staff_view_writes_no_log(client, case, other_caseworker):
    client.force_login(other_caseworker)
    assert client.get(reverse("caseworker:cases_case_change", args=[case.pk])).status_code == 404
    assert client.get(reverse("api-caseworker-case", args=[case.pk])).status_code == 404
    assert not CaseAccessLog.objects.exists()
