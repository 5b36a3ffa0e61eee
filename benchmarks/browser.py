"""What the reader feels: the dashboard in headless Chromium, each figure beside a floor.

Two figures, each measured on the project's server and on a floor's server (any Streamlit
script with a date range input keyed ``flt_range``, e.g. ``baseline_app.py`` or a floor that
replays the project's own output), in turns so both share the machine's noise:

- ``browser_date_to_settled.<page>`` for the Map, Timeline and Statements: a new end date
  typed into the sidebar's date range (the start stays the record's first day), from the
  key press that commits it to the page settled: the script's run over (the app's
  ``data-test-script-state`` back to ``notRunning`` after a run), no stale element or
  loading skeleton left, every plotly chart laid out, and then nothing in the page changing
  for two animation frames (so a chart's drawing, and the frame that paints it, are in);
- ``browser_link_to_map``: a link to the Map carrying a view (``?from=...&to=...``) opened in
  a new tab, from the navigation's start to the first complete map: the same settled page
  with the map's traces drawn. Routing requests (to keep the browser offline) turns
  Chromium's HTTP cache off, so every link loads as on a first visit: the front end's
  scripts are fetched and compiled each time, on both sides (``details["boot"]``).

Both are read by the page's own clock (``performance.now()``) at the frame the page became
still, so the time Playwright takes to send the key press or to notice the result is not in
them. Every timed range is new (:func:`plan` lists them, warm-ups included, so a floor that
replays captured output can be captured for exactly these ranges), the same ranges go to the
project and its floor, the sides take turns going first, and each figure is the median of
``repeat`` runs. The project's tab moves from page to page by its sidebar links, as a
reader's does; a floor is one page at its root.

The browser is Debian's Chromium (``/usr/bin/chromium`` or ``$CHROMIUM_PATH``), never a
downloaded one, and it stays offline: every request for a host other than 127.0.0.1 is
aborted and counted (``details["offsite"]``). Usage::

    python benchmarks/browser.py [--sizes curated,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DASHBOARD = PROJECT / "dashboard.py"
BASELINE = HERE / "baseline_app.py"
CHROMIUM_DEFAULT = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
VIEWPORT = {"width": 1400, "height": 1000}  # the end-to-end tests' window
# Page key -> the project's address for it (pages/app/navigation.py). A floor is one page at "/".
PAGES = {"map": "", "timeline": "status-timeline", "statements": "road-statements"}
LABELS = {"map": "Map", "timeline": "Timeline", "statements": "Statements"}  # their sidebar links
SERVER_START_TIMEOUT = 120.0  # seconds; a cold start on a busy 2-core machine imports pandas, plotly, geopandas
SETTLE_TIMEOUT = 120_000  # milliseconds one run may take to settle before the measurement fails
QUIET_FRAMES = 2  # animation frames without any change in the page that make it "settled"

# Every typed range starts on the record's first day; the ends step back from TYPED_LAST_END so
# no range is asked for twice (a cached answer is not what a reader's new range costs). The
# dates lie inside both the curated record and generated data (2020-11-10 to 2023-11-23).
TYPED_LAST_END = dt.date(2023, 10, 31)
LINK_START = dt.date(2022, 12, 12)
LINK_LAST_END = dt.date(2023, 9, 19)
STEP = dt.timedelta(days=3)
WARMUPS = 1  # untimed runs per page and side before the timed ones


class BrowserMissing(RuntimeError):
    """No Chromium or no Playwright for Python: the browser figures cannot be measured here."""


# --- the plan: which ranges are typed and linked ------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Every range the runs use, warm-ups first; ``ranges(page)`` is what that page's floor must answer."""

    typed: dict[str, list[tuple[dt.date, dt.date]]]  # page -> ranges typed into the date field
    links: list[tuple[dt.date, dt.date]]  # ranges of the Map links opened

    def ranges(self, page: str) -> list[tuple[dt.date, dt.date]]:
        """The ranges the floor of ``page`` is shown, in order (the Map's floor also opens the links)."""
        return [*self.typed.get(page, []), *(self.links if page == "map" else [])]


