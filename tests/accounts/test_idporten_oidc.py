"""ID-porten login against a real OpenID Connect provider running in the test (see
oidc_provider.py). The Django test client and the provider exchange the browser's redirects
by hand, as a browser would."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import idporten
from accounts.models import User
from registers import demo_data
from tests.accounts.oidc_provider import OIDCProvider
from tests.factories import RepresentationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    provider = OIDCProvider(pid=demo_data.KARI).start()
    settings.IDPORTEN_CLIENT_ID = provider.client_id
    settings.IDPORTEN_CLIENT_SECRET = provider.client_secret
    settings.IDPORTEN_ISSUER = provider.issuer
    settings.IDPORTEN_ACR_VALUES = "idporten-loa-substantial"
    settings.IDPORTEN_MIN_ACR = "idporten-loa-substantial"
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [{
        "provider_id": "idporten", "name": "ID-porten",
        "client_id": provider.client_id, "secret": provider.client_secret,
        "settings": {"server_url": provider.issuer, "token_auth_method": "client_secret_post",
                     "oauth_pkce_enabled": True, "scope": ["openid", "profile"],
                     "auth_params": {"acr_values": "idporten-loa-substantial"}, "fetch_userinfo": False},
    }]}}
    cache.delete(f"idporten:discovery:{provider.issuer}/.well-known/openid-configuration")
    yield provider
    provider.stop()


def start_login(client):
    """Press "Log in with ID-porten" and follow the browser to ID-porten and back."""
    response = client.post(idporten.login_url())
    assert response.status_code == 302, response.content[:500]
    authorize_url = response["Location"]
    at_provider = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    callback = urlparse(at_provider.headers["Location"])
    return authorize_url, client.get(f"{callback.path}?{callback.query}")


def test_login_page_button_posts_to_allauths_provider_login_url(client, provider):
    page = client.get(reverse("accounts:login"))
    assert f'action="{idporten.login_url()}"'.encode() in page.content


def test_happy_path_logs_the_citizen_in_matched_by_pid(client, provider):
    authorize_url, response = start_login(client)

    # The authorization request carries PKCE S256, state, nonce, acr_values and ui_locales.
    query = {k: v[0] for k, v in parse_qs(urlparse(authorize_url).query).items()}
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert query["state"] and len(query["nonce"]) >= 32
    assert query["acr_values"] == "idporten-loa-substantial"
    assert query["ui_locales"] == "nb"
    assert query["redirect_uri"] == "http://testserver/konto/idporten/callback/"
    assert provider.token_requests[0]["code_verifier"]

    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(national_id=demo_data.KARI)
    assert client.session["_auth_user_id"] == str(user.pk)
    # The name comes from the population register, not from the token.
    assert (user.first_name, user.last_name) == ("Kari", "Nordmann")
    assert client.session[idporten.ID_TOKEN_SESSION_KEY].count(".") == 2
    # Nothing of allauth's social account tables holds the number.
    from allauth.socialaccount.models import SocialAccount
    assert not SocialAccount.objects.exists()
    # A citizen who represents an organisation is asked whom to act for.
    RepresentationFactory(person=user)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:choose-party")


def test_existing_citizen_is_matched_by_pid_not_sub(client, provider):
    existing = User.objects.create(national_id=demo_data.KARI, first_name="Old", last_name="Name")
    start_login(client)
    assert client.session["_auth_user_id"] == str(existing.pk)
    existing.refresh_from_db()
    assert existing.first_name == "Kari"  # kept in step with the register
    assert User.objects.filter(national_id=demo_data.KARI).count() == 1


def test_ui_locales_follows_the_chosen_language(client, provider):
    client.post(reverse("set-language"), {"language": "nn", "next": "/"})
    authorize_url, _ = start_login(client)
    assert parse_qs(urlparse(authorize_url).query)["ui_locales"] == ["nn"]


def assert_refused(client, response, text):
    assert response.status_code in (401, 403)
    assert "_auth_user_id" not in client.session
    assert idporten.ID_TOKEN_SESSION_KEY not in client.session
    assert text in response.content.decode()
    assert not User.objects.filter(national_id=demo_data.KARI).exists()


def test_acr_too_low_is_refused_with_a_clear_message(client, provider, settings):
    settings.IDPORTEN_MIN_ACR = "idporten-loa-high"
    provider.acr = "idporten-loa-substantial"
    _, response = start_login(client)
    assert response.status_code == 403
    assert_refused(client, response, "sikkerhetsnivå som er for lavt")


def test_wrong_nonce_is_refused(client, provider):
    provider.overrides.nonce = "not-the-nonce-we-sent"
    _, response = start_login(client)
    assert_refused(client, response, "Innloggingen med ID-porten kunne ikke fullføres")


def test_wrong_issuer_is_refused(client, provider):
    provider.overrides.iss = "https://evil.example"
    _, response = start_login(client)
    assert_refused(client, response, "Innloggingen med ID-porten kunne ikke fullføres")


def test_expired_token_is_refused(client, provider):
    provider.overrides.expired = True
    _, response = start_login(client)
    assert_refused(client, response, "Innloggingen med ID-porten kunne ikke fullføres")


def test_token_signed_with_another_key_is_refused(client, provider):
    provider.overrides.sign_with_other_key = True
    _, response = start_login(client)
    assert_refused(client, response, "Innloggingen med ID-porten kunne ikke fullføres")


def test_person_unknown_to_the_register_is_refused(client, provider):
    provider.pid = "15108695088"  # a valid number nobody in the register has
    _, response = start_login(client)
    assert_refused(client, response, "Folkeregisteret")


def test_replayed_callback_is_refused(client, provider):
    response = client.post(idporten.login_url())
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=5)
    callback = urlparse(at_provider.headers["Location"])
    client.get(f"{callback.path}?{callback.query}")
    client.post(reverse("accounts:logout"))
    # The same code and state a second time: the state is used up.
    again = client.get(f"{callback.path}?{callback.query}")
    assert again.status_code == 401
    assert "_auth_user_id" not in client.session


def test_cancel_at_idporten_is_not_an_error(client, provider):
    response = client.post(idporten.login_url())
    state = parse_qs(urlparse(response["Location"]).query)["state"][0]
    cancelled = client.get(reverse("accounts:idporten-callback"), {"error": "access_denied", "state": state})
    assert cancelled.status_code == 200
    assert "Du avbrøt innloggingen" in cancelled.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_idporten_session_too(client, provider):
    start_login(client)
    id_token = client.session[idporten.ID_TOKEN_SESSION_KEY]

    response = client.post(reverse("accounts:logout"))

    assert "_auth_user_id" not in client.session
    end_session = urlparse(response["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == f"{provider.issuer}/endsession"
    params = {k: v[0] for k, v in parse_qs(end_session.query).items()}
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://testserver/konto/logget-ut/"
    assert params["state"]
    # ID-porten sends the browser back with the state.
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    back_url = urlparse(back.headers["Location"])
    page = client.get(f"{back_url.path}?{back_url.query}")
    assert page.status_code == 200
    assert page.context["returned_from_idporten"] is True
    assert "Du er også logget ut av ID-porten." in page.content.decode()
    assert provider.end_session_requests[0]["id_token_hint"] == id_token


def test_logout_of_a_test_idporten_session_stays_local(client, settings):
    settings.IDPORTEN_CLIENT_ID = ""
    user = User.objects.create(national_id=demo_data.LARS, first_name="Lars", last_name="Berg")
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:logged-out")


def test_allauths_own_callback_url_cannot_log_anyone_in(client, provider):
    response = client.post(idporten.login_url())
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=5)
    query = urlparse(at_provider.headers["Location"]).query
    # Same code and state, delivered to allauth's generic callback instead of ours.
    other = client.get(reverse("openid_connect_callback", kwargs={"provider_id": "idporten"}) + "?" + query)
    assert other.status_code in (401, 403)
    assert "_auth_user_id" not in client.session


def test_frontchannel_logout_from_idporten_ends_our_session(client, provider):
    start_login(client)
    sid = provider.last_claims["sid"]
    assert client.get(reverse("home")).status_code in (200, 302)

    # ID-porten loads the URL in a hidden iframe: no cookies of ours come with it.
    iframe = Client()
    response = iframe.get(reverse("accounts:idporten-frontchannel-logout"), {"iss": provider.issuer, "sid": sid})

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    # ID-porten's own pages may frame it (the origins come from settings at start-up).
    from django.conf import settings
    frame_ancestors = " ".join(settings.IDPORTEN_FORM_ACTION_ORIGINS)
    assert f"frame-ancestors {frame_ancestors}" in response["Content-Security-Policy"]
    home = client.get(reverse("home"))
    assert home.status_code == 302 and "logg-inn" in home["Location"]


def test_frontchannel_logout_with_a_foreign_issuer_does_nothing(client, provider):
    start_login(client)
    response = Client().get(reverse("accounts:idporten-frontchannel-logout"),
                            {"iss": "https://evil.example", "sid": provider.last_claims["sid"]})
    assert response.status_code == 400
    assert client.get(reverse("home")).status_code in (200, 302)
    assert "_auth_user_id" in client.session


def test_discovery_document_is_fetched_once_and_cached(client, provider):
    start_login(client)
    client.post(reverse("accounts:logout"))
    start_login(client)
    assert provider.discovery_requests == 1


def test_idporten_button_view_starts_the_real_flow_when_configured(client, provider):
    response = client.post(reverse("accounts:idporten-login"))
    assert response.status_code == 302 and response["Location"].startswith(f"{provider.issuer}/authorize?")


def test_login_not_available_when_neither_idporten_nor_test_idporten(client, settings):
    settings.IDPORTEN_CLIENT_ID = ""
    settings.TEST_IDPORTEN_ENABLED = False
    response = client.post(reverse("accounts:idporten-login"), follow=True)
    assert "Innlogging med ID-porten er ikke tilgjengelig akkurat nå" in response.content.decode()
    assert client.get("/konto/test-idporten/").status_code == 404


def test_population_register_down_is_a_clear_refusal(client, provider, settings):
    settings.POPULATION_REGISTER_SIMULATE = "unavailable"
    _, response = start_login(client)
    assert response.status_code == 503
    assert "Folkeregisteret svarer ikke akkurat nå" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_few_seconds_of_clock_difference_is_tolerated(client, provider):
    provider.overrides.clock_ahead_seconds = 10
    _, response = start_login(client)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_token_from_the_future_is_refused(client, provider):
    provider.overrides.clock_ahead_seconds = 600
    _, response = start_login(client)
    assert_refused(client, response, "Innloggingen med ID-porten kunne ikke fullføres")


def test_token_with_another_algorithm_is_refused(client, provider):
    provider.overrides.algorithm = "RS512"
    _, response = start_login(client)
    assert_refused(client, response, "Innloggingen med ID-porten kunne ikke fullføres")


def test_token_missing_pid_is_refused(client, provider):
    provider.pid = ""
    _, response = start_login(client)
    assert response.status_code in (401, 403)
    assert "_auth_user_id" not in client.session


def test_malformed_pid_is_refused_and_never_logged(client, provider, caplog):
    provider.pid = "15108695077"  # fails the control digits
    _, response = start_login(client)
    assert response.status_code in (401, 403)
    assert "_auth_user_id" not in client.session
    assert "15108695077" not in caplog.text


def test_session_remembers_the_security_level(client, provider, rf):
    from accounts.services import session_acr_at_least

    provider.acr = "idporten-loa-substantial"
    start_login(client)
    request = rf.get("/")
    request.session = client.session
    assert session_acr_at_least(request, "idporten-loa-substantial")
    assert not session_acr_at_least(request, "idporten-loa-high")


# --- Several municipalities on one client: ID-porten's onbehalfof -----------------------------

@pytest.fixture
def lier(db):
    from tests.factories import MunicipalityFactory, MunicipalityHostFactory

    municipality = MunicipalityFactory(number="3312", idporten_onbehalfof="lier_kommune")
    MunicipalityHostFactory(municipality=municipality, host="lier.localhost")
    return municipality


def test_login_on_a_municipalitys_host_asks_on_behalf_of_it(provider, lier):
    client = Client(HTTP_HOST="lier.localhost")
    authorize_url, response = start_login(client)
    query = {k: v[0] for k, v in parse_qs(urlparse(authorize_url).query).items()}
    assert query["onbehalfof"] == "lier_kommune"
    # The callback is the municipality's own host (registered on the parent client).
    assert query["redirect_uri"] == "http://lier.localhost/konto/idporten/callback/"
    assert provider.last_claims["client_onbehalfof"] == "lier_kommune"
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["_auth_user_id"]


def test_the_example_claim_name_aud_onbehalfof_is_accepted_too(provider, lier):
    provider.overrides.onbehalfof_claim = "aud_onbehalfof"
    _authorize_url, response = start_login(Client(HTTP_HOST="lier.localhost"))
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_token_on_behalf_of_another_municipality_is_refused(provider, lier):
    provider.overrides.onbehalfof = "drammen_kommune"
    client = Client(HTTP_HOST="lier.localhost")
    _authorize_url, response = start_login(client)
    assert response.status_code == 403 and "_auth_user_id" not in client.session


def test_a_token_without_the_onbehalfof_asked_for_is_refused(provider, lier):
    provider.overrides.onbehalfof = ""
    client = Client(HTTP_HOST="lier.localhost")
    _authorize_url, response = start_login(client)
    assert response.status_code == 403 and "_auth_user_id" not in client.session


def test_a_municipality_without_onbehalfof_refuses_a_token_that_names_one(provider, lier):
    provider.overrides.onbehalfof = "lier_kommune"
    client = Client(HTTP_HOST="127.0.0.1")  # the first municipality: no onbehalfof registered
    authorize_url, response = start_login(client)
    assert "onbehalfof" not in parse_qs(urlparse(authorize_url).query)
    assert response.status_code == 403 and "_auth_user_id" not in client.session
