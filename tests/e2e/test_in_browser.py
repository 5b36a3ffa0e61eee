"""The dashboard as a person uses it: a real server, headless Chromium, the keyboard and the mouse.

Expected numbers are worked out here from data/*.csv by the documented rules, independently
of the app; expected statuses are the curated facts that tests/test_status.py pins down.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test here (or fails it, when a browser is required)
    expect = None
else:
    expect.set_options(timeout=30_000)  # a rerun on a busy 2-core machine can take longer than the 5 s default

from tests.expected import expected_events, expected_search, read

pytestmark = pytest.mark.e2e

PROJECT = Path(__file__).resolve().parents[2]
D = dt.date.fromisoformat
LACHIN, AGHDAM = "Lachin corridor", "Aghdam–Askeran road"

# (screenshot file, address, sidebar label, page title)
PAGES = [
    ("map", "", "Map", "Where could traffic pass?"),
    ("timeline", "status-timeline", "Timeline", "Status over time"),
    ("statements", "road-statements", "Statements", "Who said what about each road"),
    ("sources", "method", "Sources & method", "Sources & method"),
]


# --- expectations from the CSV files ----------------------------------------------------


# --- reading the page ---------------------------------------------------------------------

# The script has finished its run and every element has its code loaded and drawn: Streamlit
# shows a skeleton while an element's code is still loading, and marks elements of an
# unfinished rerun as stale. A page either has its title or shows the exception that stopped it.
SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null && app.dataset.testScriptState === "notRunning"
        && document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]') === null
        && document.querySelector('h1, [data-testid="stException"]') !== null;
}"""

# Every plotly figure has drawn; a map also has its style and layers loaded.
CHARTS_DRAWN = """() => [...document.querySelectorAll(".js-plotly-plot")].every(gd => {
    if (!gd._fullLayout || !gd.querySelector(".main-svg")) return false;
    const map = gd._fullLayout.map && gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
    return !gd._fullLayout.map || (map && map.loaded() && gd.querySelector("canvas") !== null);
})"""

ROAD_TRACES = """() => [...document.querySelector(".st-key-map_chart .js-plotly-plot").data]
    .filter(t => t.meta && t.meta.kind === "road")
    .map(t => ({route_id: t.meta.route_id, status: t.meta.status, name: t.name}))"""


def screenshot(page, name: str) -> None:
    """With ROUTESTATUS_SCREENSHOTS set (``make screenshots``), save the page as docs/<name>.png."""
    shots = os.environ.get("ROUTESTATUS_SCREENSHOTS")
    if shots:
        page.wait_for_function(CHARTS_DRAWN)
        page.evaluate("document.fonts.ready.then(() => true)")
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(shots) / f"{name}.png")


def open_page(browsing, path: str = "", **query: str):
    page = browsing.page
    page.goto(browsing.url(path, **query), wait_until="domcontentloaded")
    page.wait_for_function(SETTLED)
    assert_no_exception(browsing)
    return page


def metric(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).locator('[data-testid="stMetricValue"]')


def status_card(page, road: str):
    """The status, in words, on the road's card on the Map page."""
    card = page.locator('[data-testid="stColumn"]').filter(has=page.locator("h3", has_text=road))
    return card.locator('[data-testid="stMetricValue"]')


def date_range_shown(page) -> str:
    """What the sidebar's date range field shows, e.g. '2023-01-01–2023-01-31'."""
    return re.sub(r"\s+", "", page.locator('.st-key-flt_range [data-testid="stDateInputField"]').inner_text())


def query_of(page) -> dict[str, list[str]]:
    """The view's part of the page's query; the dataset version ``v`` every link carries is checked and left out."""
    query = parse_qs(urlsplit(page.url).query)
    version = query.pop("v", [""])
    assert re.fullmatch(r"[0-9a-f]{12}", version[0]), page.url
    return query


def assert_no_exception(browsing) -> None:
    """No exception box on the page; if there is one, the server's log has the traceback the page redacts."""
    shown = browsing.page.locator('[data-testid="stException"]').all_inner_texts()
    if shown:
        log = browsing.server.log_tail()
        pytest.fail(f"{browsing.page.url} shows an exception: {shown[0][:200]}\nserver output (end):\n{log}")


def assert_page_is_clean(browsing, title: str) -> None:
    page = browsing.page
    assert_no_exception(browsing)
    expect(page.locator("h1")).to_have_text(title)
    assert page.get_by_text("Page not found").count() == 0


# --- the paths ----------------------------------------------------------------------------