def record_first_day(root: Path) -> dt.date:
    """The first day of the record in ``root``: the date field's default start on the project's pages.

    As :func:`routestatus.status.record_span` has it: the earliest start or end of an event
    not retracted (an end is never before its start, so the earliest start).
    """
    with open(Path(root) / "data" / "events.csv", encoding="utf-8", newline="") as f:
        days = [row["date_start"] for row in csv.DictReader(f) if row["retracted"].strip().lower() != "true"]
    return dt.date.fromisoformat(min(d for d in days if d))


def plan(root: Path, repeat: int, pages: tuple[str, ...] = tuple(PAGES), warmups: int = WARMUPS) -> Plan:
    """The ranges of a run on ``root`` with ``repeat`` timed runs per figure: all distinct.

    Only the end date is typed; the start stays the record's first day, the field's default.
    """
    first = record_first_day(root)
    per_page = warmups + repeat
    typed = {}
    for i, page in enumerate(pages):
        ends = [TYPED_LAST_END - STEP * (i * per_page + k) for k in range(per_page)]
        typed[page] = [(first, end) for end in ends]
    links = [(LINK_START, LINK_LAST_END - STEP * k) for k in range(per_page)]
    return Plan(typed, links)


# --- servers -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A Streamlit server this module started, in a process group of its own."""

    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        """The server's root address."""
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str = "", query: dict[str, str] | None = None) -> str:
        """The address of ``path`` with ``query``."""
        return self.base + path + (f"?{urlencode(query)}" if query else "")

    def log_tail(self, lines: int = 30) -> str:
        """The end of what the server printed."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server's process group (Streamlit may start children), by its own id."""
        if self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


def _start(name: str, command: list[str], env: dict[str, str], logs: Path) -> Server:
    """Launch a server on a free loopback port; its readiness is awaited by :func:`_wait_ready`."""
    port = _free_port()
    log = logs / f"{name}-{port}.log"
    args = [*command, "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true"]
    with open(log, "wb") as out:
        # cwd is the project, so its .streamlit/config.toml applies to every server alike.
        process = subprocess.Popen(
            args,
            cwd=PROJECT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name, port, process, log)


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with status {server.process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.base + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{server.name} did not answer within {SERVER_START_TIMEOUT:.0f} s:\n{server.log_tail()}"
            )
        time.sleep(0.2)


# --- the browser -----------------------------------------------------------------------------


