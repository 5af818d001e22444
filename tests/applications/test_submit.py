import datetime
import threading

import pytest
from django.db import connection
from pypdf import PdfReader

from accounts.selectors import Party
from applications.models import Application
from applications.services import (
    ApplicationIncomplete,
    ApplicationNotEditable,
    application_save_step,
    application_submit,
    attachment_add,
)
from cases.models import Case, CaseEvent
from correspondence.models import Letter
from correspondence.pdf import render_pdf
from notifications.models import Notification
from tests.factories import in_test_context

from .conftest import pdf

pytestmark = pytest.mark.django_db


def test_submit_creates_case_event_receipt_letter_and_notification(kindergarten_draft, kari):
    case = application_submit(application=kindergarten_draft, by=kari)

    assert case.case_number == f"{datetime.date.today().year}/1"
    assert case.department.code == "barnehage"
    assert case.title == "Kindergarten place for Emma" or "Emma" in case.title
    assert case.applicant == kari and case.organisation is None
    # Main admission 2027 (applied before 1 March 2027): answer by 30 April 2027.
    assert case.deadline == datetime.date(2027, 4, 30)
    assert CaseEvent.objects.filter(case=case, to_status=Case.Status.RECEIVED, public=True).count() == 1
    letter = Letter.objects.get(case=case)
    assert letter.kind == "receipt" and letter.recipient == kari
    assert letter.template == "applications/pdf/receipt.html"
    notification = Notification.objects.get(case=case, template="case_received")
    assert notification.template == "case_received"
    assert notification.idempotency_key == f"case-received-{case.pk}"
    kindergarten_draft.refresh_from_db()
    assert kindergarten_draft.status == Application.Status.SUBMITTED
    assert kindergarten_draft.submitted_summary


def test_submit_twice_returns_the_same_case(kindergarten_draft, kari):
    first = application_submit(application=kindergarten_draft, by=kari)
    stale = Application.objects.get(pk=kindergarten_draft.pk)
    second = application_submit(application=stale, by=kari)
    assert first == second
    assert Case.objects.count() == 1 and Letter.objects.count() == 1
    assert Notification.objects.filter(template="case_received").count() == 1


def test_submitted_application_cannot_change(kindergarten_draft, kari):
    application_submit(application=kindergarten_draft, by=kari)
    with pytest.raises(ApplicationNotEditable):
        application_save_step(application=kindergarten_draft, step="invoice", data={})
    with pytest.raises(ApplicationNotEditable):
        attachment_add(application=kindergarten_draft, kind="priority_documentation", file=pdf())


def test_incomplete_draft_is_refused_with_problems_per_step(kindergarten_draft, kari):
    kindergarten_draft.data.pop("invoice")
    kindergarten_draft.data["place"]["wish_1"] = ""
    kindergarten_draft.save()
    with pytest.raises(ApplicationIncomplete) as exc:
        application_submit(application=kindergarten_draft, by=kari)
    steps = {p.step for p in exc.value.problems}
    assert steps == {"place", "invoice"}
    assert Case.objects.count() == 0


def test_priority_needs_documentation(kindergarten_draft, kari):
    kindergarten_draft.data["priority"] = {"grounds": ["disability"], "explanation": ""}
    kindergarten_draft.save()
    with pytest.raises(ApplicationIncomplete) as exc:
        application_submit(application=kindergarten_draft, by=kari)
    assert [p.step for p in exc.value.problems] == ["priority"]
    attachment_add(application=kindergarten_draft, kind="priority_documentation", file=pdf("legeerklaering.pdf"))
    assert application_submit(application=kindergarten_draft, by=kari).pk


def test_receipt_pdf_names_case_number_and_child(kindergarten_draft, kari, tmp_path):
    kari.preferred_language = "nb"  # the letter follows the citizen's language
    kari.save()
    case = application_submit(application=kindergarten_draft, by=kari)
    letter = Letter.objects.get(case=case)
    content = render_pdf(template=letter.template, context=letter.context, language=letter.language)
    path = tmp_path / "receipt.pdf"
    path.write_bytes(content)
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    assert case.case_number in text
    assert "Emma Nordmann" in text
    assert "Barnehage A" in text  # the summary is in the receipt
    assert "30. april 2027" in text  # expected decision, as the reader reads dates
    assert "Vi har mottatt søknaden din" in text


