"""The real dashboard, driven through Streamlit's AppTest."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from routestatus.accessmap import STATUS_DASHES
from routestatus.citation import dataset_version
from routestatus.cli import main
from routestatus.labels import STATUS_COLOURS, STATUS_LABELS
from routestatus.snapshot import builder, table_csv
from tests.expected import expected_events, expected_status, first_status_day, read, record_bounds

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
    # SVG, with plotly's own land and country layers off: they would be fetched from a CDN.
    assert spec["layout"]["geo"]["visible"] is False
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
        assert query.pop("v") == dataset_version(at.session_state["view"].data)  # the link names the data's version
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
        {"from": "20230901"},
        {"to": "2023-W39-5"},
        {"asof": "2023-02-30"},
        {"orgs": "Nobody at all"},
    ],
)
def test_bad_url_values_fall_back_with_a_notice(query):
    at = run(**query)
    assert not at.exception
    assert at.warning, "expected a notice"
    lo, hi = at.date_input(key="flt_range").value
    assert (lo, hi) == record_bounds() or "roads" in query or "types" in query


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
    # The status by pattern as well as colour.
    assert traces["lachin"]["line"]["dash"] == STATUS_DASHES[lachin]
    assert traces["aghdam_askeran"]["line"]["dash"] == STATUS_DASHES[aghdam]
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


def status_metrics(at) -> list[tuple[str, str]]:
    """The Map page's status cards as (label, status shown), in road order."""
    return [(m.label, m.value) for m in at.metric if m.label.startswith("Status on ")]


def test_status_as_of_a_day_inside_the_range():
    """The link's asof sets the cards and the map; without it the status is the range's last day's."""
    lo, hi, day = D("2023-01-01"), D("2023-06-30"), D("2023-06-20")
    at = run(**{"from": str(lo), "to": str(hi), "asof": str(day)})
    assert not at.exception and not at.warning
    assert status_metrics(at)[0] == (f"Status on {day}", "Closed")  # the Lachin card comes first
    for road, trace in road_traces(at).items():
        assert trace["line"]["color"] == STATUS_COLOURS[expected_status(road, day)[0]], road
    assert any(f"Status on **{day}**" in c.value for c in at.caption)
    assert at.query_params["asof"] in (str(day), [str(day)])
    at.switch_page("pages/app/timeline.py").run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    marks = [s for s in spec["layout"]["shapes"] if s.get("name") == "status_day"]
    assert len(marks) == 1 and marks[0]["x0"].startswith(str(day))

    plain = run(**{"from": str(lo), "to": str(hi)})
    assert status_metrics(plain)[0] == (f"Status on {hi}", "Humanitarian only")
    assert status_metrics(plain)[0][1] == STATUS_LABELS[expected_status("lachin", hi)[0]]
    assert "asof" not in plain.query_params


def test_the_status_day_follows_the_range_until_chosen_and_stays_inside_it():
    at = run(**{"from": "2023-01-01", "to": "2023-06-30"})
    assert at.date_input(key="flt_asof").value == D("2023-06-30")
    at.date_input(key="flt_range").set_value((D("2023-01-01"), D("2023-03-31"))).run()
    assert at.date_input(key="flt_asof").value == D("2023-03-31")  # followed the end
    at.date_input(key="flt_asof").set_value(D("2023-02-15")).run()
    assert status_metrics(at)[0][0] == "Status on 2023-02-15" and at.query_params["asof"] in (
        "2023-02-15",
        ["2023-02-15"],
    )
    at.date_input(key="flt_range").set_value((D("2023-03-01"), D("2023-03-31"))).run()
    assert at.date_input(key="flt_asof").value == D("2023-03-01")  # moved inside the new range
    assert not at.exception


def test_a_link_asking_for_a_day_outside_the_range_gets_a_notice_that_goes_once_fixed():
    at = run(**{"from": "2023-01-01", "to": "2023-06-30", "asof": "2023-08-01"})
    assert [w.value for w in at.warning] == [
        "The link's status day 2023-08-01 is outside the range 2023-01-01 to 2023-06-30. "
        "Showing the status on 2023-06-30."
    ]
    assert at.date_input(key="flt_asof").value == D("2023-06-30")
    at.date_input(key="flt_asof").set_value(D("2023-06-01")).run()
    assert not at.warning and not at.exception


def test_bad_list_values_are_named_in_plain_words_and_the_good_ones_kept():
    at = run(roads="atlantis,lachin", types="checkpoint,closure")
    texts = [w.value for w in at.warning]
    assert len(texts) == 2
    assert "'atlantis'" in texts[0] and "Lachin corridor, Aghdam–Askeran road" in texts[0]
    assert "aghdam_askeran" not in texts[0]  # labels, not internal ids
    assert "'closure'" in texts[1] and "Protest blockade" in texts[1]
    assert at.multiselect(key="flt_roads").value == ["lachin"]
    assert at.multiselect(key="flt_types").value == ["checkpoint"]
    at.multiselect(key="flt_roads").set_value(["lachin", "aghdam_askeran"]).run()
    assert [w.value for w in at.warning] == texts[1:]  # the roads notice went; the types one stays


def test_an_unknown_status_says_why():
    """Before a road's first report the card says so, with the day of that first report."""
    road_first = first_status_day("aghdam_askeran")
    day = road_first - dt.timedelta(days=1)
    at = run(**{"from": "2020-11-10", "to": str(day)})
    assert expected_status("aghdam_askeran", day)[0] == "unknown"
    shown = [m.value for m in at.markdown]
    assert f"Unknown: before the first report in the record ({road_first})." in shown, shown


def test_organisations_and_speakers_are_in_the_link_and_kept_across_pages():
    org = "United Nations"
    at = run(orgs=org)
    at.switch_page("pages/app/statements.py").run()
    assert at.multiselect(key="st_orgs").value == [org]
    expected = sum(r["retracted"] == "false" and r["organisation"] == org for r in read("statements"))
    assert metric(at, "Statements in view") == str(expected)
    at.switch_page("pages/app/timeline.py").run()
    at.switch_page("pages/app/statements.py").run()
    assert at.multiselect(key="st_orgs").value == [org]
    assert at.query_params["orgs"] in (org, [org])
    view = at.session_state["view"]
    assert set(view.table("statements")["organisation"]) == {org}
    assert "1orgs" in view.file_name("statements")


@pytest.mark.parametrize("page", PAGES)
def test_each_table_is_worked_out_at_most_once_per_rerun(monkeypatch, page):
    """Pages and their downloads read one View, which filters the rows once however often they are used."""
    import routestatus.view as view_module
    from routestatus.selection import Selection

    calls = []
    # The rows are selected on the dataset's arrays (Selection), then cut by people; the days per status.
    for owner, name in (
        (Selection, "event_mask"),
        (Selection, "statement_mask"),
        (view_module, "filter_people"),
        (view_module, "days_in_status"),
    ):
        real = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    at = run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    calls.clear()
    at.date_input(key="flt_range").set_value((D("2023-01-01"), D("2023-09-30"))).run()
    assert not at.exception
    assert calls and all(calls.count(name) == 1 for name in calls), (page, calls)
