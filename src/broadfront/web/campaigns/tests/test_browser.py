"""In Chromium: Ana works a precinct of the caucus-bloc campaign on caucus night.

She sorts the precinct table in place (HTMX), opens precinct 1, types the Minnesota DFL
Official Call's example into the caucus calculator (100 people in subcaucuses of 40, 25, 20, 9
and 6 electing 5 delegates: viability 20, the 9 and the 6 walk, divisor 85 / 5 = 17, so
2/2/1/0/0) and watches the result recompute as she types, with the "what would win us more"
suggestions for her bloc; then she saves it and a CaucusResult is stored. Screenshots at
laptop and phone width go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from broadfront.conftest import PASSWORD
from broadfront.web.common.tests.browser import (
    browsing,
    mark_page,
    needs_chromium,
    same_page,
    shot,
)

pytestmark = [pytest.mark.browser, needs_chromium]

DFL = [("A", 40), ("B", 25), ("C", 20), ("D", 9), ("E", 6)]


def _result_rows(page: Any) -> list[tuple[str, int]]:
    rows = page.locator("#calc-result table tbody tr")
    return [(rows.nth(i).locator("td").nth(0).inner_text().split()[0],
             int(rows.nth(i).locator("td").nth(4).inner_text()))
            for i in range(rows.count())]


def test_ana_sorts_precincts_and_counts_caucus_night_in_place(live_server: Any,
                                                             world: Any) -> None:
    from broadfront.web.campaigns.models import CaucusResult
    from broadfront.web.common.tests.factories import build_scene

    scene = build_scene(world)
    campaign_url = f"/blocs/{scene.campaign.slug}/"
    with browsing(live_server) as b:
        page = b.login("ana", PASSWORD)

        # The precinct table sorts by expected attendance through HTMX: precinct 2 (150)
        # comes before precinct 1 (200), and the page itself is not reloaded.
        page.goto(b.base + campaign_url)
        attendance = "#targets tbody tr td:nth-child(2)"
        assert page.locator(attendance).all_inner_texts() == ["200", "150"]
        mark_page(page)
        page.click("#targets th >> text=Expected at caucus")
        page.wait_for_selector("#targets th[aria-sort=ascending] >> text=Expected at caucus")
        assert page.locator(attendance).all_inner_texts() == ["150", "200"]
        page.click("#targets th >> text=Expected at caucus")
        page.wait_for_selector("#targets th[aria-sort=descending] >> text=Expected at caucus")
        assert page.locator(attendance).all_inner_texts() == ["200", "150"]
        assert same_page(page) and page.url == b.base + campaign_url

        # Precinct 1's calculator starts with our bloc at its goal of 20.
        page.click(f"#targets a >> text={scene.p1.name}")
        page.wait_for_load_state("networkidle")
        assert page.input_value("input[name=name_0]") == "Our bloc"
        assert page.input_value("input[name=count_0]") == "20"
        mark_page(page)
        page.fill("#delegates", "5")
        for i, (name, count) in enumerate(DFL):
            page.fill(f"input[name=name_{i}]", name)
            page.fill(f"input[name=count_{i}]", str(count))
        page.check("input[name=ours][value='2']")  # C, the 20, is ours
        page.wait_for_function(
            "() => (document.querySelector('#calc-result h3') || {}).innerText"
            " === 'DFL walking subcaucus: 5 delegates, 100 attendees'")
        page.wait_for_selector("#calc-result >> text=What would win C more?")
        assert _result_rows(page) == [("A", 2), ("B", 2), ("C", 1), ("D", 0), ("E", 0)]
        result = page.inner_text("#calc-result")
        assert "needs 20 members to be viable (100 ÷ 5, rounded up)" in result
        assert "Each delegate takes 17.000 members" in result
        assert "C wins 1 delegate now" in result
        assert "win over 4 of B: 2 delegate(s) for C (+1)" in result
        assert "bring 6 more of our people to the room" in result
        assert same_page(page), "the result was swapped in, the page was not reloaded"
        shot(page, "blocs-precinct-calculator")

        # One box changed recomputes in place: with 4 delegates viability is 100 / 4 = 25,
        # our 20 must walk too, and A and B share the 4 (65 / 4 = 16.25 each: 2.46 and 1.54).
        page.fill("#delegates", "4")
        page.wait_for_selector("#calc-result h3 >> text=4 delegates")
        assert "needs 25 members to be viable (100 ÷ 4, rounded up)" in page.inner_text(
            "#calc-result")
        assert _result_rows(page) == [("A", 2), ("B", 2), ("C", 0), ("D", 0), ("E", 0)]
        page.fill("#delegates", "5")
        page.wait_for_selector("#calc-result h3 >> text=5 delegates")
        assert same_page(page)

        # On a phone, the same figures (here from the plain form, as without JavaScript)
        # need no sideways scrolling.
        phone = b.phone(page)
        form = {"delegates": "5", "rule": "dfl", "ours": "2"}
        for i, (name, count) in enumerate(DFL):
            form.update({f"name_{i}": name, f"count_{i}": str(count)})
        phone.goto(f"{page.url}?{urlencode(form)}")
        phone.wait_for_load_state("networkidle")
        assert _result_rows(phone) == [("A", 2), ("B", 2), ("C", 1), ("D", 0), ("E", 0)]
        b.fits_phone(phone)
        box = phone.locator("#calc-result th >> text=Delegates").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390, "the answer is on screen"
        shot(phone, "blocs-precinct-calculator-phone")

        # Saving stores caucus night's result.
        page.click("button:has-text('Save as caucus-night result')")
        page.wait_for_load_state("networkidle")
        assert f"Saved: 1 of 5 delegates for C in {scene.p1.name}." in page.inner_text(
            ".messages")
    # (The database is read outside Playwright's event loop.)
    stored = CaucusResult.objects.get(campaign=scene.campaign, division=scene.p1)
    assert (stored.our_subcaucus, stored.delegates, stored.delegates_won) == ("C", 5, 1)
    assert stored.subcaucuses == dict(DFL)
