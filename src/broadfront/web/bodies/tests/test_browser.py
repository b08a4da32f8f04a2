"""In Chromium: Ana tests majorities in a nine-seat council with the what-if panel (HTMX).

The council (see ``conftest.council``) has nine equal seats and decides by simple majority;
on Transit, Northside rates A to F as allies, so our side holds 6 of 9 and breaks only if 2
defect. Ana moves B to the other side: 5 of 9 still win, but now any one defector breaks it.
She gives A 5 votes: the weight is 13, a majority 7, and A decides in 238 of the 350 swings
(68.0%; each other member in 14, 4.0%), which the test also counts by brute force. A quota of
50 is refused beside the field. Nothing reloads the page; nothing leaves the machine.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from broadfront.conftest import PASSWORD
from broadfront.web.common.tests.browser import (
    browsing,
    mark_page,
    needs_chromium,
    same_page,
    shot,
)
from broadfront.web.landscape.models import Seat

pytestmark = [pytest.mark.browser, needs_chromium]


def banzhaf(weights: list[int], quota: int) -> list[float]:
    """Normalised Banzhaf power by counting every coalition (brute force)."""
    swings = [0] * len(weights)
    for i, w in enumerate(weights):
        others = [x for j, x in enumerate(weights) if j != i]
        for k in range(len(others) + 1):
            for s in combinations(others, k):
                if sum(s) < quota <= sum(s) + w:
                    swings[i] += 1
    return [s / sum(swings) for s in swings]


def _power_of(page: Any, name: str) -> tuple[str, str]:
    row = page.locator("#whatif tbody tr", has=page.locator(f"label:text-is('{name}')"))
    cells = row.locator("td")
    return cells.nth(4).inner_text(), cells.nth(5).inner_text()


def test_ana_moves_members_in_the_what_if_panel_without_a_reload(live_server: Any,
                                                                 world: Any,
                                                                 council: Any) -> None:
    body, issue = council
    seat = {s.label: s.pk for s in Seat.objects.filter(body=body)}
    power = banzhaf([5] + [1] * 8, 7)
    assert (round(power[0], 3), round(power[1], 3)) == (0.68, 0.04)  # 238/350 and 14/350

    with browsing(live_server) as b:
        page = b.login("ana", PASSWORD)
        page.goto(f"{b.base}/bodies/{body.slug}/?issue={issue.slug}")
        assert "Our side wins. It breaks if 2 members defect" in page.inner_text("#majority")
        assert "No change yet" in page.inner_text("#whatif-result")
        stored_power = page.inner_text("#power")
        mark_page(page)

        # B moves to the other side: 5 of 9 still win, but one defector now breaks it.
        page.select_option(f"select[name=side_{seat['B']}]", "them")
        page.wait_for_selector("#whatif-result >> text=After 1 change")
        result = page.inner_text("#whatif-result")
        assert "Our side (5 weight) wins. It breaks if 1 member defects (5 such sets" in result
        assert "Critical: A MemberNine, C MemberNine, D MemberNine, E MemberNine, " \
               "F MemberNine." in result
        assert page.locator("#whatif-result .js-plotly-plot").count() == 1
        assert _power_of(page, "A MemberNine") == ("11.1%", "no change")

        # A gets 5 votes: power is recomputed in the table and the chart.
        page.fill(f"#w_{seat['A']}", "5")
        page.press(f"#w_{seat['A']}", "Tab")
        page.wait_for_selector("#whatif-result >> text=After 2 changes")
        assert _power_of(page, "A MemberNine") == (f"{100 * power[0]:.1f}%", "+56.9 pts")
        assert _power_of(page, "I MemberNine") == (f"{100 * power[8]:.1f}%", "-7.1 pts")
        result = page.inner_text("#whatif-result")
        assert "Our side (9 weight) wins. It breaks if 1 member defects (1 such set" in result
        assert "Critical: A MemberNine." in result
        assert page.locator("#whatif-result .js-plotly-plot").count() == 1
        assert page.inner_text("#power") == stored_power, "the stored body's power is kept"
        assert same_page(page), "the panel was swapped in place, the page was not reloaded"
        shot(page, "bodies-what-if")

        # A quota rule of 50 (more than the 13 votes) is refused beside the quota field,
        # keeping what Ana typed; a quota of 7 is accepted.
        page.select_option("#wf-rule", "quota")
        page.wait_for_selector("#whatif-error")
        page.fill("#wf-quota", "50")
        page.press("#wf-quota", "Tab")
        page.wait_for_selector("#whatif-error >> text=quota must not exceed the total weight")
        assert "got 50" in page.inner_text("#whatif-error")
        assert page.get_attribute("#wf-quota", "aria-invalid") == "true"
        assert page.input_value("#wf-quota") == "50"
        assert page.input_value(f"#w_{seat['A']}") == "5"
        error_box = page.locator("#whatif-error").bounding_box()
        field_box = page.locator("#wf-quota").bounding_box()
        assert error_box is not None and field_box is not None
        assert 0 < field_box["y"] - (error_box["y"] + error_box["height"]) < 120, \
            "the error sits just above the rule's fields"
        shot(page, "bodies-what-if-error")
        page.fill("#wf-quota", "7")
        page.press("#wf-quota", "Tab")
        page.wait_for_selector("#whatif-error", state="detached")
        assert "rule: quota of weight, quota 7" in page.inner_text("#whatif-result")
        assert _power_of(page, "A MemberNine")[0] == f"{100 * power[0]:.1f}%"
        assert same_page(page)

        # On a phone the body page needs no sideways scrolling, and after a move each
        # member's power and its change are on screen, not hidden to the right.
        phone = b.phone(page)
        phone.goto(f"{b.base}/bodies/{body.slug}/?issue={issue.slug}")
        phone.select_option(f"select[name=side_{seat['B']}]", "them")
        phone.wait_for_selector("#whatif-result >> text=After 1 change")
        b.fits_phone(phone)
        row = phone.locator("#whatif tbody tr", has=phone.locator("label:text-is('A MemberNine')"))
        for cell in (row.locator("td").nth(4), row.locator("td").nth(5)):
            box = cell.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 390, cell.inner_text()
        shot(phone, "bodies-what-if-phone")
