"""The first request after a server starts, for every address a reader may type.

Streamlit serves the first request of a freshly started server as a legacy multipage app
when a folder called ``pages/`` sits beside the entry script, so an address that works on a
warm server can fail on a cold one. Each case here starts its own server, opens one address
first thing, and checks by name: the right page (or the Map with a short notice), no "Page
not found" dialog, no exception, exactly the four pages in the sidebar, the view in the link.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import open_browsing
from tests.e2e.test_in_browser import SETTLED, assert_no_exception
from tests.serving import PROJECT, start_server

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test here (or fails it, when a browser is required)
    expect = None

pytestmark = pytest.mark.e2e

MAP, TIMELINE, STATEMENTS, SOURCES = (
    "Where could traffic pass?",
    "Status over time",
    "Who said what about each road",
    "Sources & method",
)
SIDEBAR = ["Map", "Timeline", "Statements", "Sources & method"]
UNKNOWN = "no-such-page"

# address -> (page title, whether the Map's "there is no page" notice is expected)
ADDRESSES = {
    "": (MAP, False),
    "status-timeline": (TIMELINE, False),
    "road-statements": (STATEMENTS, False),
    "method": (SOURCES, False),
    "map": (MAP, False),
    "timeline": (TIMELINE, False),
    "statements": (STATEMENTS, False),
    "sources": (SOURCES, False),
    "road-map": (MAP, False),
    "widgets": (MAP, True),
    UNKNOWN: (MAP, True),
}
# Started as `make run` starts it, every address; by a bare `streamlit run dashboard.py`,
# every address but an unknown one (Streamlit's legacy path has no page to hand it to).
CASES = [("make run", a) for a in ADDRESSES] + [("streamlit run", a) for a in ADDRESSES if a != UNKNOWN]


@pytest.mark.parametrize(("launcher", "address"), CASES, ids=[f"{lch}:/{a}" for lch, a in CASES])
def test_first_request_on_a_fresh_server(browser, tmp_path, launcher, address):
    server = start_server(PROJECT, tmp_path, launcher)
    try:
        for browsing in open_browsing(browser, server):
            page = browsing.page
            page.goto(server.url(address, **{"from": "2023-01-01", "to": "2023-06-30"}), wait_until="domcontentloaded")
            page.wait_for_function(SETTLED)
            title, notice = ADDRESSES[address]
            assert_no_exception(browsing)
            expect(page.locator("h1")).to_have_text(title)
            assert page.get_by_text("Page not found").count() == 0
            assert page.get_by_role("dialog").count() == 0
            nav = page.locator('[data-testid="stSidebarNav"]').get_by_role("link")
            # Each link's text is its icon's name, then its label.
            expect(nav).to_have_text([re.compile(f"{re.escape(label)}$") for label in SIDEBAR])
            shown = page.get_by_text(f"There is no page at /{address}")
            assert shown.count() == (1 if notice else 0)
            # The view asked for in the link is the view shown, and is still in the address bar.
            assert "from=2023-01-01" in page.url and "to=2023-06-30" in page.url, page.url
            assert not browsing.unexplained_errors(), browsing.unexplained_errors()
    finally:
        server.stop()
