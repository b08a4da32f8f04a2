"""In Chromium, on a 375 x 740 phone: Ana reads the wide tables and the charts of the demo.

No page scrolls sideways: the tables a phone user needs (the coalition table, the scorecards,
the commitments) become one card per row; the capability matrix scrolls inside its own
named, focusable box. Every chart says in words what it shows (not "Chart of ..."), and
where a table or a list holds its numbers, the chart points at it (``aria-describedby``).
"""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common.tests.browser import browsing, needs_chromium, shot

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE_375 = {"width": 375, "height": 740}

#: What a phone user would have to scroll sideways for, and what each chart says it is.
LAYOUT = """() => ({
  page: document.documentElement.scrollWidth - window.innerWidth,
  tables: [...document.querySelectorAll('table.stack-phone')].map(t => ({
    id: t.id || t.className, over: t.getBoundingClientRect().width - t.parentElement.clientWidth,
  })),
  charts: [...document.querySelectorAll('.chart')].map(c => ({
    role: c.getAttribute('role'), label: c.getAttribute('aria-label') || '',
    described: c.getAttribute('aria-describedby'),
    target: c.getAttribute('aria-describedby') ?
      (document.getElementById(c.getAttribute('aria-describedby')) || {}).textContent || '' : null,
  })),
})"""


def test_on_a_phone_wide_tables_fit_and_charts_say_what_they_show(
        live_server: Any, transactional_db: Any) -> None:
    from broadfront.demo import DEMO_PASSWORD, load_demo
    from broadfront.web.landscape.models import Body, Issue
    from broadfront.web.organizations.models import Coalition

    load_demo(scale="small", seed=0)
    table = Coalition.objects.get(name="Riverland Forward").slug
    council = Body.objects.get(name="Riverton City Council").slug
    transit = Issue.objects.get(name="Public transit").slug
    pages = {  # the page, and how many charts it shows
        "/power/": 2,
        "/leaders/": 2,
        "/coalition/": 1,
        f"/coalition/tables/{table}/": 2,
        "/coalition/commitments/": 0,
        f"/bodies/{council}/": 2,
        f"/landscape/issues/{transit}/": 1,
        f"/landscape/issues/{transit}/grid/": 1,
        f"/landscape/bodies/{council}/alignment/": 2,
    }
    with browsing(live_server) as b:
        page = b.login("ana", DEMO_PASSWORD, viewport=PHONE_375)
        stacked = 0
        for path, n_charts in pages.items():
            page.goto(b.base + path)
            page.wait_for_load_state("networkidle")
            got = page.evaluate(LAYOUT)
            if got["page"] > 1:
                shot(page, "phone-overflow" + path.replace("/", "-").rstrip("-"))
            assert got["page"] <= 1, f"{path} scrolls sideways by {got['page']}px at 375px"
            for t in got["tables"]:
                assert t["over"] <= 1, f"{path}: table {t['id']} is {t['over']}px too wide"
            stacked += len(got["tables"])
            assert len(got["charts"]) == n_charts, (path, got["charts"])
            for chart in got["charts"]:
                label = chart["label"]
                assert chart["role"] == "figure", (path, chart)
                assert len(label) > 30 and not label.lower().startswith("chart"), \
                    f"{path}: a chart with a generic label {label!r}"
                if chart["described"] is not None:
                    assert chart["target"].strip(), f"{path}: {chart['described']} is empty"
        assert stacked >= 3  # the coalition table, the scorecards, the commitments

        # The power grid's numbers are there in words, for whoever cannot see the dots.
        page.goto(f"{b.base}/landscape/issues/{transit}/grid/")
        words = page.locator("#power-grid-words li")
        assert words.count() >= 5
        assert "support" in words.first.inner_text() and "influence" in words.first.inner_text()
        assert page.locator("#power-grid").get_attribute("aria-describedby") == \
            "power-grid-words"

        # Banzhaf power is charted beside the seat share, and the table below holds the numbers.
        page.goto(f"{b.base}/bodies/{council}/")
        power = page.locator("#power .chart")
        assert "Banzhaf" in (power.get_attribute("aria-label") or "")
        assert power.get_attribute("aria-describedby") == "power-table"
        assert page.locator("#power-table tbody tr").count() == 9

        # The capability matrix is a big matrix: it scrolls inside its own box, which a
        # keyboard can reach and a screen reader names, and the page says it is swipeable.
        page.goto(f"{b.base}/coalition/tables/{table}/")
        box = page.locator(".scroll-x:has(table.capability)")
        assert box.get_attribute("tabindex") == "0"
        assert box.get_attribute("role") == "region"
        assert "best at" in (box.get_attribute("aria-label") or "")
        assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # it really is wider
        assert page.locator("#capability-hint").is_visible()
        shot(page, "phone-coalition-table")
