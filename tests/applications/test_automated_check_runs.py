"""The automated steps after submission: applications.services.application_run_automated_checks()
records the type's checks once (cases.services.case_automated_check_record), moves a complete
application to review as the system, leaves the rest for a caseworker; the task after commit, the sweeper for lost tasks, and what the caseworker and
the citizen see."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import Party
from applications import services, tasks
from applications.services import application_start, application_submit
from cases import services as case_services
from cases.models import Case, CaseEvent
from cases.selectors import automated_check_results
from kindergarten.tests.factories import KindergartenFactory
from minside.celery import app as celery_app
from notifications.models import Notification
from registers.population import RegisterUnavailable
from tests.applications.conftest import kindergarten_data
from tests.factories import CaseFactory, CitizenFactory, DepartmentFactory, StaffFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "caseworker:cases_case_changelist"
A = CaseEvent.Kind.AUTOMATED_CHECK


@pytest.fixture
def barnehage(db):
    return DepartmentFactory(code="barnehage", name="Barnehage")


@pytest.fixture
def kari(db):
    from registers import demo_data

    return CitizenFactory(national_id=demo_data.KARI, first_name="Kari", last_name="Nordmann")


@pytest.fixture
def submit(kari, barnehage):
    """submit(): a real kindergarten application for Emma, submitted by Kari; its case."""
    kindergartens = [KindergartenFactory(), KindergartenFactory()]

    def make(**kwargs):
        draft = application_start(type_key="kindergarten", party=Party(person=kari))
        draft.data = kindergarten_data(kindergartens, **kwargs)
        draft.save()
        return application_submit(application=draft, by=kari)
    return make


@pytest.fixture
def outside(monkeypatch):
    """Emma's family has moved to Oslo (0301): she does not live in the municipality applied to."""
    from registers import demo_data

    monkeypatch.setitem(demo_data.ADDRESS_NORDMANN, "municipality_number", "0301")


@pytest.fixture
def eager():
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def test_complete_application_goes_to_review_as_the_system(submit):
    case = submit()
    notices = Notification.objects.count()

    event = services.application_run_automated_checks(case_id=case.pk)

    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW and case.version == 2
    assert event.kind == A and event.public and event.actor is None
    assert (event.from_status, event.to_status) == ("received", "under_review")
    # The citizen's line in their language (Kari: bokmål); the details in the caseworkers' (bokmål).
    assert event.text == "Søknaden din er fullstendig og er sendt til en saksbehandler."
    assert "✓ Emma bor i kommunen (Storgata 1, 3050 Mjøndalen)." in event.internal_text
    # One event for the check and the status change together; no second notice after the receipt.
    assert list(case.events.values_list("kind", flat=True)) == ["status_changed", A]
    assert Notification.objects.count() == notices


def test_second_run_does_nothing(submit):
    case = submit()
    assert services.application_run_automated_checks(case_id=case.pk) is not None
    version = Case.objects.get(pk=case.pk).version

    assert services.application_run_automated_checks(case_id=case.pk) is None
    assert case.events.filter(kind=A).count() == 1
    assert Case.objects.get(pk=case.pk).version == version


def test_something_missing_stays_received_for_a_caseworker(submit, outside):
    case = submit()

    event = services.application_run_automated_checks(case_id=case.pk)

    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED and case.version == 1
    assert (event.from_status, event.to_status) == ("received", "")
    assert "✗ Emma bor ikke i kommunen ifølge folkeregisteret (Storgata 1, 3050 Mjøndalen)." in event.internal_text
    assert event.text == ("En saksbehandler vil gå gjennom søknaden din. Vi kontakter deg hvis vi trenger noe fra deg.\n"
                          "Ifølge folkeregisteret bor ikke Emma i kommunen.")
    assert automated_check_results(event)[1] == {
        "state": "failed", "message": "Emma bor ikke i kommunen ifølge folkeregisteret (Storgata 1, 3050 Mjøndalen)."}


def test_case_already_moved_by_a_caseworker_is_recorded_not_moved(submit, barnehage):
    case = submit()
    berit = StaffFactory(departments=[barnehage])
    case_services.case_start_review(case=case, by=berit)
    case.refresh_from_db()

    event = services.application_run_automated_checks(case_id=case.pk)

    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW and case.version == 2
    assert (event.from_status, event.to_status) == ("under_review", "under_review")  # complete


def test_register_down_writes_nothing_and_raises(submit, settings):
    case = submit()
    settings.POPULATION_REGISTER_SIMULATE = "unavailable"
    with pytest.raises(RegisterUnavailable):
        services.application_run_automated_checks(case_id=case.pk)
    assert not case.events.filter(kind=A).exists()
    assert Case.objects.get(pk=case.pk).status == Case.Status.RECEIVED


