"""The view as GIS layers: a GeoPackage and one GeoJSON file per layer, for QGIS, ArcGIS and the like.

Four layers, WGS 84 longitude/latitude (EPSG:4326), each built from the same
:class:`routestatus.view.View` as the snapshot's CSV files:

- ``roads``: every course of each shown road, with the fields of ``data/alignments.csv``.
- ``status_segments``: one line per road course and status interval of the range. A status
  that lasted across a change of course gives one feature per course, each cut to the days
  that course was in use; days on which a road had no course in use get none.
- ``places``: every place, with every column of ``data/places.csv`` (names in four languages).
- ``events``: the view's events that name a place, with every column of ``events.csv``,
  drawn at that place.

:func:`gpkg_bytes` writes them into one GeoPackage with pyogrio; :func:`geojson_bytes`
writes one as RFC 7946 GeoJSON with six decimals, as the files in ``geo/`` are (the bytes
GDAL writes, laid out in Arrow).
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import threading
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely

from routestatus.geojsontext import layer_geojson
from routestatus.gisfiles import CRS, GPKG_FILE, LAYERS
from routestatus.isodate import as_days
from routestatus.view import View

SEGMENT_COLUMNS = (
    "route_id",
    "alignment_id",
    "status",
    "date_from",
    "date_to",
    "days",
    "start_precision",
    "evidence_event_ids",
    "evidence_source_ids",
)
FAR = dt.date.max


def _day(value) -> dt.date | None:
    """A day from text, a timestamp or a date; None if blank."""
    if value is None or value == "" or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _as_days(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each date column as Arrow days, so GeoPackage and GeoJSON get date fields.

    Every datetime column of the curated and derived tables holds days (the schema's ``date``);
    an Arrow date column keeps its type even when empty or blank, where plain dates would not.
    """
    out = frame.copy()
    for name in out.columns:
        if name != "geometry" and pd.api.types.is_datetime64_any_dtype(out[name]):
            days = pa.array(out[name].to_numpy(), from_pandas=True).cast(pa.date32())
            out[name] = pd.Series(pd.arrays.ArrowExtensionArray(days), index=out.index)
    return out


def _frame(columns: Mapping[str, object] | pd.DataFrame, geometry: list) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(columns).reset_index(drop=True)
    return gpd.GeoDataFrame(_as_days(frame), geometry=geometry, crs=CRS)


def _courses(view: View) -> list:
    """The shown roads' courses, by alignment id (the map's own, read from geo/routes.geojson)."""
    layers = view.data.map_layers
    roads = set(view.choice.shown_roads)
    return sorted((c for c in layers.courses if c.route_id in roads), key=lambda c: c.alignment_id)


def _line(course) -> shapely.LineString:
    return shapely.LineString(list(zip(course.lon, course.lat, strict=True)))


def _kept(view: View, key: tuple, make: Callable[[], object]):
    """``make()`` kept per dataset for ``key`` (``Dataset.keep``).

    Only for what depends on the data and the shown roads alone, never on the range: the
    same object is handed to every later snapshot, so it is never changed after it is made.
    """
    return view.data.keep(key, make)


def roads_layer(view: View) -> gpd.GeoDataFrame:
    """Every course of each shown road with its fields from ``data/alignments.csv``, by alignment id.

    Kept per dataset and set of roads; not to be changed.
    """

    def make() -> gpd.GeoDataFrame:
        alignments = view.data.tables["alignments"].drop(columns="_line", errors="ignore")
        by_id = {a: i for i, a in enumerate(alignments["alignment_id"])}
        courses = [c for c in _courses(view) if c.alignment_id in by_id]
        rows = alignments.iloc[[by_id[c.alignment_id] for c in courses]]
        return _frame(rows, [_line(c) for c in courses])

    return _kept(view, ("roads", _roads(view)), make)


def _roads(view: View) -> tuple[str, ...]:
    return tuple(sorted(view.choice.shown_roads))


