"""Reading ``data/``, ``geo/`` and ``seeds/`` into typed frames for the pages.

The loader reads the same strict CSV parse as ``validate`` and returns its report with
the frames, so a page can show a problems panel instead of the views the problems affect.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from routestatus.anchors import ANCHORS_FILE, Verification, read_anchors, verify
from routestatus.contenthash import fingerprint
from routestatus.csvfile import CsvRead, read_csv
from routestatus.maplayers import MapLayers, map_layers
from routestatus.paths import Root
from routestatus.schema import Schema, load_schema
from routestatus.search import Index
from routestatus.selection import Selection
from routestatus.typedframes import typed
from routestatus.validate import Report, validate

T = TypeVar("T")


@dataclass
class Dataset:
    """All curated tables as DataFrames, the map layers, and the validation report.

    ``geo_files`` holds the routes and places layers' bytes as read (a snapshot carries
    them); ``map_layers`` is what the map draws, prepared from them once.
    """

    tables: dict[str, pd.DataFrame]
    report: Report
    schema: Schema | None = None
    version: str = ""
    fingerprint: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    geo_files: dict[str, bytes] = field(default_factory=dict)
    quote_checks: Verification = field(default_factory=Verification)
    map_layers: MapLayers | None = None

    @cached_property
    def search(self) -> Index:
        """The search index of the events and statements, folded on the first search and kept."""
        return Index(self.tables)

    @cached_property
    def selection(self) -> Selection:
        """The events and statements as arrays for selecting a view's rows, worked out on first use and kept."""
        return Selection(self.tables)

    @cached_property
    def kept(self) -> dict:
        """Parts of exports that depend on the data alone, by name, each worked out on first use and kept.

        The snapshot's map files of places and roads, for one: they are the same for every
        choice of range, so only the first snapshot of a dataset writes them. Never stored in
        the disk cache (only the fields are), and never changed once kept.
        """
        return {}

    def keep(self, key: object, make: Callable[[], T]) -> T:
        """``make()`` worked out once for this dataset and ``key``, and kept in :attr:`kept`.

        Two threads may both make it the first time; they make the same thing.
        """
        kept = self.kept
        if key not in kept:
            kept[key] = make()
        return kept[key]


def in_date_order(frame: pd.DataFrame, date: str, key: str) -> pd.DataFrame:
    """``frame.sort_values([date, key], ignore_index=True)``: missing values last, ties in file order.

    The order is worked out in Arrow, and the rows are taken only when they are not in it
    already: a file kept in date order costs no copy. At 100,000 events ``sort_values``
    took 0.14 s of a first start, most of it the copy of every column.
    """
    try:
        keys = pa.table(
            {"date": pa.array(frame[date].to_numpy(), from_pandas=True), "key": pa.array(frame[key], from_pandas=True)}
        )
    except (pa.ArrowException, TypeError, ValueError):  # a column that did not load as one type
        return frame.sort_values([date, key], ignore_index=True)
    # Missing values sort last by default, as in pandas; the sort is stable.
    order = pc.sort_indices(keys, sort_keys=[("date", "ascending"), ("key", "ascending")]).to_numpy()
    if bool((order == np.arange(len(order))).all()):
        return frame.reset_index(drop=True) if not isinstance(frame.index, pd.RangeIndex) else frame
    return frame.take(order).reset_index(drop=True)


def _frame(
    schema: Schema, table: str, root: Root, parsed: CsvRead | None = None, order: tuple[str, str] | None = None
) -> pd.DataFrame:
    """One table as a DataFrame: the declared columns, typed (see :func:`typedframes.typed`).

    Plus ``_line``, the row's line in the file, for messages. Rows whose cells fail the
    schema are kept, with the bad cells as missing, and are reported by ``validate``.
    ``parsed`` is the file as ``validate`` already read it, if any. ``order`` is a date
    column and a key: the rows are then in :func:`in_date_order`.
    """
    t = schema.tables[table]
    if parsed is None:
        parsed = read_csv(root.data / t.path, root.rel(root.data / t.path), t.columns)
    lines = np.asarray(parsed.lines, dtype=np.int64)
    blanks = None  # the blank dates, when the text was put in order before typing
    if parsed.table is not None:
        whole = parsed.table
        found = _text_date_order(whole, *order) if order is not None else None
        if found is not None:
            at, blanks = found
            if not (at == np.arange(len(at))).all():  # a file kept in date order costs no copy
                # Taken once, in order, in Arrow: that gives each column in one piece, as the frame
                # needs, and spares typing and then taking every column again (40 ms at 100,000 events).
                whole, lines = whole.take(at), lines[at]
        # Arrow's text columns become the frame's as they are, without a Python string per cell;
        # each in one piece, not in the reader's blocks: putting 100,000 events in date order
        # then took 0.18 s instead of 0.08 s, far more than joining the blocks.
        whole = whole.combine_chunks()
        raw = pd.DataFrame({c: pd.array(whole.column(c), dtype="string") for c in t.columns})
    else:
        raw = pd.DataFrame([r.values for r in parsed.rows], columns=t.columns, dtype="string")
    frame = typed(t, raw)
    frame["_line"] = lines
    if order is None:
        return frame
    if blanks is not None:
        if _dates_in_order(frame[order[0]], blanks):
            return frame
        # Back in the file's order first, so rows that tie once typed fall as in_date_order puts them.
        frame = frame.take(np.argsort(at, kind="stable")).reset_index(drop=True)
    return in_date_order(frame, *order)


