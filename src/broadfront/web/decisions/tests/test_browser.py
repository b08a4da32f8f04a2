"""In Chromium: Ana (a leader) and Ben (a member) of Northside vote on the web and see the result.

Ana also edits a cell of the impact grid in place (HTMX) and watches the trade-offs panel
recompute, and her first try at closing is refused because the decision follows a betrayal.
Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[5] / "test-artifacts" / "screenshots"
PASSWORD = "two-ballots-please"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM) and not shutil.which("chromium"),
                       reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def decision(transactional_db: Any) -> Any:
    from django.contrib.auth.models import User

    from broadfront.web.decisions import services
    from broadfront.web.organizations.models import Organization, OrganizationRole

    northside = Organization.objects.create(name="Northside Chapter", slug="northside",
                                            kind="chapter")
    ana = User.objects.create_user("ana", "ana@example.org", PASSWORD, first_name="Ana")
    ben = User.objects.create_user("ben", "ben@example.org", PASSWORD, first_name="Ben")
    OrganizationRole.objects.create(user=ana, organization=northside, role="organizer")
    OrganizationRole.objects.create(user=ben, organization=northside, role="viewer")
    d = services.do_create_decision(
        ana, organization=northside, question="How do we answer the council's betrayal?",
        options=["March", "Boycott", "Wait"], rule="instant-runoff", triggered_by="betrayal")
    o = {x.label: x for x in d.options.all()}
    services.do_set_impact(ana, o["March"], "Our members", upside=6, upside_likelihood=0.5,
                           downside=2, downside_likelihood=0.5)
    services.do_set_impact(ana, o["Boycott"], "Our members", upside=4, upside_likelihood=0.5)
    services.do_set_impact(ana, o["Wait"], "Our members", downside=1, downside_likelihood=0.5)
    return d


def _login(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def _rank(page: Any, labels: list[str]) -> None:
    for k, label in enumerate(labels, start=1):
        page.select_option(f"#rank_{k}", label=label)


def test_a_leader_and_a_member_vote_on_the_web_and_see_the_result(live_server: Any,
                                                                  decision: Any) -> None:
    from playwright.sync_api import sync_playwright

    base = live_server.url
    url = f"{base}/decisions/{decision.pk}/"
    problems: list[str] = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        ana = _login(browser, base, "ana")
        ben = _login(browser, base, "ben")
        for page in (ana, ben):
            page.on("pageerror", lambda exc: problems.append(str(exc)))

        # Ana, a leader, ranks Boycott first, then March.
        ana.goto(url)
        assert "Are we deciding on the trigger, or on the trade-offs?" in ana.inner_text(
            "#cooling-off")
        assert ana.is_checked("input[name=role][value=leader]")
        _rank(ana, ["Boycott", "March"])
        ana.fill("#reason", "A boycott costs our members least.")
        ana.click("button:has-text('Cast my ballot')")
        ana.wait_for_load_state("networkidle")
        assert "Your ballot is counted" in ana.inner_text(".messages")

        # Ben, a member, ranks Boycott, Wait, March; he sees no leader's option.
        ben.goto(url)
        assert ben.locator("input[name=role][value=leader]").count() == 0
        _rank(ben, ["Boycott", "Wait", "March"])
        ben.click("button:has-text('Cast my ballot')")
        ben.wait_for_load_state("networkidle")
        members = ben.inner_text(".tally[data-group=members] .winner")
        leaders = ben.inner_text(".tally[data-group=leaders] .winner")
        combined = ben.inner_text(".tally[data-group=combined] .winner")
        assert (members, leaders, combined) == ("Boycott", "Boycott", "Boycott")
        assert "A boycott costs our members least." in ben.inner_text("#result")
        ben.screenshot(path=str(SHOTS / "decision-result.png"), full_page=True)

        # Ana edits the cell "March for our members" in place; the trade-offs panel follows.
        ana.goto(url)
        assert ana.inner_text("#result .tally[data-group=combined] .winner") == "Boycott"
        march_row = ana.locator("#tradeoffs tbody tr", has_text="March")
        assert march_row.locator("td").nth(1).inner_text() == "2.00"  # 6 x .5 - 2 x .5
        ana.click("#impacts td.cell >> nth=0")  # the first column is March
        ana.fill("td.editing input[name=downside_likelihood]", "1.5")
        ana.click("td.editing button:has-text('Save')")  # the browser refuses: max is 1
        assert ana.locator("td.editing").count() == 1
        ana.fill("td.editing input[name=downside_likelihood]", "1")
        ana.click("td.editing button:has-text('Save')")
        ana.wait_for_selector("td.editing", state="detached")
        ana.wait_for_function(
            "() => [...document.querySelectorAll('#tradeoffs tbody tr')].some("
            "r => r.innerText.startsWith('March') && r.cells[1].innerText === '1.00')")
        ana.screenshot(path=str(SHOTS / "decision-grid.png"), full_page=True)

        # Closing is refused by the server while the decision cools off.
        ana.click("button:has-text('Close the vote')")
        ana.wait_for_load_state("networkidle")
        assert "Not yet." in ana.inner_text("#close")
        assert "Open for ballots" in ana.inner_text(".lede")
        browser.close()
    assert problems == [], problems