def segments_layer(view: View) -> gpd.GeoDataFrame:
    """One feature per road course and status interval of the range, cut to the days that course was in use."""
    events = view.data.tables["events"]
    # Each event's sources, kept per dataset: made per snapshot, the dict of every event cost 3 ms at 10,000 events.
    sources = _kept(
        view,
        ("event sources",),
        lambda: dict(zip(events["event_id"].tolist(), events["source_ids"].tolist(), strict=True)),
    )
    courses = _courses(view)
    lines = {c.alignment_id: _line(c) for c in courses}  # one line per course, shared by its features
    columns: dict[str, list] = {name: [] for name in SEGMENT_COLUMNS}
    drawn = []
    for road in view.choice.shown_roads:
        mine = sorted((c for c in courses if c.route_id == road), key=lambda c: c.valid_from)
        for iv in view.clipped.get(road, []):
            cited = [s for e in iv.evidence if isinstance(sources.get(e), str) for s in sources[e].split(";")]
            for course in mine:
                first = max(iv.start, _day(course.valid_from) or iv.start)
                last = min(iv.end, _day(course.valid_to) or FAR)
                if first > last:
                    continue
                row = (
                    road,
                    course.alignment_id,
                    iv.status,
                    first,
                    last,
                    (last - first).days + 1,
                    iv.precision,
                    ";".join(iv.evidence) or None,
                    ";".join(dict.fromkeys(cited)) or None,
                )
                for name, value in zip(SEGMENT_COLUMNS, row, strict=True):
                    columns[name].append(value)
                drawn.append(lines[course.alignment_id])
    # Each column made in its type at once, where a frame of objects was cast twice (7 ms at 10,000 events).
    typed = {
        name: as_days(values).astype("datetime64[us]")
        if name in ("date_from", "date_to")
        else pd.array(values, dtype="Int64" if name == "days" else "string")
        for name, values in columns.items()
    }
    return _frame(typed, drawn)


def _points(lon: pd.Series, lat: pd.Series) -> np.ndarray:
    """Points from coordinate columns, at once (one by one took most of the events layer's time); None where blank."""
    x = lon.to_numpy(dtype="float64", na_value=np.nan)
    y = lat.to_numpy(dtype="float64", na_value=np.nan)
    points = shapely.points(x, y)
    points[np.isnan(x) | np.isnan(y)] = None
    return points


def places_layer(view: View) -> gpd.GeoDataFrame:
    """Every place with every column of ``data/places.csv``, by place id, at its coordinates.

    Kept per dataset; not to be changed.
    """

    def make() -> gpd.GeoDataFrame:
        places = view.data.tables["places"].drop(columns="_line", errors="ignore").sort_values("place_id")
        return _frame(places, _points(places["lon"], places["lat"]))

    return _kept(view, ("places",), make)


