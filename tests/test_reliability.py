"""Links, hostile text, many sessions at once, and data edited while the app runs."""

import datetime as dt
import random
import string
import tomllib
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from routestatus.filters import parse_query
from routestatus.load import load_dataset
from routestatus.paths import PROJECT_ROOT, Root
from routestatus.status import ROADS, record_span
from routestatus.textsafe import md_escape, plot_text, safe_url
from routestatus.views import events_table, statements_table
from tests.corruptions import CORPUS

APP = str(PROJECT_ROOT / "dashboard.py")
D = dt.date.fromisoformat
DATA = load_dataset(Root(PROJECT_ROOT))
BOUNDS = record_span(DATA.tables["events"])
TYPES = DATA.schema.enum("events", "event_type")
KEYS = ("from", "to", "roads", "types")

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
            value = ",".join(rng.sample([*ROADS, *TYPES, "atlantis"], rng.randint(0, 4)))
        else:
            value = "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 60)))
        params[key] = [value, rng.choice(ADVERSARIAL)] if rng.random() < 0.15 else value
    return params


def test_fuzzed_links_never_raise_and_always_fall_back_to_a_valid_view():
    rng = random.Random(20231119)
    for _ in range(FUZZ_CASES):
        params = fuzz_params(rng)
        flt, notices = parse_query(params, BOUNDS, TYPES)
        assert BOUNDS[0] <= flt.start <= flt.end <= BOUNDS[1], params
        assert flt.roads and set(flt.roads) <= set(ROADS), params
        assert flt.event_types and set(flt.event_types) <= set(TYPES), params
        assert all(len(n) < 400 for n in notices), params
        given = {k: v for k, v in params.items() if k in KEYS}
        # Every value that was not used is named in a notice.
        if given and not notices:
            assert flt.to_query(BOUNDS, TYPES).keys() <= given.keys(), params


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
    flt, notices = parse_query({"from": ["2021-01-01", "2023-01-01"]}, BOUNDS, TYPES)
    assert flt.start == D("2023-01-01") and not notices


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


def _session(i: int) -> tuple[int, int, int, bool, list]:
    """One browser session's worth of work: its own range and roads, then the counts it sees."""
    start = BOUNDS[0] + dt.timedelta(days=53 * i)
    end = start + dt.timedelta(days=30 + 17 * i)
    roads = [ROADS[i % 2]] if i % 3 else list(ROADS)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["from"], at.query_params["to"] = start.isoformat(), end.isoformat()
    at.query_params["roads"] = ",".join(roads)
    at.run()
    shown = next(m.value for m in at.metric if m.label == "Events in range")
    flt = at.session_state["filters"]
    return i, int(shown), len(at.session_state["dataset"].tables["events"]), bool(at.exception), [flt, roads]


def test_twenty_sessions_at_once_each_see_their_own_rows():
    from routestatus.filters import filter_events

    before = {n: pd.util.hash_pandas_object(f, index=True).sum() for n, f in DATA.tables.items()}
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        results = list(pool.map(_session, range(SESSIONS)))
    assert len(results) == SESSIONS
    for i, shown, total, failed, (flt, roads) in results:
        assert not failed, i
        assert list(flt.roads) == [r for r in ROADS if r in roads], i
        assert shown == len(filter_events(DATA.tables["events"], flt)), i
        assert total == len(DATA.tables["events"])
    assert len({(r[4][0].start, r[4][0].end) for r in results}) == SESSIONS  # every session kept its own view
    # The shared, cached frames were not changed in place by any session.
    cached = results and load_dataset(Root(PROJECT_ROOT))
    after = {n: pd.util.hash_pandas_object(f, index=True).sum() for n, f in cached.tables.items()}
    assert before == after


def test_cached_dataset_is_not_changed_by_the_pages():
    at = AppTest.from_file(APP, default_timeout=60).run()
    data = at.session_state["dataset"]
    before = {n: pd.util.hash_pandas_object(f, index=True).sum() for n, f in data.tables.items()}
    for page in ("pages/timeline.py", "pages/statements.py", "pages/sources.py", "pages/map.py"):
        at.switch_page(page).run()
        at.date_input(key="flt_range").set_value((D("2023-01-01"), D("2023-09-30"))).run()
        assert not at.exception
    assert at.session_state["dataset"] is data  # one shared copy, not reloaded
    after = {n: pd.util.hash_pandas_object(f, index=True).sum() for n, f in data.tables.items()}
    assert before == after


def test_an_edit_is_picked_up_and_a_half_written_file_recovers(root, monkeypatch):
    monkeypatch.setenv("ROUTESTATUS_ROOT", str(root.path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    count = next(m.value for m in at.metric if m.label == "Events in range")
    events = root.data / "events.csv"
    whole = events.read_bytes()
    # A curator marks an event retracted: the next rerun shows one event fewer.
    text = whole.decode("utf-8")
    line = next(ln for ln in text.split("\n") if ln.startswith("E010,"))
    events.write_bytes(text.replace(line, line.replace(",false,", ",true,", 1)).encode("utf-8"))
    at.run()
    assert next(m.value for m in at.metric if m.label == "Events in range") == str(int(count) - 1)
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
    assert next(m.value for m in at.metric if m.label == "Events in range") == count
