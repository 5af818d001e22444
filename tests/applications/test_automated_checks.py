"""The application types' automated checks after submission (completeness, eligibility): each
rule passing and failing, for the kindergarten place and the building permit. The results are
what cases.services.case_run_automated_checks() records (tests/cases/test_automated_checks.py)."""

import datetime

import pytest
from django.utils import timezone

from applications.residence import lives_in_municipality
from applications.services import application_submit, attachment_add
from building_permit.rules import objection_period_over
from kindergarten.application import child_token
from kindergarten.models import Kindergarten
from registers import demo_data

from .conftest import pdf

pytestmark = pytest.mark.django_db


def by_code(results):
    return {r.code: r for r in results}


def run(application):
    return by_code(application.app_type.automated_checks(application))


# --- Kindergarten place ------------------------------------------------------------------------

def test_kindergarten_all_rules_pass_for_emma(kindergarten_draft, kari):
    application_submit(application=kindergarten_draft, by=kari)
    results = run(kindergarten_draft)

    assert set(results) == {"priority", "resident", "age_groups", "place_right"}
    assert all(r.passed for r in results.values())
    assert "Emma lives in the municipality (Storgata 1, 3050 Mjøndalen)" in results["resident"].message
    assert "Emma will be 1 at the start" in results["age_groups"].message
    # The right to a place is place_right()'s answer, as information for the caseworker.
    assert results["place_right"].required is False
    assert "statutory right to a kindergarten place from August 2027" in results["place_right"].message


def test_kindergarten_child_outside_the_municipality_fails(kindergarten_draft, kari, monkeypatch):
    monkeypatch.setitem(demo_data.ADDRESS_NORDMANN, "municipality_number", "0301")  # moved to Oslo
    result = run(kindergarten_draft)["resident"]
    assert not result.passed and result.required
    assert "does not live in the municipality" in result.message
    assert result.citizen_message == "According to the population register, Emma does not live in the municipality."


def test_residence_is_the_registers_municipality_number_of_the_address():
    from registers.population import Address

    drammen = Address("Storgata 1", "3050", "Mjøndalen", municipality_number="3301")
    assert lives_in_municipality(address=drammen, municipality="3301")
    assert not lives_in_municipality(address=drammen, municipality="3312")
    # The postcode decides nothing: 3050 is Drammen's, the number says where the address lies.
    assert not lives_in_municipality(address=Address("Storgata 1", "3050", "Mjøndalen"), municipality="3301")


def test_kindergarten_residence_is_judged_for_the_municipality_applied_to(kindergarten_draft, kari):
    """The same child, the same register: resident when applying to Drammen, not to Lier."""
    from tests.factories import MunicipalityFactory

    assert run(kindergarten_draft)["resident"].passed
    kindergarten_draft.municipality = MunicipalityFactory(number="3312")
    kindergarten_draft.save(update_fields=["municipality"])
    assert not run(kindergarten_draft)["resident"].passed


def test_kindergarten_wish_that_does_not_take_the_childs_age_fails(kindergarten_draft, kari, kindergartens):
    application_submit(application=kindergarten_draft, by=kari)
    # After submit the second wish changed to take only 3–5-year-olds; Emma will be 1.
    Kindergarten.objects.filter(pk=kindergartens[1].pk).update(age_groups=Kindergarten.AgeGroups.LARGE)
    result = run(kindergarten_draft)["age_groups"]
    assert not result.passed and result.required
    assert kindergartens[1].name in result.message and kindergartens[0].name not in result.message
    assert result.citizen_message


def test_kindergarten_wish_that_no_longer_exists_fails(kindergarten_draft, kari, kindergartens):
    application_submit(application=kindergarten_draft, by=kari)
    Kindergarten.objects.filter(pk=kindergartens[1].pk).delete()
    result = run(kindergarten_draft)["age_groups"]
    assert not result.passed
    assert "no longer exists" in result.message


def test_priority_grounds_documented_passes(kindergarten_draft, kari):
    kindergarten_draft.data["priority"] = {"grounds": ["disability"], "explanation": ""}
    kindergarten_draft.save()
    attachment_add(application=kindergarten_draft, kind="priority_documentation", file=pdf("erklaering.pdf"))
    application_submit(application=kindergarten_draft, by=kari)
    results = run(kindergarten_draft)
    assert results["attachment_priority_documentation"].passed
    assert "priority" not in results  # only when no grounds were given


def test_priority_grounds_without_documentation_fails(kindergarten_draft):
    # (Submit refuses this; the check states it for the caseworker all the same.)
    kindergarten_draft.data["priority"] = {"grounds": ["child_welfare"], "explanation": ""}
    kindergarten_draft.save()
    result = run(kindergarten_draft)["attachment_priority_documentation"]
    assert not result.passed and result.required
    assert result.citizen_message == "Documentation of the grounds for priority is missing."


