"""The dashboard served to a team: two real replicas behind a real nginx (deploy/).

Every test talks to the proxy only, as a reader's browser would: with credentials, keeping
the affinity cookie the proxy sets, over Streamlit's own WebSocket (tests/serving.py) or in
headless Chromium. nginx's access log says which replica answered. Expected counts come from
the CSV files by the documented rule (tests/expected.py), not from the app.

Skipped with the reason when nginx is missing, unless ``ROUTESTATUS_REQUIRE_PROXY=1`` (set by
.ci/run), which fails them instead. Each test stops every process it started, by its own id.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest

from deploy import team
from tests.expected import expected_events, read
from tests.proxied import Proxied, Tab, get, make_password_file, skip_or_fail_without_proxy, start_proxied
from tests.serving import PROJECT, Run, _free_port

pytestmark = pytest.mark.proxy

D = dt.date.fromisoformat
ROADS = ("lachin", "aghdam_askeran")
LIVE = [r for r in read("events") if r["retracted"] == "false"]
FIRST = min(D(r["date_start"]) for r in LIVE)


@pytest.fixture(scope="module", autouse=True)
def _nginx_is_present():
    skip_or_fail_without_proxy()


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> Proxied:
    """Two replicas on the project's data behind nginx, shared by the tests that change nothing."""
    skip_or_fail_without_proxy()
    started = start_proxied(tmp_path_factory.mktemp("proxied"), PROJECT)
    yield started
    started.stop()


def in_thread(coroutine, timeout: float = 300):
    """Run ``coroutine`` on an event loop of its own thread, and return its result.

    When the browser suite ran first in this process, Playwright's loop is still running on
    the main thread, and a second loop cannot be started there.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(coroutine, timeout)).result()


def link(start: dt.date, end: dt.date, roads: list[str]) -> dict[str, str]:
    """A link's query for a range and roads."""
    return {"from": str(start), "to": str(end), "roads": ",".join(roads)}


def expected(start: dt.date, end: dt.date, roads: list[str]) -> int:
    """Events in range by the documented rule (one road, or both)."""
    return expected_events(start, end, road=roads[0] if len(roads) == 1 else None)


def assert_clean(run: Run, context) -> None:
    """The run finished, with no exception, error or warning on the page."""
    assert run.finished == "FINISHED_SUCCESSFULLY" and not run.exceptions, (run.exceptions, context)
    assert not [a for a in run.alerts if a[0] in ("ERROR", "WARNING")], (run.alerts, context)


def version(run: Run) -> str:
    """The dataset version ``v`` the run wrote into the address bar."""
    return parse_qs(run.query_string).get("v", [""])[0]


def replicas_of(proxied: Proxied, key: str) -> set[int]:
    """The replicas that answered the requests carrying the affinity ``key``."""
    return {e.replica_port for e in proxied.log() if e.key == key and e.replica_port is not None}


def assert_no_traceback(proxied: Proxied) -> None:
    for replica in proxied.replicas:
        assert "Traceback" not in replica.log_tail(10_000), proxied.replica_logs()


# --- many sessions ----------------------------------------------------------------------------

SESSIONS = 40


def _view(i: int) -> tuple[dt.date, dt.date, list[str]]:
    """Session ``i``'s own range and roads; no two sessions share a view."""
    start = FIRST + dt.timedelta(days=1 + 20 * i)
    end = start + dt.timedelta(days=20 + 7 * i)
    return start, end, [ROADS[i % 2]] if i % 3 else list(ROADS)


