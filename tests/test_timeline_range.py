"""A short range shows that range on the date axes: one day as that day, one week as that week.

The charts once left the x axis to plotly's autorange, so a mark placed before the range
(an event that began weeks earlier and lasts into it, or one dated only to its month)
stretched a one-day view about five weeks back.
"""

import calendar
import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.expected import expected_events, read

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
D = dt.date.fromisoformat
DAY = dt.timedelta(days=1)


def run(page: str, lo: dt.date, hi: dt.date) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["from"], at.query_params["to"] = str(lo), str(hi)
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def assert_axis_is_the_range(spec: dict, lo: dt.date, hi: dt.date) -> None:
    """The x axis runs from the range's first midnight to its last, give or take a small margin."""
    axis = spec["layout"]["xaxis"]
    assert axis.get("autorange") is False, "the axis is fixed, not left to autorange"
    first, last = (when(x) for x in axis["range"])
    start, after = dt.datetime.combine(lo, dt.time()), dt.datetime.combine(hi + DAY, dt.time())
    margin = (after - start) * 0.05
    assert start - margin <= first <= start, (first, lo)
    assert after <= last <= after + margin, (last, hi)
    for trace in spec["data"]:
        if trace.get("meta", {}).get("kind") == "status":  # a band: rectangles from a day's start to the next's
            assert all(start <= when(x) <= after for x in trace["x"] if x is not None), trace.get("name")
        elif trace.get("type") == "scatter" and trace.get("x") and trace["x"][0] is not None:
            # Every mark lies on a day of the range.
            assert all(start <= when(x) < after for x in trace["x"]), trace.get("name")


def long_event_day() -> tuple[str, dt.date, dt.date]:
    """An event that lasts at least a week, and its last day: a one-day view then holds an event begun long before."""
    for r in read("events"):
        if r["retracted"] == "false" and r["date_end"] and (D(r["date_end"]) - D(r["date_start"])).days >= 7:
            return r["event_id"], D(r["date_start"]), D(r["date_end"])
    pytest.skip("no event in the data lasts a week")


def month_event_day() -> tuple[str, dt.date, dt.date]:
    """An event dated only to its month, and the month's last day."""
    for r in read("events"):
        if r["retracted"] == "false" and r["date_precision"] == "month":
            start = D(r["date_start"])
            return r["event_id"], start, start.replace(day=calendar.monthrange(start.year, start.month)[1])
    pytest.skip("no event in the data is dated only to its month")


@pytest.mark.parametrize(
    ("lo", "hi"),
    [(D("2023-09-19"), D("2023-09-19")), (D("2023-09-13"), D("2023-09-19"))],
    ids=["one day", "one week"],
)
def test_the_timeline_axis_is_the_range(lo, hi):
    at = run("pages/app/timeline.py", lo, hi)
    timeline = specs(at)[0]
    assert_axis_is_the_range(timeline, lo, hi)
    shown = sum(
        len(t["x"]) for t in timeline["data"] if t.get("meta", {}).get("kind") == "events"
    )  # one mark per lane and day
    assert (shown > 0) == (expected_events(lo, hi) > 0)


@pytest.mark.parametrize("event", [long_event_day, month_event_day], ids=["lasting event", "month-precision event"])
def test_an_event_begun_before_a_one_day_range_is_marked_inside_it(event):
    event_id, start, day = event()
    assert start < day and expected_events(day, day) >= 1
    at = run("pages/app/timeline.py", day, day)
    timeline = specs(at)[0]
    assert_axis_is_the_range(timeline, day, day)
    marks = next(t for t in timeline["data"] if t.get("meta", {}).get("kind") == "events")
    hovers = [h for h in marks["hovertext"] if event_id in h]
    assert hovers and all("began before the range" in h for h in hovers)


def test_a_week_of_statements_shows_that_week():
    lo, hi = D("2023-09-12"), D("2023-09-18")
    said = [r for r in read("statements") if r["retracted"] == "false" and r["route_ids"] and lo <= D(r["date"]) <= hi]
    assert said, "the week chosen has statements that name a road"
    at = run("pages/app/statements.py", lo, hi)
    charts = specs(at)
    by_day = charts[0]  # statements per organisation and road: per day in a range this short
    days = {x.split(" · ")[0] for t in by_day["data"] for x in t["x"]}
    assert days == {r["date"] for r in read("statements") if r["retracted"] == "false" and lo <= D(r["date"]) <= hi}
    roads = [c for c in charts if any(t.get("meta", {}).get("kind") == "claim" for t in c["data"])]
    assert roads, "a said-vs-passed chart per road named in the week"
    for spec in roads:
        assert_axis_is_the_range(spec, lo, hi)


def test_the_whole_record_keeps_its_axis():
    """The default view's timeline still runs over the whole record, with no per-day labels."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/app/timeline.py").run()
    axis = specs(at)[0]["layout"]["xaxis"]
    first, last = (when(x) for x in axis["range"])
    live = [r for r in read("events") if r["retracted"] == "false"]
    lo = min(D(r["date_start"]) for r in live)
    hi = max(D(r["date_end"] or r["date_start"]) for r in live)
    assert first.date() <= lo and last.date() >= hi + DAY
    assert (last - first).days < (hi - lo).days * 1.05
    assert "tickvals" not in axis