def chromium_path() -> str:
    """Debian's Chromium, or ``$CHROMIUM_PATH``; :class:`BrowserMissing` when it or Playwright is absent."""
    wanted = os.environ.get("CHROMIUM_PATH") or CHROMIUM_DEFAULT
    found = shutil.which(wanted)
    if found is None:
        raise BrowserMissing(f"no Chromium at {wanted} (apt-get install chromium, or set CHROMIUM_PATH)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        raise BrowserMissing('Playwright for Python is not importable (pip install -e ".[test]")') from error
    return found


# Installed in every document before its own scripts run. It keeps, on the page's own clock,
# every change of the script's run state, the time of the last change anywhere in the page,
# the last key press that commits a date, and each chart's last draw, and offers ``settle``:
# a promise of the first frame at which the page is ready and then stays unchanged for
# QUIET_FRAMES frames. Playwright's polling would add its own delay to every reading.
PROBE = """
(() => {
  if (window.top !== window || window.__bench) return;
  const b = window.__bench = {runs: [], state: null, changes: 0, commit: null, draws: 0};
  const hook = gd => {
    if (gd.__benchHooked || typeof gd.on !== "function") return;
    gd.__benchHooked = true;
    const drawn = () => { gd.__benchDrawn = performance.now(); b.draws++; };
    gd.on("plotly_afterplot", drawn);
    gd.on("plotly_react", drawn);
  };
  const observe = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app ? app.dataset.testScriptState : null;
    if (state !== b.state) { b.state = state; b.runs.push([state, performance.now()]); }
    document.querySelectorAll(".js-plotly-plot").forEach(hook);
  };
  new MutationObserver(() => { b.changes++; observe(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  document.addEventListener("keydown", e => {
    if (e.key === "Escape" || e.key === "Enter") b.commit = performance.now();
  }, true);
  const ready = (since, opts) => {
    if (b.state !== "notRunning") return false;
    if (!b.runs.some(([s, t]) => t >= since && s === "running")) return false;
    if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
    const plots = [...document.querySelectorAll(".js-plotly-plot")];
    for (const gd of plots) {
      if (!gd._fullLayout || !gd.querySelector(".main-svg")) return false;
    }
    if (opts.map) {
      const maps = plots.filter(gd => gd._fullLayout.geo && gd.data && gd.data.length > 0
                                      && gd.querySelector(".geolayer .trace"));
      if (maps.length === 0) return false;
    }
    return plots.length >= (opts.plots || 0);
  };
  b.settle = (since, opts) => new Promise(resolve => {
    let seen = b.changes, candidate = null, quiet = 0;
    const deadline = performance.now() + opts.timeout;
    const frame = () => {
      observe();
      const now = performance.now();
      if (b.changes !== seen) { seen = b.changes; candidate = null; quiet = 0; }
      if (candidate === null) { if (ready(since, opts)) candidate = now; }
      else if (++quiet >= opts.quiet) {
        const plots = [...document.querySelectorAll(".js-plotly-plot")];
        const ours = b.runs.filter(([, t]) => t >= since);
        const done = ours.filter(([s]) => s === "notRunning").pop();
        resolve({settled: candidate, since, commit: b.commit, plots: plots.length,
                 first_run: ours.find(([s]) => s === "running")[1], script_done: done[1],
                 redrawn: plots.every(gd => gd.__benchDrawn >= since)});
        return;
      }
      if (now > deadline) {
        resolve({timeout: true, state: b.state, runs: b.runs.slice(-6), since,
                 plots: [...document.querySelectorAll(".js-plotly-plot")].map(gd => gd.__benchDrawn || null)});
        return;
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
})();
"""


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS


@dataclass
class Side:
    """One server (the project's or a floor's) and the browser context that talks to it."""

    name: str
    server: Server
    context: Any = None
    offsite: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    tab: Any = None  # the tab the date runs type into, kept from page to page

    def open(self, browser) -> None:
        """Open the browser context: offline, with the probe in every document."""
        # A context per server: Streamlit's XSRF cookie is per host, not per port.
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(SETTLE_TIMEOUT)
        self.context.add_init_script(PROBE)

        def guard(route) -> None:
            if _is_local(route.request.url):
                route.continue_()
            else:
                self.offsite.append(route.request.url)
                route.abort("blockedbyclient")

        self.context.route("**/*", guard)

    def new_page(self):
        """A new tab, its uncaught errors and any socket to another host recorded."""
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        # A socket cannot be routed; one to another host is still counted.
        page.on("websocket", lambda ws: None if _is_local(ws.url) else self.offsite.append(ws.url))
        return page


def _settle(page, since: float, *, map_: bool = False) -> dict[str, Any]:
    """The probe's reading of the first still, ready frame after ``since`` (page clock, ms); fails on timeout."""
    options = {"map": map_, "quiet": QUIET_FRAMES, "timeout": SETTLE_TIMEOUT}
    result = page.evaluate("([since, opts]) => window.__bench.settle(since, opts)", [since, options])
    if result.get("timeout"):
        raise RuntimeError(f"{page.url} did not settle within {SETTLE_TIMEOUT / 1000:.0f} s: {result}")
    return result


def _open(side: Side, path: str = "", query: dict[str, str] | None = None, *, map_: bool = False):
    """A new tab on ``side`` at ``path``; returns the tab and its settle reading, times from navigation start.

    ``performance.now()`` counts from the navigation's start (the document's time origin).
    """
    page = side.new_page()
    page.goto(side.server.url(path, query), wait_until="commit")
    return page, _settle(page, 0.0, map_=map_)


def _go(side: Side, page_key: str, label: str, *, map_: bool) -> None:
    """Put ``side``'s tab on ``page_key``: the project's by its sidebar link (no reload), a floor's once."""
    if side.tab is None:
        side.tab, _ = _open(side, PAGES[page_key] if side.name == "project" else "", map_=map_)
    elif side.name == "project":
        before = side.tab.evaluate("performance.now()")
        side.tab.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=label, exact=True).click()
        _settle(side.tab, before, map_=map_)