def test_case_without_an_application_is_left_alone(barnehage):
    case = case_services.case_create(application_type="kindergarten", title="Ført inn for hånd", department=barnehage,
                                applicant=CitizenFactory())
    assert services.application_run_automated_checks(case_id=case.pk) is None
    assert not case.events.filter(kind=A).exists()


# --- The task after commit, the sweeper ---------------------------------------------------------

def test_submit_enqueues_the_checks_after_commit(submit, django_capture_on_commit_callbacks, eager):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = submit()
    # Nothing ran before the commit.
    assert not case.events.filter(kind=A).exists()
    ours = [c for c in callbacks if getattr(c, "func", None) is tasks.automated_checks_enqueue]
    assert len(ours) == 1 and ours[0].keywords == {"case_id": case.pk}

    for callback in callbacks:
        callback()
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW
    assert case.events.filter(kind=A).count() == 1


def test_enqueue_never_raises_when_the_broker_is_down(submit, caplog, monkeypatch):
    case = submit()

    def down(*args, **kwargs):
        raise ConnectionRefusedError("[Errno 111] Connection refused")
    monkeypatch.setattr(tasks.run_automated_checks, "apply_async", down)
    assert tasks.automated_checks_enqueue(case_id=case.pk) is False
    assert "the sweeper will run them" in caplog.text


