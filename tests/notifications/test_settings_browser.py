"""The notice settings page in Chromium, checked with axe-core, error state included."""

import pytest

from notifications.models import NoticePreference
from tests.browser import assert_accessible, login_with_test_idporten

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_citizen_chooses_notice_channels_and_language(page, live_url, krr):
    login_with_test_idporten(page, live_url, "Kari Nordmann")
    page.goto(f"{live_url}/varsler/innstillinger/")
    assert_accessible(page, context="settings")
    assert page.get_by_text("k***@example.no").is_visible()

    # Both channels off: refused, with an error summary.
    page.get_by_label("E-post").uncheck()
    page.get_by_label("SMS").uncheck()
    page.get_by_role("button", name="Lagre").click()
    assert page.get_by_role("alert").get_by_text("Velg minst én måte å bli varslet på").is_visible()
    assert_accessible(page, context="settings with an error")

    page.get_by_label("SMS").check()
    page.get_by_label("Norsk nynorsk").check()
    page.get_by_role("button", name="Lagre").click()
    assert page.get_by_text("Varslingsvalgene dine er lagret.").is_visible()
    assert_accessible(page, context="settings saved")

    preference = NoticePreference.objects.get(user__first_name="Kari")
    assert (preference.email, preference.sms) == (False, True)
    assert preference.user.preferred_language == "nn"