def test_map_page_first_load(browsing):
    """First load: both roads are drawn on the map, and the page fetched nothing from off the machine."""
    page = open_page(browsing)
    page.wait_for_function(CHARTS_DRAWN)
    # Place names are drawn as text on the map, visible without hovering (SVG text, no font server).
    labels = page.locator(".st-key-map_chart .js-plotly-plot .scattergeo text")
    expect(labels.filter(has_text="Stepanakert")).to_be_visible()
    expect(labels.filter(has_text="Goris")).to_be_visible()
    expect(labels.filter(has_text="ARMENIA")).to_be_visible()
    roads = page.evaluate(ROAD_TRACES)
    assert sorted(t["route_id"] for t in roads) == ["aghdam_askeran", "lachin"]
    legend = page.locator(".st-key-map_chart .legendtext").all_text_contents()
    assert any(t.startswith(f"{LACHIN}: ") for t in legend), legend
    assert any(t.startswith(f"{AGHDAM}: ") for t in legend), legend
    expect(metric(page, "Events in range")).to_have_text(str(expected_events(dt.date.min, dt.date.max)))

    # A Material icon as the tab icon would be fetched from Google's font server; the app
    # sets an emoji page icon so that nothing is.
    assert browsing.offsite == []


# The screen position and ids of the first event mark that stands for a single event.
SINGLE_EVENT_MARK = """() => {
    const gd = document.querySelector('.st-key-map_chart .js-plotly-plot');
    const layers = [...gd.querySelectorAll('.scattergeo')];
    for (let i = 0; i < gd.data.length; i++) {
        const t = gd.data[i];
        if (!t.meta || t.meta.kind !== 'events') continue;
        const points = layers[i].querySelectorAll('path.point');
        for (let j = 0; j < t.customdata.length; j++) {
            if (t.customdata[j].includes(';') || t.customdata[j].includes('|')) continue;
            const r = points[j].getBoundingClientRect();
            return {id: t.customdata[j], x: r.x + r.width / 2, y: r.y + r.height / 2};
        }
    }
    return null;
}"""


def test_a_click_on_a_map_mark_opens_its_record_and_the_camera_saves_a_png(browsing):
    page = open_page(browsing, asof="2023-06-20")
    page.wait_for_function(CHARTS_DRAWN)
    chart = page.locator(".st-key-map_chart")
    shots = os.environ.get("ROUTESTATUS_SCREENSHOTS")
    if shots:  # the README's picture: both roads closed, the Hakari bridge checkpoint active
        page.evaluate("document.fonts.ready.then(() => true)")
        chart.scroll_into_view_if_needed()
        page.screenshot(path=Path(shots) / "map.png")
    chart.hover()
    with page.expect_download() as info:
        chart.locator('.modebar-btn[data-title*="png" i]').first.click()
    assert info.value.suggested_filename.endswith(".png")  # drawn in the page: nothing fetched
    mark = page.evaluate(SINGLE_EVENT_MARK)
    assert mark, "the map marks at least one place with a single event"
    page.mouse.click(mark["x"], mark["y"])
    expect(page.locator("h1")).to_contain_text(mark["id"])
    assert query_of(page).get("event") == [mark["id"]]
    assert browsing.offsite == []


