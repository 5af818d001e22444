import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import ACT_FOR_SELF, ACTING_FOR_SESSION_KEY
from applications.models import Application, Attachment
from applications.services import application_delete_expired_drafts, attachment_add
from applications.tasks import beat_schedule, periodic_delete_expired_drafts
from cases.services import case_create
from correspondence.services import letter_create
from tests.factories import ApplicationFactory

from .conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari_client(client, kari):
    client.force_login(kari)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = ACT_FOR_SELF
    session.save()
    return client


def _cases(applicant, department, n):
    for i in range(n):
        case = case_create(application_type="kindergarten", title=f"Sak {i}", department=department, applicant=applicant,
                           deadline=datetime.date(2027, 4, 30))
        letter_create(recipient=applicant, kind="receipt", title=f"Kvittering {case.case_number}",
                      template="applications/pdf/receipt.html", context={}, case=case)


def test_home_shows_drafts_with_deletion_date_and_cases_newest_first(kari_client, kari, departments, settings):
    settings.APPLICATION_DRAFT_DAYS = 30
    draft = ApplicationFactory(applicant=kari)
    _cases(kari, departments["barnehage"], 2)
    page = kari_client.get(reverse("home")).content.decode()
    assert reverse("applications:step", args=[draft.pk, "child"]) in page
    expires = timezone.localtime(draft.updated_at + datetime.timedelta(days=30)).date()
    assert str(expires.year) in page
    assert page.index("Sak 1") < page.index("Sak 0")  # newest first
    assert reverse("applications:delete", args=[draft.pk]) in page


def test_other_citizens_drafts_and_cases_are_not_shown(kari_client, other_citizen, departments):
    ApplicationFactory(applicant=other_citizen)
    _cases(other_citizen, departments["barnehage"], 1)
    page = kari_client.get(reverse("home")).content.decode()
    assert "Sak 0" not in page and "drafts-heading" not in page


def test_home_query_count_is_flat_from_1_to_50_cases(kari_client, kari, departments, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ApplicationFactory(applicant=kari)
    _cases(kari, departments["barnehage"], 1)
    with CaptureQueriesContext(connection) as one:
        kari_client.get(reverse("home"))
    _cases(kari, departments["barnehage"], 49)
    with CaptureQueriesContext(connection) as fifty:
        page = kari_client.get(reverse("home")).content.decode()
    assert page.count("Sak ") >= 50
    # Ours: drafts (1), cases (1), their receipts (1, prefetch). The rest is the session, the
    # user, the acting party and other apps' sections — the same for 1 and 50 cases.
    assert len(fifty) == len(one), [q["sql"] for q in fifty.captured_queries]
    with django_assert_max_num_queries(len(one)):
        kari_client.get(reverse("home"))
    print(f"Min Side home: {len(one)} queries with 1 case, {len(fifty)} with 50")
    assert "Se alle sakene dine" not in page
    _cases(kari, departments["barnehage"], 1)
    assert "Se alle sakene dine" in kari_client.get(reverse("home")).content.decode()


def test_expired_drafts_are_deleted_with_their_files(kari, settings, departments):
    settings.APPLICATION_DRAFT_DAYS = 90
    old = ApplicationFactory(applicant=kari)
    attachment = attachment_add(application=old, kind="priority_documentation", file=pdf())
    fresh = ApplicationFactory(applicant=kari)
    Application.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=91))
    Application.objects.filter(pk=fresh.pk).update(updated_at=timezone.now() - datetime.timedelta(days=89))
    from django.core.files.storage import default_storage

    assert default_storage.exists(attachment.stored_name)
    with __import__("django").test.TestCase.captureOnCommitCallbacks(execute=True):
        assert application_delete_expired_drafts() == 1
    assert list(Application.objects.all()) == [fresh]
    assert not Attachment.objects.exists()
    assert not default_storage.exists(attachment.stored_name)
    assert application_delete_expired_drafts() == 0


def test_submitted_applications_never_expire(kindergarten_draft, kari):
    from applications.services import application_submit

    application_submit(application=kindergarten_draft, by=kari)
    Application.objects.update(updated_at=timezone.now() - datetime.timedelta(days=400))
    assert application_delete_expired_drafts() == 0


def test_expiry_days_is_a_setting_and_the_task_is_scheduled(kari, settings):
    settings.APPLICATION_DRAFT_DAYS = 10
    draft = ApplicationFactory(applicant=kari)
    Application.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - datetime.timedelta(days=11))
    assert periodic_delete_expired_drafts() == 1
    assert beat_schedule["applications-delete-expired-drafts"]["task"] == "applications.tasks.periodic_delete_expired_drafts"


def test_demo_offers_every_registered_type_once(db):
    from applications import demo
    from applications.models import ApplicationTypeConfig
    from applications.types import all_types

    assert demo.load() == len(all_types())
    assert demo.load() == 0
    assert set(ApplicationTypeConfig.objects.values_list("type_key", flat=True)) == {t.key for t in all_types()}
