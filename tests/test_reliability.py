"""Links, hostile text, many sessions at once, and data edited while the app runs."""

import asyncio
import datetime as dt
import random
import string
import tomllib
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from routestatus.load import load_dataset
from routestatus.page_tables import events_table, statements_table
from routestatus.paths import PROJECT_ROOT, Root
from routestatus.status import ROADS, record_span
from routestatus.textsafe import md_escape, plot_text, safe_url
from routestatus.view import Options, parse
from tests.corruptions import CORPUS
from tests.expected import expected_events
from tests.serving import open_session, start_server

APP = str(PROJECT_ROOT / "dashboard.py")
D = dt.date.fromisoformat
DATA = load_dataset(Root(PROJECT_ROOT))
BOUNDS = record_span(DATA.tables["events"])
TYPES = DATA.schema.enum("events", "event_type")
OPTIONS = Options.of(DATA)
ORGS = OPTIONS.values["organisations"]
KEYS = ("from", "to", "asof", "roads", "types", "orgs", "speakers")
LISTS = {"roads": "roads", "types": "event_types", "orgs": "organisations", "speakers": "speakers"}

ADVERSARIAL = [
    "",
    " ",
    "0000-00-00",
    "2023-02-29",
    "2023-13-01",
    "9999-12-31",
    "-2023-01-01",
    "2023-01-01T00:00:00",
    "2023-01-01\x00",
    "２０２３-０１-０１",  # full-width digits
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00%2F",
    "lachin,lachin,lachin",
    "LACHIN",
    ",,,",
    "both",
    "none",
    "\u202e2023-01-01",
    "x" * 10_000,
]
FUZZ_CASES = 2_000


def fuzz_params(rng: random.Random) -> dict:
    """A random query: known and unknown keys, repeated keys, adversarial or random values."""
    params: dict[str, str | list[str]] = {}
    for key in rng.sample([*KEYS, "page", "from ", "ROADS"], rng.randint(0, 5)):
        pick = rng.random()
        if pick < 0.3:
            value = rng.choice(ADVERSARIAL)
        elif pick < 0.55:
            value = (BOUNDS[0] + dt.timedelta(days=rng.randint(-400, 1600))).isoformat()
        elif pick < 0.7:
            value = ",".join(rng.sample([*ROADS, *TYPES, *ORGS, "atlantis"], rng.randint(0, 4)))
        else:
            value = "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 60)))
        params[key] = [value, rng.choice(ADVERSARIAL)] if rng.random() < 0.15 else value
    return params


def _taken_as_given(key: str, given: str, choice, written: dict) -> bool:
    """Whether the link's ``key=given`` is what the view shows: written back as given, or the default."""
    if key in ("from", "to", "asof"):
        default = {"from": BOUNDS[0], "to": BOUNDS[1], "asof": choice.end}[key].isoformat()
        return written.get(key, default) == given
    allowed = OPTIONS.values[LISTS[key]]
    items = [i for i in given.split(",") if i]
    canonical = [a for a in allowed if a in items]
    if not items or set(items) == set(allowed):
        return key not in written
    return written.get(key) == ",".join(canonical)


def test_fuzzed_links_never_raise_and_always_fall_back_to_a_valid_view():
    rng = random.Random(20231119)
    for _ in range(FUZZ_CASES):
        params = fuzz_params(rng)
        choice, notices = parse(params, OPTIONS)
        assert BOUNDS[0] <= choice.start <= choice.day <= choice.end <= BOUNDS[1], params
        assert set(choice.shown_roads) <= set(ROADS) and set(choice.event_types) <= set(TYPES), params
        assert all(len(str(n)) < 800 for n in notices), params
        written = choice.to_query(OPTIONS)
        named = {k for n in notices for k in n.keys}
        # Every known key given is either what the view shows (written back, or the default) or named in a notice.
        for key, raw in params.items():
            if key in KEYS:
                last = raw[-1] if isinstance(raw, list) else raw
                assert key in named or _taken_as_given(key, last, choice, written), (key, params, written)


