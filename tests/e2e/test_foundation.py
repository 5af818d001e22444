"""The foundation journey in Chromium: landing page, switch to nynorsk, log in through test
ID-porten as Kari Nordmann, act for Nordmann Eiendom AS, change back, log out. axe-core checks
every page on the way (WCAG 2.1 A/AA)."""

import os
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts import demo as accounts_demo
from tests.browser import assert_accessible, totp_code

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-results/screenshots"))


@pytest.fixture
def demo_people(transactional_db):
    accounts_demo.load()


@pytest.mark.django_db(transaction=True)
def test_citizen_journey_in_nynorsk_acting_for_an_organisation(page, live_url, demo_people):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # The landing page, in bokmål by default.
    page.goto(f"{live_url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("dine digitale tjenester")
    assert_accessible(page, context="landing (nb)")

    # Switch to nynorsk: the page answers in nynorsk.
    page.get_by_role("button", name="Norsk nynorsk").click()
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    expect(page.get_by_role("heading", level=1)).to_contain_text("dei digitale tenestene dine")
    expect(page.get_by_role("heading", name="Dette kan du gjere her")).to_be_visible()
    assert_accessible(page, context="landing (nn)")
    page.screenshot(path=str(SCREENSHOTS / "landing-phone.png"), full_page=True)

    # Log in through test ID-porten.
    page.get_by_role("link", name="Logg inn på Min Side").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn på Min Side")
    assert_accessible(page, context="login")
    page.get_by_role("button", name="Logg inn med ID-porten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test-ID-porten")
    assert_accessible(page, context="test ID-porten")
    page.get_by_role("button", name="Kari Nordmann").click()

    # Kari represents Nordmann Eiendom AS: she is asked whom to act for.
    expect(page.get_by_role("heading", level=1)).to_have_text("Kven vil du representere?")
    assert_accessible(page, context="choose party")
    page.get_by_role("button", name=re.compile("Nordmann Eiendom AS")).click()

    # Min Side for the organisation, with the choice in the header.
    expect(page.get_by_role("heading", level=1)).to_have_text("Min Side for Nordmann Eiendom AS")
    header = page.locator("header")
    expect(header).to_contain_text("Representerer: Nordmann Eiendom AS")
    expect(header).to_contain_text("Logga inn som Kari Nordmann")
    expect(page.get_by_role("status")).to_contain_text("Du representerer no Nordmann Eiendom AS.")
    assert_accessible(page, context="home (organisation)")

    # Change back to herself.
    header.get_by_role("link", name="byt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kven vil du representere?")
    page.get_by_role("button", name="Meg sjølv (Kari Nordmann)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkomen, Kari")
    expect(header).to_contain_text("Representerer: deg sjølv")
    assert_accessible(page, context="home (herself)")
    page.screenshot(path=str(SCREENSHOTS / "home-phone.png"), full_page=True)

    # Log out.
    header.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logga ut")
    expect(page.locator("header")).not_to_contain_text("Kari Nordmann")
    assert_accessible(page, context="logged out")

    # The session is gone: Min Side asks for login again.
    page.goto(f"{live_url}/minside/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn på Min Side")


@pytest.mark.django_db(transaction=True)
def test_error_pages_are_accessible(page, live_url, demo_people):
    page.goto(f"{live_url}/finnes-ikke/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fant ikke siden")
    assert_accessible(page, context="404")
    page.goto(f"{live_url}/tilgjengelighet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilgjengelighetserklæring")
    assert_accessible(page, context="accessibility statement")


@pytest.fixture
def own_cache(settings):
    # allauth counts failed logins in the cache; a private one keeps counts from other runs
    # (the shared Redis in CI) out of this test.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"e2e-staff-{uuid.uuid4()}"}}


@pytest.mark.django_db(transaction=True)
def test_staff_login_page_is_accessible_with_errors(page, live_url, demo_people, own_cache):
    page.goto(f"{live_url}/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn som ansatt")
    assert_accessible(page, context="staff login")
    page.get_by_label("E-post").fill("barnehage@kommune.example")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("alert")).to_contain_text("Feil e-postadresse eller passord")
    assert_accessible(page, context="staff login, wrong password")

    # Keep guessing: the address is locked out, with a page that says for how long.
    for attempt in range(5):
        page.goto(f"{live_url}/auth/login/")
        page.get_by_label("E-post").fill("barnehage@kommune.example")
        page.get_by_label("Passord").fill(f"feil-{attempt}")
        page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("For mange mislykkede forsøk")
    expect(page.get_by_role("alert")).to_contain_text("15 minutter")
    assert_accessible(page, context="locked out")


@pytest.mark.django_db(transaction=True)
def test_staff_member_without_totp_sets_it_up_before_the_admin(page, live_url, demo_people, settings, own_cache):
    settings.STAFF_MFA_REQUIRED = True
    page.goto(f"{live_url}/admin/")
    page.get_by_label("E-post").fill("admin@kommune.example")
    page.get_by_label("Passord").fill(accounts_demo.STAFF_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()

    # Sent to set up TOTP; allauth first asks for the password again.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekreft at det er deg")
    assert_accessible(page, context="reauthenticate")
    page.get_by_label("Passord").fill(accounts_demo.STAFF_PASSWORD)
    page.get_by_role("button", name="Bekreft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sett opp engangskode")
    assert_accessible(page, context="TOTP set-up")
    secret = page.get_by_label("Nøkkel, hvis du ikke kan skanne koden").input_value()
    page.get_by_label("Koden fra appen").fill(totp_code(secret))
    page.get_by_role("button", name="Aktiver").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gjenopprettingskoder")
    assert_accessible(page, context="recovery codes")
    page.get_by_role("link", name="Gå videre til arbeidet").click()
    expect(page).to_have_url(f"{live_url}/admin/")