def test_no_statutory_right_for_the_chosen_start_is_information_not_a_failure(kindergarten_draft, kari):
    # Noah turns 1 in October 2027: a right from October, later than an August start.
    kindergarten_draft.data["child"] = {"child": child_token(demo_data.NOAH)}
    kindergarten_draft.save()
    application_submit(application=kindergarten_draft, by=kari)
    results = run(kindergarten_draft)
    assert not results["place_right"].passed and not results["place_right"].required
    assert "later than your chosen start" in results["place_right"].message
    assert all(r.passed for r in results.values() if r.required)


def test_child_no_longer_in_the_register_fails(kindergarten_draft):
    kindergarten_draft.data["child"] = {"child": child_token(demo_data.LARS)}
    kindergarten_draft.save()
    result = run(kindergarten_draft)["child"]
    assert not result.passed and result.required
    assert result.citizen_message


# --- Building permit ---------------------------------------------------------------------------

def test_building_permit_all_rules_pass(building_draft, kari):
    application_submit(application=building_draft, by=kari)
    results = run(building_draft)
    assert set(results) == {"attachment_site_plan", "attachment_drawings", "attachment_neighbour_receipt",
                            "neighbour_notice", "track_21_7"}
    assert all(r.passed for r in results.values())
    days = (timezone.localdate(building_draft.submitted_at) - datetime.date(2026, 11, 1)).days
    assert f"{days} days before the application (at least 14)" in results["neighbour_notice"].message
    assert results["track_21_7"].message.startswith("§ 21-7: 3-week processing time")
    assert results["track_21_7"].required is False


@pytest.mark.parametrize("kind", ["site_plan", "drawings", "neighbour_receipt"])
def test_building_permit_missing_required_attachment_fails(building_draft, kind):
    building_draft.attachments.filter(kind=kind).delete()
    results = run(building_draft)
    assert not results[f"attachment_{kind}"].passed and results[f"attachment_{kind}"].required
    assert results[f"attachment_{kind}"].citizen_message.endswith("is missing.")
    assert all(r.passed for code, r in results.items() if code != f"attachment_{kind}")


def test_building_permit_objections_need_their_documents(building_draft):
    building_draft.data["neighbours"]["objections"] = "yes"
    building_draft.save()
    results = run(building_draft)
    assert not results["attachment_objections"].passed
    assert not results["attachment_objection_comments"].passed

    attachment_add(application=building_draft, kind="objections", file=pdf("merknad.pdf"))
    attachment_add(application=building_draft, kind="objection_comments", file=pdf("kommentar.pdf"))
    results = run(building_draft)
    assert results["attachment_objections"].passed and results["attachment_objection_comments"].passed
    # Objections put the application on the 12-week track.
    assert results["track_21_7"].message == "§ 21-7: 12-week processing time (neighbours objected)."


def test_building_permit_track_names_every_reason(building_draft):
    building_draft.data["project"].update(follows_zoning_plan="no", other_authority="yes")
    building_draft.save()
    message = run(building_draft)["track_21_7"].message
    assert message == ("§ 21-7: 12-week processing time (does not follow the zoning plan, "
                       "another authority must consent).")
    # The same rule sets the deadline.
    received = datetime.date(2026, 11, 24)
    facts = building_draft.app_type.case_facts(application=building_draft)
    assert facts["track_reasons"] == ["zoning_plan", "other_authority"]
    assert building_draft.app_type.processing_deadline(facts=facts, received=received) == received + datetime.timedelta(weeks=12)


def test_neighbour_notification_too_close_to_the_application_fails(building_draft, kari):
    application_submit(application=building_draft, by=kari)
    building_draft.submitted_at = timezone.make_aware(datetime.datetime(2026, 11, 10, 12, 0))
    result = run(building_draft)["neighbour_notice"]
    assert not result.passed and result.required
    assert "only 9 days before the application (at least 14)" in result.message
    assert result.citizen_message == "The neighbours' 14 days to object had not passed when you applied."


def test_neighbour_notification_without_a_valid_date_fails(building_draft):
    building_draft.data["neighbours"]["notified_on"] = "1. november"
    building_draft.save()
    result = run(building_draft)["neighbour_notice"]
    assert not result.passed
    assert result.citizen_message == "The date of the neighbour notification is missing."


def test_objection_period_boundary():
    notified = datetime.date(2026, 11, 1)
    assert objection_period_over(notified_on=notified, on=datetime.date(2026, 11, 15))
    assert not objection_period_over(notified_on=notified, on=datetime.date(2026, 11, 14))