@pytest.mark.parametrize("value", ADVERSARIAL[:12] + ADVERSARIAL[-3:])
def test_adversarial_links_in_the_app(value):
    at = AppTest.from_file(APP, default_timeout=60)
    for key in KEYS:
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert at.warning, "expected a notice for a bad link"
    assert at.date_input(key="flt_range").value == BOUNDS


def test_repeated_keys_use_the_last_value():
    choice, notices = parse({"from": ["2021-01-01", "2023-01-01"]}, OPTIONS)
    assert choice.start == D("2023-01-01") and not notices


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "![img](http://example.invalid/x.png)",
        "**bold** _it_ `code` # heading",
        "<b>bold</b> &amp; <a href='javascript:alert(1)'>x</a>",
    ],
)
def test_data_text_is_shown_as_text(hostile):
    escaped = md_escape(hostile)
    for ch in "[]()<>*_`#!":
        assert all(escaped[i - 1] == "\\" for i, c in enumerate(escaped) if c == ch)
    assert "<" not in plot_text(hostile) and ">" not in plot_text(hostile)
    events = DATA.tables["events"].head(3).assign(summary=hostile)
    table = events_table(events, DATA.tables["sources"].assign(url="javascript:alert(1)"))
    assert table["source"].isna().all()  # a non-http URL never becomes a link
    statements = DATA.tables["statements"].head(3).assign(quote=hostile, speaker=hostile)
    shown = statements_table(statements, DATA.tables["sources"])
    assert (shown["quote"] == hostile).all()  # dataframes show text as it is; they render no markup
    assert safe_url(" https://example.org/a b") is None and safe_url("HTTPS://x") is None