def test_building_permit_submit_for_organisation(ahmed_for_ali_bygg, fees, departments):
    from applications.services import application_start

    from .conftest import building_data

    application = application_start(type_key="building_permit", party=ahmed_for_ali_bygg)
    application.data = building_data()
    application.data["kind"] = {"permit_kind": "20-3"}
    application.data["project"]["category"] = "new_dwelling"
    application.save()
    for kind in ("site_plan", "drawings", "neighbour_receipt"):
        attachment_add(application=application, kind=kind, file=pdf())
    case = application_submit(application=application, by=ahmed_for_ali_bygg.person)
    assert case.organisation == ahmed_for_ali_bygg.organisation
    assert case.department.code == "byggesak"
    assert "12/34" in case.title
    # Follows the plan, no objections, no other authority: 3 weeks (§ 21-7).
    assert case.deadline == case.received_at.date() + datetime.timedelta(weeks=3)
    fee_row = next(r for s in application.submitted_summary for r in s["rows"] if r[0] in ("Fee", "Gebyr"))
    assert "31 500" in fee_row[1]


def test_building_permit_with_objections_gets_12_weeks_and_needs_their_files(building_draft, kari):
    building_draft.data["neighbours"]["objections"] = "yes"
    building_draft.save()
    with pytest.raises(ApplicationIncomplete) as exc:
        application_submit(application=building_draft, by=kari)
    assert len(exc.value.problems) == 2 and {p.step for p in exc.value.problems} == {"neighbours"}
    attachment_add(application=building_draft, kind="objections", file=pdf())
    attachment_add(application=building_draft, kind="objection_comments", file=pdf())
    case = application_submit(application=building_draft, by=kari)
    assert case.deadline == case.received_at.date() + datetime.timedelta(weeks=12)


def test_unknown_property_stops_submit(building_draft, kari):
    building_draft.data["property"] = {"gnr": "77", "bnr": "1"}
    building_draft.save()
    with pytest.raises(ApplicationIncomplete) as exc:
        application_submit(application=building_draft, by=kari)
    assert "We found no property 77/1" in exc.value.problems[0].message


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_make_one_case(kari, kindergartens, departments):
    from applications.services import application_start

    from .conftest import kindergarten_data

    application = application_start(type_key="kindergarten", party=Party(person=kari))
    application.data = kindergarten_data(kindergartens)
    application.save()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            copy = Application.objects.get(pk=application.pk)
            barrier.wait()
            results.append(application_submit(application=copy, by=kari).pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=in_test_context(submit)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 2 and results[0] == results[1]
    assert Case.objects.count() == 1
    assert Letter.objects.count() == 1
    assert Notification.objects.filter(template="case_received").count() == 1


def test_another_representative_may_finish_the_organisations_draft(ahmed_for_ali_bygg, fees, departments):
    from accounts.selectors import Party
    from applications.selectors import drafts_for_party
    from applications.services import application_start
    from tests.factories import RepresentationFactory

    from .conftest import building_data

    application = application_start(type_key="building_permit", party=ahmed_for_ali_bygg)
    application.data = building_data()
    application.save()
    for kind in ("site_plan", "drawings", "neighbour_receipt"):
        attachment_add(application=application, kind=kind, file=pdf())
    colleague = RepresentationFactory(organisation=ahmed_for_ali_bygg.organisation).person
    party = Party(person=colleague, organisation=ahmed_for_ali_bygg.organisation)
    assert list(drafts_for_party(party=party)) == [application]
    case = application_submit(application=application, by=colleague)
    assert case.applicant == colleague and case.organisation == ahmed_for_ali_bygg.organisation
    letter = Letter.objects.get(case=case)
    assert letter.recipient == colleague and letter.organisation == ahmed_for_ali_bygg.organisation
