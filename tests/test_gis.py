"""GIS exports: the snapshot's map.gpkg and GeoJSON layers hold the view's roads, status, places and events."""

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import zipfile

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from routestatus.paths import resolve_root
from routestatus.snapshot import read_snapshot, snapshot_zip
from routestatus.status import build_intervals
from routestatus.view import Choice, View

D = dt.date.fromisoformat
WHEN = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
LAYER_NAMES = ("roads", "status_segments", "places", "events")
GEOJSON = {name: f"map_{name}.geojson" for name in LAYER_NAMES}
# (from, to, roads): across the switch to the Lachin bypass, and the whole record on each road.
VIEWS = [("2022-08-01", "2022-12-31", ()), (None, None, ("lachin",)), (None, None, ("aghdam_askeran",))]


def read(table: str) -> list[dict[str, str]]:
    """A curated table's rows as text, from the root the data is loaded from."""
    with open(resolve_root().data / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def intervals(data):
    return build_intervals(data.tables["events"])


def make_view(data, intervals, lo=None, hi=None, roads=(), **more):
    default = View.default(data, intervals)
    start, end = default.options.bounds
    choice = Choice(D(lo) if lo else start, D(hi) if hi else end, roads=tuple(roads), **more).fit(default.options)
    return View(data, intervals, choice, default.options)


def unzip(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.fixture(scope="module")
def built(data, intervals, tmp_path_factory):
    """Per view: the view, its zip's files, and each layer read back from map.gpkg on disk and from its GeoJSON."""
    out = {}
    for key in VIEWS:
        view = make_view(data, intervals, *key)
        raw = snapshot_zip(view, WHEN)
        files = unzip(raw)
        path = tmp_path_factory.mktemp("gis") / "map.gpkg"
        path.write_bytes(files["map.gpkg"])
        gpkg = {name: gpd.read_file(path, layer=name) for name in LAYER_NAMES}
        geojson = {name: gpd.read_file(io.BytesIO(files[GEOJSON[name]])) for name in LAYER_NAMES}
        out[key] = (view, files, path, gpkg, geojson, raw)
    return out


def is_blank(value) -> bool:
    return value is None or (not isinstance(value, (str, list, tuple)) and bool(pd.isna(value)))


def text(value) -> str | None:
    """A cell read back from either format (or from a frame of the view) as the CSV files write it."""
    if is_blank(value):
        return None
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):  # a NumPy scalar
        value = value.item()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.isoformat()[:10]
    return str(value)


def same(value, cell: str) -> bool:
    """A value read back equals a CSV cell (text as written in data/)."""
    if cell == "":
        return is_blank(value)
    if isinstance(value, float):
        return value == float(cell)
    return text(value) == cell


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: text(v) for k, v in row.items()} for row in frame.drop(columns="geometry").to_dict("records")]


def coords(frame: gpd.GeoDataFrame) -> list[list[tuple[float, float]]]:
    return [[(round(x, 6), round(y, 6)) for x, y in g.coords] for g in frame.geometry]


def where() -> dict[str, tuple[float, float]]:
    return {p["place_id"]: (float(p["lon"]), float(p["lat"])) for p in read("places")}


def expected_segments(view) -> list[dict]:
    """The view's status intervals split where each road changed course, from alignments.csv's validity.

    A course is in use from valid_from to valid_to (open-ended when blank); an interval gives
    one segment per course in use on any of its days, cut to those days.
    """
    courses = sorted(read("alignments"), key=lambda a: a["valid_from"])
    sources = {e["event_id"]: e["source_ids"] for e in read("events")}
    out = []
    for row in view.status_intervals.to_dict("records"):
        first, last = row["date_from"].date(), row["date_to"].date()
        evidence = row["evidence_event_ids"] if isinstance(row["evidence_event_ids"], str) else ""
        cited = [s for e in evidence.split(";") if e for s in sources[e].split(";")]
        for a in courses:
            if a["route_id"] != row["route_id"]:
                continue
            lo = max(first, D(a["valid_from"]))
            hi = min(last, D(a["valid_to"])) if a["valid_to"] else last
            if lo > hi:
                continue
            out.append(
                {
                    "route_id": row["route_id"],
                    "alignment_id": a["alignment_id"],
                    "status": row["status"],
                    "date_from": lo.isoformat(),
                    "date_to": hi.isoformat(),
                    "days": str((hi - lo).days + 1),
                    "start_precision": row["start_precision"],
                    "evidence_event_ids": evidence or None,
                    "evidence_source_ids": ";".join(dict.fromkeys(cited)) or None,
                }
            )
    return out


