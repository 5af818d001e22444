"""An SFO application submitted through applications.services: the case in the SFO department
with its title, deadline and frozen facts, the receipt letter; the automated checks after
submit (complete, or needing a caseworker's attention with the citizen's message); and the
citizen's wording of a caseworker's decision."""

import datetime

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from applications.services import (
    ApplicationIncomplete,
    application_run_automated_checks,
    application_submit,
    attachment_add,
)
from cases import services as cases
from cases.models import Case, CaseEvent
from cases.types import DEFAULT_PROCESSING_DAYS
from correspondence.models import Letter
from correspondence.pdf import render_pdf
from sfo.models import School
from tests.factories import ApplicationFactory, StaffFactory

from .conftest import next_august, pdf, sfo_data, sofie_grade

pytestmark = pytest.mark.django_db


def checks(application) -> dict:
    return {r.code: r for r in application.app_type.automated_checks(application)}


def test_kari_applies_for_sofie_and_gets_a_case_in_the_sfo_department(draft, kari, school):
    application = draft(kari, school, morning="yes")
    case = application_submit(application=application, by=kari)

    assert case.department.code == "sfo" and case.application_type == "sfo"
    assert case.title == "SFO place for Sofie"
    # No statutory deadline for SFO: forvaltningsloven § 11 a's month (CaseType's default).
    assert case.deadline == timezone.localdate(case.received_at) + datetime.timedelta(days=DEFAULT_PROCESSING_DAYS)
    assert case.facts == {
        "child_first_name": "Sofie", "child_birth_date": "2021-06-01", "school_year": next_august().year,
        "grade": sofie_grade(), "school": school.pk, "start_date": next_august().isoformat(), "place_kind": "full",
        "morning": True, "special_needs": False, "priority": [],
    }
    letter = Letter.objects.get(case=case)
    assert letter.kind == "receipt" and letter.recipient == kari
    assert letter.context["child_name"] == "Sofie Nordmann"
    assert letter.context["case_title"] == "SFO place for Sofie"
    application.refresh_from_db()
    assert application.status == "submitted" and application.case == case


def test_the_receipt_pdf_names_the_child_the_school_and_the_deadline(draft, kari, school, tmp_path):
    kari.preferred_language = "nb"  # the letter follows the citizen's language
    kari.save()
    case = application_submit(application=draft(kari, school), by=kari)
    letter = Letter.objects.get(case=case)
    content = render_pdf(template=letter.template, context=letter.context, language=letter.language)
    (tmp_path / "receipt.pdf").write_bytes(content)
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "receipt.pdf").pages)
    assert case.case_number in text
    assert "SFO-plass" in text and "Sofie Nordmann" in text
    assert "Mjøndalen skole, Skolegata 10, 3050 Mjøndalen" in text
    with translation.override("nb"):
        from django.utils.formats import date_format

        assert date_format(case.deadline, "DATE_FORMAT") in text


def test_a_child_in_grade_5_with_special_needs_gets_a_case_with_its_facts(draft, family, school):
    parent, child_id, _child = family(grade=5)
    application = draft(parent, school, child=child_id, special_needs="yes",
                        explanation="Trenger tett oppfølging etter skoletid.")
    case = application_submit(application=application, by=parent)
    assert case.facts["grade"] == 5 and case.facts["special_needs"] is True
    results = checks(application)
    assert results["grade"].passed and "special needs" in results["grade"].message
    assert results["free_hours"].passed
    assert "SFO is free of charge for pupils with special needs in grades 5–7." in results["free_hours"].message


def test_priority_grounds_need_documentation_before_submit(draft, kari, school):
    application = draft(kari, school, grounds=["child_welfare"])
    with pytest.raises(ApplicationIncomplete) as exc:
        application_submit(application=application, by=kari)
    assert [p.step for p in exc.value.problems] == ["needs"]
    attachment_add(application=application, kind="priority_documentation", file=pdf("vedtak.pdf"))
    case = application_submit(application=application, by=kari)
    assert case.facts["priority"] == ["child_welfare"]
    assert checks(application)["attachment_priority_documentation"].passed


# --- The automated checks after submit ---------------------------------------------------------

def test_a_complete_application_goes_to_review(draft, kari, school):
    case = application_submit(application=draft(kari, school), by=kari)
    event = application_run_automated_checks(case_id=case.pk)
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW
    assert (event.from_status, event.to_status) == ("received", "under_review")
    lines = event.internal_text.splitlines()
    assert lines[0].startswith("✓ ") and "Sofie bor i kommunen" in event.internal_text  # the caseworkers' language
    assert len(lines) == 5  # no priority, resident, grade, school, free hours


