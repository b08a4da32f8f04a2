"""The browser test: Ana tours the demo coalition in Debian's Chromium, driven by Playwright.

She logs in with the demo password, sees the dashboard's real figures (the same numbers the
database gives), visits every area from the navigation and sorts the precinct table (HTMX).
The browser never asks any host but the local test server for anything, the
Content-Security-Policy (no inline script, no eval) blocks nothing and no console error
appears. Screenshots go to ``test-artifacts/screenshots/`` (laptop width, and a phone width
for the dashboard).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from broadfront import clock

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
REPO = Path(__file__).resolve().parents[5]
SHOTS = REPO / "test-artifacts" / "screenshots"
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}

AREAS = [
    ("power", "/power/", "Our power"),
    ("coalition", "/coalition/", "Coalition and accountability"),
    ("landscape", "/landscape/", "Landscape"),
    ("blocs", "/blocs/", "Bloc building"),
    ("bodies", "/bodies/", "Bodies and power"),
    ("scenarios", "/scenarios/", "Scenarios"),
    ("decisions", "/decisions/", "Decisions"),
    ("leaders", "/leaders/", "Leaders"),
]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ` +
                         `${e.sourceFile}:${e.lineNumber} on ${location.pathname}`);
});
"""
"""Runs before each page's own scripts: reports every CSP violation to the test."""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM) and not shutil.which("chromium"),
                       reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def demo(transactional_db: Any) -> dict[str, Any]:
    """Load the small demo coalition and work out the figures Ana's dashboard must show."""
    from django.contrib.auth.models import User

    from broadfront.demo import load_demo
    from broadfront.web.campaigns.queries import campaigns
    from broadfront.web.landscape.models import Issue
    from broadfront.web.site.queries import dashboard

    load_demo(scale="small", seed=0)
    ana = User.objects.get(username="ana")
    d = dashboard(ana, clock.now())
    bloc = next(c for c in campaigns(ana) if c.kind == "caucus_bloc")
    return {
        "members": d.members,
        "commitments": d.commitments.total,
        "show_up": round(100 * d.show_up.rate) if d.show_up.rate is not None else None,
        "organization": d.organizations[0].name,
        "bloc_slug": bloc.slug,
        "issue_slug": Issue.objects.order_by("name").first().slug,  # type: ignore[union-attr]
    }


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_ana_tours_every_area_of_the_demo_coalition(live_server: Any,
                                                    demo: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    base = live_server.url
    local = {urlsplit(base).hostname, "localhost", "127.0.0.1"}
    outside: list[str] = []
    problems: list[str] = []

    def watch(request: Any) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http://", "https://")) and host not in local:
            outside.append(request.url)

    violations: list[str] = []
    console_errors: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport=LAPTOP)
        context.on("request", watch)
        # Every Content-Security-Policy violation on every page is reported back here.
        context.expose_binding("reportViolation", lambda source, text: violations.append(text))
        context.add_init_script(REPORT_VIOLATIONS)
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))

        page.goto(f"{base}/")
        assert page.url.startswith(f"{base}/login/")
        policy = page.context.request.get(f"{base}/login/").headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-eval" not in policy
        _shot(page, "login")
        page.fill("#id_username", "ana")
        page.fill("#id_password", "broadfront-demo")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.url == f"{base}/"

        # The dashboard shows the database's own figures.
        assert page.locator("h1").inner_text() == demo["organization"]
        figures = page.locator(".figures").inner_text()
        assert f"{demo['members']:,}\ncurrent members" in figures
        assert f"{demo['commitments']:,}\ncommitments at our tables" in figures
        if demo["show_up"] is not None:
            assert f"{demo['show_up']}%" in figures
        assert page.locator(".js-plotly-plot").count() >= 1, "the ladder chart was drawn"
        _shot(page, "dashboard")

        for key, path, label in AREAS:
            page.click(f"nav.areas >> text={label}")
            page.wait_for_load_state("networkidle")
            assert page.url == f"{base}{path}", key
            assert page.locator("nav.areas a.current").inner_text() == label
            assert page.locator("h1").count() == 1
            _shot(page, key)

        # An issue's spectrum chart, and the precinct table sorted in place by HTMX.
        page.goto(f"{base}/landscape/issues/{demo['issue_slug']}/")
        page.wait_for_load_state("networkidle")
        assert page.locator(".js-plotly-plot").count() == 1
        _shot(page, "landscape-issue")
        page.goto(f"{base}/blocs/{demo['bloc_slug']}/")
        page.wait_for_load_state("networkidle")
        page.click("#targets th >> text=Goal")
        page.wait_for_selector("#targets th[aria-sort=ascending] >> text=Goal")
        page.click("#targets th >> text=Goal")
        page.wait_for_selector("#targets th[aria-sort=descending] >> text=Goal")
        goals = [int(t.replace(",", "")) for t in
                 page.locator("#targets tbody tr td:nth-child(3)").all_inner_texts()]
        assert goals == sorted(goals, reverse=True) and goals
        assert page.url == f"{base}/blocs/{demo['bloc_slug']}/", "HTMX swapped the table only"
        _shot(page, "blocs-campaign")

        phone = browser.new_context(viewport=PHONE)
        phone.on("request", watch)
        phone.add_cookies(context.cookies())
        small = phone.new_page()
        small.goto(f"{base}/")
        small.wait_for_load_state("networkidle")
        assert small.locator("h1").inner_text() == demo["organization"]
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the dashboard is {width}px wide on a phone"
        _shot(small, "dashboard-phone")

        page.click("button:has-text('Log out')")
        page.wait_for_load_state("networkidle")
        assert page.url.startswith(f"{base}/login/")
        browser.close()

    assert outside == [], f"requests left the machine: {outside}"
    assert problems == [], problems
    assert violations == [], f"the Content-Security-Policy blocked: {violations}"
    assert console_errors == [], console_errors
