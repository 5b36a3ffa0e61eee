"""A page for every record: ``?event=`` and ``?statement=`` links, what the record shows, and refused ids.

Expectations are read from the CSV files (``tests/expected.py``), not from the code under test.
"""

import calendar
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from routestatus.citation import dataset_version
from routestatus.figures import place_figure
from routestatus.load import load_dataset
from routestatus.page_tables import events_table, statements_table
from routestatus.paths import PROJECT_ROOT, Root
from routestatus.record import asked, build, lookup, wayback_url
from routestatus.status import ROADS, build_intervals, status_at
from tests.expected import expected_status, read, record_bounds

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
D = dt.date.fromisoformat
DAY = dt.timedelta(days=1)
DATA = load_dataset(Root(PROJECT_ROOT))
INTERVALS = build_intervals(DATA.tables["events"])
EVENTS = {r["event_id"]: r for r in read("events")}
STATEMENTS = {r["statement_id"]: r for r in read("statements")}
SOURCES = {r["source_id"]: r for r in read("sources")}
PLACES = {r["place_id"]: r for r in read("places")}
LAST_DAY = record_bounds()[1]


def opened(**query) -> AppTest:
    """A fresh session on the real dashboard, as a new tab opening a link."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def link(at) -> dict:
    return {k: v if isinstance(v, str) else v[-1] for k, v in at.query_params.items()}


def heading(at) -> str:
    return at.title[0].value.replace("\\", "") if at.title else ""


def event_days(r: dict) -> tuple[dt.date, dt.date]:
    """First and last day of an event row: its end, or its month's end when known to the month only."""
    first = D(r["date_start"])
    last = D(r["date_end"]) if r["date_end"] else first
    if r["date_precision"] == "month":
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


# --- every record opens from a link ------------------------------------------------------------


@pytest.mark.parametrize("event_id", list(EVENTS))
def test_every_event_opens_from_a_link(event_id):
    at = opened(event=event_id)
    assert not at.exception
    assert heading(at).startswith(f"Event {event_id}:")
    assert link(at)["event"] == event_id  # written back, so a copied address opens it again
    assert not at.warning


def test_every_statement_opens_from_a_link():
    """All statements, one link after another in one session (a fresh session each costs 0.15 s more)."""
    at = opened()
    for statement_id in STATEMENTS:
        at.query_params.clear()
        at.query_params["statement"] = statement_id
        at.run()
        assert not at.exception, statement_id
        assert heading(at).startswith(f"Statement {statement_id}:"), statement_id
        assert link(at)["statement"] == statement_id


def test_a_record_opens_on_any_page_and_survives_reruns_until_back():
    at = opened(event="E025", **{"from": "2023-01-01"})
    at.switch_page("pages/app/timeline.py")
    at.query_params["event"] = "E030"
    at.run()
    assert heading(at).startswith("Event E030:")
    back = at.button(key="record_back")
    assert back.label == "Back to Timeline"
    at.date_input(key="flt_range").set_value((D("2023-01-01"), D("2023-03-01"))).run()
    assert heading(at).startswith("Event E030:")  # a change of the view keeps the record open
    assert link(at)["event"] == "E030" and link(at)["from"] == "2023-01-01"
    at.button(key="record_back").click().run()
    assert not at.exception
    assert heading(at) == "Status over time"
    assert "event" not in link(at) and link(at)["to"] == "2023-03-01"
    at.run()
    assert heading(at) == "Status over time"


def test_a_link_naming_an_event_and_a_statement_opens_the_event():
    at = opened(event="E025", statement="S031")
    assert heading(at).startswith("Event E025:")
    assert any("S031" in i.value for i in at.info)
    assert "statement" not in link(at)


# --- refused ids -------------------------------------------------------------------------------

JUNK = [
    "E99999",
    "S031",  # a statement's id as an event
    "<script>alert(1)</script>",
    "<b>" + "x" * 10_000,
    "",
    "E025; DROP TABLE",
    "[link](javascript:alert(1))",
]


@pytest.mark.parametrize("value", JUNK)
def test_a_bad_event_id_gives_a_notice_and_the_page(value):
    at = opened(event=value)
    assert not at.exception
    assert heading(at) == "Where could traffic pass?"  # the Map, as without the key
    notice = " ".join(w.value for w in at.warning)
    assert "event" in notice and "not opened" in notice
    assert len(notice) < 400  # a long value is cut, never echoed whole
    assert not re.search(r"(?<!\\)[<\[]", notice)  # any markup in it is escaped
    assert "event" not in link(at)


