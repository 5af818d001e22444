"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live_server.
Every page a journey visits is checked with axe-core (`assert_accessible(page)`). A pytest plugin
(loaded by the root conftest), so a service package's own journeys use it too."""

import os
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's async guard would
# otherwise refuse the ORM calls the tests make between page actions.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp: our CSP forbids injected scripts, and axe-core is injected.
    return {**browser_context_args, "bypass_csp": True, "locale": "nb-NO",
            "viewport": {"width": 390, "height": 844}}  # a phone: most citizens use one


def assert_accessible(page, *, context: str = ""):
    """Run axe-core on the page; fail with a readable list of WCAG 2.1 A/AA violations."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = result["violations"]
    if violations:
        lines = [f"axe-core found {len(violations)} WCAG violation(s) on {page.url} {context}:"]
        for v in violations:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} at {targets}")
        pytest.fail("\n".join(lines))


@pytest.fixture
def live_url(live_server):
    return live_server.url


def login_with_test_idporten(page, live_url: str, person_name: str):
    """Log in as a demo person through the test ID-porten page (development/test only)."""
    page.goto(f"{live_url}/konto/logg-inn/")
    page.get_by_role("button", name="Logg inn med ID-porten").click()
    page.get_by_role("button", name=person_name).click()


def totp_code(secret: str, *, margin: float = 5.0) -> str:
    """The authenticator app's code for now, never one about to expire: a browser submits it a
    moment later, and a code computed in the last seconds of its 30-second window is refused
    by then (a test that failed whenever it ran at the end of a window). Within `margin`
    seconds of the window's end, wait for the next window first."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
