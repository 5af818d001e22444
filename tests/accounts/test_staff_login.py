"""Staff log in with e-mail and password through allauth, plus TOTP (allauth.mfa). The admin
sites log in through allauth too; failed logins are rate-limited."""

import uuid

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.urls import reverse

from tests.browser import totp_code
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def own_cache(settings):
    # allauth counts failed logins in the cache (axes in the database, rolled back per test).
    # A private cache per test: the shared Redis cache would carry counts across tests, runs
    # and parallel workers, and clearing it would disturb the others.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"staff-login-{uuid.uuid4()}"}}


def current_code(secret: str) -> str:
    return totp_code(secret)


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/"
    caseworker = client.get("/saksbehandling/login/?next=/saksbehandling/")
    assert caseworker["Location"] == reverse("account_login") + "?next=/saksbehandling/"


def test_staff_login_page_is_in_the_portal_layout_and_translated(client):
    page = client.get(reverse("account_login"))
    html = page.content.decode()
    assert "Logg inn som ansatt" in html
    assert 'class="ds-input"' in html and "skip-link" in html
    assert "placeholder" not in html


def test_staff_logs_in_with_email_and_password(client):
    staff = StaffFactory(email="ida@kommune.example")
    response = client.post(reverse("account_login"), {"login": "ida@kommune.example", "password": PASSWORD,
                                                      "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_wrong_password_is_refused_with_a_clear_message(client):
    StaffFactory(email="ida@kommune.example")
    response = client.post(reverse("account_login"), {"login": "ida@kommune.example", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Feil e-postadresse eller passord" in response.content.decode()


def test_sixth_wrong_password_is_locked_out(client):
    StaffFactory(email="ida@kommune.example")
    for attempt in range(4):
        response = client.post(reverse("account_login"), {"login": "ida@kommune.example", "password": f"wrong{attempt}"})
        assert "Feil e-postadresse eller passord" in response.content.decode()
    # The fifth failure locks the address (AXES_FAILURE_LIMIT = 5) ...
    client.post(reverse("account_login"), {"login": "ida@kommune.example", "password": "wrong5"})
    # ... so the sixth attempt is refused with the lockout message,
    sixth = client.post(reverse("account_login"), {"login": "ida@kommune.example", "password": "wrong6"})
    assert sixth.status_code in (403, 429)
    assert "For mange mislykkede forsøk" in sixth.content.decode()
    assert "15 minutter" in sixth.content.decode()
    # and even the right password is refused while locked out.
    right = client.post(reverse("account_login"), {"login": "ida@kommune.example", "password": PASSWORD})
    assert right.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_address(client):
    StaffFactory(email="ida@kommune.example")
    other = StaffFactory(email="berit@kommune.example")
    for attempt in range(6):
        client.post(reverse("account_login"), {"login": "ida@kommune.example", "password": f"wrong{attempt}"})
    response = client.post(reverse("account_login"), {"login": "berit@kommune.example", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_totp_login_end_to_end(client):
    staff = StaffFactory(email="berit@kommune.example")
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    response = client.post(reverse("account_login"), {"login": "berit@kommune.example", "password": PASSWORD,
                                                      "next": "/admin/"})
    # Password alone is not enough: allauth asks for the one-time code.
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if current_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session

    done = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_staff_without_totp_must_set_it_up_when_required(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    StaffFactory(email="ida@kommune.example")
    client.post(reverse("account_login"), {"login": "ida@kommune.example", "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert client.get("/saksbehandling/")["Location"].startswith(reverse("mfa_activate_totp"))
    # allauth asks for the password again before a second factor is added.
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate["Location"].startswith(reverse("account_reauthenticate"))
    client.post(activate["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200 and "ds-input" in page.content.decode()
    secret = page.context["form"].secret
    done = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_with_totp_reaches_the_admin_when_required(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    staff = StaffFactory()
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_mfa_is_optional_when_not_required(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(StaffFactory())
    assert client.get("/admin/").status_code == 200
    assert not Authenticator.objects.exists()


def test_citizens_are_not_asked_for_totp(client, settings, citizen):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(citizen)
    assert client.get(reverse("home")).status_code == 200


def test_staff_cannot_sign_up(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    client.post(reverse("account_signup"), {"email": "new@kommune.example", "password1": "x" * 14, "password2": "x" * 14})
    from accounts.models import User
    assert not User.objects.filter(email="new@kommune.example").exists()
