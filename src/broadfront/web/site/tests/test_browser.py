"""In Chromium: Ana prints Northside's one-page power report from the demo coalition, and adds
a person to Northside's list from "Our people".

The report is meant to be handed to allies on paper: printed to A4 by Chromium it takes
exactly one page, its "Print" button is not printed, and it reads on a phone without
sideways scrolling. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from broadfront.web.common.tests.browser import SHOTS, browsing, needs_chromium, shot

pytestmark = [pytest.mark.browser, needs_chromium]


def test_the_power_report_prints_on_one_page(live_server: Any, transactional_db: Any) -> None:
    from broadfront.demo import load_demo

    load_demo(scale="small", seed=0)
    with browsing(live_server) as b:
        page = b.login("ana", "broadfront-demo")
        page.goto(f"{b.base}/power/report/northside-chapter/")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text().startswith("Northside Chapter")
        assert page.locator(".noprint button:has-text('Print or save as PDF')").is_visible()
        shot(page, "power-report")

        page.emulate_media(media="print")
        assert not page.locator(".noprint").first.is_visible(), "the buttons are not printed"
        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "power-report.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert pages == 1, f"the one-page report prints on {pages} pages"

        phone = b.phone(page)
        phone.goto(page.url)
        phone.wait_for_load_state("networkidle")
        b.fits_phone(phone)
        shot(phone, "power-report-phone")


def test_ana_adds_a_person_from_our_people(live_server: Any, transactional_db: Any) -> None:
    from broadfront.demo import load_demo

    load_demo(scale="small", seed=0)
    with browsing(live_server) as b:
        page = b.login("ana", "broadfront-demo")
        page.goto(f"{b.base}/power/people/")
        page.get_by_role("link", name="Add a person").click()
        page.wait_for_url(f"{b.base}/power/people/new/")
        assert page.get_by_label("On the list of").input_value() != "", "her one list is chosen"
        page.get_by_label("Given name").fill("Rosa")
        page.get_by_label("Family name").fill("Playwright")
        page.get_by_label("Postal code").fill(" k1a  0b1 ")
        page.get_by_role("button", name="Add the person").click()
        page.wait_for_url(re.compile(r".*/power/people/\d+/$"))
        assert page.locator("h1").inner_text() == "Rosa Playwright"
        assert "K1A 0B1" in page.locator("dl.facts").first.inner_text()
        shot(page, "person-added")
