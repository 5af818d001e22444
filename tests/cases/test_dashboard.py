import datetime

from django.urls import reverse
from django.utils import timezone

from cases import services


def test_home_shows_the_task_to_answer(client, case, caseworker, citizen, other_citizen):
    services.case_request_information(case=case, by=caseworker, text="Send attest", documents_requested="",
                                      due_date=timezone.localdate() + datetime.timedelta(days=5))
    client.force_login(citizen)
    body = client.get(reverse("home")).content.decode()
    assert "Du må svare" in body and reverse("cases:detail", args=[case.pk]) in body

    client.force_login(other_citizen)
    body = client.get(reverse("home")).content.decode()
    assert "Du må svare" not in body and str(case.pk) not in body


def test_no_section_without_tasks(client, case, citizen):
    client.force_login(citizen)
    assert "Du må svare" not in client.get(reverse("home")).content.decode()