@pytest.mark.parametrize("key", VIEWS)
def test_the_geopackage_lists_and_reads_back_every_layer(built, key):
    view, files, path, gpkg, _, _ = built[key]
    listed = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert listed == {"roads": "LineString", "status_segments": "LineString", "places": "Point", "events": "Point"}
    for name in LAYER_NAMES:
        assert gpkg[name].crs.to_epsg() == 4326
        assert pyogrio.read_info(path, layer=name)["features"] == len(gpkg[name])


@pytest.mark.parametrize("key", VIEWS)
def test_roads_are_the_shown_roads_courses_from_alignments_csv(built, key):
    view, _, _, gpkg, _, _ = built[key]
    rows = sorted(
        (a for a in read("alignments") if a["route_id"] in view.choice.shown_roads), key=lambda a: a["alignment_id"]
    )
    layer = gpkg["roads"]
    assert list(layer.columns.drop("geometry")) == list(rows[0])
    for got, want in zip(layer.drop(columns="geometry").to_dict("records"), rows, strict=True):
        assert all(same(got[k], want[k]) for k in want), (got, want)
    places = where()
    assert coords(layer) == [[places[w] for w in a["waypoints"].split(";")] for a in rows]


@pytest.mark.parametrize("key", VIEWS)
def test_status_segments_are_the_intervals_cut_at_each_change_of_course(built, key):
    view, _, _, gpkg, _, _ = built[key]
    want = expected_segments(view)
    layer = gpkg["status_segments"]
    assert records(layer) == want
    # Each segment is drawn on the course it names.
    courses = {a: c for a, c in zip(gpkg["roads"]["alignment_id"], coords(gpkg["roads"]), strict=True)}
    assert coords(layer) == [courses[w["alignment_id"]] for w in want]


def test_a_status_across_the_switch_to_the_bypass_gives_one_segment_per_course(built):
    view, _, _, gpkg, _, _ = built[VIEWS[0]]
    lachin = {a["alignment_id"]: a for a in read("alignments") if a["route_id"] == "lachin"}
    old = next(a for a in lachin.values() if a["valid_to"])
    new = next(a for a in lachin.values() if a["valid_from"] == (D(old["valid_to"]) + dt.timedelta(days=1)).isoformat())
    across = [
        r
        for r in view.status_intervals.to_dict("records")
        if r["route_id"] == "lachin" and r["date_from"].date() <= D(old["valid_to"]) < r["date_to"].date()
    ]
    assert len(across) == 1  # the range was chosen to hold the switch inside one status
    iv = across[0]
    segments = gpkg["status_segments"]
    parts = segments[(segments["route_id"] == "lachin") & (segments["status"] == iv["status"])]
    parts = parts[parts["date_from"] <= iv["date_to"]].sort_values("date_from")
    assert [text(v) for v in parts["alignment_id"]] == [old["alignment_id"], new["alignment_id"]]
    assert [text(v) for v in parts["date_from"]] == [text(iv["date_from"]), new["valid_from"]]
    assert [text(v) for v in parts["date_to"]] == [old["valid_to"], text(iv["date_to"])]
    assert int(parts["days"].sum()) == int(iv["days"])
    # Every other interval of the range falls within one course.
    assert len(segments) == len(view.status_intervals) + 1


@pytest.mark.parametrize("key", VIEWS)
def test_places_have_every_column_of_places_csv_and_its_points(built, key):
    _, _, _, gpkg, _, _ = built[key]
    rows = sorted(read("places"), key=lambda p: p["place_id"])
    layer = gpkg["places"]
    assert list(layer.columns.drop("geometry")) == list(rows[0])
    for got, want in zip(layer.drop(columns="geometry").to_dict("records"), rows, strict=True):
        assert all(same(got[k], want[k]) for k in want), (got, want)
    assert [(p.x, p.y) for p in layer.geometry] == [(float(p["lon"]), float(p["lat"])) for p in rows]
    for lang in ("en", "hy", "az", "ru"):
        assert f"name_{lang}" in layer.columns


@pytest.mark.parametrize("key", VIEWS)
def test_events_are_the_views_events_that_have_a_place(built, key):
    view, _, _, gpkg, _, raw = built[key]
    table = view.table("events")
    placed = table[table["place_id"].isin(list(where()))]
    layer = gpkg["events"]
    assert list(layer["event_id"]) == list(placed["event_id"])
    assert len(layer) > 0
    # Every column of the snapshot's events.csv, with the same values.
    assert list(layer.columns.drop("geometry")) == list(table.columns)
    assert records(layer) == [{k: text(v) for k, v in r.items()} for r in placed.to_dict("records")]
    places = where()
    assert [(p.x, p.y) for p in layer.geometry] == [places[p] for p in placed["place_id"]]
    # And the ids are events.csv's rows that name a place.
    csv_rows = read_snapshot(raw).tables["events"]
    assert set(layer["event_id"]) == set(csv_rows.loc[csv_rows["place_id"].notna(), "event_id"])