def test_forty_sessions_through_the_proxy_each_see_their_own_rows_on_both_replicas(proxied):
    """Forty tabs at once, each with its own link: its own rows, no error, spread over both replicas."""
    views = [_view(i) for i in range(SESSIONS)]
    tabs = [Tab(proxied) for _ in views]
    for tab in tabs:  # the address bar's request: the page, and the affinity cookie with it
        page = tab.load()
        assert page.status == 200 and b'id="root"' in page.body, page.status
        assert tab.cookie, page.headers

    async def one(tab: Tab, start, end, roads):
        async with tab.session() as session:
            first = await session.run("", **link(start, end, roads))
            second = await session.run("status-timeline")  # the sidebar's link: no query, the view kept
            return session.session_id, first, second

    async def everyone():
        return await asyncio.gather(*(one(tab, *view) for tab, view in zip(tabs, views, strict=True)))

    results = in_thread(everyone())
    assert len({session_id for session_id, _, _ in results}) == SESSIONS
    for (start, end, roads), (_, first, second) in zip(views, results, strict=True):
        count, context = expected(start, end, roads), (start, end, roads)
        for run in (first, second):
            assert_clean(run, context)
            query = parse_qs(run.query_string)
            assert len(query.pop("v", [""])[0]) == 12, run.query_string
            shown = {"from": [str(start)], "to": [str(end)]} | ({"roads": roads} if len(roads) == 1 else {})
            assert query == shown, (run.query_string, context)
        assert first.metrics["Events in range"] == str(count), context
        assert f"Events ({count})" in second.headings, (second.headings, context)

    # Affinity: every request of a tab (its page and its WebSocket) reached one replica, and
    # the WebSocket was upgraded there (101).
    log = proxied.log()
    placed = {}
    for tab in tabs:
        mine = [e for e in log if e.key == tab.cookie]
        streams = [e for e in mine if e.path == "/_stcore/stream"]
        assert len(streams) == 1 and streams[0].status == 101, streams
        assert len({e.replica_port for e in mine}) == 1, mine
        placed[tab.cookie] = streams[0].replica_port
    per_replica = {r.port: list(placed.values()).count(r.port) for r in proxied.replicas}
    # A fair coin puts fewer than 8 of 40 on one side about once in 100,000 runs.
    assert all(n >= 8 for n in per_replica.values()), per_replica
    assert all(r.process.poll() is None for r in proxied.replicas)
    assert_no_traceback(proxied)


# --- sign-in ----------------------------------------------------------------------------------


def test_without_credentials_the_proxy_answers_401_and_serves_nothing(proxied):
    import websockets

    before = len(proxied.log())
    wrong = {"Authorization": proxied.authorization("not-the-password")}
    for headers in ({}, wrong):
        for path in ("", "status-timeline", "_stcore/health", "_stcore/host-config", "static/js/"):
            answer = get(proxied, path, headers)
            assert answer.status == 401, (path, answer.status)
            assert answer.header("WWW-Authenticate") == 'Basic realm="routestatus"', answer.headers
            assert b"streamlit" not in answer.body.lower() and b'id="root"' not in answer.body, answer.body[:200]

    async def refused(headers):
        try:
            async with websockets.connect(
                f"ws://127.0.0.1:{proxied.port}/_stcore/stream", subprotocols=["streamlit"], **_headers(headers)
            ):
                return None
        except websockets.exceptions.InvalidHandshake as error:
            return error

    for headers in ({}, wrong):
        error = in_thread(refused(headers), timeout=30)
        assert error is not None, "a WebSocket was opened without valid credentials"
        assert "401" in str(error), error
    refusals = proxied.log()[before:]
    assert len(refusals) == 12 and all(e.status == 401 for e in refusals), refusals
    assert all(e.upstream == "-" for e in refusals), "a replica was asked for an unauthenticated request"

    # With them, the page and a session work.
    tab = Tab(proxied)
    assert tab.load().status == 200

    async def works():
        async with tab.session() as session:
            return await session.run("")

    run = in_thread(works(), timeout=120)
    assert_clean(run, "signed in")
    assert run.metrics["Events in range"] == str(expected_events(dt.date.min, dt.date.max))


def _headers(headers: dict[str, str]) -> dict:
    import websockets

    if not headers:
        return {}
    new_client = int(websockets.__version__.split(".")[0]) >= 14
    return {"additional_headers" if new_client else "extra_headers": headers}


