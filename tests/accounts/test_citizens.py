"""Citizens from the population register; national identity numbers masked in every page
and never in a log line."""

import io
import logging
import logging.config

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.services import UnknownPerson, citizen_get_or_create
from minside.logging import RedactNationalIdsFilter
from registers import demo_data
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_citizen_is_created_from_the_register():
    user = citizen_get_or_create(national_id=demo_data.KARI)
    assert (user.first_name, user.last_name, user.national_id) == ("Kari", "Nordmann", demo_data.KARI)
    assert not user.has_usable_password()
    assert citizen_get_or_create(national_id=demo_data.KARI).pk == user.pk


def test_unknown_person_is_an_error_and_creates_nobody():
    with pytest.raises(UnknownPerson):
        citizen_get_or_create(national_id="15108695088")  # valid, but not in the register
    assert not User.objects.exists()


def test_invalid_number_is_a_validation_error():
    with pytest.raises(ValidationError):
        citizen_get_or_create(national_id="15108695077")
    assert not User.objects.exists()


def test_header_and_pages_never_show_the_full_number(client):
    user = citizen_get_or_create(national_id=demo_data.LARS)
    client.force_login(user)
    for url in (reverse("home"), reverse("accounts:choose-party"), reverse("accessibility")):
        html = client.get(url).content.decode()
        assert demo_data.LARS not in html


def test_admin_shows_the_number_masked(client):
    citizen = citizen_get_or_create(national_id=demo_data.KARI)
    client.force_login(StaffFactory(is_superuser=True))
    changelist = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    change = client.get(reverse("admin:accounts_user_change", args=[citizen.pk])).content.decode()
    for html in (changelist, change):
        assert demo_data.KARI not in html
        assert demo_data.KARI[:6] + "*****" in html
    # No search by the number: it would travel in the URL (and so into access logs).
    found = client.get(reverse("admin:accounts_user_changelist"), {"q": demo_data.KARI[:6]}).content.decode()
    assert "0 brukere" in found or "Nordmann</a>" not in found


def test_the_logging_filter_redacts_numbers_in_messages_args_and_tracebacks():
    stream = io.StringIO()
    config = {**settings.LOGGING, "handlers": {"console": {**settings.LOGGING["handlers"]["console"],
                                                           "stream": stream}}}
    logging.config.dictConfig(config)
    try:
        log = logging.getLogger("minside.test")
        log.warning("Login for %s", demo_data.KARI)
        log.warning(f"Direct {demo_data.PER} in the message")
        try:
            raise ValueError(f"duplicate key (national_id)=({demo_data.AHMED})")
        except ValueError:
            log.exception("Failed")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    output = stream.getvalue()
    for number in (demo_data.KARI, demo_data.PER, demo_data.AHMED):
        assert number not in output
        assert number[:6] + "*****" in output
    assert "Traceback" in output


def test_the_filter_leaves_other_numbers_alone():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "Order %s of 2026, phone 4712345678, org 988077917",
                               ("123456789012",), None)
    RedactNationalIdsFilter().filter(record)
    assert record.getMessage() == "Order 123456789012 of 2026, phone 4712345678, org 988077917"


def test_test_idporten_says_so_when_the_register_is_down(client, settings):
    settings.POPULATION_REGISTER_SIMULATE = "unavailable"
    page = client.get(reverse("accounts:test-idporten"))
    assert page.status_code == 200 and "Kari Nordmann" in page.content.decode()
    response = client.post(reverse("accounts:test-idporten"), {"national_id": demo_data.KARI}, follow=True)
    assert "Folkeregisteret svarer ikke akkurat nå" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_register_timeout_is_reported_as_unavailable(settings):
    from registers.population import RegisterUnavailable, population_register

    settings.POPULATION_REGISTER_SIMULATE = "timeout"
    settings.POPULATION_REGISTER_TIMEOUT = 0.05
    with pytest.raises(RegisterUnavailable):
        population_register().person(demo_data.KARI)
    with pytest.raises(RegisterUnavailable):
        citizen_get_or_create(national_id=demo_data.KARI)
    assert not User.objects.exists()


def test_test_idporten_refuses_people_outside_the_list(client):
    response = client.post(reverse("accounts:test-idporten"), {"national_id": demo_data.EMMA}, follow=True)
    assert "Velg en av testpersonene" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_user_admin_list_shows_who_has_totp_without_a_query_per_row(client, django_assert_max_num_queries):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    admin_user = StaffFactory(is_superuser=True)
    TOTP.activate(StaffFactory(email="with@kommune.example"), generate_totp_secret())
    StaffFactory(email="without@kommune.example")
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_changelist")
    client.get(url)
    # session, user, count, filtered count, page of users (with TOTP), departments filter,
    # session save; plus admin's own bookkeeping.
    with django_assert_max_num_queries(10) as few:
        html = client.get(url).content.decode()
    assert 'alt="True"' in html and 'alt="False"' in html
    for n in range(20):
        StaffFactory(email=f"more{n}@kommune.example")
    with django_assert_max_num_queries(10) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