# What floor_same.py shows for a range it has no capture of: a floor drawing that instead of
# the page would be timed as if it were the page.
UNCAPTURED = "No run was captured for the range"


def _drew_a_capture(page) -> None:
    """Fail when ``page`` (a floor's tab) shows no captured run but the notice that it has none."""
    if page.get_by_text(UNCAPTURED).count():
        raise RuntimeError(f"{page.url}: the floor has no capture of this range ({UNCAPTURED.lower()})")


def _shown_range(page) -> str:
    field_ = page.locator('.st-key-flt_range [data-testid="stDateInputField"]')
    return "".join(field_.inner_text().split())


def _type_end(page, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Type ``end`` as the end of the sidebar's date range and commit it; the seconds from the commit to settled.

    The field is one segment per year, month and day: typing fills a segment and moves on,
    and Escape commits (as tests/e2e type it). Also returned: how many runs started while
    typing, before the commit (none is expected: a run then would be timed short), and
    whether every chart drew again after the commit.
    """
    page.bring_to_front()
    typing = page.evaluate("performance.now()")
    for attempt in range(TYPING_ATTEMPTS):
        page.locator(".st-key-flt_range").get_by_role("spinbutton", name="year, Date range end date").click()
        page.keyboard.type(end.isoformat())
        before = page.evaluate("performance.now()")
        page.keyboard.press("Escape")
        # Now and then the commit starts no run at all (the keys went nowhere, and the field
        # shows the old range): typed again, once, and said in the result, rather than
        # waiting out the settle timeout on a page that will never change.
        if attempt + 1 == TYPING_ATTEMPTS or _run_started(page, before):
            break
    result = _settle(page, before)
    commit = result["commit"] if result["commit"] is not None and result["commit"] >= before else before
    early = page.evaluate(
        "([a, b]) => window.__bench.runs.filter(([s, t]) => s === 'running' && t >= a && t < b).length",
        [typing, commit],
    )
    _drew_a_capture(page)  # first: without a capture, the floor draws no date field to read
    shown = _shown_range(page)
    if shown != f"{start}–{end}":
        raise RuntimeError(f"{page.url}: typed the range {start}–{end}, the field shows {shown}")
    return {
        "seconds": (result["settled"] - commit) / 1000,
        "script_done": (result["script_done"] - commit) / 1000,
        "early_runs": early,
        "redrawn": result["redrawn"],
        "typed": attempt + 1,
    }


TYPING_ATTEMPTS = 3  # a make bench at curated size once met two commits in a row that started no run
RUN_START_WAIT = 10_000  # ms after a commit for its run to start before it is typed again


def _run_started(page, since: float) -> bool:
    """Whether a script run starts within :data:`RUN_START_WAIT` ms of ``since`` (page clock)."""
    try:
        page.wait_for_function(
            "since => window.__bench.runs.some(([s, t]) => s === 'running' && t >= since)",
            arg=since,
            timeout=RUN_START_WAIT,
        )
    except Exception:  # noqa: BLE001  (Playwright's TimeoutError: no run started)
        return False
    return True


# --- the measurements ------------------------------------------------------------------------


def _summary(samples: list[float]) -> dict[str, float] | None:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)} if samples else None


def _figure(name: str, size: str, project: list[float], baseline: list[float], **details: Any) -> dict[str, Any]:
    ratio = statistics.median(project) / statistics.median(baseline) if project and baseline else None
    return {
        "figure": name,
        "size": size,
        "unit": "s",
        "project": project,
        "baseline": baseline,
        "details": {"ratio_of_medians": ratio, **details},
    }


def _date_runs(
    page_key: str, project: Side, floor: Side | None, ranges, warmups: int
) -> dict[str, list[dict[str, Any]]]:
    """Warm-ups, then one timed commit per range on each side, alternating which side goes first.

    Returns, per side name, the timed runs as :func:`_type_end` reports them.
    """
    sides = [s for s in (project, floor) if s is not None]
    for side in sides:
        _go(side, page_key, LABELS[page_key], map_=page_key == "map" and side is project)
    runs: dict[str, list[dict[str, Any]]] = {s.name: [] for s in sides}
    for i, (start, end) in enumerate(ranges):
        for side in sides if i % 2 == 0 else sides[::-1]:
            run = _type_end(side.tab, start, end)
            if i >= warmups:
                runs[side.name].append(run)
    return runs


def _link_runs(project: Side, floor: Side | None, ranges, warmups: int) -> dict[str, list[dict[str, float]]]:
    """Each link opened once per side in a new tab, alternating which side goes first.

    Returns, per side name, the timed runs: ``seconds`` from navigation start to the first
    complete map, and ``boot``, the part of it before the script's first run started (the
    front end loaded and connected: the same code on both sides).
    """
    sides = [s for s in (project, floor) if s is not None]
    runs: dict[str, list[dict[str, float]]] = {s.name: [] for s in sides}
    for i, (start, end) in enumerate(ranges):
        for side in sides if i % 2 == 0 else sides[::-1]:
            page, result = _open(side, "", {"from": start.isoformat(), "to": end.isoformat()}, map_=True)
            _drew_a_capture(page)
            page.close()
            if i >= warmups:
                runs[side.name].append(
                    {
                        "seconds": result["settled"] / 1000,
                        "boot": result["first_run"] / 1000,
                        "script_done": result["script_done"] / 1000,
                    }
                )
    return runs


def _median_or_none(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def measure_browser(
    root: Path,
    size: str,
    repeat: int,
    floors: dict[str, tuple[Path, dict[str, str]]] | None = None,
    pages: tuple[str, ...] = tuple(PAGES),
    warmups: int = WARMUPS,
) -> list[dict[str, Any]]:
    """The browser figures for the data folder ``root`` (labelled ``size``), ``repeat`` timed runs each.

    ``floors`` maps a page key (``map``, ``timeline``, ``statements``) to the floor it is
    measured against: a Streamlit script and extra environment (``ROUTESTATUS_ROOT`` is set
    to ``root`` for every server). Pages sharing a script and environment share one server
    and one tab. A page without a floor gets an empty ``baseline``; the link figure uses the
    Map's floor. The default is ``baseline_app.py`` for every page. The ranges typed and
    linked are ``plan(root, repeat, pages, warmups)``'s, so a floor replaying captured
    output can be captured for them first. Raises :class:`BrowserMissing` when there is no
    browser to drive, ``RuntimeError`` when a server does not start or a page does not settle.
    """
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    floors = {p: (BASELINE, {}) for p in pages} if floors is None else floors
    steps = plan(root, repeat, pages, warmups)
    env = {"ROUTESTATUS_ROOT": str(Path(root).resolve())}
    servers: list[Server] = []
    sides: list[Side] = []
    figures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as logs:
        try:
            project = Side("project", _start("project", [sys.executable, str(DASHBOARD)], env, Path(logs)))
            servers.append(project.server)
            sides.append(project)
            floor_of: dict[str, Side] = {}
            by_key: dict[tuple, Side] = {}
            for page_key, (script, floor_env) in floors.items():
                key = (str(script), tuple(sorted(floor_env.items())))
                if key not in by_key:
                    name = f"floor{len(by_key)}"
                    command = [sys.executable, "-m", "streamlit", "run", str(script)]
                    server = _start(name, command, {**env, **floor_env}, Path(logs))
                    servers.append(server)
                    by_key[key] = Side(name, server)
                    sides.append(by_key[key])
                floor_of[page_key] = by_key[key]
            for server in servers:  # started together, awaited together: their imports overlap
                _wait_ready(server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
                try:
                    for side in sides:
                        side.open(browser)
                    for page_key in pages:
                        floor = floor_of.get(page_key)
                        runs = _date_runs(page_key, project, floor, steps.typed[page_key], warmups)
                        ours, theirs = runs[project.name], runs[floor.name] if floor else []
                        figures.append(
                            _figure(
                                f"browser_date_to_settled.{page_key}",
                                size,
                                [r["seconds"] for r in ours],
                                [r["seconds"] for r in theirs],
                                floor=str(floors[page_key][0]) if floor else None,
                                ranges=[f"{a}–{b}" for a, b in steps.typed[page_key][warmups:]],
                                # Runs started while typing, before the commit (expected: none), and
                                # timed runs after which some chart had not drawn again (its figure
                                # did not change), per side: [project, floor].
                                early_runs=[sum(r["early_runs"] for r in rs) for rs in (ours, theirs)],
                                not_redrawn=[sum(not r["redrawn"] for r in rs) for rs in (ours, theirs)],
                                # Median seconds from the commit to the script's run over (the
                                # rest, to settled, is the page drawing what it was sent).
                                script_done=[_median_or_none([r["script_done"] for r in rs]) for rs in (ours, theirs)],
                            )
                        )
                    floor = floor_of.get("map")
                    runs = _link_runs(project, floor, steps.links, warmups)
                    ours, theirs = runs[project.name], runs[floor.name] if floor else []
                    figures.append(
                        _figure(
                            "browser_link_to_map",
                            size,
                            [r["seconds"] for r in ours],
                            [r["seconds"] for r in theirs],
                            floor=str(floors["map"][0]) if floor else None,
                            links=[f"?from={a}&to={b}" for a, b in steps.links[warmups:]],
                            # Median seconds before the script's first run started: the front end
                            # loading and connecting, which is the same code on both sides.
                            boot=[_median_or_none([r["boot"] for r in rs]) for rs in (ours, theirs)],
                            # ... and to the end of that run (the rest is drawing).
                            script_done=[_median_or_none([r["script_done"] for r in rs]) for rs in (ours, theirs)],
                        )
                    )
                    offsite = sorted({u for side in sides for u in side.offsite})
                    errors = [f"{side.name}: {e}" for side in sides for e in side.errors]
                    for figure in figures:
                        figure["details"].update(offsite=len(offsite), offsite_urls=offsite[:10], page_errors=errors)
                finally:
                    for side in sides:
                        if side.context is not None:
                            with contextlib.suppress(Exception):
                                side.context.close()
                    browser.close()
        finally:
            for server in servers:
                server.stop()
    return figures


# --- the command line ------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f} ms"


def table(figures: list[dict[str, Any]]) -> str:
    """A plain-text table: medians of the project and its floor, and their ratio."""
    rows = [("figure", "size", "project", "floor", "ratio")]
    for f in figures:
        ours, theirs = _summary(f["project"]), _summary(f["baseline"])
        ratio = f["details"].get("ratio_of_medians")
        rows.append(
            (
                f["figure"],
                f["size"],
                _ms(ours and ours["median"]),
                _ms(theirs and theirs["median"]),
                "-" if ratio is None else f"{ratio:.2f}x",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


def _generate(out_dir: Path, size: str) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_generate", HERE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(out_dir, size if size == "curated" else int(size))


@contextlib.contextmanager
def _data(size: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=f"bench-data-{size}-") as tmp:
        yield _generate(Path(tmp) / "data-root", size)


def main(argv: list[str] | None = None) -> int:
    """Measure the sizes asked for against ``baseline_app.py`` and print the table; 2 without a browser."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="curated", help="comma-separated: curated and/or event counts")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per figure and side")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if any(s != "curated" and not s.isdigit() for s in sizes) or args.repeat < 1:
        parser.error("sizes are 'curated' or event counts; --repeat is at least 1")
    try:
        chromium_path()
    except BrowserMissing as error:
        print(f"no browser figures: {error}", file=sys.stderr)
        return 2
    figures = []
    for size in sizes:
        with _data(size) as root:
            figures += measure_browser(root, size, args.repeat)
    print(table(figures))
    offsite = max((f["details"]["offsite"] for f in figures), default=0)
    print(f"requests off the machine (aborted): {offsite}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
