"""The analyst's figures: days without civilian passage, readable band labels, event marks by type.

"How long was the Lachin corridor closed?" was once read off the days table's "Closed"
column alone, while the nine months of the blockade were counted as "Humanitarian only".
The derived total "no civilian passage" (closed + humanitarian only, outbound only apart) is
checked here against a day-by-day count from events.csv; the timeline's labels against
their band colours (WCAG contrast); and its marks against the event types of the CSV.
"""

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from routestatus.figures import MARK_OFFSET, timeline_figure
from routestatus.labels import (
    EVENT_SYMBOLS,
    MIXED_EVENTS_LABEL,
    MIXED_EVENTS_SYMBOL,
    NO_PASSAGE_COLUMN,
    ROAD_LABELS,
    STATUS_COLOURS,
    STATUS_LABELS,
    type_label,
)
from routestatus.load import load_dataset
from routestatus.paths import PROJECT_ROOT, Root
from routestatus.schema import load_schema
from routestatus.status import ROADS, Interval, build_intervals
from routestatus.view import Choice, View
from tests.expected import expected_status, live, record_bounds

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
D = dt.date.fromisoformat
DAY = dt.timedelta(days=1)
CODEBOOK = (PROJECT_ROOT / "data" / "README.md").read_text(encoding="utf-8")

WHOLE = record_bounds()
BLOCKADE = (D("2022-12-12"), D("2023-09-19"))
RANGES = pytest.mark.parametrize("span", [WHOLE, BLOCKADE], ids=["whole record", "blockade"])


def counted(road: str, lo: dt.date, hi: dt.date) -> Counter:
    """Days of each status on ``road`` in [lo, hi], asking the documented rule day by day."""
    return Counter(expected_status(road, lo + DAY * i)[0] for i in range((hi - lo).days + 1))


@pytest.fixture(scope="module")
def data():
    dataset = load_dataset(Root(PROJECT_ROOT))
    return dataset, build_intervals(dataset.tables["events"])


def view_of(data, lo: dt.date, hi: dt.date) -> View:
    dataset, intervals = data
    default = View.default(dataset, intervals)
    return View(dataset, intervals, Choice(lo, hi).fit(default.options), default.options)


def page(name: str, lo: dt.date, hi: dt.date) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["from"], at.query_params["to"] = str(lo), str(hi)
    at.run()
    if name != "map":
        at.switch_page(f"pages/app/{name}.py").run()
    assert not at.exception
    return at


# "No civilian passage": the definition.


def test_the_codebook_defines_no_civilian_passage_from_two_statuses_and_names_outbound_apart():
    section = CODEBOOK.split("## No civilian passage", 1)[1].split("\n## ", 1)[0]
    for status in ("closed", "humanitarian_only", "outbound_only"):
        assert f"`{status}`" in section, status
    assert "outbound only (no way in)" in section.lower()


@RANGES
def test_no_civilian_passage_is_closed_plus_humanitarian_only_counted_day_by_day(data, span):
    view = view_of(data, *span)
    for road in ROADS:
        days = counted(road, *span)
        row = view.passage.loc[road]
        assert row["closed"] == days["closed"], road
        assert row["humanitarian_only"] == days["humanitarian_only"], road
        assert row["no_civilian_passage"] == days["closed"] + days["humanitarian_only"], road
        assert row["outbound_only"] == days["outbound_only"], road  # counted apart, not in the total
        assert row["unknown"] == days["unknown"], road


@RANGES
def test_the_timeline_days_table_and_its_sentences_give_that_total(span):
    at = page("timeline", *span)
    table = next(d.value for d in at.dataframe if NO_PASSAGE_COLUMN in d.value.columns)
    shown = [m.value for m in at.markdown]
    for road in ROADS:
        days = counted(road, *span)
        total = days["closed"] + days["humanitarian_only"]
        assert table.loc[ROAD_LABELS[road], NO_PASSAGE_COLUMN] == total, road
        assert table.loc[ROAD_LABELS[road], STATUS_LABELS["closed"]] == days["closed"], road
        sentence = next(m for m in shown if m.startswith(f"**{ROAD_LABELS[road]}**"))
        assert f"No civilian passage: {total:,} day" in sentence, sentence
        assert f"(closed {days['closed']:,}, humanitarian only {days['humanitarian_only']:,})" in sentence
        assert f"outbound only (no way in): {days['outbound_only']:,} day" in sentence


@RANGES
def test_each_map_card_says_the_total_and_whether_the_day_is_one_without_civilian_passage(span):
    at = page("map", *span)
    lo, hi = span
    shown = [m.value for m in at.markdown]
    on_day = [m for m in shown if m.startswith(f"On {hi}: ")]
    in_range = [m for m in shown if m.startswith(f"{lo} to {hi}: ")]
    assert len(on_day) == len(in_range) == len(ROADS)  # one of each per card, the cards in road order
    for road, day_line, range_line in zip(ROADS, on_day, in_range, strict=True):
        status = expected_status(road, hi)[0]
        assert ("no civilian passage" in day_line) == (status in ("closed", "humanitarian_only")), day_line
        days = counted(road, lo, hi)
        assert f"No civilian passage: {days['closed'] + days['humanitarian_only']:,} day" in range_line
        assert f"outbound only (no way in): {days['outbound_only']:,} day" in range_line