# A day as the data files write it; text in this form sorts as the days do.
_DAY_TEXT = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _text_date_order(table: pa.Table, date: str, key: str) -> tuple[np.ndarray, int] | None:
    """:func:`in_date_order`'s order worked out on the text, and how many dates are blank; else None.

    Only when every date is blank or written as a day. Blanks are missing, so last, as in
    pandas; ties by key, then file order. A date in the form that is not a day (2023-02-30)
    is missing once typed: :func:`_dates_in_order` finds it.
    """
    dates, keys = table.column(date), table.column(key)
    blank = pc.equal(dates, "")
    if not pc.all(pc.or_(blank, pc.match_substring_regex(dates, _DAY_TEXT))).as_py():
        return None
    missing = pa.scalar(None, pa.string())
    sort = pa.table({"date": pc.if_else(blank, missing, dates), "key": pc.if_else(pc.equal(keys, ""), missing, keys)})
    order = pc.sort_indices(sort, sort_keys=[("date", "ascending"), ("key", "ascending")])
    return order.to_numpy(), pc.sum(blank).as_py() or 0


def _dates_in_order(dates: pd.Series, blanks: int) -> bool:
    """Whether typed dates put in order by their text are in order: only the blank ones missing, the others rising.

    Then the order is :func:`in_date_order`'s: the days in the form sort as their text does.
    """
    days = dates.to_numpy()
    known = days[: len(days) - blanks]  # the blank ones were put last, and are missing
    return not np.isnat(known).any() and bool((known[1:] >= known[:-1]).all())


LAYER_FILES = ("routes.geojson", "places.geojson", "boundaries.geojson")


def _layer(raw: bytes | None) -> pd.DataFrame | None:
    """A GeoJSON layer as a frame: each feature's properties, and its shape in ``geometry``; None if unreadable.

    Read with ``json`` and shapely, not GDAL: the map needs only the coordinates and the
    properties, and geopandas with GDAL cost a first start 0.14 s on the curated data.
    """
    if raw is None:
        return None
    # Imported here: a dataset read from the disk cache holds no shapes, so a start that
    # finds one never loads shapely.
    from shapely.geometry import shape

    try:
        features = json.loads(raw)["features"]
        frame = pd.DataFrame([f.get("properties") or {} for f in features], index=pd.RangeIndex(len(features)))
        frame["geometry"] = [shape(f["geometry"]) if f.get("geometry") else None for f in features]
    except Exception:  # reported by validate with a precise line; the map just goes without
        return None
    return frame


def _quote_checks(root: Root) -> Verification:
    """``verify``'s verdicts for the Statements page; none if the anchors are unreadable (validate says why)."""
    try:
        return verify(read_anchors(root.data / ANCHORS_FILE), root.path)
    except ValueError:
        return Verification()


def load_dataset(root: Root) -> Dataset:
    """Load everything under ``root`` and validate it."""
    report = validate(root)
    try:
        schema = load_schema(root.datapackage)
    except Exception:
        return Dataset({}, report, fingerprint=fingerprint(root))
    # Events and statements are kept in date order (ids break ties), the order every page
    # shows; filters then keep it without sorting again. ``_line`` still names the file line.
    orders = {"events": ("date_start", "event_id"), "statements": ("date", "statement_id")}
    tables = {name: _frame(schema, name, root, report.parsed.get(name), orders.get(name)) for name in schema.tables}
    report.parsed = {}  # the frames hold it now; keep the cached report small
    # Each layer file is read once: its bytes serve snapshots, its parse serves the map.
    raw = {n: (root.geo / n).read_bytes() for n in LAYER_FILES if (root.geo / n).is_file()}
    routes, places, boundaries = (_layer(raw.get(n)) for n in LAYER_FILES)
    layers = None
    if routes is not None and places is not None:
        try:
            layers = map_layers(routes, places, boundaries)
        except (AttributeError, KeyError, TypeError, ValueError, NotImplementedError):
            layers = None  # validate reports what is wrong with the layers; the map page says so
    return Dataset(
        tables=tables,
        map_layers=layers,
        report=report,
        schema=schema,
        version=schema.version,
        fingerprint=fingerprint(root),
        counts={name: len(frame) for name, frame in tables.items()},
        quote_checks=_quote_checks(root),
        geo_files={n: raw[n] for n in ("routes.geojson", "places.geojson") if n in raw},
    )