@pytest.mark.parametrize("key", VIEWS)
def test_each_geojson_layer_equals_its_geopackage_layer(built, key):
    _, files, _, gpkg, geojson, _ = built[key]
    for name in LAYER_NAMES:
        raw = json.loads(files[GEOJSON[name]])
        assert raw["name"] == name and "crs" not in raw  # RFC 7946: WGS 84 is implied
        assert records(geojson[name]) == records(gpkg[name]), name
        assert coords(geojson[name]) == coords(gpkg[name]), name
        for feature in raw["features"]:  # six decimals at most, as in geo/
            numbers = re.findall(r"-?\d+(?:\.\d+)?", json.dumps(feature["geometry"]["coordinates"]))
            assert numbers and all(len(n.partition(".")[2]) <= 6 for n in numbers)


def test_the_manifest_lists_every_gis_file_with_its_hash_and_feature_count(built):
    _, files, _, gpkg, _, raw = built[VIEWS[0]]
    manifest = json.loads(files["manifest.json"])
    entries = {e["path"]: e for e in manifest["files"]}
    assert set(files) - {"manifest.json"} == set(entries)
    assert entries["map.gpkg"]["layers"] == {name: len(gpkg[name]) for name in LAYER_NAMES}
    for name in LAYER_NAMES:
        assert entries[GEOJSON[name]]["features"] == len(gpkg[name])
    assert read_snapshot(raw).problems == []
    # The map layers the dashboard reads are still there.
    assert {"routes.geojson", "places.geojson"} <= set(files)
    readme = files["README.md"].decode("utf-8")
    assert "QGIS" in readme and "ArcGIS" in readme
    for name in LAYER_NAMES:
        fields = ", ".join(gpkg[name].columns.drop("geometry"))
        assert f"`{name}` (also `{GEOJSON[name]}`)" in readme and f"Fields: {fields}." in readme


def test_without_map_layers_a_snapshot_has_no_gis_files_and_still_reads_back(data, intervals):
    broken = dataclasses.replace(data, map_layers=None)
    view = make_view(broken, intervals, *VIEWS[0])
    raw = snapshot_zip(view, WHEN)
    files = unzip(raw)
    assert "map.gpkg" not in files and not any(GEOJSON[n] in files for n in LAYER_NAMES)
    assert read_snapshot(raw).problems == []


def test_two_builds_give_the_same_bytes(data, intervals, built):
    view, files, _, _, _, _ = built[VIEWS[0]]
    again = make_view(data, intervals, *VIEWS[0])
    assert snapshot_zip(again, WHEN) == snapshot_zip(view, WHEN)
    # Later the same day: the GeoPackage records only the day, so it is the same file.
    later = unzip(snapshot_zip(again, WHEN + dt.timedelta(hours=5)))
    assert later["map.gpkg"] == files["map.gpkg"]
    # Another day: every GeoJSON layer is the same; the GeoPackage carries the new day.
    other = unzip(snapshot_zip(again, WHEN + dt.timedelta(days=3)))
    assert all(other[GEOJSON[n]] == files[GEOJSON[n]] for n in LAYER_NAMES)
    assert other["map.gpkg"] != files["map.gpkg"]


def test_a_view_with_no_placed_events_still_has_every_layer_with_its_fields(data, intervals, tmp_path):
    view = make_view(data, intervals, "2022-08-01", "2022-12-31", q="zqxjkvw")
    assert view.events.empty
    files = unzip(snapshot_zip(view, WHEN))
    path = tmp_path / "map.gpkg"
    path.write_bytes(files["map.gpkg"])
    assert [name for name, _ in pyogrio.list_layers(path)] == list(LAYER_NAMES)
    events = gpd.read_file(path, layer="events")
    assert events.empty and list(events.columns.drop("geometry")) == list(view.table("events").columns)
    types = dict(zip(*(pyogrio.read_info(path, layer="events")[k] for k in ("fields", "dtypes")), strict=True))
    assert types["date_start"].startswith("datetime")  # still a date field, not text
    assert len(gpd.read_file(path, layer="status_segments")) == len(expected_segments(view))
    assert json.loads(files[GEOJSON["events"]])["features"] == []


def test_parts_kept_from_earlier_snapshots_give_the_files_of_a_first_snapshot(data, intervals, built):
    """The roads and places files are kept per dataset: roads per set of roads, the GeoPackage's start per day.

    After snapshots of other views and of another day, each view's files are those of the same
    dataset with nothing kept.
    """
    for key in VIEWS:
        snapshot_zip(make_view(data, intervals, *key), WHEN + dt.timedelta(days=1))
        after_others = unzip(snapshot_zip(make_view(data, intervals, *key), WHEN))
        first = dataclasses.replace(data)  # the same tables, nothing kept
        assert not first.kept
        assert after_others == unzip(snapshot_zip(make_view(first, intervals, *key), WHEN))
