"""End-to-end fixtures: the real dashboard served by Streamlit, driven by headless Chromium.

One server (tests/serving.py) is started per data folder and reused for the whole session; each test gets a
fresh browser context (no shared cookies or session state). Every request to a host other
than 127.0.0.1/localhost is aborted and recorded, and console errors are collected, so a
test can assert that nothing left the machine and nothing broke in the page.

The browser is Debian's ``chromium`` (``/usr/bin/chromium``, or ``$CHROMIUM_PATH``) driven by
Playwright for Python; no browser is ever downloaded. When either is missing the tests in
this folder are skipped with the reason, unless ``ROUTESTATUS_REQUIRE_BROWSER=1``, which
turns the missing browser into an error (CI sets it).
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.serving import PROJECT, Server, start_server

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
REQUIRE_BROWSER = os.environ.get("ROUTESTATUS_REQUIRE_BROWSER") == "1"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
VIEWPORT = {"width": 1400, "height": 1000}


def _what_is_missing() -> str | None:
    """Why the browser cannot be driven here, or None when it can."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append('Playwright for Python is not importable (install it: pip install -e ".[test]")')
    chromium = shutil.which(CHROMIUM)
    if chromium is None:
        missing.append(f"no Chromium at {CHROMIUM} (install it: apt-get install chromium, or set CHROMIUM_PATH)")
    return "; ".join(missing) or None


MISSING = _what_is_missing()


def _in_this_folder(item: pytest.Item) -> bool:
    return HERE in Path(item.path).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if MISSING is None or REQUIRE_BROWSER:
        return
    skip = pytest.mark.skip(reason=f"no browser to drive: {MISSING}")
    for item in items:
        if _in_this_folder(item):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if MISSING is None:
        return
    if REQUIRE_BROWSER:
        terminalreporter.write_line(f"end-to-end browser tests FAILED: ROUTESTATUS_REQUIRE_BROWSER=1 but {MISSING}")
    else:
        terminalreporter.write_line(f"end-to-end browser tests skipped: {MISSING}")


@pytest.fixture(scope="session", autouse=True)
def _browser_is_present() -> None:
    """With ROUTESTATUS_REQUIRE_BROWSER=1 a missing browser fails every test here instead of skipping it."""
    if MISSING is not None and REQUIRE_BROWSER:
        pytest.fail(f"ROUTESTATUS_REQUIRE_BROWSER=1 but {MISSING}", pytrace=False)


# --- the server ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path], Server]]:
    """``serve(root)``: the session's server for the data folder ``root``, started on first use."""
    logs = tmp_path_factory.mktemp("streamlit-logs")
    servers: dict[Path, Server] = {}

    def get(root: Path) -> Server:
        root = root.resolve()
        if root not in servers:
            servers[root] = start_server(root, logs)
        return servers[root]

    yield get
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def server(serve) -> Server:
    """The dashboard on the project's own data/, geo/ and seeds/."""
    return serve(PROJECT)


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


# Console errors that say nothing about the app:
# - Opened at a page's own address (/status-timeline, ...), Streamlit's front end first asks
#   whether the server lives under that path (GET /status-timeline/_stcore/health and
#   /_stcore/host-config), gets 404 and falls back to the root. Every multipage app does this.
_HARMLESS_404 = re.compile(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?/[^?#]+/_stcore/(health|host-config)$")


@dataclass
class Browsing:
    """One fresh browser context and page, with what it tried to fetch off the machine and the errors it logged."""

    page: object
    server: Server
    offsite: list[str] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (text, url of the resource or script)
    page_errors: list[str] = field(default_factory=list)

    def url(self, path: str = "", **query: str) -> str:
        return self.server.url(path, **query)

    def unexplained_errors(self) -> list[str]:
        """Console errors and uncaught exceptions, less the harmless noise named above.

        A failed load of a request that the offsite guard itself aborted is left out too: the
        request is already in ``offsite``, which tests assert on directly.
        """
        errors = [f"uncaught: {e}" for e in self.page_errors]
        for text, url in self.console_errors:
            if _HARMLESS_404.match(url) and "404" in text:
                continue
            if url in self.offsite and text.startswith("Failed to load resource"):
                continue
            errors.append(f"{text} ({url})" if url else text)
        return errors


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS


def open_browsing(browser, server: Server) -> Iterator[Browsing]:
    context = browser.new_context(accept_downloads=True, viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    seen = Browsing(page, server)

    def guard(route) -> None:
        if _is_local(route.request.url):
            route.continue_()
        else:
            seen.offsite.append(route.request.url)
            route.abort("blockedbyclient")

    def on_console(message) -> None:
        if message.type == "error":
            seen.console_errors.append((message.text, (message.location or {}).get("url", "")))

    def on_websocket(socket_) -> None:  # not routable; recorded so an offsite socket is still noticed
        if not _is_local(socket_.url):
            seen.offsite.append(socket_.url)

    context.route("**/*", guard)
    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    page.on("websocket", on_websocket)
    try:
        yield seen
    finally:
        with contextlib.suppress(Exception):
            context.close()


@pytest.fixture
def browsing(browser, server) -> Iterator[Browsing]:
    """A fresh browser context on the project's data."""
    yield from open_browsing(browser, server)


# --- a data folder with a hostile statement -----------------------------------------------

HOSTILE_QUOTE = (
    '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> '
    "[click me](javascript:window.__pwned=3) **bold**"
)


@dataclass(frozen=True)
class Hostile:
    """A copy of the data in which one statement's quote is HTML and Markdown meant to run."""

    root: Path
    statement: dict[str, str]  # the rewritten row of data/statements.csv
    quote: str = HOSTILE_QUOTE


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    root = tmp_path_factory.mktemp("hostile-data")
    for folder in ("data", "geo", "seeds"):
        shutil.copytree(PROJECT / folder, root / folder)
    _, sources = _read_rows(root / "data" / "sources.csv")
    unarchived = {s["source_id"] for s in sources if not s["archived_copy"].strip()}
    fields, statements = _read_rows(root / "data" / "statements.csv")
    # A quote whose source is archived is checked word for word against the archive and would
    # fail validation; one from an unarchived source is what a contributor could type in.
    target = next(
        (
            s
            for s in statements
            if s["source_id"] in unarchived
            and s["retracted"] == "false"
            and s["date_precision"] == "day"
            and s["route_ids"] == "lachin"
        ),
        None,
    )
    assert target is not None, "no statement on the Lachin corridor with a day date and an unarchived source"
    target["quote"] = HOSTILE_QUOTE
    with open(root / "data" / "statements.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(statements)
    check = subprocess.run(
        [sys.executable, "-m", "routestatus", "--root", str(root), "validate"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, f"the hostile fixture does not validate:\n{check.stdout}{check.stderr}"
    return Hostile(root, dict(target))


@pytest.fixture
def hostile_browsing(browser, serve, hostile) -> Iterator[Browsing]:
    """A fresh browser context on a server that reads the hostile copy of the data."""
    yield from open_browsing(browser, serve(hostile.root))