# Band labels readable on every fill.


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_contrast_formula_on_known_pairs():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#FFFFFF", "#D55E00") < 4.5  # the white label once drawn on the closed band's hatching


def every_status_band() -> dict[str, list[Interval]]:
    """One road holding a week of each status of the palette, so every band is drawn."""
    start = D("2023-01-01")
    return {
        "lachin": [
            Interval("lachin", status, start + 7 * i * DAY, start + (7 * i + 6) * DAY)
            for i, status in enumerate(STATUS_COLOURS)
        ]
    }


def assert_labels_readable(bars: list[dict]) -> None:
    for bar in bars:
        fill, text = bar["marker"]["color"], bar["insidetextfont"]["color"]
        # The pattern is drawn over the band's colour (not on white), and stops at the letters.
        assert bar["marker"]["pattern"].get("fillmode") == "overlay", bar["name"]
        assert fill in bar["insidetextfont"]["shadow"], bar["name"]
        assert contrast(text, fill) >= 4.5, (bar["name"], text, fill, contrast(text, fill))
        assert bar.get("textangle") == 0, bar["name"]  # never turned on its side in a narrow band


def test_every_status_label_contrasts_with_its_band(data):
    fig = timeline_figure(every_status_band(), data[0].tables["events"].iloc[:0])
    bars = [t.to_plotly_json() for t in fig.data if t.type == "bar"]
    assert {b["meta"]["status"] for b in bars} == set(STATUS_COLOURS)
    assert_labels_readable(bars)
    assert fig.layout.uniformtext.mode == "hide"  # a label too small to read is left to the hover and legend


def test_the_timeline_page_draws_readable_labels():
    at = page("timeline", *WHOLE)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = [t for t in spec["data"] if t.get("type") == "bar"]
    assert bars
    assert_labels_readable(bars)


# Event marks shaped by type, clear of the labels.


def test_every_event_type_has_its_own_symbol_valid_on_the_timeline_and_a_geo_map():
    types = load_schema(PROJECT_ROOT / "data" / "datapackage.json").enum("events", "event_type")
    assert set(EVENT_SYMBOLS) == set(types)
    symbols = [*EVENT_SYMBOLS.values(), MIXED_EVENTS_SYMBOL]
    assert len(set(symbols)) == len(symbols), "no two types share a shape"
    for symbol in symbols:
        go.Scatter(marker={"symbol": symbol})  # plotly refuses an unknown symbol
        go.Scattergeo(marker={"symbol": symbol})


def expected_marks(lo: dt.date, hi: dt.date) -> Counter:
    """(lane, day, symbol) of each timeline mark in [lo, hi], from events.csv: one per lane and day."""
    by_mark: dict[tuple[str, dt.date], set[str]] = {}
    for r in live("events"):
        start = D(r["date_start"])
        end = D(r["date_end"]) if r["date_end"] else start
        if r["date_precision"] == "month":
            end = (start.replace(day=28) + 4 * DAY).replace(day=1) - DAY
        if end < lo or start > hi:
            continue
        lanes = ROADS if r["route_id"] == "both" else (r["route_id"],)
        for lane in lanes:
            by_mark.setdefault((lane, max(start, lo)), set()).add(r["event_type"])
    return Counter(
        (lane, day, EVENT_SYMBOLS[next(iter(types))] if len(types) == 1 else MIXED_EVENTS_SYMBOL)
        for (lane, day), types in by_mark.items()
    )


def test_the_timeline_marks_each_day_by_its_events_type_above_the_band_label():
    lo, hi = D("2023-09-13"), D("2023-09-30")  # a short range: one mark per lane and day
    spec = json.loads(page("timeline", lo, hi).get("plotly_chart")[0].proto.spec)
    axis = spec["layout"]["yaxis"]
    lane_of = dict(zip(axis["tickvals"], axis["ticktext"], strict=True))
    lane_id = {label: road for road, label in ROAD_LABELS.items()}
    marks = next(t for t in spec["data"] if t.get("meta", {}).get("kind") == "events")
    drawn = Counter()
    for x, y, symbol in zip(marks["x"], marks["y"], marks["marker"]["symbol"], strict=True):
        lane = lane_id[lane_of[round(y)]]
        if lane in ROADS:
            # Above the band's centre line, where its label is, and still on the band.
            assert MARK_OFFSET - 1e-9 <= y - round(y) <= 0.4, (lane, x, y)
        drawn[(lane, dt.datetime.fromisoformat(x).date(), symbol)] += 1
    assert drawn == expected_marks(lo, hi)
    keys = {t["name"] for t in spec["data"] if t.get("meta", {}).get("kind") == "event_type"}
    named = {type_label(t) for t, s in EVENT_SYMBOLS.items() if any(k[2] == s for k in drawn)}
    assert keys == named | ({MIXED_EVENTS_LABEL} if any(k[2] == MIXED_EVENTS_SYMBOL for k in drawn) else set())
