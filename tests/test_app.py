"""The real dashboard, driven through Streamlit's AppTest."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from routestatus.cli import main
from routestatus.labels import STATUS_COLOURS
from routestatus.snapshot import builder, table_csv
from tests.expected import expected_events, read

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGES = ["pages/app/map.py", "pages/app/timeline.py", "pages/app/statements.py", "pages/app/sources.py"]
D = dt.date.fromisoformat


def expected_statements(lo, hi):
    return sum(r["retracted"] == "false" and lo <= D(r["date"]) <= hi for r in read("statements"))


def run(**query):
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def table_with(at, column):
    """The dataframe on the page that has ``column`` (AppTest does not expose dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def road_traces(at):
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["map"]["style"] == "white-bg"
    return {t["meta"]["route_id"]: t for t in spec["data"] if t.get("meta", {}).get("kind") == "road"}


def test_every_page_runs():
    at = run()
    assert not at.exception
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page


def test_changing_the_range_changes_counts_on_every_page():
    at = run()
    lo, hi = D("2023-09-01"), D("2023-09-30")
    at.date_input(key="flt_range").set_value((lo, hi)).run()
    assert not at.exception
    assert metric(at, "Events in range") == str(expected_events(lo, hi))
    assert at.query_params["from"] in ("2023-09-01", ["2023-09-01"])
    at.switch_page("pages/app/timeline.py").run()
    assert len(table_with(at, "event_id")) == expected_events(lo, hi)
    at.switch_page("pages/app/statements.py").run()
    assert metric(at, "Statements in view") == str(expected_statements(lo, hi))
    at.switch_page("pages/app/sources.py").run()
    assert not at.exception
    cited = {s for r in read("events") for s in r["source_ids"].split(";") if r["date_start"].startswith("2023-09")}
    assert len(table_with(at, "source_id")) >= len(cited)


def test_every_filter_is_kept_from_page_to_page():
    """Range, roads and event types chosen on one page are still chosen on every other page."""
    at = run(**{"from": "2022-12-12", "to": "2023-06-14", "roads": "lachin"})
    at.multiselect(key="flt_types").set_value(["protest_blockade", "checkpoint"]).run()
    view = at.session_state["choice"]
    assert view.roads == ("lachin",) and view.event_types == ("protest_blockade", "checkpoint")
    for page in [*PAGES[1:], PAGES[0]]:
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.session_state["choice"] == view, page
        assert at.multiselect(key="flt_roads").value == ["lachin"], page
        query = {k: v if isinstance(v, str) else ",".join(v) for k, v in at.query_params.items()}
        assert query == {
            "from": "2022-12-12",
            "to": "2023-06-14",
            "roads": "lachin",
            "types": "protest_blockade,checkpoint",
        }


def test_link_with_a_range_opens_that_range():
    at = run(**{"from": "2023-01-01", "to": "2023-01-31", "roads": "lachin"})
    assert at.date_input(key="flt_range").value == (D("2023-01-01"), D("2023-01-31"))
    assert at.multiselect(key="flt_roads").value == ["lachin"]
    assert not at.warning
    assert set(road_traces(at)) == {"lachin"}


@pytest.mark.parametrize(
    "query",
    [
        {"from": "yesterday"},
        {"from": "2023-05-01", "to": "2023-01-01"},
        {"to": "2031-01-01"},
        {"roads": "atlantis"},
        {"types": "nonsense,,"},
        {"from": "2" * 500},
    ],
)
def test_bad_url_values_fall_back_with_a_notice(query):
    at = run(**query)
    assert not at.exception
    assert at.warning, "expected a notice"
    lo, hi = at.date_input(key="flt_range").value
    assert (lo, hi) == (D("2020-11-10"), D("2023-11-23")) or "roads" in query or "types" in query


@pytest.mark.parametrize(
    ("day", "lachin", "aghdam"),
    [
        ("2023-01-15", "humanitarian_only", "closed"),
        ("2023-09-12", "humanitarian_only", "humanitarian_only"),
        ("2023-09-27", "outbound_only", "restricted"),
        ("2021-06-01", "open", "closed"),
    ],
)
def test_map_colours_each_road_by_its_status(day, lachin, aghdam):
    at = run(**{"from": "2020-11-10", "to": day})
    traces = road_traces(at)
    assert traces["lachin"]["line"]["color"] == STATUS_COLOURS[lachin]
    assert traces["aghdam_askeran"]["line"]["color"] == STATUS_COLOURS[aghdam]
    assert "Lachin corridor: " in traces["lachin"]["name"]  # status in words, not colour alone


def test_map_uses_the_alignment_valid_on_the_end_date():
    assert road_traces(run(to="2022-08-01"))["lachin"]["meta"]["alignment_id"] == "lachin_2020"
    assert road_traces(run(to="2023-01-01"))["lachin"]["meta"]["alignment_id"] == "lachin_2022"


def test_download_buttons_give_the_cli_bytes(tmp_path):
    """The dashboard's snapshot and CSV buttons and the command line agree byte for byte."""
    at = run()
    at.date_input(key="flt_range").set_value((D("2023-09-01"), D("2023-09-30"))).run()
    at.multiselect(key="flt_roads").set_value(["lachin"]).run()
    assert not at.exception
    assert "Download snapshot (zip)" in [b.proto.label for b in at.get("download_button")]
    view = at.session_state["view"]
    flt = view.choice
    assert (flt.start, flt.end, flt.roads) == (D("2023-09-01"), D("2023-09-30"), ("lachin",))
    # builder() and table_csv() are what the sidebar and table buttons are given to call on a click.
    with zipfile.ZipFile(io.BytesIO(builder(view)())) as zf:
        app = {n: zf.read(n) for n in zf.namelist()}
    out = tmp_path / "cli.zip"
    argv = ["snapshot", "--from", "2023-09-01", "--to", "2023-09-30", "--route", "lachin"]
    assert main([*argv, "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        cli = {n: zf.read(n) for n in zf.namelist()}
    assert app.keys() == cli.keys()
    for name in app.keys() - {"manifest.json"}:
        assert app[name] == cli[name], name
    assert main([*argv, "--table", "events", "--out", str(tmp_path / "events.csv")]) == 0
    assert (tmp_path / "events.csv").read_bytes() == table_csv(view, "events")
    assert (tmp_path / "events.csv").read_bytes() == app["events.csv"]