# --- headers and the browser ------------------------------------------------------------------

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def test_security_headers_on_every_answer(proxied):
    tab = Tab(proxied)
    page = tab.load()
    script = re.search(rb'src="\./(static/js/[^"]+\.js)"', page.body)
    assert script, "the page names its script"
    answers = {
        "page": page,
        "script": get(proxied, script[1].decode(), tab.headers()),
        "health": get(proxied, "_stcore/health", tab.headers()),
        "unknown address": get(proxied, "no/such/file.js", tab.headers()),
        "401": get(proxied, ""),
    }
    for name, answer in answers.items():
        policy = answer.header("Content-Security-Policy")
        assert policy == team.content_security_policy(), (name, policy)
        for header, value in HEADERS.items():
            assert answer.header(header) == value, (name, header, answer.headers)
    # nosniff makes the browser trust the declared type: a script must be declared as one.
    assert answers["script"].status == 200
    assert answers["script"].header("Content-Type").split(";")[0] in ("text/javascript", "application/javascript")
    directives = dict(d.strip().split(" ", 1) for d in team.content_security_policy().split(";"))
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert not re.search(r"https?:|\*", team.content_security_policy()), "only this origin, data: and blob:"
    cookie = page.header("Set-Cookie")
    assert cookie.startswith(f"{team.AFFINITY_COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # A tab that has its cookie is not given another.
    assert get(proxied, "", tab.headers()).header("Set-Cookie") is None


def test_the_dashboard_in_chromium_through_the_proxy_under_its_policy(proxied):
    """Headless Chromium, signed in through nginx: the Map and the Timeline draw, no console error, nothing offsite."""
    missing = _browser_missing()
    if missing is not None:
        if os.environ.get("ROUTESTATUS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ROUTESTATUS_REQUIRE_BROWSER=1 but {missing}", pytrace=False)
        pytest.skip(f"no browser to drive: {missing}")
    with ThreadPoolExecutor(max_workers=1) as pool:  # see in_thread: Playwright's loop may hold this thread
        seen = pool.submit(_browse, proxied).result()
    assert seen["offsite"] == [], seen["offsite"]
    assert seen["violations"] == [], seen["violations"]
    assert seen["errors"] == [], seen["errors"]
    assert seen["sockets"] and all(s == f"ws://127.0.0.1:{proxied.port}/_stcore/stream" for s in seen["sockets"])
    assert seen["titles"] == ["Where could traffic pass?", "Status over time"], seen["titles"]
    assert seen["events"] == str(expected_events(D("2023-01-01"), D("2023-06-30"))), seen["events"]


# Opened at a page's own address, Streamlit's front end first asks whether the server lives
# under that path (/status-timeline/_stcore/health, .../host-config), gets 404 and falls back
# to the root; every multipage app does this (tests/e2e/conftest.py leaves it out too).
_HARMLESS_404 = re.compile(r"^http://127\.0\.0\.1:\d+/[^?#]+/_stcore/(health|host-config)$")

_CSP_LISTENER = """document.addEventListener('securitypolicyviolation', e => {
    (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI);
});"""


CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"


def _browser_missing() -> str | None:
    """Why Chromium cannot be driven here (as tests/e2e/conftest.py decides it), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'Playwright for Python is not importable (install it: pip install -e ".[test]")'
    if shutil.which(CHROMIUM) is None:
        return f"no Chromium at {CHROMIUM} (install it: apt-get install chromium, or set CHROMIUM_PATH)"
    return None


def _browse(proxied: Proxied) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.e2e.test_in_browser import CHARTS_DRAWN, SETTLED

    seen = {"offsite": [], "errors": [], "sockets": [], "titles": [], "violations": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            context = browser.new_context(
                http_credentials={"username": "reporter", "password": proxied.password},
                viewport={"width": 1400, "height": 1000},
            )
            context.set_default_timeout(60_000)

            def guard(route):
                url = urlsplit(route.request.url)
                if url.scheme in ("data", "blob", "about") or url.hostname == "127.0.0.1":
                    route.continue_()
                else:
                    seen["offsite"].append(route.request.url)
                    route.abort("blockedbyclient")

            context.route("**/*", guard)
            context.add_init_script(_CSP_LISTENER)
            page = context.new_page()
            page.on("websocket", lambda s: seen["sockets"].append(s.url))
            page.on("pageerror", lambda e: seen["errors"].append(f"uncaught: {e}"))

            def on_console(message):
                if message.type != "error":
                    return
                url = (message.location or {}).get("url", "")
                if not (_HARMLESS_404.match(url) and "404" in message.text):
                    seen["errors"].append(f"{message.text} ({url})")

            page.on("console", on_console)
            page.goto(proxied.base + "?from=2023-01-01&to=2023-06-30", wait_until="domcontentloaded")
            page.wait_for_function(SETTLED)
            page.wait_for_function(CHARTS_DRAWN)  # the map too: its style, layers and blob: worker
            seen["titles"].append(page.locator("h1").first.inner_text())
            seen["events"] = (
                page.locator('[data-testid="stMetric"]')
                .filter(has_text="Events in range")
                .locator('[data-testid="stMetricValue"]')
                .inner_text()
            )
            seen["violations"] += page.evaluate("window.__violations || []")
            page.goto(proxied.base + "status-timeline?from=2023-01-01&to=2023-06-30", wait_until="domcontentloaded")
            page.wait_for_function(SETTLED)
            page.wait_for_function(CHARTS_DRAWN)
            seen["titles"].append(page.locator("h1").first.inner_text())
            seen["violations"] += page.evaluate("window.__violations || []")
            context.close()
        finally:
            browser.close()
    return seen


# --- a replica dies ---------------------------------------------------------------------------

TABS_KILLED = 12


def test_a_replica_killed_mid_run(tmp_path):
    """The other replica's sessions carry on; one on the dead one reconnects to a working page, its view as linked."""
    proxied = start_proxied(tmp_path, PROJECT)
    try:
        _kill_mid_run(proxied)
    finally:
        proxied.stop()


def _kill_mid_run(proxied: Proxied) -> None:
    views = [_view(i) for i in range(TABS_KILLED)]
    # Where each tab lives: its page's request, logged as soon as it was answered. Under a
    # heavy load nginx may have passed a page request on to the other replica (a failed
    # attempt, proxy_next_upstream), which leaves a tab with two; new tabs are opened then.
    for _ in range(3):
        tabs = [Tab(proxied) for _ in views]
        for tab in tabs:
            assert tab.load().status == 200
        home = {tab.cookie: replicas_of(proxied, tab.cookie) for tab in tabs}
        if all(len(ports) == 1 for ports in home.values()):
            break
    assert all(len(ports) == 1 for ports in home.values()), home
    home = {key: ports.pop() for key, ports in home.items()}
    assert len(set(home.values())) == 2, f"all {TABS_KILLED} tabs on one replica: {home}"
    victim = proxied.replica(home[tabs[0].cookie])
    survivor = next(r for r in proxied.replicas if r is not victim)

    async def scenario():
        import websockets

        stack = []
        sessions = []
        for tab, view in zip(tabs, views, strict=True):
            context = tab.session()
            session = await context.__aenter__()
            stack.append(context)
            first = await session.run("", **link(*view))
            assert_clean(first, view)
            sessions.append((session, session.session_id))
        try:
            # Every tab reruns at once; the victim is killed while those runs are under way.
            runs = [asyncio.ensure_future(s.run("status-timeline")) for s, _ in sessions]
            await asyncio.sleep(0.3)
            victim.process.kill()
            victim.process.wait(timeout=10)
            outcomes = await asyncio.gather(*runs, return_exceptions=True)
            after = []
            for (session, session_id), tab, view, outcome in zip(sessions, tabs, views, outcomes, strict=True):
                on_victim = home[tab.cookie] == victim.port
                if not on_victim:
                    # Carried on: the same session, its rerun and a further one with its own rows.
                    assert isinstance(outcome, Run), outcome
                    assert_clean(outcome, view)
                    again = await session.run("")
                    assert_clean(again, view)
                    assert session.session_id == session_id
                    assert again.metrics["Events in range"] == str(expected(*view)), view
                    after.append(("kept", tab, again))
                    continue
                if isinstance(outcome, Run):  # it finished before the kill; the next run cannot
                    with pytest.raises(websockets.exceptions.ConnectionClosed):
                        await session.run("")
                else:
                    assert isinstance(outcome, websockets.exceptions.ConnectionClosed), outcome
                # Reconnecting as the browser does: the page again, then a new session with the link.
                page = await asyncio.to_thread(tab.load)
                assert page.status == 200 and b'id="root"' in page.body, page.status
                async with tab.session() as fresh:
                    run = await fresh.run("", **link(*view))
                    assert fresh.session_id != session_id
                assert_clean(run, view)
                assert run.metrics["Events in range"] == str(expected(*view)), view
                assert _same_view(run, view), (run.query_string, view)
                after.append(("reconnected", tab, run))
            return after
        finally:
            for context in stack:
                try:
                    await context.__aexit__(None, None, None)
                except Exception:  # a socket the dead replica closed has nothing left to close
                    pass

    after = in_thread(scenario())
    kinds = [kind for kind, _, _ in after]
    assert "kept" in kinds and "reconnected" in kinds, kinds
    assert survivor.process.poll() is None
    # Every reconnected tab's new WebSocket went to the survivor.
    log = proxied.log()
    for kind, tab, _ in after:
        streams = [e for e in log if e.key == tab.cookie and e.path == "/_stcore/stream" and e.status == 101]
        assert streams[-1].replica_port == survivor.port, (kind, streams)


def _same_view(run: Run, view) -> bool:
    """The link the run wrote back names the view's range and roads (all roads is left out)."""
    start, end, roads = view
    query = parse_qs(run.query_string)
    query.pop("v", None)
    return query == {"from": [str(start)], "to": [str(end)]} | ({"roads": roads} if len(roads) == 1 else {})


# --- a data change deployed while sessions are open -------------------------------------------

RETRACTED = "E010"  # an event on the Lachin corridor, 2022-12-03; retracting it drops it from every count
TABS_DEPLOY = 8


def _release(site: Path, name: str, source: Path) -> Path:
    """``site/releases/name``: a whole copy of data/, geo/ and seeds/ from ``source``."""
    release = site / "releases" / name
    for folder in ("data", "geo", "seeds"):
        shutil.copytree(source / folder, release / folder)
    return release


def _switch(site: Path, name: str) -> None:
    """Point ``site/current`` at ``releases/name`` in one rename, as docs/serving.md does it."""
    new = site / "current.new"
    new.symlink_to(Path("releases") / name)
    os.replace(new, site / "current")


def test_a_data_change_deployed_while_sessions_are_open(tmp_path):
    """The new release is written beside the live one and switched in by a symlink: no session
    ever sees its half-written file, and every session shows the new data on its next rerun."""
    site = tmp_path / "site"
    _release(site, "r1", PROJECT)
    _switch(site, "r1")
    proxied = start_proxied(tmp_path, site / "current")
    try:
        _deploy_while_open(proxied, site)
    finally:
        proxied.stop()


def _deploy_while_open(proxied: Proxied, site: Path) -> None:
    event = next(r for r in LIVE if r["event_id"] == RETRACTED)
    day = D(event["date_start"])
    # Every tab's range holds the event, on all roads or on its road alone.
    views = [
        (day - dt.timedelta(days=3 + 11 * i), day + dt.timedelta(days=2 + 17 * i), [event["route_id"]] if i % 2 else [])
        for i in range(TABS_DEPLOY)
    ]
    views = [(start, end, roads or list(ROADS)) for start, end, roads in views]
    tabs = [Tab(proxied) for _ in views]
    for tab in tabs:
        assert tab.load().status == 200
    whole = (site / "releases" / "r1" / "data" / "events.csv").read_bytes()
    line = next(ln for ln in whole.decode("utf-8").split("\n") if ln.startswith(f"{RETRACTED},"))
    changed = whole.decode("utf-8").replace(line, line.replace(",false,", ",true,", 1)).encode("utf-8")
    assert changed != whole
    state = {"switched": False, "mid_write": False}
    mid_write_runs = [0] * TABS_DEPLOY  # per tab, its whole runs while r2's events.csv was half-written

    async def deploy():
        """Write release r2 slowly (its events.csv half-written for a while), then switch."""
        await asyncio.sleep(1.0)
        release = await asyncio.to_thread(_release, site, "r2", site / "releases" / "r1")
        target = release / "data" / "events.csv"
        target.write_bytes(changed[: len(changed) // 2])
        state["mid_write"] = True
        # Had r2 been live now, readers would see the problems panel: the file does not validate.
        check = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "routestatus", "--root", str(release), "validate",
            cwd=PROJECT, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        assert await check.wait() != 0, "the half-written release validates"
        # Left half-written until every tab has rerun at least once meanwhile (2 s at least).
        deadline = time.monotonic() + 60
        await asyncio.sleep(2.0)
        while min(mid_write_runs) < 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        target.write_bytes(changed)
        state["mid_write"] = False
        _switch(site, "r2")
        state["switched"] = True

    async def reader(index: int, tab: Tab, view):
        start, end, roads = view
        before, after = expected(start, end, roads), expected(start, end, roads) - 1
        async with tab.session() as session:
            first = await session.run("", **link(start, end, roads))
            assert_clean(first, view)
            assert first.metrics["Events in range"] == str(before), view
            old = version(first)
            query = dict(parse_qsl(first.query_string))
            while not state["switched"]:
                # A rerun as the page makes one: its address bar's query, the old version in it.
                run = await session.run("", **query)
                assert_clean(run, (view, "before the switch", state))
                if not state["switched"]:  # the whole run before the switch (one under way then may show either)
                    assert run.metrics["Events in range"] == str(before) and version(run) == old, (view, state)
                    mid_write_runs[index] += state["mid_write"]
            # The next rerun after the switch: the new data, no problems panel, a new version.
            for _ in range(2):
                run = await session.run("", **query)
                assert_clean(run, (view, "after the switch"))
                assert run.metrics["Events in range"] == str(after), (view, run.metrics)
                assert version(run) not in ("", old), run.query_string
            return session.session_id

    async def everything():
        deployed = asyncio.ensure_future(deploy())
        ids = await asyncio.gather(
            *(reader(i, tab, view) for i, (tab, view) in enumerate(zip(tabs, views, strict=True)))
        )
        await deployed
        return ids

    ids = in_thread(everything())
    assert len(set(ids)) == TABS_DEPLOY
    assert min(mid_write_runs) >= 1, mid_write_runs  # every tab really was rerunning meanwhile
    # A tab opened after the switch sees the new data too.
    fresh = Tab(proxied)
    assert fresh.load().status == 200

    async def later():
        async with fresh.session() as session:
            return await session.run("")

    run = in_thread(later(), timeout=120)
    assert_clean(run, "after the switch, a new tab")
    assert run.metrics["Events in range"] == str(expected_events(dt.date.min, dt.date.max) - 1)
    assert_no_traceback(proxied)


# --- make serve-team --------------------------------------------------------------------------


def _make_serve_team(port: int, **files: Path) -> list[str]:
    """``make serve-team`` on ``port`` with two replicas and the given files (HTPASSWD=, SECRET_FILE=)."""
    command = ["make", "--no-print-directory", "serve-team", f"PORT={port}", "REPLICAS=2"]
    command += [f"{name.upper()}={path}" for name, path in files.items()]
    return command


def test_make_serve_team_refuses_without_a_cookie_secret_or_a_password_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != team.SECRET_ENV}
    port = _free_port()
    htpasswd = make_password_file(tmp_path / "htpasswd", "reporter", "x")
    no_secret = subprocess.run(
        _make_serve_team(port, htpasswd=htpasswd, secret_file=tmp_path / "none"),
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    (tmp_path / "secret").write_text("a" * 64 + "\n", encoding="utf-8")
    no_password = subprocess.run(
        _make_serve_team(port, htpasswd=tmp_path / "missing", secret_file=tmp_path / "secret"),
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    for result, words in ((no_secret, "openssl rand -hex 32 >"), (no_password, "openssl passwd -apr1")):
        assert result.returncode != 0
        said = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
        assert len(said) == 1 and words in said[0], result.stderr
        assert "Traceback" not in result.stderr + result.stdout
    assert team.port_is_free(port)


def test_make_serve_team_serves_through_the_proxy_and_stops_on_ctrl_c(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != team.SECRET_ENV}
    port = _free_port()
    password = "correct horse"
    htpasswd = make_password_file(tmp_path / "htpasswd", "reporter", password)
    (tmp_path / "secret").write_text(os.urandom(32).hex() + "\n", encoding="utf-8")
    out = tmp_path / "serve-team.out"
    command = _make_serve_team(port, htpasswd=htpasswd, secret_file=tmp_path / "secret")
    with open(out, "wb") as sink:
        # A group of its own, so that Ctrl-C can be sent to it (and only it), as a terminal does.
        make = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 120
        while f"served at http://127.0.0.1:{port}/" not in out.read_text(encoding="utf-8"):
            assert make.poll() is None, out.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, out.read_text(encoding="utf-8")
            time.sleep(0.2)
        printed = out.read_text(encoding="utf-8")
        assert "Ctrl-C" in printed, printed
        ports = [port + 1, port + 2]
        assert not any(team.port_is_free(p) for p in ports), "the two replicas listen next to the proxy"
        import base64
        import urllib.error
        import urllib.request

        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
        assert refused.value.code == 401
        signed = base64.b64encode(f"reporter:{password}".encode()).decode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Authorization": f"Basic {signed}"})
        with urllib.request.urlopen(request, timeout=10) as page:
            assert page.status == 200 and b'id="root"' in page.read()
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGINT)  # the group started above, by its own id
        try:
            make.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait(timeout=10)
    assert "Stopping" in out.read_text(encoding="utf-8")
    assert all(team.port_is_free(p) for p in (port, port + 1, port + 2)), out.read_text(encoding="utf-8")


# --- the Debian site --------------------------------------------------------------------------


def test_the_debian_site_is_the_template_rendered_and_nginx_accepts_it(tmp_path):
    """deploy/nginx/routestatus.site is what ``deploy/team.py site`` prints, and ``nginx -t`` passes it."""
    printed = subprocess.run(
        [sys.executable, "deploy/team.py", "site"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout
    committed = (team.DEPLOY / "nginx" / "routestatus.site").read_text(encoding="utf-8")
    # A Streamlit upgrade can change its inline script, hence the policy's hash.
    assert printed == committed, "render it again: python deploy/team.py site > deploy/nginx/routestatus.site"
    # With a throwaway certificate where the placeholders point, and files in tmp_path.
    crt, key = tmp_path / "site.crt", tmp_path / "site.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=routestatus.example.org", "-keyout", str(key), "-out", str(crt)],
        capture_output=True, check=True,
    )  # fmt: skip
    make_password_file(tmp_path / "htpasswd", "reporter", "x")
    site = (
        committed.replace("/etc/ssl/certs/routestatus.crt", str(crt))
        .replace("/etc/ssl/private/routestatus.key", str(key))
        .replace("/etc/nginx/routestatus.htpasswd", str(tmp_path / "htpasswd"))
        .replace("/var/log/nginx/routestatus.access.log", str(tmp_path / "access.log"))
    )
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    temp = "".join(
        f"{name}_temp_path {tmp_path / name}; " for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'}; events {{}} http {{ {temp} include {tmp_path / 'site.conf'}; }}\n",
        encoding="utf-8",
    )
    check = subprocess.run(
        [team.nginx_binary(), "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
         "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