def test_config_keeps_the_server_local_and_private():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["enableXsrfProtection"] is True and config["server"]["enableCORS"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "type"


SESSIONS = 20


def _view(i: int, turn: int) -> tuple[dt.date, dt.date, list[str]]:
    """Session ``i``'s own range and roads on its ``turn``-th visit; no two sessions share a view."""
    start = BOUNDS[0] + dt.timedelta(days=1 + 40 * i + 7 * turn)  # never the record's first day
    end = start + dt.timedelta(days=20 + 15 * i)  # the last ends 36 days before the record does
    roads = [ROADS[(i + turn) % 2]] if i % 3 else list(ROADS)
    return start, end, roads


def _events_in_range(at: AppTest) -> str:
    """The Map page's "Events in range" figure, as shown."""
    return next(m.value for m in at.metric if m.label == "Events in range")


def test_twenty_sessions_held_at_once_each_see_their_own_rows():
    """Twenty sessions open side by side on one shared cache, each changing its own filters in turn.

    Streamlit's test harness keeps its runtime in a process-wide slot that each run clears when
    it ends, so two AppTest runs cannot overlap in threads; the sessions here are all alive at
    once and their reruns interleave. Runs that truly overlap are driven through the real server
    by tests/e2e (twenty browser contexts at once).
    """
    from routestatus.filters import filter_events

    before = {n: pd.util.hash_pandas_object(f, index=True).sum() for n, f in DATA.tables.items()}
    sessions = []
    for i in range(SESSIONS):
        start, end, roads = _view(i, 0)
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["from"], at.query_params["to"] = start.isoformat(), end.isoformat()
        at.query_params["roads"] = ",".join(roads)
        sessions.append(at.run())
    for i, at in enumerate(sessions):  # second round: each session changes its range and roads
        start, end, roads = _view(i, 1)
        at.date_input(key="flt_range").set_value((start, end))
        at.multiselect(key="flt_roads").set_value(roads)
        at.run()
    data = sessions[0].session_state["view"].data
    for i, at in enumerate(sessions):
        start, end, roads = _view(i, 1)
        assert not at.exception and not at.error, i
        choice = at.session_state["view"].choice
        assert (choice.start, choice.end) == (start, end), i
        assert list(choice.shown_roads) == [r for r in ROADS if r in roads], i
        assert int(_events_in_range(at)) == len(filter_events(DATA.tables["events"], choice)), i
        assert at.session_state["view"].data is data  # one cached copy shared by all
    assert len({(at.session_state["choice"].start, at.session_state["choice"].end) for at in sessions}) == SESSIONS
    # The shared, cached frames were not changed in place by any session.
    after = {n: pd.util.hash_pandas_object(f, index=True).sum() for n, f in data.tables.items()}
    assert before == after


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = start_server(PROJECT_ROOT, tmp_path_factory.mktemp("streamlit-logs"))
    yield server
    server.stop()


def test_twenty_sessions_at_once_on_the_real_server(served):
    """Twenty tabs' worth of sessions on one served dashboard, their runs overlapping.

    Each opens the Map page with its own link, then goes to the Timeline with no link at all,
    as the sidebar does: it must keep its own range and roads, and see only its own rows.
    Expected counts come from the CSV files by the documented rule, not from the app.
    """
    views = [_view(i, 0) for i in range(SESSIONS)]

    async def one(start: dt.date, end: dt.date, roads: list[str]):
        async with open_session(served) as session:
            first = await session.run("", **{"from": str(start), "to": str(end), "roads": ",".join(roads)})
            second = await session.run("status-timeline")
            return session.session_id, first, second

    async def everyone():
        return await asyncio.wait_for(asyncio.gather(*(one(*v) for v in views)), timeout=300)

    # A thread of its own for the event loop: when the browser suite ran first in this
    # process, Playwright's loop is still running on the main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(asyncio.run, everyone()).result()
    assert len({session_id for session_id, _, _ in results}) == SESSIONS
    for (start, end, roads), (_, first, second) in zip(views, results, strict=True):
        road = roads[0] if len(roads) == 1 else None
        expected = expected_events(start, end, road=road)
        context = (start, end, roads, served.log_tail)
        for run in (first, second):
            assert run.finished == "FINISHED_SUCCESSFULLY" and not run.exceptions, context
            assert not [a for a in run.alerts if a[0] in ("ERROR", "WARNING")], (run.alerts, context)
            # The address bar keeps the session's view (all roads is the default, left out).
            shown = {"from": [str(start)], "to": [str(end)]} | ({"roads": [road]} if road else {})
            query = parse_qs(run.query_string)
            assert len(query.pop("v", [""])[0]) == 12, (run.query_string, context)  # the dataset version
            assert query == shown, (run.query_string, context)
        assert first.metrics["Events in range"] == str(expected), context
        assert f"Events ({expected})" in second.headings, (second.headings, context)
    assert served.process.poll() is None  # the server is still up


def test_cached_dataset_is_not_changed_by_the_pages():
    at = AppTest.from_file(APP, default_timeout=60).run()
    data = at.session_state["view"].data
    before = {n: pd.util.hash_pandas_object(f, index=True).sum() for n, f in data.tables.items()}
    for page in ("pages/app/timeline.py", "pages/app/statements.py", "pages/app/sources.py", "pages/app/map.py"):
        at.switch_page(page).run()
        at.date_input(key="flt_range").set_value((D("2023-01-01"), D("2023-09-30"))).run()
        assert not at.exception
    assert at.session_state["view"].data is data  # one shared copy, not reloaded
    after = {n: pd.util.hash_pandas_object(f, index=True).sum() for n, f in data.tables.items()}
    assert before == after


def test_an_edit_is_picked_up_and_a_half_written_file_recovers(root, monkeypatch):
    monkeypatch.setenv("ROUTESTATUS_ROOT", str(root.path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    count = _events_in_range(at)
    events = root.data / "events.csv"
    whole = events.read_bytes()
    # A curator marks an event retracted: the next rerun shows one event fewer.
    text = whole.decode("utf-8")
    line = next(ln for ln in text.split("\n") if ln.startswith("E010,"))
    events.write_bytes(text.replace(line, line.replace(",false,", ",true,", 1)).encode("utf-8"))
    at.run()
    assert _events_in_range(at) == str(int(count) - 1)
    # Half-written (a save interrupted): the problems panel, no traceback.
    half = next(c for c in CORPUS if c.name == "half-written file")
    half.apply(root)
    at.run()
    assert not at.exception
    assert any("data/events.csv" in e.value for e in at.error)
    # Whole again: the view comes back as it was.
    events.write_bytes(whole)
    at.run()
    assert not at.exception and not at.error
    assert _events_in_range(at) == count
