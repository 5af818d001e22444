import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import ACT_FOR_SELF, ACTING_FOR_SESSION_KEY
from applications.models import Application, Attachment
from applications.services import application_submit
from registers import demo_data
from tests.factories import ApplicationFactory, MunicipalityFactory

from .conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db
EXE = b"MZ\x90\x00" + b"\x00" * 200


@pytest.fixture
def kari_client(client, kari):
    client.force_login(kari)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = ACT_FOR_SELF
    session.save()
    return client


def step_url(application, step):
    return reverse("applications:step", kwargs={"pk": application.pk, "step": step})


def test_catalogue_lists_offered_types_with_their_descriptions(kari_client):
    response = kari_client.get(reverse("applications:catalogue"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Barnehageplass" in content or "Kindergarten place" in content
    assert "Byggesøknad" in content or "Building permit" in content


def test_type_switched_off_in_admin_is_not_offered(kari_client):
    from applications.models import ApplicationTypeConfig

    ApplicationTypeConfig.objects.create(type_key="building_permit", enabled=False, municipality=MunicipalityFactory())
    response = kari_client.get(reverse("applications:catalogue"))
    assert "building_permit" not in response.content.decode()
    assert kari_client.post(reverse("applications:start", args=["building_permit"])).status_code == 404


def test_start_creates_a_draft_and_prefills_the_register_children(kari_client, kari, kindergartens, departments):
    response = kari_client.post(reverse("applications:start", args=["kindergarten"]))
    application = Application.objects.get(applicant=kari)
    assert response.url == step_url(application, "child")
    page = kari_client.get(response.url).content.decode()
    # The children come from the population register, with the other guardian.
    assert "Emma Nordmann" in page and "Noah Nordmann" in page and "Sofie Nordmann" in page
    assert "Per Hansen" in page
    # No typing of what the register knows: no national identity number field.
    for national_id in (demo_data.EMMA, demo_data.NOAH, demo_data.SOFIE, demo_data.PER):
        assert national_id not in page


def test_invalid_step_shows_error_summary_and_keeps_what_was_typed(kari_client, kindergarten_draft):
    response = kari_client.post(step_url(kindergarten_draft, "place"), {
        "start_date": "2027-08-02", "wish_1": "", "wish_2": str(kindergarten_draft.data["place"]["wish_2"]),
        "attendance": "3_days", "action": "next"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="ds-error-summary"' in page
    assert 'href="#id_wish_1"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="2027-08-02"' in page
    kindergarten_draft.refresh_from_db()
    assert kindergarten_draft.data["place"]["attendance"] == "3_days"  # saved even though invalid


def test_duplicate_kindergarten_wish_is_an_error(kari_client, kindergarten_draft, kindergartens):
    response = kari_client.post(step_url(kindergarten_draft, "place"), {
        "start_date": "2027-08-02", "wish_1": kindergartens[0].pk, "wish_2": kindergartens[0].pk,
        "attendance": "full_time", "action": "next"})
    assert "is already one of your wishes" in response.content.decode() or "allerede" in response.content.decode()


def test_place_step_tells_about_the_right_to_a_place(kari_client, kindergarten_draft):
    page = kari_client.get(step_url(kindergarten_draft, "place")).content.decode()
    assert "ds-alert" in page and "Emma" in page


def test_valid_step_goes_to_next_step(kari_client, kindergarten_draft, kindergartens):
    response = kari_client.post(step_url(kindergarten_draft, "place"), {
        "start_date": "2027-08-02", "wish_1": kindergartens[2].pk, "attendance": "full_time", "action": "next"})
    assert response.status_code == 302 and response.url == step_url(kindergarten_draft, "priority")


def test_upload_wrong_type_shows_the_rule_then_a_good_file_is_listed(kari_client, kindergarten_draft):
    url = step_url(kindergarten_draft, "priority")
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("erklaering.pdf", EXE, content_type="application/pdf")
    response = kari_client.post(url, {"grounds": ["disability"], "action": "upload:priority_documentation",
                                      "file-priority_documentation": bad})
    assert response.status_code == 302
    page = kari_client.get(url).content.decode()
    assert "erklaering.pdf" in page and 'class="ds-error-summary"' in page
    assert 'checked' in page  # the ticked ground was kept
    assert not Attachment.objects.exists()
    response = kari_client.post(url, {"grounds": ["disability"], "action": "upload:priority_documentation",
                                      "file-priority_documentation": pdf("erklaering.pdf")})
    attachment = Attachment.objects.get()
    page = kari_client.get(url).content.decode()
    assert "ds-error-summary" not in page
    assert "erklaering.pdf" in page and reverse("applications:attachment-download", args=[attachment.pk]) in page
    # The stored name is generated by the server.
    assert "erklaering" not in attachment.stored_name


def test_upload_with_javascript_gets_the_location_as_json(kari_client, kindergarten_draft):
    response = kari_client.post(step_url(kindergarten_draft, "priority"),
                                {"grounds": ["disability"], "action": "upload:priority_documentation",
                                 "file-priority_documentation": pdf()},
                                HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.json()["location"].startswith(step_url(kindergarten_draft, "priority"))


def test_required_documentation_missing_blocks_next(kari_client, kindergarten_draft):
    response = kari_client.post(step_url(kindergarten_draft, "priority"), {"grounds": ["child_welfare"], "action": "next"})
    assert response.status_code == 200
    assert 'href="#file-priority_documentation"' in response.content.decode()


def test_remove_attachment(kari_client, kindergarten_draft):
    from applications.services import attachment_add

    attachment = attachment_add(application=kindergarten_draft, kind="priority_documentation", file=pdf())
    response = kari_client.post(reverse("applications:attachment-delete", args=[kindergarten_draft.pk, attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.exists()


def test_download_is_an_attachment_for_owner_and_404_for_others(kari_client, kindergarten_draft, client, other_citizen):
    from applications.services import attachment_add

    attachment = attachment_add(application=kindergarten_draft, kind="priority_documentation", file=pdf("a.pdf"))
    url = reverse("applications:attachment-download", args=[attachment.pk])
    response = kari_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
    assert b"".join(response.streaming_content) == PDF_BYTES
    kari_client.logout()
    kari_client.force_login(other_citizen)
    assert kari_client.get(url).status_code == 404


def test_other_citizen_gets_404_for_the_draft(client, other_citizen, kindergarten_draft):
    client.force_login(other_citizen)
    for url in (step_url(kindergarten_draft, "child"), reverse("applications:summary", args=[kindergarten_draft.pk]),
                reverse("applications:receipt", args=[kindergarten_draft.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("applications:delete", args=[kindergarten_draft.pk])).status_code == 404


def test_caseworker_of_the_department_may_download_others_may_not(client, kindergarten_draft, kari, departments):
    from applications.services import attachment_add
    from tests.factories import StaffFactory

    kindergarten_draft.data["priority"] = {"grounds": ["disability"]}
    kindergarten_draft.save()
    attachment = attachment_add(application=kindergarten_draft, kind="priority_documentation", file=pdf())
    application_submit(application=kindergarten_draft, by=kari)
    url = reverse("applications:attachment-download", args=[attachment.pk])
    client.force_login(StaffFactory(departments=[departments["byggesak"]]))
    assert client.get(url).status_code == 404
    caseworker = StaffFactory(departments=[departments["barnehage"]])
    client.force_login(caseworker)
    assert client.get(url).status_code == 200
    from cases.models import CaseAccessLog

    assert CaseAccessLog.objects.filter(case=kindergarten_draft.case, user=caseworker).count() == 1


def test_summary_edit_links_and_submit_goes_to_receipt(kari_client, kindergarten_draft):
    url = reverse("applications:summary", args=[kindergarten_draft.pk])
    page = kari_client.get(url).content.decode()
    assert f'{step_url(kindergarten_draft, "place")}?from=summary' in page
    assert "Barnehage A" in page
    response = kari_client.post(url)
    assert response.url == reverse("applications:receipt", args=[kindergarten_draft.pk])
    kindergarten_draft.refresh_from_db()
    receipt = kari_client.get(response.url).content.decode()
    assert kindergarten_draft.case.case_number in receipt
    # A second submit (two tabs) lands on the same receipt, no second case.
    assert kari_client.post(url).url == response.url
    from cases.models import Case

    assert Case.objects.count() == 1


def test_incomplete_summary_submit_lists_problems(kari_client, kindergarten_draft):
    kindergarten_draft.data.pop("invoice")
    kindergarten_draft.save()
    response = kari_client.post(reverse("applications:summary", args=[kindergarten_draft.pk]))
    assert response.status_code == 200
    assert 'href="#section-invoice"' in response.content.decode()


def test_delete_draft(kari_client, kindergarten_draft):
    response = kari_client.post(reverse("applications:delete", args=[kindergarten_draft.pk]))
    assert response.url == reverse("home")
    assert not Application.objects.exists()


def test_building_permit_unknown_property_is_a_clear_error(kari_client, building_draft):
    response = kari_client.post(step_url(building_draft, "property"), {"gnr": "77", "bnr": "1", "action": "next"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "77/1" in page and "ds-error-summary" in page


def test_building_permit_register_down_keeps_input(kari_client, building_draft):
    response = kari_client.post(step_url(building_draft, "property"), {"gnr": "999", "bnr": "1", "action": "next"})
    assert response.status_code == 200
    building_draft.refresh_from_db()
    assert building_draft.data["property"]["gnr"] == "999"


def test_building_permit_property_found_shows_address_and_fee(kari_client, building_draft):
    response = kari_client.post(step_url(building_draft, "property"), {"gnr": "12", "bnr": "34", "action": "next"})
    assert response.url == step_url(building_draft, "project")
    page = kari_client.get(step_url(building_draft, "property")).content.decode()
    assert "Storgata 1" in page
    page = kari_client.get(step_url(building_draft, "project")).content.decode()
    assert "5" in page and "900" in page  # 5 900 kr for a garage without responsible applicant? fee fixture: 8 900


def test_neighbour_notification_must_be_14_days_old(kari_client, building_draft):
    recent = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    response = kari_client.post(step_url(building_draft, "neighbours"), {"notified_on": recent, "objections": "no", "action": "next"})
    assert response.status_code == 200 and "14" in response.content.decode()


def test_20_3_needs_a_responsible_applicant(kari_client, building_draft):
    response = kari_client.post(step_url(building_draft, "kind"), {"permit_kind": "20-3", "responsible_applicant": "", "action": "next"})
    assert response.status_code == 200 and 'href="#id_responsible_applicant"' in response.content.decode()
    response = kari_client.post(step_url(building_draft, "kind"), {"permit_kind": "20-3", "responsible_applicant": "988077918", "action": "next"})
    assert response.status_code == 200
    response = kari_client.post(step_url(building_draft, "kind"), {"permit_kind": "20-3", "responsible_applicant": "988077917", "action": "next"})
    assert response.status_code == 302


def test_organisation_draft_belongs_to_the_organisation(client, ahmed_for_ali_bygg, fees, departments):
    ahmed, org = ahmed_for_ali_bygg.person, ahmed_for_ali_bygg.organisation
    client.force_login(ahmed)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = str(org.pk)
    session.save()
    catalogue = client.get(reverse("applications:catalogue")).content.decode()
    assert reverse("applications:start", args=["kindergarten"]) not in catalogue
    client.post(reverse("applications:start", args=["building_permit"]))
    application = Application.objects.get()
    assert application.organisation == org
    # Acting for himself, Ahmed does not see the organisation's draft.
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = ACT_FOR_SELF
    session.save()
    assert client.get(step_url(application, "kind")).status_code == 404


def test_submitted_application_redirects_steps_to_receipt(kari_client, kindergarten_draft, kari):
    application_submit(application=kindergarten_draft, by=kari)
    response = kari_client.get(step_url(kindergarten_draft, "place"))
    assert response.url == reverse("applications:receipt", args=[kindergarten_draft.pk])


def test_factory_draft_resume_step(kari):
    application = ApplicationFactory(applicant=kari, data={"child": {"child": "x"}})
    assert application.resume_step == "place"
def test_summary_in_nynorsk(kari_client, kindergarten_draft):
    kari_client.cookies["django_language"] = "nn"
    page = kari_client.get(reverse("applications:summary", args=[kindergarten_draft.pk])).content.decode()
    assert "Sjekk søknaden din" in page
    assert "Send søknaden" in page




def test_kindergarten_for_older_children_only_is_refused_for_a_baby(kari_client, kindergarten_draft):
    from kindergarten.tests.factories import KindergartenFactory

    big = KindergartenFactory(name="Storebarn barnehage", age_groups="3-5")
    response = kari_client.post(step_url(kindergarten_draft, "place"), {
        "start_date": "2027-08-02", "wish_1": big.pk, "attendance": "full_time", "action": "next"})
    assert response.status_code == 200
    assert "Storebarn barnehage takes children aged" in response.content.decode() or "Storebarn barnehage tar" in response.content.decode()


def test_back_saves_what_was_typed(kari_client, kindergarten_draft):
    response = kari_client.post(step_url(kindergarten_draft, "invoice"), {"invoice_to": "other_guardian", "action": "back"})
    assert response.url == step_url(kindergarten_draft, "priority")
    kindergarten_draft.refresh_from_db()
    assert kindergarten_draft.data["invoice"]["invoice_to"] == "other_guardian"


def test_place_step_says_when_main_admission_closes_before_a_date_is_chosen(kari_client, kindergarten_draft):
    kindergarten_draft.data.pop("place")
    kindergarten_draft.save()
    page = kari_client.get(step_url(kindergarten_draft, "place")).content.decode()
    assert "1. mars 2027" in page


def test_the_draft_holds_no_national_identity_number(kari_client, kindergarten_draft):
    import json

    from kindergarten.application import child_token

    response = kari_client.post(step_url(kindergarten_draft, "child"), {"child": child_token(demo_data.NOAH), "action": "next"})
    assert response.status_code == 302
    kindergarten_draft.refresh_from_db()
    assert demo_data.NOAH not in json.dumps(kindergarten_draft.data)
    assert kindergarten_draft.app_type.case_title(application=kindergarten_draft).endswith("Noah")


def test_a_made_up_child_is_refused(kari_client, kindergarten_draft):
    response = kari_client.post(step_url(kindergarten_draft, "child"), {"child": demo_data.LARS, "action": "next"})
    assert response.status_code == 200 and 'href="#id_child_0"' in response.content.decode()


def test_place_step_query_count_does_not_grow_with_kindergartens(kari_client, kindergarten_draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kindergarten.tests.factories import KindergartenFactory

    url = step_url(kindergarten_draft, "place")
    kari_client.get(url)  # warm-up: the first request of a session does one-off work
    with CaptureQueriesContext(connection) as few:
        kari_client.get(url)
    KindergartenFactory.create_batch(30)
    with CaptureQueriesContext(connection) as many:
        page = kari_client.get(url).content.decode()
    assert page.count("<option") >= 5 * 36
    # Session (read, save), user, the application, the kindergartens (for the form and for the
    # saved draft's notice), its attachments, the type's upload rules; the layout's unread
    # counts and party check (other apps): the same for 6 and 36 kindergartens.
    assert len(many) == len(few) <= 14, [q["sql"] for q in many.captured_queries]


def test_start_page_describes_the_type_in_english(kari_client):
    kari_client.cookies["django_language"] = "en"
    page = kari_client.get(reverse("applications:start", args=["building_permit"])).content.decode()
    assert "Who may apply" in page and "Start application" in page
    assert kari_client.get(reverse("applications:start", args=["no-such-type"])).status_code == 404


def test_admin_texts_replace_the_types_own(kari_client):
    from applications.models import ApplicationTypeConfig

    ApplicationTypeConfig.objects.create(type_key="kindergarten", processing_time="Svar innen 1. mai",
                                         municipality=MunicipalityFactory())
    assert "Svar innen 1. mai" in kari_client.get(reverse("applications:catalogue")).content.decode()