def test_an_unknown_statement_id_gives_a_notice():
    at = opened(statement="S999")
    assert not at.exception
    assert any("There is no statement S999" in w.value for w in at.warning)


def _retract(root: Root, table: str, record_id: str) -> None:
    """Mark one row retracted in a copy of the data: its `false` becomes `true`, nothing else changes."""
    path = root.data / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(k for k, line in enumerate(lines) if line.startswith(f"{record_id},"))
    head, _, tail = lines[i].rpartition(",false,")
    lines[i] = f"{head},true,{tail}"
    path.write_text("\n".join(lines), encoding="utf-8")


def test_a_retracted_record_gives_a_notice(root, monkeypatch):
    event_id, statement_id = next(iter(EVENTS)), next(iter(STATEMENTS))
    _retract(root, "events", event_id)
    _retract(root, "statements", statement_id)
    monkeypatch.setenv("ROUTESTATUS_ROOT", str(root.path))
    for kind, record_id in (("event", event_id), ("statement", statement_id)):
        at = opened(**{kind: record_id})
        assert not at.exception
        assert any(f"{record_id} was retracted" in w.value.replace("\\", "") for w in at.warning), kind
        assert heading(at) == "Where could traffic pass?"


def test_lookup_refuses_in_plain_words():
    assert lookup(DATA, "event", " e025 ") == ("E025", "")
    assert lookup(DATA, "event", "E9999")[0] is None
    assert lookup(DATA, "statement", "E025")[1].startswith("The link's statement is 'E025'")
    assert asked({"statement": ["S001", "S002"]}).value == "S002"  # a repeated key: its last value
    assert asked({"event": "E001", "statement": "S001"}).also == (("statement", "S001"),)
    assert asked({"from": "2023-01-01"}) is None


# --- what a record shows -----------------------------------------------------------------------


@pytest.mark.parametrize("kind, ids", [("event", EVENTS), ("statement", STATEMENTS)])
def test_sources_are_those_of_sources_csv_with_their_archive_links(kind, ids):
    for record_id, row in ids.items():
        record = build(DATA, INTERVALS, kind, record_id)
        cited = row["source_ids"].split(";") if kind == "event" else [row["source_id"]]
        assert [s.source_id for s in record.sources] == cited, record_id
        for s in record.sources:
            src = SOURCES[s.source_id]
            assert (s.url, s.title, s.publisher, s.published) == (
                src["url"],
                src["title"],
                src["publisher"],
                src["published"],
            )
            stamp = src["published"].replace("-", "") or "*"
            assert s.wayback == f"https://web.archive.org/web/{stamp}/{src['url']}"


def test_wayback_link_form():
    assert (
        wayback_url("https://x.org/a?b=1", dt.date(2023, 9, 5))
        == "https://web.archive.org/web/20230905/https://x.org/a?b=1"
    )
    assert wayback_url("https://x.org/a", None) == "https://web.archive.org/web/*/https://x.org/a"


@pytest.mark.parametrize("kind, ids", [("event", EVENTS), ("statement", STATEMENTS)])
def test_status_around_a_record_is_the_record_s(kind, ids):
    for record_id, row in ids.items():
        record = build(DATA, INTERVALS, kind, record_id)
        first, last = event_days(row) if kind == "event" else (D(row["date"]), D(row["date"]))
        assert [r.route_id for r in record.roads] == list(ROADS)
        for r in record.roads:
            assert (r.day_before, r.day, r.day_after) == (first - DAY, first, last + DAY), record_id
            for day, iv in ((r.day_before, r.before), (r.day, r.on), (r.day_after, r.after)):
                assert iv == status_at(INTERVALS, r.route_id, day)
                if day <= LAST_DAY:  # after the record's last day every status is unknown
                    assert iv.status == expected_status(r.route_id, day)[0], (record_id, day)


