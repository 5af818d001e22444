"""The SFO steps as the citizen meets them (through the views): the children from the register with
their grade, and the unhappy paths: no child chosen, no child who can have SFO, a start date in
the past or before school starts, only the free hours for a grade without them, a school
without SFO for the grade, grade 5 without special needs. Each error is clear and nothing
typed is lost."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.services import ACT_FOR_SELF, ACTING_FOR_SESSION_KEY
from applications.models import Application
from applications.services import ApplicationIncomplete, application_submit
from registers import demo_data
from sfo.application import child_token

from .conftest import next_august, sofie_grade
from .factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    """login(user): the client logged in as the citizen acting for themselves, in English."""

    def make(user):
        client.force_login(user)
        session = client.session
        session[ACTING_FOR_SESSION_KEY] = ACT_FOR_SELF
        session.save()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def step_url(application, step):
    return reverse("applications:step", kwargs={"pk": application.pk, "step": step})


def start(client, user) -> Application:
    response = client.post(reverse("applications:start", args=["sfo"]))
    application = Application.objects.get(applicant=user, type_key="sfo")
    assert response.url == step_url(application, "child")
    return application


def post(client, application, step, data):
    return client.post(step_url(application, step), {**data, "action": "next"})


def test_the_child_step_lists_only_children_who_can_have_sfo_with_their_grade(login, kari, sfo_department):
    client = login(kari)
    application = start(client, kari)
    page = client.get(step_url(application, "child")).content.decode()
    # Sofie will be at school next August; Emma and Noah (born 2026) will not.
    year = next_august().year
    assert "Sofie Nordmann, born" in page
    assert f"grade {sofie_grade()} in {year}/{(year + 1) % 100:02d}" in page
    assert "Emma" not in page and "Noah" not in page
    assert re.search(rf'value="{child_token(demo_data.SOFIE)}"[^>]*checked', page)  # the only one: chosen
    for national_id in (demo_data.SOFIE, demo_data.PER, demo_data.KARI):
        assert national_id not in page


def test_no_child_chosen_is_an_error(login, kari, sfo_department):
    client = login(kari)
    application = start(client, kari)
    response = post(client, application, "child", {})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="ds-error-summary"' in page and "Choose the child you are applying for." in page


def test_a_citizen_without_a_child_who_can_have_sfo_is_told_so(login, sfo_department, school):
    from tests.factories import CitizenFactory

    lars = CitizenFactory(national_id=demo_data.LARS, first_name="Lars", last_name="Berg")
    client = login(lars)
    application = start(client, lars)
    page = client.get(step_url(application, "child")).content.decode()
    assert "None of your children in the population register can have SFO" in page
    assert 'type="radio"' not in page  # no empty choice
    response = post(client, application, "child", {})
    assert 'class="ds-error-summary"' in response.content.decode()
    assert "None of your children in the population register can have SFO" in response.content.decode()
    application.refresh_from_db()
    with pytest.raises(ApplicationIncomplete) as exc:
        application_submit(application=application, by=lars)
    assert "child" in {p.step for p in exc.value.problems}


def test_a_start_date_in_the_past_is_an_error_and_nothing_typed_is_lost(login, kari, school, sfo_department):
    client = login(kari)
    application = start(client, kari)
    post(client, application, "child", {"child": child_token(demo_data.SOFIE)})
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = post(client, application, "place", {"school": school.pk, "start_date": yesterday.isoformat(),
                                                    "place_kind": "3_days", "morning": "yes"})
    page = response.content.decode()
    assert "The start date cannot be in the past." in page
    assert 'href="#id_start_date"' in page and 'aria-invalid="true"' in page
    assert f'value="{yesterday.isoformat()}"' in page
    assert f'<option value="{school.pk}" selected>' in page
    assert re.search(r'value="3_days"[^>]*checked', page) and re.search(r'name="morning" value="yes"[^>]*checked', page)
    application.refresh_from_db()
    assert application.data["place"] == {"school": str(school.pk), "start_date": yesterday.isoformat(),
                                         "place_kind": "3_days", "morning": "yes"}


def test_a_start_date_too_far_ahead_is_an_error(login, kari, school, sfo_department):
    client = login(kari)
    application = start(client, kari)
    post(client, application, "child", {"child": child_token(demo_data.SOFIE)})
    far = timezone.localdate() + datetime.timedelta(days=400)
    response = post(client, application, "place", {"school": school.pk, "start_date": far.isoformat(),
                                                    "place_kind": "full", "morning": "no"})
    assert "Choose a start date within a year." in response.content.decode()


def test_a_start_before_the_child_starts_school_is_an_error(login, family, school, sfo_department):
    parent, child_id, _child = family(grade=1)
    client = login(parent)
    application = start(client, parent)
    post(client, application, "child", {"child": child_token(child_id)})
    before = max(next_august() - datetime.timedelta(days=1), timezone.localdate())
    response = post(client, application, "place", {"school": school.pk, "start_date": before.isoformat(),
                                                    "place_kind": "full", "morning": "no"})
    assert f"Ola starts school in August {next_august().year}. Choose a start date from then." in response.content.decode()


def test_only_the_free_hours_for_a_grade_without_them_is_an_error(login, family, school, sfo_department):
    # Grade 3 this school year (free hours), grade 4 from August (none): the option is offered,
    # but not for a start in August.
    parent, child_id, _child = family(grade=4)
    client = login(parent)
    application = start(client, parent)
    post(client, application, "child", {"child": child_token(child_id)})
    page = client.get(step_url(application, "place")).content.decode()
    assert "Only the free hours (12 hours a week)" in page
    response = post(client, application, "place", {"school": school.pk, "start_date": next_august().isoformat(),
                                                    "place_kind": "free_hours", "morning": "no"})
    year = next_august().year
    assert (f"The free hours are for grades 1–3 in the school year {year}/{(year + 1) % 100:02d}, and Ola will be "
            "in grade 4. Choose a place of 2 to 5 days a week.") in response.content.decode()
    response = post(client, application, "place", {"school": school.pk, "start_date": next_august().isoformat(),
                                                    "place_kind": "2_days", "morning": "no"})
    assert response.status_code == 302 and response.url == step_url(application, "needs")


def test_only_the_free_hours_is_not_offered_to_a_child_without_them(login, family, school, sfo_department):
    parent, child_id, _child = family(grade=5)
    client = login(parent)
    application = start(client, parent)
    post(client, application, "child", {"child": child_token(child_id)})
    assert "Only the free hours" not in client.get(step_url(application, "place")).content.decode()
    response = post(client, application, "place", {"school": school.pk, "start_date": next_august().isoformat(),
                                                    "place_kind": "free_hours", "morning": "no"})
    assert "Choose one of the kinds of place in the list." in response.content.decode()


def test_a_school_without_sfo_for_the_grade_is_an_error(login, family, sfo_department):
    parent, child_id, _child = family(grade=4)
    small = SchoolFactory(name="Grendeskolen", highest_grade=3, special_needs_highest_grade=3)
    client = login(parent)
    application = start(client, parent)
    post(client, application, "child", {"child": child_token(child_id)})
    response = post(client, application, "place", {"school": small.pk, "start_date": next_august().isoformat(),
                                                    "place_kind": "full", "morning": "no"})
    year = next_august().year
    assert (f"Grendeskolen has SFO for grades 1–3. Ola will be in grade 4 in the school year "
            f"{year}/{(year + 1) % 100:02d}.") in response.content.decode()


def test_grade_5_needs_special_needs_and_an_explanation(login, family, school, sfo_department):
    parent, child_id, _child = family(grade=5)
    client = login(parent)
    application = start(client, parent)
    post(client, application, "child", {"child": child_token(child_id)})
    assert post(client, application, "place", {"school": school.pk, "start_date": next_august().isoformat(),
                                               "place_kind": "full", "morning": "no"}).status_code == 302
    page = client.get(step_url(application, "needs")).content.decode()
    assert "From grade 5, SFO is only for children with special needs, and it is free of charge." in page

    response = post(client, application, "needs", {"special_needs": "no", "needs_explanation": "Liker fotball."})
    page = response.content.decode()
    assert "Ola will be in grade 5 in the school year" in page
    assert "From grade 5, SFO is only for children with special needs." in page
    assert "Liker fotball." in page  # kept

    response = post(client, application, "needs", {"special_needs": "yes", "needs_explanation": " "})
    assert "Describe the needs briefly: from grade 5 they are the grounds for the place." in response.content.decode()

    response = post(client, application, "needs", {"special_needs": "yes", "needs_explanation": "Trenger støtte."})
    assert response.status_code == 302 and response.url == step_url(application, "invoice")


def test_priority_grounds_without_documentation_stop_the_step(login, kari, school, sfo_department):
    client = login(kari)
    application = start(client, kari)
    post(client, application, "child", {"child": child_token(demo_data.SOFIE)})
    response = post(client, application, "needs", {"special_needs": "no", "grounds": ["disability"]})
    page = response.content.decode()
    assert "Documentation of the grounds for priority: attach at least one file." in page
    application.refresh_from_db()
    assert application.data["needs"]["grounds"] == ["disability"]


def test_the_summary_shows_the_grade_the_school_and_the_free_hours(login, kari, school, sfo_department):
    client = login(kari)
    application = start(client, kari)
    post(client, application, "child", {"child": child_token(demo_data.SOFIE)})
    post(client, application, "place", {"school": school.pk, "start_date": next_august().isoformat(),
                                        "place_kind": "full", "morning": "yes"})
    post(client, application, "needs", {"special_needs": "no"})
    assert post(client, application, "invoice", {"invoice_to": "other_guardian"}).url == \
        reverse("applications:summary", args=[application.pk])
    page = client.get(reverse("applications:summary", args=[application.pk])).content.decode()
    assert "Mjøndalen skole, Skolegata 10, 3050 Mjøndalen" in page
    assert f"grade {sofie_grade()} in {next_august().year}/" in page
    assert "The other guardian (Per Hansen)" in page
    response = client.post(reverse("applications:summary", args=[application.pk]))
    assert response.url == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    assert application.case.title == "SFO place for Sofie"
