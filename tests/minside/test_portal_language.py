"""The portal opens in bokmål whatever the browser's language; a choice made in the portal
(the language cookie) wins; the API honours Accept-Language for programs."""

from django.conf import settings


def test_english_browser_still_gets_bokmal(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nb"' in page


def test_language_chosen_in_the_portal_wins(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="nn"' in page


def test_unknown_cookie_value_falls_back_to_bokmal(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="nb"' in client.get("/").content.decode()


def test_switching_language_sets_the_cookie(client, db):
    response = client.post("/sprak/", {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en"' in client.get("/").content.decode()


def test_api_honours_accept_language(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"
