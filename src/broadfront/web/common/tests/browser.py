"""What every browser test shares: Debian's Chromium driven by Playwright, with guards.

``browsing(live_server)`` launches Chromium with the suite's options and yields a
:class:`Browsing` whose pages are watched: a request to any host but the test server, a
JavaScript error (an uncaught exception or a ``console.error``) and a 4xx/5xx response are
all recorded, and leaving the ``with`` block without another failure asserts that none
happened. Screenshots go to ``test-artifacts/screenshots/``; :meth:`Browsing.fits_phone`
checks that a page has no horizontal overflow at a phone's width (390 px).

Use it with ``pytestmark = [pytest.mark.browser, needs_chromium]``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
REPO = Path(__file__).resolve().parents[5]
SHOTS = REPO / "test-artifacts" / "screenshots"
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}

WIDEST = """() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= w + 0.5 || r.width === 0) continue;
    let clipped = false;  // inside a box that scrolls or clips sideways: not the page's fault
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
    }
    if (clipped) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : '');
    out.push(name + ' (right edge ' + Math.round(r.right) + 'px)');
  }
  return out.slice(-5);
}"""
"""JavaScript naming the deepest elements that stick out to the right of the page."""

needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not shutil.which("chromium"),
    reason="Debian's chromium is not installed at /usr/bin/chromium")


@dataclass
class Browsing:
    """One Chromium for one test: watched contexts and pages, and what went wrong in them."""

    base: str
    browser: Any
    outside: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    expected_statuses: set[int] = field(default_factory=set)

    @property
    def local_hosts(self) -> set[str]:
        return {urlsplit(self.base).hostname or "", "localhost", "127.0.0.1"}

    def _watch_request(self, request: Any) -> None:
        url = request.url
        if url.startswith(("http://", "https://")) and urlsplit(url).hostname not in \
                self.local_hosts:
            self.outside.append(url)

    def _watch_response(self, response: Any) -> None:
        if response.status >= 400 and response.status not in self.expected_statuses:
            self.problems.append(f"{response.status} {response.request.method} {response.url}")

    def _watch_console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def context(self, viewport: dict[str, int] | None = None,
                cookies_from: Any = None) -> Any:
        """A new browser context (its own cookies) whose requests are watched."""
        context = self.browser.new_context(viewport=viewport or LAPTOP)
        context.on("request", self._watch_request)
        if cookies_from is not None:
            context.add_cookies(cookies_from.cookies())
        return context

    def page(self, context: Any = None, viewport: dict[str, int] | None = None) -> Any:
        """A new watched page (in ``context``, or in a new context of its own)."""
        page = (context or self.context(viewport)).new_page()
        page.on("pageerror", lambda exc: self.problems.append(f"JS error: {exc}"))
        page.on("console", self._watch_console)
        page.on("response", self._watch_response)
        return page

    def login(self, username: str, password: str,
              viewport: dict[str, int] | None = None) -> Any:
        """A page in a new context, logged in through the login form."""
        page = self.page(viewport=viewport)
        page.goto(f"{self.base}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert not urlsplit(page.url).path.startswith("/login/"), f"{username} could not log in"
        return page

    def phone(self, like: Any) -> Any:
        """A page at a phone's width, signed in as the user of the page ``like``."""
        return self.page(self.context(PHONE, cookies_from=like.context))

    def fits_phone(self, page: Any) -> None:
        """Assert the page needs no sideways scrolling at its (phone) width."""
        width = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.viewport_size["width"]
        if width > viewport:
            culprits = page.evaluate(WIDEST)
            shot(page, "overflow-" + "".join(c if c.isalnum() else "-" for c in page.url)[-40:])
        assert width <= viewport, \
            f"{page.url} is {width}px wide on a {viewport}px phone; too wide: {culprits}"


def shot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as ``test-artifacts/screenshots/<name>.png``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def mark_page(page: Any) -> None:
    """Leave a mark on the loaded document: :func:`same_page` is false after a full reload."""
    page.evaluate("window.__broadfront_no_reload = true")


def same_page(page: Any) -> bool:
    """Whether the document marked by :func:`mark_page` is still the one shown."""
    return bool(page.evaluate("window.__broadfront_no_reload === true"))


@contextmanager
def browsing(live_server: Any) -> Iterator[Browsing]:
    """Chromium for one test; on a clean exit, assert nothing left the machine and nothing broke."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        b = Browsing(base=live_server.url, browser=browser)
        try:
            yield b
        finally:
            browser.close()
    assert b.outside == [], f"requests left the machine: {b.outside}"
    assert b.problems == [], b.problems
