"""The access map as the Map page draws it: statuses by colour and pattern, sites, labels, scale, selection.

Expected statuses come from tests/expected.py (the documented rule over data/events.csv);
places and names from data/places.csv.
"""

import datetime as dt
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from routestatus.accessmap import (
    HOVER_WIDTH,
    KIND_SYMBOLS,
    LAT_RANGE,
    LON_RANGE,
    SCALE_KM,
    SETTLEMENTS,
    STATUS_DASHES,
    selected_records,
    short_name,
)
from routestatus.labels import STATUS_COLOURS
from tests.expected import expected_status, read

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
D = dt.date.fromisoformat


def map_spec(**query) -> dict:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return json.loads(at.get("plotly_chart")[0].proto.spec), at


def traces(spec: dict, kind: str) -> list[dict]:
    return [t for t in spec["data"] if t.get("meta", {}).get("kind") == kind]


def km(lon0, lat0, lon1, lat1) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p0, p1, dl = math.radians(lat0), math.radians(lat1), math.radians(lon1 - lon0)
    a = math.sin((p1 - p0) / 2) ** 2 + math.cos(p0) * math.cos(p1) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_on_20_june_2023_both_roads_are_closed_in_colour_and_pattern_and_the_hakari_checkpoint_is_shown():
    day = D("2023-06-20")
    spec, _ = map_spec(asof=str(day))
    roads = {t["meta"]["route_id"]: t for t in traces(spec, "road")}
    for road in ("lachin", "aghdam_askeran"):
        status = expected_status(road, day)[0]
        assert status == "closed", road  # the record's own reading of that day
        assert roads[road]["line"]["color"] == STATUS_COLOURS["closed"]
        assert roads[road]["line"]["dash"] == STATUS_DASHES["closed"]
        assert roads[road]["name"].endswith(": Closed")
    hakari = [p for p in read("places") if "hakari" in p["name_en"].lower() and p["kind"] not in SETTLEMENTS]
    assert hakari, "places.csv holds the Hakari bridge site"
    sites = traces(spec, "sites")
    shown = {(t["meta"]["site_kind"], text) for t in sites for text in t["text"]}
    for place in hakari:
        label = short_name(place["name_en"])
        assert any(kind == place["kind"] and text.startswith(label) for kind, text in shown), (label, shown)
        trace = next(t for t in sites if t["meta"]["site_kind"] == place["kind"])
        assert trace["marker"]["symbol"] == KIND_SYMBOLS.get(place["kind"], "circle")
        assert "+text" in trace["mode"] or trace["mode"].endswith("text")


def test_every_status_has_its_own_pattern():
    assert len(set(STATUS_DASHES.values())) == len(STATUS_DASHES) == len(STATUS_COLOURS)


def test_places_are_labelled_without_hovering_in_the_chosen_language():
    spec, at = map_spec()
    settled = [p for p in read("places") if p["kind"] in SETTLEMENTS]
    (places,) = traces(spec, "places")
    assert "text" in places["mode"]
    assert sorted(places["text"]) == sorted(short_name(p["name_en"]) for p in settled)
    at.segmented_control(key="map_names").set_value("Armenian").run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    (places,) = traces(spec, "places")
    assert sorted(places["text"]) == sorted(short_name(p["name_hy"]) for p in settled)


def test_country_names_lie_inside_the_region():
    spec, _ = map_spec()
    (countries,) = traces(spec, "countries")
    assert {"ARMENIA", "AZERBAIJAN"} <= set(countries["text"])
    for lon, lat in zip(countries["lon"], countries["lat"], strict=True):
        assert LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]


def test_the_scale_bar_is_as_long_as_it_says():
    spec, _ = map_spec()
    (bar,) = traces(spec, "scale")
    # The bar runs from its third point to its fourth (the first two and last two are end ticks).
    length = km(bar["lon"][2], bar["lat"][2], bar["lon"][3], bar["lat"][3])
    assert abs(length - SCALE_KM) < 0.05, length


def test_no_built_in_layer_is_used_and_the_wheel_scrolls_the_page():
    spec, at = map_spec()
    assert spec["layout"]["geo"]["visible"] is False
    assert all(t["type"] == "scattergeo" for t in spec["data"])
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["scrollZoom"] is False


def test_hover_text_wraps():
    spec, _ = map_spec()
    for trace in spec["data"]:
        hover = trace.get("hovertext")
        for text in hover if isinstance(hover, list) else [hover] if hover else []:
            for line in text.split("<br>"):
                # An event line is "E025 2023-06-15: " then up to HOVER_WIDTH characters of its summary.
                assert len(line) <= HOVER_WIDTH + 40, line


def test_a_click_on_a_mark_names_its_events():
    events = pd.DataFrame({"event_id": ["E001", "E002", "E003"], "place_id": ["lachin", "lachin", "goris"]})
    assert selected_records({"selection": {"points": [{"customdata": "E002;E009"}]}}, events) == ["E002"]
    assert selected_records({"selection": {"points": [{"customdata": ["lachin"]}]}}, events) == ["E001", "E002"]
    assert selected_records({"selection": {"points": []}}, events) == []
    assert selected_records(None, events) == []


@pytest.mark.parametrize("day", ["2022-12-20", "2023-06-20", "2023-09-25", "2024-06-01"])
def test_a_site_is_active_while_its_latest_event_leaves_passage_not_open(day):
    sites = {p["place_id"] for p in read("places") if p["kind"] not in SETTLEMENTS}
    latest = {}
    for e in sorted(read("events"), key=lambda e: (e["date_start"], e["event_id"])):
        if e["retracted"] == "false" and e["place_id"] in sites and D(e["date_start"]) <= D(day):
            latest[e["place_id"]] = e
    want = {p for p, e in latest.items() if e["status_after"] != "open"}
    spec, _ = map_spec(asof=day)
    shown = set()
    for trace in traces(spec, "sites"):
        active = set(trace["meta"]["active"])
        shown |= active
        for place_id, colour in zip(trace["customdata"], trace["marker"]["color"], strict=True):
            assert colour == ("#000000" if place_id in active else "#9A9A9A")
    assert shown == want


def test_a_range_whose_events_have_no_place_draws_the_map_without_event_marks():
    # 2021-01-13 to 2021-10-31: three events in the curated record, none at a mapped place.
    in_range = [e for e in read("events") if "2021-01-13" <= e["date_start"] <= "2021-10-31"]
    assert in_range and not any(e["place_id"] for e in in_range)
    spec, at = map_spec(**{"from": "2021-01-13", "to": "2021-10-31"})
    assert traces(spec, "events") == [] and traces(spec, "road")
    assert at.metric[0].value == str(len(in_range))


def test_parts_kept_for_one_map_layers_are_dropped_when_other_layers_are_drawn(data):
    import copy

    import plotly.io as pio

    from routestatus import accessmap
    from routestatus.status import build_intervals
    from routestatus.view import View

    view = View.default(data, build_intervals(data.tables["events"]))
    statuses = {road: card.interval for road, card in view.cards.items()}

    def drawn(layers):
        fig = accessmap.access_map(
            layers, view.choice.shown_roads, statuses, view.choice.day, view.events, data.tables["events"]
        )
        return pio.to_json(fig.to_dict(), validate=False)

    old, new = data.map_layers, copy.copy(data.map_layers)  # the same layers, as data loaded anew
    first = drawn(old)
    assert any(owner is old for owner, _ in accessmap._KEPT.values())
    assert drawn(new) == first
    assert all(owner is new for owner, _ in accessmap._KEPT.values())  # nothing keeps the old ones alive
    assert drawn(new) == first