def test_nearby_records_are_on_the_same_road_within_three_days():
    for event_id, e in EVENTS.items():
        first, last = event_days(e)
        roads = set(ROADS) if e["route_id"] == "both" else {e["route_id"]}
        want = [
            sid
            for sid, s in STATEMENTS.items()
            if s["retracted"] == "false"
            and roads & set(s["route_ids"].split(";"))
            and first - 3 * DAY <= D(s["date"]) <= last + 3 * DAY
        ]
        got = [n.record_id for n in build(DATA, INTERVALS, "event", event_id).nearby]
        assert sorted(got) == sorted(want), event_id
    for statement_id, s in STATEMENTS.items():
        day, named = D(s["date"]), set(filter(None, s["route_ids"].split(";")))
        want = []
        for eid, e in EVENTS.items():
            first, last = event_days(e)
            on_road = e["route_id"] in named or (e["route_id"] == "both" and named)
            if e["retracted"] == "false" and on_road and last >= day - 3 * DAY and first <= day + 3 * DAY:
                want.append(eid)
        got = [n.record_id for n in build(DATA, INTERVALS, "statement", statement_id).nearby]
        assert sorted(got) == sorted(want), statement_id


def test_an_event_s_place_has_its_four_names_and_coordinates():
    placed = [(i, r["place_id"]) for i, r in EVENTS.items() if r["place_id"]]
    assert placed
    for event_id, place_id in placed:
        place = build(DATA, INTERVALS, "event", event_id).place
        p = PLACES[place_id]
        assert dict(place.names) == {
            "English": p["name_en"],
            "Armenian": p["name_hy"],
            "Azerbaijani": p["name_az"],
            "Russian": p["name_ru"],
        }
        assert (place.lat, place.lon) == (float(p["lat"]), float(p["lon"]))
    unplaced = next(i for i, r in EVENTS.items() if not r["place_id"])
    assert build(DATA, INTERVALS, "event", unplaced).place is None


def test_a_statement_s_quote_check_is_the_statements_page_s():
    table = statements_table(DATA.tables["statements"], DATA.tables["sources"], DATA.quote_checks.verdicts)
    page = dict(zip(table["statement_id"], table["quote_check"], strict=True))
    for statement_id, s in STATEMENTS.items():
        check = build(DATA, INTERVALS, "statement", statement_id).quote_check
        assert check == page[statement_id]
        if not SOURCES[s["source_id"]]["archived_copy"]:
            assert check.startswith("not archived")


def test_the_record_page_shows_sources_links_place_map_and_cite():
    event_id = next(i for i, r in EVENTS.items() if r["place_id"])
    at = opened(event=event_id)
    text = "\n".join(m.value for m in at.markdown)
    for sid in EVENTS[event_id]["source_ids"].split(";"):
        src = SOURCES[sid]
        assert f"(<{src['url']}>)" in text
        assert f"(<https://web.archive.org/web/{src['published'].replace('-', '') or '*'}/{src['url']}>)" in text
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["map"]["style"] == "white-bg"  # the bundled base map; no tiles
    assert all("text" not in t.get("mode", "") for t in spec["data"])  # map text would fetch glyphs
    place = next(t for t in spec["data"] if t["meta"]["kind"] == "place")
    assert place["meta"]["place_id"] == EVENTS[event_id]["place_id"]
    cite = at.code[0].value
    assert f"event {event_id}" in cite and dataset_version(DATA) in cite
    assert cite.endswith(f"?event={event_id}&v={dataset_version(DATA)}")


def test_place_figure_is_centred_on_the_place():
    place_id = next(r["place_id"] for r in EVENTS.values() if r["place_id"])
    fig = place_figure(DATA.map_layers, place_id, "x", dt.date(2023, 1, 1))
    assert fig.layout.map.center.lat == pytest.approx(float(PLACES[place_id]["lat"]), abs=1e-6)
    assert fig.layout.map.style == "white-bg"


# --- links to records --------------------------------------------------------------------------


def test_every_table_row_links_to_its_record():
    events = events_table(DATA.tables["events"], DATA.tables["sources"])
    assert list(events["record"]) == [f"./?event={i}" for i in events["event_id"]]
    statements = statements_table(DATA.tables["statements"], DATA.tables["sources"])
    assert list(statements["record"]) == [f"./?statement={i}" for i in statements["statement_id"]]


def test_the_pages_tables_have_the_record_column():
    at = opened()
    assert any("record" in d.value.columns and "event_id" in d.value.columns for d in at.dataframe)  # the Map's list
    for page, id_column in (("pages/app/timeline.py", "event_id"), ("pages/app/statements.py", "statement_id")):
        at.switch_page(page).run()
        assert not at.exception, page
        table = next(d.value for d in at.dataframe if id_column in d.value.columns and "record" in d.value.columns)
        kind = id_column.split("_")[0]
        assert all(link == f"./?{kind}={i}" for link, i in zip(table["record"], table[id_column], strict=True))
