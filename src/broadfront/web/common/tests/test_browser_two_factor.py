"""In Chromium: Ana turns on two-step sign-in, logs out, and signs in with her password and a code.

She scans nothing: like a person typing the key into an app, the test reads the key shown
under the QR code and computes the app's code from it (RFC 6238). The QR code is an image
the Content-Security-Policy lets load (``img-src 'self' data:``); no page raises a policy
violation, a console error or a 4xx/5xx, and nothing is asked of any other host.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP

from broadfront import clock
from broadfront.conftest import PASSWORD
from broadfront.web.common.tests.browser import browsing, needs_chromium, shot

pytestmark = [pytest.mark.browser, needs_chromium]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ` +
                         `${location.pathname}`);
});
"""


def app_code(secret: str, seconds_ahead: int = 0) -> str:
    """The code an authenticator app holding the base-32 ``secret`` shows (now, or later)."""
    plain = secret.replace(" ", "")
    totp = TOTP(base64.b32decode(plain + "=" * (-len(plain) % 8)))
    totp.time = clock.now().timestamp() + seconds_ahead
    return f"{totp.token():06d}"


def test_ana_turns_on_two_step_sign_in_and_signs_in_with_a_code(
        live_server: Any, transactional_db: Any, world: Any) -> None:
    violations: list[str] = []
    with browsing(live_server) as b:
        context = b.context()
        context.expose_binding("reportViolation", lambda source, text: violations.append(text))
        context.add_init_script(REPORT_VIOLATIONS)
        page = b.page(context)

        page.goto(f"{b.base}/login/?next=/account/two-factor/")
        page.fill("#id_username", "ana")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert urlsplit(page.url).path == "/account/two-factor/"
        assert page.locator("header a:has-text('Two-step sign-in')").get_attribute("href") == \
            "/account/two-factor/"

        page.click("button:has-text('Set up two-step sign-in')")
        page.wait_for_load_state("networkidle")
        qr = page.locator("#totp-qr")
        assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code shows"
        secret = page.locator("#totp-secret").inner_text()
        shot(page, "two-factor-setup")
        page.fill("#id_code", app_code(secret))
        page.click("button:has-text('Turn on two-step sign-in')")
        page.wait_for_load_state("networkidle")
        assert page.locator("#two-factor-on h2").inner_text() == "Two-step sign-in is on"

        page.click("button:has-text('Log out')")
        page.wait_for_load_state("networkidle")
        page.goto(f"{b.base}/login/?next=/account/two-factor/")
        page.fill("#id_username", "ana")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert urlsplit(page.url).path == "/login/code/", "the password alone is not enough"
        shot(page, "two-factor-code")
        # The code that confirmed the app is spent; the app's next code is accepted.
        page.fill("#id_code", app_code(secret, seconds_ahead=30))
        page.click("button:has-text('Continue')")
        page.wait_for_load_state("networkidle")
        assert urlsplit(page.url).path == "/account/two-factor/"
        assert page.locator("#two-factor-on").count() == 1
    assert violations == [], f"the Content-Security-Policy blocked: {violations}"