def events_layer(view: View, events: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """The view's events that name a known place, with every export column, at the place; in the view's order.

    ``events`` is ``view.table("events")`` when the caller has it already (the snapshot does).
    """
    events = view.table("events") if events is None else events
    # Each place's point, made once per dataset; an event is drawn at its place's (shared, as shapely's are immutable).
    ids, points = _kept(view, ("place points",), lambda: _place_points(view.data.tables["places"]))
    at = ids.get_indexer(events["place_id"])
    known = at >= 0
    return _frame(events[known], points[at[known]])


def _place_points(places: pd.DataFrame) -> tuple[pd.Index, np.ndarray]:
    """The places' ids, each once (checked data holds no id twice; of one given twice, the last row), and points."""
    last = places.drop_duplicates("place_id", keep="last")
    return pd.Index(last["place_id"]), _points(last["lon"], last["lat"])


def layers(view: View, events: pd.DataFrame | None = None) -> dict[str, gpd.GeoDataFrame]:
    """The view's four layers, by name, in :data:`LAYERS` order (none when the map layers did not load).

    ``events``, if given, is ``view.table("events")`` already worked out.
    """
    if view.data.map_layers is None or view.choice is None:
        return {}
    return {
        "roads": roads_layer(view),
        "status_segments": segments_layer(view),
        "places": places_layer(view),
        "events": events_layer(view, events),
    }


GEOMETRY = {layer.name: layer.geometry for layer in LAYERS}
# The layers that depend on the data and the shown roads alone, never on the range.
FIXED = ("roads", "places")
# GDAL is one per process and its options are global: one writer at a time sets the date.
_GDAL = threading.Lock()


@contextmanager
def _writing(day: dt.date):
    """GDAL set up for writing a snapshot's GeoPackage: its clock stopped at midnight (UTC) of ``day``.

    A GeoPackage records when each layer last changed (``gpkg_contents.last_change``);
    GDAL takes that time from ``OGR_CURRENT_DATE`` when set, so the file is the same for
    the same layers and day. SQLite is also told not to wait for each commit to reach the
    disk (``OGR_SQLITE_SYNCHRONOUS``): the file is a temporary one, read back whole once
    closed, and the wait was half the time of writing it. The bytes are the same either way.
    """
    settings = {"OGR_CURRENT_DATE": f"{day.isoformat()}T00:00:00.000Z", "OGR_SQLITE_SYNCHRONOUS": "OFF"}
    with _GDAL:
        before = {name: pyogrio.get_gdal_config_option(name) for name in settings}
        pyogrio.set_gdal_config_options(settings)
        try:
            yield
        finally:
            pyogrio.set_gdal_config_options(before)


def gpkg_bytes(
    view: View | Mapping[str, gpd.GeoDataFrame], day: dt.date | None = None, start: tuple[bytes, int] = (b"", 0)
) -> bytes:
    """The view's layers (or layers already built by :func:`layers`) as one GeoPackage's bytes.

    ``day`` (default today, UTC) is what the GeoPackage records as each layer's last
    change; the same layers and day give the same bytes. ``start`` is a GeoPackage that
    holds the first few of the layers already, and how many: GDAL opens the file anew for
    each layer, so going on from a copy of one gives the very bytes of writing them all.
    """
    built = layers(view) if isinstance(view, View) else view
    day = day or dt.datetime.now(dt.UTC).date()
    head, written = start
    with tempfile.TemporaryDirectory() as folder, _writing(day):
        path = Path(folder) / GPKG_FILE
        if written:
            path.write_bytes(head)
        for name, frame in list(built.items())[written:]:
            pyogrio.write_dataframe(
                frame, path, layer=name, driver="GPKG", geometry_type=GEOMETRY.get(name), use_arrow=True
            )
        return path.read_bytes() if built else b""


def geojson_bytes(frame: gpd.GeoDataFrame, name: str, kept: dict | None = None) -> bytes:
    """One layer as RFC 7946 GeoJSON, six decimals, one feature per line (as GDAL writes ``geo/``).

    The bytes are :func:`gdal_geojson_bytes`'s, written in Arrow by
    :func:`routestatus.geojsontext.layer_geojson`; ``kept`` (a dict, such as the dataset's)
    keeps the parts GDAL still writes, the file's head and each distinct geometry.
    """
    return layer_geojson(frame, name, gdal_geojson_bytes, kept)


def gdal_geojson_bytes(frame: gpd.GeoDataFrame, name: str) -> bytes:
    """:func:`geojson_bytes` written by GDAL's GeoJSON driver, feature by feature."""
    buffer = io.BytesIO()
    pyogrio.write_dataframe(
        frame,
        buffer,
        layer=name,
        driver="GeoJSON",
        geometry_type=GEOMETRY.get(name),
        use_arrow=True,
        RFC7946="YES",
        COORDINATE_PRECISION=6,
    )
    return buffer.getvalue()


def gis_files(
    view: View, day: dt.date | None = None, events: pd.DataFrame | None = None
) -> tuple[dict[str, bytes], dict[str, gpd.GeoDataFrame]]:
    """A snapshot's GIS files (``map.gpkg`` and each layer's GeoJSON), and the layers they hold.

    ``day`` is the GeoPackage's (see :func:`gpkg_bytes`); ``events`` is ``view.table("events")``
    if the caller has it already. The files of the layers that do not change with the range
    (roads and places) are written once per dataset and kept.
    """
    built = layers(view, events)
    if not built:
        return {}, {}
    day = day or dt.datetime.now(dt.UTC).date()
    roads = _roads(view)
    # The GeoPackage with the roads layer alone, the first one written, kept with the day it
    # carries: a snapshot made on another day writes it anew (and keeps that one instead).
    key = ("gpkg roads", roads)
    kept = view.data.kept.get(key)
    if kept is None or kept[0] != day:
        kept = view.data.kept[key] = (day, gpkg_bytes({"roads": built["roads"]}, day))
    files = {GPKG_FILE: gpkg_bytes(built, day, (kept[1], 1))}
    for layer in LAYERS:
        frame = built[layer.name]
        if layer.name in FIXED:
            files[layer.geojson_file] = _kept(
                view, ("geojson", layer.name, roads), lambda f=frame, n=layer.name: geojson_bytes(f, n)
            )
        else:
            files[layer.geojson_file] = geojson_bytes(frame, layer.name, view.data.kept)
    return files, built
