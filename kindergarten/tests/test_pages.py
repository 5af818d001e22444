"""The citizen's pages (the offer on the case page and its own page), who may see them, the
offer letter's PDF, the caseworker's round admin, the demo round."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from correspondence.pdf import render_pdf
from kindergarten import demo
from kindergarten.models import AdmissionRound, Offer
from kindergarten.services import admission_run

from .test_run import HAS_RIGHT

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(apply, kg, admission_round, caseworker):
    first, second = kg(capacity=1, name="Solsikken barnehage"), kg(capacity=5, name="Elvebredden barnehage")
    apply(born=HAS_RIGHT, wishes=[first], days_ago=20)
    case = apply(born=HAS_RIGHT, wishes=[first, second], days_ago=2, name="Ola")
    admission_run(round=admission_round, by=caseworker)
    return Offer.objects.select_related("case__applicant").get(case=case)


def offer_url(offer):
    return reverse("kindergarten:offer", args=[offer.pk])


def test_case_page_shows_the_offer_and_the_answer_form(client, offer):
    client.force_login(offer.case.applicant)
    body = client.get(reverse("cases:detail", args=[offer.case_id])).content.decode()
    assert "Tilbud om plass i Elvebredden barnehage" in body
    assert "Jeg takker ja til plassen" in body
    assert "Behold meg på ventelisten for et høyere ønske" in body  # wish 2: may keep waiting for wish 1
    assert f'action="{offer_url(offer)}"' in body


def test_accept_from_the_case_page(client, offer):
    client.force_login(offer.case.applicant)
    response = client.post(offer_url(offer), {"answer": "accept", "keep_on_waiting_list": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[offer.case_id])
    offer.refresh_from_db()
    assert (offer.status, offer.keep_on_waiting_list) == (Offer.Status.ACCEPTED, True)
    body = client.get(response["Location"]).content.decode()
    assert "Takk. Du har takket ja til plassen." in body
    assert "Jeg takker ja til plassen" not in body  # answered: no form any more


def test_no_choice_is_a_clear_error_and_nothing_changes(client, offer):
    client.force_login(offer.case.applicant)
    response = client.post(offer_url(offer), {})
    assert response.status_code == 400
    assert "Velg om du takker ja eller nei til plassen." in response.content.decode()
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT


def test_answer_after_the_deadline_is_refused_with_a_clear_message(client, offer):
    Offer.objects.filter(pk=offer.pk).update(reply_deadline=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(offer.case.applicant)
    response = client.post(offer_url(offer), {"answer": "accept"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Fristen for å svare på dette tilbudet var" in body
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT


def test_offer_page_in_nynorsk(client, offer):
    client.force_login(offer.case.applicant)
    client.cookies["django_language"] = "nn"
    body = client.get(offer_url(offer)).content.decode()
    assert 'lang="nn"' in body
    assert "Tilbod om plass i Elvebredden barnehage" in body and "Eg takkar ja til plassen" in body


def test_other_citizen_gets_404(client, offer, other_citizen):
    client.force_login(other_citizen)
    assert client.get(offer_url(offer)).status_code == 404
    assert client.post(offer_url(offer), {"answer": "decline"}).status_code == 404
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT


def test_caseworker_of_another_department_gets_404_on_the_citizen_page(client, offer, other_caseworker):
    client.force_login(other_caseworker)
    assert client.get(offer_url(offer)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, offer):
    assert client.get(offer_url(offer)).status_code == 302


def test_home_page_lists_the_offer_to_answer(client, offer):
    client.force_login(offer.case.applicant)
    body = client.get(reverse("home")).content.decode()
    assert "Barnehagetilbud du må svare på" in body and offer_url(offer) in body


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", ["Tilbud om barnehageplass for Ola", "Elvebredden barnehage", "ditt ønske nummer 2", "Svarfrist", "Klagerett"]),
    ("nn", ["Tilbod om barnehageplass for Ola", "Elvebredden barnehage", "Svarfrist", "Klagerett"]),
])
def test_offer_letter_pdf_names_the_place_and_the_reply_deadline(offer, language, expected):
    letter = offer.letter
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(
        render_pdf(template=letter.template, context=letter.context, language=language))).pages)
    text = " ".join(text.split())
    for phrase in expected:
        assert phrase in text
    assert letter.context["reply_deadline"] in text
    assert letter.context["start_date"] in text


def test_waiting_list_letter_pdf(apply, kg, admission_round, caseworker):
    place = kg(capacity=0)
    case = apply(born=HAS_RIGHT, wishes=[place], name="Kari")
    admission_run(round=admission_round, by=caseworker)
    letter = case.letters.get()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        render_pdf(template=letter.template, context=letter.context, language="nb"))).pages).split())
    assert "Kari står på venteliste" in text and "Du trenger ikke søke på nytt." in text


# --- The caseworker's desk ---------------------------------------------------------------------
def test_caseworker_runs_admission_from_the_round_list_and_sees_the_result(client, apply, kg, admission_round, caseworker):
    place = kg(capacity=1, name="Solsikken barnehage")
    apply(born=HAS_RIGHT, wishes=[place], days_ago=3)
    apply(born=HAS_RIGHT, wishes=[place], days_ago=1)
    client.force_login(caseworker)
    changelist = reverse("caseworker:kindergarten_admissionround_changelist")

    response = client.post(changelist, {"action": "run_admission", "_selected_action": [str(admission_round.pk)]},
                           follow=True)

    assert response.status_code == 200
    assert "1 tilbud gitt, 1 nye på ventelisten" in response.content.decode()
    admission_round.refresh_from_db()
    assert (admission_round.status, admission_round.offers_made, admission_round.waiting_list) == (
        AdmissionRound.Status.DONE, 1, 1)
    detail = client.get(reverse("caseworker:kindergarten_admissionround_change", args=[admission_round.pk]))
    body = detail.content.decode()
    assert "Solsikken barnehage" in body and "På venteliste nå: 1" in body


def test_caseworker_of_another_department_cannot_run_admission_or_see_offers(
        client, apply, kg, admission_round, caseworker, other_caseworker):
    case = apply(born=HAS_RIGHT, wishes=[kg()])
    client.force_login(other_caseworker)

    response = client.post(reverse("caseworker:kindergarten_admissionround_changelist"),
                           {"action": "run_admission", "_selected_action": [str(admission_round.pk)]}, follow=True)

    assert "Bare barnehageavdelingen kjører opptak." in response.content.decode()
    assert not Offer.objects.exists()
    admission_run(round=admission_round, by=caseworker)
    offers = client.get(reverse("caseworker:kindergarten_offer_changelist"))
    assert case.case_number not in offers.content.decode()
    assert offers.context["cl"].result_count == 0


def test_demo_round_is_loaded_once():
    assert demo.load() > 0
    assert demo.load() == 0
    assert AdmissionRound.objects.get().status == AdmissionRound.Status.READY


def test_the_run_task_allocates_like_the_action(apply, kg, admission_round, caseworker):
    from kindergarten.tasks import run_admission_round

    case = apply(born=HAS_RIGHT, wishes=[kg()])
    assert run_admission_round.apply(args=[str(admission_round.pk), caseworker.pk]).get() == {
        "offers": 1, "waiting_list": 0}
    assert Offer.objects.filter(case=case).exists()
    assert run_admission_round.apply(args=[str(admission_round.pk), caseworker.pk]).get()["offers"] == 0  # redelivered


def test_a_large_round_goes_to_the_casework_queue_after_commit(client, apply, kg, admission_round, caseworker,
                                                              settings, django_capture_on_commit_callbacks):
    from kindergarten.tasks import run_admission_round
    from minside.celery import app

    settings.KINDERGARTEN_RUN_IN_WORKER_FROM = 1
    settings.CELERY_TASK_ALWAYS_EAGER = False
    apply(born=HAS_RIGHT, wishes=[kg()])
    client.force_login(caseworker)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("caseworker:kindergarten_admissionround_changelist"),
                               {"action": "run_admission", "_selected_action": [str(admission_round.pk)]}, follow=True)
    assert "kjøres for 1 saker" in response.content.decode()
    assert len(callbacks) == 1 and not Offer.objects.exists()  # nothing ran in the request
    assert app.amqp.router.route({}, run_admission_round.name)["queue"].name == "casework"


def test_offer_list_query_count_is_flat(client, apply, kg, admission_round, caseworker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    place = kg(capacity=100)
    client.force_login(caseworker)
    url = reverse("caseworker:kindergarten_offer_changelist")
    counts = []
    for n in (2, 12):
        while Offer.objects.count() < n:
            apply(born=HAS_RIGHT, wishes=[place])
            admission_run(round=admission_round, by=caseworker)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    # session, user, "is a caseworker" (once), the round and kindergarten filters' choices,
    # filtered and total counts, the two permission lookups of other apps' registrations in
    # the nav, one page of offers with case, kindergarten and round joined, the session save
    # (savepoint, update, release).
    print(f"offer list queries: 2 offers={counts[0]}, 12 offers={counts[1]}")
    assert counts[0] == counts[1] <= 13


def test_the_kindergarten_department_plans_a_round_and_others_may_not(client, caseworker, other_caseworker):
    url = reverse("caseworker:kindergarten_admissionround_add")
    data = {"name": "Løpende opptak januar", "places_start": "2027-01-04", "reply_days": "10",
            "offers-TOTAL_FORMS": "0", "offers-INITIAL_FORMS": "0"}
    client.force_login(other_caseworker)
    assert client.post(url, data).status_code == 403
    assert not AdmissionRound.objects.exists()

    client.force_login(caseworker)
    assert client.post(url, data).status_code == 302
    assert AdmissionRound.objects.get().reply_days == 10


def test_a_round_with_no_days_to_reply_is_refused_by_the_services_rule(client, caseworker):
    # Regression: the admin saved the model directly, so 0 days to reply was accepted.
    url = reverse("caseworker:kindergarten_admissionround_add")
    client.force_login(caseworker)
    response = client.post(url, {"name": "Løpende opptak", "places_start": "2027-01-04", "reply_days": "0",
                                 "offers-TOTAL_FORMS": "0", "offers-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert "Svarfristen må være minst én dag." in response.content.decode()
    assert not AdmissionRound.objects.exists()
