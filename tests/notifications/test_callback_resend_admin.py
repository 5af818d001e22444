"""Provider callbacks only move rows forward; the caseworker sees deliveries and resends
technical failures from the caseworker site."""

import json

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import NotResendable, notification_resend
from tests.factories import CaseFactory, DepartmentFactory, LetterFactory, NotificationFactory, StaffFactory

Channel, Status = Notification.Channel, Notification.Status
pytestmark = pytest.mark.django_db
CALLBACK = "/varsler/leveringsstatus/"


def post_callback(client, payload, token="local-callback-token"):
    return client.post(CALLBACK, data=json.dumps(payload), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})


def test_callback_moves_a_sent_row_to_delivered(client):
    row = NotificationFactory(channel=Channel.SMS, status=Status.SENT, provider_reference="sms-abc")

    response = post_callback(client, {"reference": "sms-abc", "status": "delivered"})

    assert response.status_code == 200 and response.content == b"ok"
    row.refresh_from_db()
    assert row.status == Status.DELIVERED


def test_callback_never_moves_a_row_backwards(client):
    row = NotificationFactory(channel=Channel.SMS, status=Status.DELIVERED, provider_reference="sms-def")

    response = post_callback(client, {"reference": "sms-def", "status": "permanent-failure", "error": "late bounce"})
    assert response.status_code == 200
    post_callback(client, {"reference": "sms-def", "status": "created"})
    post_callback(client, {"reference": "sms-def", "status": "sent"})

    assert response.content == b"ignored"
    row.refresh_from_db()
    assert row.status == Status.DELIVERED


def test_callback_for_an_unknown_reference_is_a_404_so_the_provider_retries(client):
    response = post_callback(client, {"reference": "sms-not-recorded-yet", "status": "delivered"})
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("mobile", "final"), [("+4791112222", Status.DELIVERED), ("+4791110404", Status.PERMANENT_FAILURE)])
def test_local_sms_gateway_calls_back_with_a_delivery_report(live_server, settings, mobile, final):
    import time

    from notifications.services import notification_deliver
    from tests.factories import CitizenFactory

    settings.LOCAL_PROVIDER_CALLBACK_URL = live_server.url + CALLBACK
    settings.LOCAL_PROVIDER_CALLBACK_DELAY_SECONDS = 0.05
    row = NotificationFactory(recipient=CitizenFactory(mobile=mobile), channel=Channel.SMS)

    assert notification_deliver(notification_id=row.pk).status == Status.SENT
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.status != Status.SENT:
            break
        time.sleep(0.05)
    assert row.status == final


def test_callback_with_a_wrong_token_is_refused(client):
    row = NotificationFactory(status=Status.SENT, provider_reference="sms-ghi")

    assert post_callback(client, {"reference": "sms-ghi", "status": "delivered"}, token="guess").status_code == 403
    assert client.post(CALLBACK, data="{}", content_type="application/json").status_code == 403
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_callback_with_bad_json_is_a_clear_400(client):
    response = client.post(CALLBACK, data="not json", content_type="application/json",
                           headers={"Authorization": "Bearer local-callback-token"})
    assert response.status_code == 400


def test_a_print_batch_reference_is_not_moved_by_callbacks(client):
    row = NotificationFactory(channel=Channel.PAPER, status=Status.SENT, provider_reference="print-2026-11-24-1")
    assert post_callback(client, {"reference": "print-2026-11-24-1", "status": "delivered"}).status_code == 404
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_callback_is_off_without_a_token(client, settings):
    settings.NOTIFICATIONS_CALLBACK_TOKEN = ""
    assert post_callback(client, {"reference": "x", "status": "delivered"}).status_code == 404


def test_resend_of_a_technical_failure_makes_a_new_row_through_the_same_channel(caseworker, django_capture_on_commit_callbacks):
    failed = NotificationFactory(channel=Channel.SMS, status=Status.TECHNICAL_FAILURE, last_error="Gateway timed out")

    with django_capture_on_commit_callbacks() as callbacks:
        resend = notification_resend(notification=failed, by=caseworker)

    assert resend.resend_of == failed
    assert resend.channel == Channel.SMS and resend.status == Status.CREATED
    assert resend.idempotency_key == f"{failed.idempotency_key}:resend-1"
    assert len(callbacks) == 1  # enqueued after commit
    failed.refresh_from_db()
    assert failed.status == Status.TECHNICAL_FAILURE  # kept as the record


@pytest.mark.parametrize("status", [Status.SENT, Status.CREATED, Status.PERMANENT_FAILURE])
def test_only_technical_failures_can_be_resent(caseworker, status):
    row = NotificationFactory(status=status)
    with pytest.raises(NotResendable):
        notification_resend(notification=row, by=caseworker)
    assert not Notification.objects.filter(resend_of=row).exists()


@pytest.fixture
def department_rows(department):
    case = CaseFactory(department=department)
    letter = LetterFactory(recipient=case.applicant, case=case, title="Vedtak")
    failed = NotificationFactory(recipient=case.applicant, letter=letter, template="letter", channel=Channel.SMS,
                                 status=Status.TECHNICAL_FAILURE, last_error="Gateway timed out")
    sent = NotificationFactory(recipient=case.applicant, letter=letter, template="letter", channel=Channel.EMAIL,
                               status=Status.SENT, destination="k***@example.no", provider_reference="msg-1")
    return failed, sent


def test_caseworker_sees_how_a_letter_was_delivered_and_resends_from_the_admin(client, caseworker, department_rows):
    failed, sent = department_rows
    client.force_login(caseworker)
    url = reverse("caseworker:notifications_notification_changelist")

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "k***@example.no" in html and "Gateway timed out" in html
    assert "ikke lest" in html  # when the letter was read: not yet

    response = client.post(url, {"action": "resend", "_selected_action": [failed.pk, sent.pk]}, follow=True)

    assert response.status_code == 200
    assert Notification.objects.filter(resend_of=failed).count() == 1
    assert not Notification.objects.filter(resend_of=sent).exists()
    assert "1 varsel hoppet over" in response.content.decode()


def test_caseworker_of_another_department_sees_none_of_it(client, department_rows):
    failed, _sent = department_rows
    other = StaffFactory(departments=[DepartmentFactory(code="byggesak", name="Byggesak")])
    client.force_login(other)

    changelist = client.get(reverse("caseworker:notifications_notification_changelist"))
    detail = client.get(reverse("caseworker:notifications_notification_change", args=[failed.pk]))

    assert "Gateway timed out" not in changelist.content.decode()
    assert detail.status_code in (302, 404)


def test_caseworker_list_query_count_is_flat(client, caseworker, department, django_assert_max_num_queries):
    client.force_login(caseworker)
    url = reverse("caseworker:notifications_notification_changelist")
    for _ in range(3):
        NotificationFactory(case=CaseFactory(department=department), status=Status.SENT)
    client.get(url)
    # session, user, department check (site permission), 2 counts (filtered and total), 2 permission
    # lookups, the page of rows (recipient joined), date hierarchy min/max and days, template
    # filter values, session save (savepoint, update, release): 14, whatever the number of rows.
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    for _ in range(20):
        NotificationFactory(case=CaseFactory(department=department), status=Status.SENT)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
