"""In Chromium, on a 375 x 740 phone: Ana weighs a decision of the demo and reads her record.

The impact grid (options x constituencies) and the calibration table turn into one card per
row on a phone, so neither the page nor the tables scroll sideways; every cell still says
which option it is about, every field of the grid has a name a screen reader reads out, and
the charts say what they show and point at the table that holds their numbers.
"""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common.tests.browser import browsing, needs_chromium, shot

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE_375 = {"width": 375, "height": 740}

#: The page's width beyond the window, and each table's width beyond the box that holds it.
OVERFLOW = """(selector) => {
  const table = document.querySelector(selector);
  return {
    page: document.documentElement.scrollWidth - window.innerWidth,
    table: table.getBoundingClientRect().width - table.parentElement.clientWidth,
  };
}"""

#: For each cell of the grid: the option it names on a phone, its column's header, if it shows.
CELL_LABELS = """() => {
  const grid = document.querySelector('#impacts table');
  const heads = [...grid.tHead.rows[0].cells].map(c => c.textContent.trim());
  return [...grid.tBodies[0].rows].flatMap(row => [...row.cells].slice(1).map((c, i) => {
    const label = c.querySelector('.stack-label');
    return {label: label && label.textContent.trim(), header: heads[i + 1],
            shown: !!label && label.getBoundingClientRect().width > 0};
  }));
}"""

FIELDS = "#impacts input:not([type=hidden]), #impacts select, #impacts textarea, #impacts button"


def accessible_names(page: Any, selector: str) -> list[tuple[str, str]]:
    """Chromium's own accessible name of every element matching ``selector``, with its HTML."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    found = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
    names = []
    for node in found:
        html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
        ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
        name = next((n.get("name", {}).get("value", "") for n in ax["nodes"]
                     if not n.get("ignored")), "")
        names.append((str(name).strip(), html[:120]))
    cdp.detach()
    return names


def assert_no_sideways_scroll(page: Any, table: str) -> None:
    over = page.evaluate(OVERFLOW, table)
    if over["page"] > 1 or over["table"] > 1:
        shot(page, "phone-overflow-" + page.url.rstrip("/").split("/")[-1])
    assert over["page"] <= 1, f"{page.url} scrolls sideways by {over['page']}px at 375px"
    assert over["table"] <= 1, f"{table} is {over['table']}px wider than its box at 375px"


def assert_chart_says_what_it_shows(page: Any, chart: str, words: str) -> None:
    box = page.locator(chart)
    assert box.get_attribute("role") == "figure"
    label = box.get_attribute("aria-label") or ""
    assert words in label, f"{chart} is labelled {label!r}"
    assert not label.lower().startswith("chart"), f"{chart} has a generic label: {label!r}"
    described = box.get_attribute("aria-describedby")
    assert described and page.locator(f"#{described}").count() == 1, \
        f"{chart} points at no table ({described!r})"


def test_on_a_phone_the_impact_grid_and_the_calibration_table_fit_and_are_named(
        live_server: Any, transactional_db: Any) -> None:
    from broadfront.demo import DEMO_PASSWORD, load_demo
    from broadfront.web.decisions.models import Decision

    load_demo(scale="small", seed=0)
    # Northside's open question: Ana (an organizer there) may edit its grid.
    decision = Decision.objects.filter(organization__slug="northside-chapter",
                                       state="open").order_by("pk").first()
    assert decision is not None
    options = list(decision.options.order_by("pk").values_list("label", flat=True))
    assert len(options) >= 3  # wide enough to scroll sideways as a table on a phone

    with browsing(live_server) as b:
        page = b.login("ana", DEMO_PASSWORD, viewport=PHONE_375)
        assert page.viewport_size == PHONE_375

        page.goto(f"{b.base}/decisions/{decision.pk}/")
        page.wait_for_load_state("networkidle")
        assert_no_sideways_scroll(page, "#impacts table")
        cells = page.evaluate(CELL_LABELS)
        assert cells, "the impact grid has no cells"
        for cell in cells:  # each card names the option of each of its cells
            assert cell["label"] == cell["header"] and cell["shown"], cell
        assert {c["label"] for c in cells} == set(options)
        assert_chart_says_what_it_shows(page, "#tradeoffs .chart", "each option for each "
                                        "constituency")
        shot(page, "phone-decision-grid")

        # Ana opens the first cell for editing and the form to add a constituency:
        # every field, select and button of the grid has a name.
        page.click("#impacts td.cell button >> nth=0")
        page.wait_for_selector("#impacts td.editing input[name=upside]")
        page.click("#impacts details > summary")
        assert_no_sideways_scroll(page, "#impacts table")
        named = accessible_names(page, FIELDS)
        inputs = [n for n in named if n[1].startswith(("<input", "<select"))]
        assert len(inputs) >= 2 * 5, named  # the cell's five fields and the form's seven
        nameless = [html for name, html in named if not name]
        assert nameless == [], f"fields of the impact grid without an accessible name: {nameless}"
        names = {name for name, _ in inputs}
        assert {"Upside (size)", "Likelihood of the downside (0 to 1)", "Note"} <= names, names
        shot(page, "phone-decision-grid-editing")

        page.goto(f"{b.base}/decisions/calibration/?org=northside-chapter")
        page.wait_for_load_state("networkidle")
        assert page.locator("#calibration-table tbody tr").count() >= 2
        assert_no_sideways_scroll(page, "#calibration-table")
        verdict = page.locator("#calibration-table tbody tr >> nth=0").locator(
            "td[data-label=Verdict]")
        assert verdict.is_visible()
        assert_chart_says_what_it_shows(page, "section.card .chart",
                                        "than expected each constituency fared")
        shot(page, "phone-calibration")

        # On a laptop the same grid is still a table: one column per option.
        laptop = b.page(b.context({"width": 1280, "height": 860}, cookies_from=page.context))
        laptop.goto(f"{b.base}/decisions/{decision.pk}/")
        assert laptop.evaluate(
            "getComputedStyle(document.querySelector('#impacts table tr')).display") == \
            "table-row"
        assert laptop.locator("#impacts thead th").count() == len(options) + 1
        assert laptop.locator("#impacts thead").is_visible()
        assert not laptop.locator("#impacts .stack-label >> nth=0").is_visible()