def test_register_down_after_submit_leaves_the_case_for_the_sweeper(submit, settings, eager, caplog,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = submit()
    settings.POPULATION_REGISTER_SIMULATE = "unavailable"  # went down right after the submit
    for callback in callbacks:
        callback()  # the submission is saved whatever happens after commit: nothing raises
    assert "Could not enqueue the automated checks" in caplog.text
    assert not case.events.filter(kind=A).exists()

    settings.POPULATION_REGISTER_SIMULATE = ""
    Case.objects.filter(pk=case.pk).update(received_at=timezone.now() - datetime.timedelta(minutes=11))
    assert services.automated_checks_sweep() == 1
    assert Case.objects.get(pk=case.pk).status == Case.Status.UNDER_REVIEW


def test_task_in_a_worker_retries_with_backoff_while_a_register_is_down(submit, settings, monkeypatch):
    from celery.exceptions import Retry

    case = submit()
    settings.POPULATION_REGISTER_SIMULATE = "unavailable"
    asked = []

    def retry(exc=None, countdown=None, **kwargs):  # Celery's retry: record, don't publish
        asked.append((type(exc), countdown))
        return Retry(exc=exc, when=countdown)
    task = tasks.run_automated_checks
    monkeypatch.setattr(task, "retry", retry)
    for retries in (0, 3, 6):
        task.push_request(is_eager=False, retries=retries)
        try:
            with pytest.raises(Retry):
                task.run(str(case.pk))
        finally:
            task.pop_request()
    assert asked == [(RegisterUnavailable, 30), (RegisterUnavailable, 240), (RegisterUnavailable, 600)]
    assert not case.events.filter(kind=A).exists()


def test_task_runs_the_checks_once(submit):
    case = submit()
    assert tasks.run_automated_checks(str(case.pk)) is True
    assert tasks.run_automated_checks(str(case.pk)) is False
    assert tasks.run_automated_checks("00000000-0000-0000-0000-000000000000") is False
    assert Case.objects.get(pk=case.pk).status == Case.Status.UNDER_REVIEW


def test_sweeper_runs_checks_that_were_lost(submit, barnehage, outside):
    lost, recent, checked = submit(), submit(), submit()
    services.application_run_automated_checks(case_id=checked.pk)
    handmade = case_services.case_create(application_type="kindergarten", title="Ført inn for hånd",
                                    department=barnehage, applicant=CitizenFactory())  # no application
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    Case.objects.filter(pk__in=[lost.pk, checked.pk, handmade.pk]).update(received_at=long_ago)

    assert services.automated_checks_sweep(older_than_minutes=10) == 1
    assert lost.events.filter(kind=A).count() == 1
    assert not recent.events.filter(kind=A).exists()  # its own task may still be on its way
    assert checked.events.filter(kind=A).count() == 1
    assert not handmade.events.filter(kind=A).exists()
    assert tasks.periodic_automated_checks_sweep() == 0  # nothing left (default: 10 minutes)


def test_sweeper_stops_while_a_register_is_down(submit, settings):
    submit(), submit()
    Case.objects.update(received_at=timezone.now() - datetime.timedelta(hours=1))
    settings.POPULATION_REGISTER_SIMULATE = "unavailable"
    assert services.automated_checks_sweep() == 0
    settings.POPULATION_REGISTER_SIMULATE = ""
    assert services.automated_checks_sweep() == 2
    assert Case.objects.filter(status=Case.Status.UNDER_REVIEW).count() == 2


def test_sweeper_is_scheduled_on_the_periodic_queue_and_the_task_on_casework():
    from django.conf import settings

    from minside.celery import app

    assert tasks.beat_schedule["applications-automated-checks-sweep"]["task"] == "applications.tasks.periodic_automated_checks_sweep"
    router = app.amqp.router
    assert router.route({}, "applications.tasks.periodic_automated_checks_sweep")["queue"].name == "periodic"
    assert router.route({}, "applications.tasks.run_automated_checks")["queue"].name == "casework"
    assert settings.CELERY_TASK_ROUTES


# --- What the caseworker sees --------------------------------------------------------------------

def test_case_page_lists_the_results(client, submit, barnehage, outside):
    case = submit()
    services.application_run_automated_checks(case_id=case.pk)
    berit = StaffFactory(departments=[barnehage])
    client.force_login(berit)
    body = client.get(reverse("caseworker:cases_case_change", args=[case.pk])).content.decode()
    assert "Automatisk kontroll" in body
    assert "Ikke bestått:</span> Emma bor ikke i kommunen ifølge folkeregisteret" in body
    assert "Bestått:</span> Emma blir 1 ved oppstart" in body
    assert "Bestått:</span> Emma har lovfestet rett til barnehageplass fra august 2027" in body


def test_results_read_back_as_passed_failed_and_information():
    event = CaseEvent(internal_text="✓ Site plan: attached (1).\n✗ Drawings: missing.\n• § 21-7: 12 weeks.\nfree text")
    assert [r["state"] for r in automated_check_results(event)] == ["passed", "failed", "note", "note"]
    assert automated_check_results(event)[1]["message"] == "Drawings: missing."
    assert automated_check_results(None) == []


def test_case_page_before_the_check(client, submit, barnehage):
    case = submit()
    client.force_login(StaffFactory(departments=[barnehage]))
    body = client.get(reverse("caseworker:cases_case_change", args=[case.pk])).content.decode()
    assert "Den automatiske kontrollen har ikke kjørt for denne saken." in body


def test_queue_column_and_filter(client, submit, barnehage, settings, monkeypatch):
    complete = submit()
    services.application_run_automated_checks(case_id=complete.pk)
    from registers import demo_data

    monkeypatch.setitem(demo_data.ADDRESS_NORDMANN, "municipality_number", "0301")  # moved to Oslo
    attention = submit()
    services.application_run_automated_checks(case_id=attention.pk)
    waiting = submit()
    client.force_login(StaffFactory(departments=[barnehage]))

    response = client.get(reverse(CHANGELIST))
    rows = {c.case_number: c.automated_check for c in response.context["cl"].result_list}
    assert rows == {complete.case_number: "under_review", attention.case_number: "", waiting.case_number: None}
    body = response.content.decode()
    assert "Trenger oppfølging" in body and "Fullstendig" in body

    def shown(value):
        result = client.get(reverse(CHANGELIST), {"check": value}).context["cl"].result_list
        return {c.case_number for c in result}
    assert shown("complete") == {complete.case_number}
    assert shown("attention") == {attention.case_number}
    assert shown("none") == {waiting.case_number}


def test_queue_query_count_stays_flat_with_the_check_column(client, barnehage):
    caseworker = StaffFactory(departments=[barnehage])
    client.force_login(caseworker)
    applicant = CitizenFactory()

    def add_cases(n):
        cases = [CaseFactory(department=barnehage, applicant=applicant) for _ in range(n)]
        CaseEvent.objects.bulk_create([CaseEvent(case=c, kind=A, to_status="" if i % 2 else "under_review")
                                       for i, c in enumerate(cases)])

    counts = []
    for n in (5, 60):
        add_cases(n)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(CHANGELIST))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert len(response.context["cl"].result_list) == 50


# --- What the citizen sees -------------------------------------------------------------------------

def test_citizen_sees_the_public_line_never_the_internal_details(client, submit, kari):
    case = submit()
    services.application_run_automated_checks(case_id=case.pk)  # Kari's language: bokmål
    client.force_login(kari)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Søknaden din er fullstendig og er sendt til en saksbehandler." in body
    assert "lives in the municipality" not in body and "✓" not in body


def test_citizen_sees_what_is_missing_in_nynorsk(client, submit, kari, outside):
    kari.preferred_language = "nn"
    kari.save()
    case = submit()
    services.application_run_automated_checks(case_id=case.pk)
    client.force_login(kari)
    client.cookies["django_language"] = "nn"
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'lang="nn"' in body
    assert "Automatisk kontroll" in body
    assert "Ifølgje folkeregisteret bur ikkje Emma i kommunen." in body
    assert "Storgata 1" not in body and "✗" not in body