def test_the_checks_for_sofie_pass_and_tell_the_free_hours(draft, kari, school):
    application = draft(kari, school)
    application_submit(application=application, by=kari)
    results = checks(application)
    assert set(results) == {"priority", "resident", "grade", "school", "free_hours"}
    assert all(r.passed for r in results.values() if r.required)
    assert f"Sofie will be in grade {sofie_grade()}" in results["grade"].message
    assert results["school"].message == f"Mjøndalen skole has SFO for grade {sofie_grade()}."
    free = results["free_hours"]
    assert free.required is False
    assert ("12 hours of free SFO a week" in free.message) is (sofie_grade() <= 3)


def _needs_attention(case, citizen_message):
    event = application_run_automated_checks(case_id=case.pk)
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED  # stays for a caseworker
    assert event.kind == CaseEvent.Kind.AUTOMATED_CHECK and event.to_status == ""
    assert "✗" in event.internal_text
    with translation.override("en"):
        assert citizen_message in event.text, event.text
    return event


def test_a_child_who_does_not_live_in_the_municipality_needs_attention(draft, kari, school, monkeypatch):
    from registers import demo_data

    case = application_submit(application=draft(kari, school), by=kari)
    kari.preferred_language = "en"
    kari.save()
    # The family has moved to Oslo: the register's municipality of Sofie's address is 0301.
    monkeypatch.setitem(demo_data.ADDRESS_NORDMANN, "municipality_number", "0301")
    _needs_attention(case, "According to the population register, Sofie does not live in the municipality.")


def test_a_grade_that_does_not_give_sfo_needs_attention(draft, family, school):
    parent, child_id, child = family(grade=4)
    parent.preferred_language = "en"
    parent.save()
    case = application_submit(application=draft(parent, school, child=child_id), by=parent)
    # The register corrects the birth date after submit: the child is four years older.
    child["birth_date"] = child["birth_date"].replace(year=child["birth_date"].year - 4)
    event = _needs_attention(case, "Ola will be in grade 8 in the school year")
    assert "ask the family for information" in checks(case.application)["grade"].message
    assert "which does not give an SFO place" in event.text


def test_grade_5_without_special_needs_fails_the_grade_check(draft, family, school):
    # (The form refuses this; a draft written otherwise is still caught.)
    parent, child_id, _child = family(grade=5)
    result = checks(draft(parent, school, child=child_id))["grade"]
    assert not result.passed and result.required
    assert "grades 1–4, and 5–7 only with special needs" in result.message


def test_a_school_without_sfo_for_the_grade_needs_attention(draft, family, school):
    parent, child_id, _child = family(grade=4)
    parent.preferred_language = "en"
    parent.save()
    case = application_submit(application=draft(parent, school, child=child_id), by=parent)
    School.objects.filter(pk=school.pk).update(highest_grade=3, special_needs_highest_grade=3)
    _needs_attention(case, "Mjøndalen skole does not offer SFO for grade 4.")


def test_a_school_that_no_longer_takes_applications_needs_attention(draft, kari, school):
    kari.preferred_language = "en"
    kari.save()
    case = application_submit(application=draft(kari, school), by=kari)
    School.objects.filter(pk=school.pk).update(active=False)
    _needs_attention(case, "The school you chose no longer takes SFO applications.")


def test_missing_priority_documentation_needs_attention(kari, school, sfo_department):
    # A case whose application has grounds for priority but no documentation (submit refuses
    # that; an application registered another way can still lack it).
    kari.preferred_language = "en"
    kari.save()
    case = cases.case_create(application_type="sfo", title="SFO place for Sofie", department=sfo_department,
                             applicant=kari)
    ApplicationFactory(type_key="sfo", applicant=kari, status="submitted", case=case, submitted_at=timezone.now(),
                       data=sfo_data(school, grounds=["disability"]))
    _needs_attention(case, "Documentation of the grounds for priority is missing.")


# --- The caseworker's decision in the citizen's words ------------------------------------------

@pytest.mark.parametrize(("outcome", "english", "bokmal"), [
    ("approved", "Place granted", "Plass innvilget"),
    ("partly", "Place granted with changes", "Plass innvilget med endringer"),
    ("rejected", "No place", "Ikke fått plass"),
])
def test_a_decision_is_worded_for_sfo(draft, kari, school, sfo_department, outcome, english, bokmal):
    case = application_submit(application=draft(kari, school), by=kari)
    caseworker = StaffFactory(departments=[sfo_department])
    cases.case_start_review(case=case, by=caseworker)
    cases.case_decide(case=case, by=caseworker, outcome=outcome, reasoning="Vurdert etter vedtektene for SFO.",
                      legal_basis="opplæringslova § 4-5 og kommunens vedtekter for SFO")
    case.refresh_from_db()
    assert case.citizen_status == english
    # The timeline line is in the citizen's language (bokmål by default).
    assert case.events.get(kind=CaseEvent.Kind.DECISION).text == bokmal
