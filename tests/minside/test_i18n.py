"""Bokmål by default, nynorsk and English one click away; the choice is remembered; every
catalogue in the repository is complete."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from registers import demo_data

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_landing_page_is_bokmal_by_default(client):
    html = client.get(reverse("landing")).content.decode()
    assert '<html lang="nb"' in html
    assert "Dette kan du gjøre her" in html
    assert "Hopp til hovedinnhold" in html


def test_landing_page_in_nynorsk(client):
    client.post(reverse("set-language"), {"language": "nn", "next": "/"})
    html = client.get(reverse("landing")).content.decode()
    assert '<html lang="nn"' in html
    assert "Dette kan du gjere her" in html
    assert "Søk om barnehageplass eller byggjeløyve" in html
    assert "Tilgjengelegheitserklæring" in html


def test_landing_page_in_english(client):
    client.post(reverse("set-language"), {"language": "en", "next": "/"})
    html = client.get(reverse("landing")).content.decode()
    assert '<html lang="en"' in html and "What you can do here" in html


def test_language_choice_is_remembered_in_a_cookie(client):
    response = client.post(reverse("set-language"), {"language": "nn", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == settings.LANGUAGE_COOKIE_AGE


def test_language_choice_is_stored_on_the_user(client, citizen):
    client.force_login(citizen)
    client.post(reverse("set-language"), {"language": "nn", "next": "/"})
    citizen.refresh_from_db()
    assert citizen.preferred_language == "nn"


def test_unknown_language_is_ignored(client, citizen):
    client.force_login(citizen)
    client.post(reverse("set-language"), {"language": "xx", "next": "/"})
    citizen.refresh_from_db()
    assert citizen.preferred_language == ""


def test_preferred_language_follows_the_user_to_a_new_device(client):
    User.objects.create(national_id=demo_data.LARS, first_name="Lars", last_name="Berg", preferred_language="nn")
    response = client.post(reverse("accounts:test-idporten"), {"national_id": demo_data.LARS})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    assert "Velkomen, Lars" in client.get(reverse("home")).content.decode()


def test_language_switch_goes_back_to_the_same_page(client):
    response = client.post(reverse("set-language"), {"language": "en", "next": reverse("accessibility")})
    assert response["Location"] == reverse("accessibility")


def _catalogues():
    skip = {".venv", "node_modules"}
    return sorted(p for p in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if not skip & set(p.parts))


def _entries(text: str):
    """(flags, msgid, [msgstr...]) for each entry but the header."""
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        body = "\n".join(line for line in lines if not line.startswith("#"))
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', body + "\n", re.M)
        if not msgid:
            continue
        msgid_text = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        if not msgid_text:
            continue  # the header
        msgstrs = ["".join(re.findall(r'"(.*)"', m)) for m in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', body + "\n", re.M)]
        yield flags, msgid_text, msgstrs


def test_the_catalogues_exist_for_nb_and_nn():
    catalogues = {str(p.relative_to(ROOT)) for p in _catalogues()}
    for expected in ("locale/nb/LC_MESSAGES/django.po", "locale/nn/LC_MESSAGES/django.po",
                     "accounts/locale/nb/LC_MESSAGES/django.po", "accounts/locale/nn/LC_MESSAGES/django.po",
                     "minside/locale/nb/LC_MESSAGES/django.po", "minside/locale/nn/LC_MESSAGES/django.po"):
        assert expected in catalogues


@pytest.mark.parametrize("catalogue", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_catalogue_has_an_empty_or_fuzzy_translation(catalogue):
    problems = []
    for flags, msgid, msgstrs in _entries(catalogue.read_text(encoding="utf-8")):
        if "fuzzy" in flags:
            problems.append(f"fuzzy: {msgid[:70]}")
        elif not msgstrs or any(not m for m in msgstrs):
            problems.append(f"empty: {msgid[:70]}")
    assert not problems, f"{catalogue.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_a_choice_made_on_this_device_wins_over_the_profile(client):
    User.objects.create(national_id=demo_data.LARS, first_name="Lars", last_name="Berg", preferred_language="nn")
    client.post(reverse("set-language"), {"language": "en", "next": "/"})
    response = client.post(reverse("accounts:test-idporten"), {"national_id": demo_data.LARS})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert "Welcome, Lars" in client.get(reverse("home")).content.decode()
