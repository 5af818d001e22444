"""ID-porten login in Chromium against the OpenID Connect provider the test starts: the button,
the redirects, the callback with our session cookie (SameSite=Lax), and RP-initiated logout
back to our logged-out page."""

import copy

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from registers import demo_data
from tests.accounts.oidc_provider import OIDCProvider
from tests.browser import assert_accessible


@pytest.fixture
def provider(settings):
    provider = OIDCProvider(pid=demo_data.LARS).start()
    settings.IDPORTEN_CLIENT_ID = provider.client_id
    settings.IDPORTEN_ISSUER = provider.issuer
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [{
        "provider_id": "idporten", "name": "ID-porten",
        "client_id": provider.client_id, "secret": provider.client_secret,
        "settings": {"server_url": provider.issuer, "token_auth_method": "client_secret_post",
                     "oauth_pkce_enabled": True, "scope": ["openid", "profile"], "fetch_userinfo": False},
    }]}}
    # The login form's redirect goes to the provider: allow it in form-action as production does
    # for ID-porten (browsers differ in whether form-action applies to the redirect).
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], provider.issuer]
    settings.CONTENT_SECURITY_POLICY = policy
    cache.delete(f"idporten:discovery:{provider.issuer}/.well-known/openid-configuration")
    yield provider
    provider.stop()


@pytest.mark.django_db(transaction=True)
def test_citizen_logs_in_and_out_through_idporten(page, live_url, provider):
    page.goto(f"{live_url}/konto/logg-inn/")
    assert_accessible(page, context="login (ID-porten configured)")
    page.get_by_role("button", name="Logg inn med ID-porten").click()

    # ID-porten (our test provider) sends the browser straight back: Min Side, as Lars.
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Lars")
    expect(page.locator("header")).to_contain_text("Logget inn som Lars Berg")
    assert provider.authorizations[0].ui_locales == "nb"
    assert_accessible(page, context="home after ID-porten")

    page.locator("header").get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ut")
    assert provider.end_session_requests and provider.end_session_requests[0]["id_token_hint"]
    assert_accessible(page, context="logged out after ID-porten")


@pytest.mark.django_db(transaction=True)
def test_too_low_security_level_is_refused_in_the_browser(page, live_url, provider, settings):
    settings.IDPORTEN_MIN_ACR = "idporten-loa-high"
    provider.acr = "idporten-loa-substantial"
    page.goto(f"{live_url}/konto/logg-inn/")
    page.get_by_role("button", name="Logg inn med ID-porten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du ble ikke logget inn")
    expect(page.get_by_role("alert")).to_contain_text("sikkerhetsnivå som er for lavt")
    expect(page.locator("header")).not_to_contain_text("Logget inn som")
    assert_accessible(page, context="ID-porten refusal")