def test_the_map_on_a_phone(browser, server):
    """At 390 × 844: no sideways scrolling, the filters behind a labelled control, the map labelled."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        offsite = []
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost", None)
                else (offsite.append(route.request.url), route.abort())
            ),
        )
        page.goto(server.url("", asof="2023-06-20"), wait_until="domcontentloaded")
        page.wait_for_function(SETTLED)
        page.wait_for_function(CHARTS_DRAWN)
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")
        control = page.locator('[data-testid="stExpandSidebarButton"]')
        expect(control).to_be_visible()
        assert (
            page.evaluate(
                "getComputedStyle(document.querySelector('[data-testid=\"stExpandSidebarButton\"]'), '::after').content"
            )
            == '"Filters"'
        )
        chart = page.locator(".st-key-map_chart")
        expect(chart.locator(".scattergeo text").filter(has_text="Stepanakert")).to_be_visible()
        assert chart.bounding_box()["height"] >= 400  # the map keeps a legible height
        shots = os.environ.get("ROUTESTATUS_SCREENSHOTS")
        if shots:
            page.evaluate("document.fonts.ready.then(() => true)")
            page.screenshot(path=Path(shots) / "map-phone.png", full_page=False)
        control.click()
        expect(page.locator('[data-testid="stSidebar"]').get_by_text("Date range")).to_be_visible()
        assert offsite == []
    finally:
        context.close()


def test_typing_a_date_range_changes_the_count_and_the_status_cards(browsing):
    page = open_page(browsing)
    events = metric(page, "Events in range")
    expect(events).to_have_text(str(expected_events(dt.date.min, dt.date.max)))  # default: the whole record
    before = (status_card(page, LACHIN).inner_text(), status_card(page, AGHDAM).inner_text())

    # The field is one segment per year, month and day; typing fills a segment and moves to the
    # next, Tab goes from the start date to the end date, Escape (or leaving the field) commits.
    page.locator(".st-key-flt_range").get_by_role("spinbutton", name="year, Date range start date").click()
    page.keyboard.type("2023-01-01")
    page.keyboard.press("Tab")
    page.keyboard.type("2023-01-31")
    page.keyboard.press("Escape")

    lo, hi = D("2023-01-01"), D("2023-01-31")
    expect(events).to_have_text(str(expected_events(lo, hi)))
    # tests/test_status.py: Lachin humanitarian only from 12 Dec 2022 to 14 Jun 2023, Aghdam closed all of H1 2023.
    expect(status_card(page, LACHIN)).to_have_text("Humanitarian only")
    expect(status_card(page, AGHDAM)).to_have_text("Closed")
    assert before != ("Humanitarian only", "Closed")
    assert expected_events(lo, hi) != expected_events(dt.date.min, dt.date.max)
    page.wait_for_function(SETTLED)
    assert date_range_shown(page) == "2023-01-01–2023-01-31"
    assert query_of(page) == {"from": ["2023-01-01"], "to": ["2023-01-31"]}


def test_events_csv_download_is_byte_for_byte_the_command_line_snapshot(browsing, tmp_path):
    lo, hi = "2023-09-01", "2023-09-30"
    page = open_page(browsing, "status-timeline", **{"from": lo, "to": hi, "roads": "lachin"})
    with page.expect_download() as info:
        page.locator(".st-key-events_download").get_by_role("button", name="Download CSV").click()
    download = info.value
    assert download.failure() is None
    name = download.suggested_filename
    assert name.endswith(".csv") and f"{lo}_{hi}" in name and "lachin" in name, name
    from_app = tmp_path / "app" / name
    download.save_as(from_app)

    from_cli = tmp_path / "cli.csv"
    command = [sys.executable, "-m", "routestatus", "snapshot", "--from", lo, "--to", hi, "--route", "lachin"]
    done = subprocess.run(
        [*command, "--table", "events", "--out", str(from_cli)],
        cwd=PROJECT,
        env={**os.environ, "ROUTESTATUS_ROOT": str(browsing.server.root)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert from_app.read_bytes() == from_cli.read_bytes()
    rows = list(csv.DictReader(io.StringIO(from_app.read_bytes().decode("utf-8-sig"), newline="")))
    assert len(rows) == expected_events(D(lo), D(hi), road="lachin") > 0


def test_typing_a_search_filters_the_timelines_events_table(browsing):
    page = open_page(browsing, "status-timeline")
    everything = len(expected_search("")[0])
    expect(page.locator("h3", has_text="Events (")).to_have_text(f"Events ({everything})")
    box = page.locator(".st-key-flt_q input")
    box.click()
    box.fill("Hakari")
    box.press("Enter")
    events, statements = expected_search("Hakari")
    assert 0 < len(events) < everything
    expect(page.locator("h3", has_text="Events (")).to_have_text(f"Events ({len(events)})")
    expect(page.get_by_text(f"{len(events)} events and {len(statements)} statement")).to_be_visible()
    page.wait_for_function(SETTLED)
    assert query_of(page).get("q") == ["Hakari"]
    screenshot(page, "search")
    # The table holds exactly those rows: its CSV is downloaded and read back.
    with page.expect_download() as info:
        page.locator(".st-key-events_download").get_by_role("button", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_bytes().decode("utf-8-sig"), newline="")))
    assert {r["event_id"] for r in rows} == events
    assert_no_exception(browsing)


def test_a_copied_record_link_opens_that_record_on_a_fresh_tab(browsing):
    # The fixture is a fresh browser context, one that has never opened the dashboard: a link
    # shared by someone else, opened in a new tab.
    event = next(r for r in read("events") if r["event_id"] == "E025")
    page = open_page(browsing, event="E025")
    expect(page.locator("h1")).to_contain_text("E025")
    expect(page.get_by_text(event["summary"], exact=False).first).to_be_visible()
    back = page.get_by_role("button", name="Back to Map")
    expect(back).to_be_visible()
    cite = page.locator('[data-testid="stCode"]').filter(has_text="event E025")
    expect(cite).to_contain_text("routestatus curated dataset, version ")
    expect(cite).to_contain_text("?event=E025&v=")
    assert query_of(page).get("event") == ["E025"]  # the address still names the record
    screenshot(page, "record")
    back.click()
    # The record's heading stays, greyed, until the Map's run ends: wait for it to go before
    # asking for the one heading (two at once is a strict-mode error, raised at once).
    expect(page.locator("h1", has_text="E025")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("Where could traffic pass?")
    page.wait_for_function(SETTLED)
    assert "event" not in query_of(page)
    assert browsing.offsite == []
    assert browsing.unexplained_errors() == []


def test_the_cite_box_gives_the_views_citation_and_link(browsing):
    page = open_page(browsing, "status-timeline", q="Hakari", **{"from": "2022-12-12", "to": "2023-09-30"})
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Cite this view").click()
    cite = sidebar.locator('[data-testid="stCode"]')
    expect(cite).to_contain_text("routestatus curated dataset, version ")
    expect(cite).to_contain_text("Hakari")
    link = sidebar.get_by_role("link", name="Link to this view")
    href = link.get_attribute("href")
    assert parse_qs(urlsplit(href).query).get("q") == ["Hakari"], href
    assert href.startswith(browsing.url("status-timeline")), href
    cite.scroll_into_view_if_needed()
    shots = os.environ.get("ROUTESTATUS_SCREENSHOTS")
    if shots:
        sidebar.screenshot(path=Path(shots) / "cite.png")


def test_a_copied_link_opens_the_range_it_names(browsing):
    query = {"from": "2023-09-01", "to": "2023-09-27"}
    page = open_page(browsing, **query)
    assert date_range_shown(page) == "2023-09-01–2023-09-27"
    expect(metric(page, "Events in range")).to_have_text(str(expected_events(D("2023-09-01"), D("2023-09-27"))))
    # tests/test_status.py: on 27 Sep 2023 Lachin is outbound only and the Aghdam road restricted.
    expect(status_card(page, LACHIN)).to_have_text("Outbound only")
    expect(status_card(page, AGHDAM)).to_have_text("Restricted")
    assert page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]').count() == 0  # no "ignored" notice
    assert query_of(page) == {k: [v] for k, v in query.items()}


def test_every_page_opens_cleanly_by_address_and_by_the_sidebar(browsing):
    page = browsing.page
    for name, path, _, title in PAGES:
        open_page(browsing, path)
        assert_page_is_clean(browsing, title)
        if name != "map":  # the map is photographed on a day with sites active, below
            screenshot(page, name)
    # From a shared link, every page reached by the sidebar keeps the link's view.
    view = {"from": "2022-12-01", "to": "2023-06-30", "roads": "lachin"}
    open_page(browsing, **view)
    nav = page.locator('[data-testid="stSidebarNav"]')
    for _, path, label, title in reversed(PAGES):
        nav.get_by_role("link", name=label, exact=True).click()
        expect(page).to_have_url(re.compile("^" + re.escape(browsing.url(path)) + r"(\?.*)?$"))
        expect(page.locator("h1")).to_have_text(title)
        page.wait_for_function(SETTLED)
        assert_page_is_clean(browsing, title)
        assert query_of(page) == {k: [v] for k, v in view.items()}, (label, page.url)
    assert browsing.unexplained_errors() == []
    assert browsing.offsite == []  # no page, by address or by link, fetched anything off the machine


def test_a_statement_with_html_and_markdown_is_shown_as_text(hostile_browsing, hostile):
    statement = hostile.statement
    day = D(statement["date"])
    lo, hi = day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    page = open_page(hostile_browsing, "road-statements", **{"from": str(lo), "to": str(hi), "roads": "lachin"})
    group = page.locator('[data-testid="stExpander"]').filter(has_text=statement["statement_id"])
    expect(group).to_have_count(1)
    if group.locator("details[open]").count() == 0:
        group.locator("summary").click()
    quote = group.locator("blockquote").filter(has_text="[click me]")
    expect(quote).to_be_visible()
    expect(quote).to_have_text(hostile.quote)
    quote.click()  # clicking where the injected link would be does nothing

    assert quote.locator("img, script, a, strong, em").count() == 0
    assert page.locator('img[src="x"], img[onerror]').count() == 0
    assert page.evaluate("() => [...document.scripts].filter(s => s.text.includes('__pwned')).length") == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert hostile_browsing.page_errors == []
