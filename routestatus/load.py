"""Reading ``data/``, ``geo/`` and ``seeds/`` into typed frames for the pages.

The loader reads the same strict CSV parse as ``validate`` and returns its report with
the frames, so a page can show a problems panel instead of the views the problems affect.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from routestatus.anchors import ANCHORS_FILE, Verification, read_anchors, verify
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


def _files(root: Root) -> list[tuple[str, int, int]]:
    """Every file under data/, geo/ and seeds/ as (path, size, modification time), in path order.

    Walked with ``os.scandir``, whose entries carry what ``stat`` says: ``Path.rglob`` and a
    ``stat`` per file cost every rerun 0.3 ms on the curated data. Each folder's files in the
    order ``sorted`` gives their paths, component by component.
    """
    out = []
    for folder in (root.data, root.geo, root.seeds):
        found: list[tuple[list[str], str, int, int]] = []
        pending = [str(folder)]
        while pending:
            try:
                entries = os.scandir(pending.pop())
            except OSError:
                continue  # no such folder (or not one): nothing of it is read
            with entries:
                for entry in entries:
                    if entry.is_dir():
                        pending.append(entry.path)
                    elif entry.is_file():
                        s = entry.stat()
                        found.append((entry.path.split(os.sep), entry.path, s.st_size, s.st_mtime_ns))
        out += [(path, size, mtime) for _, path, size, mtime in sorted(found)]
    return out


# Content hashes by the files' (name, size, modification time): a rerun that finds every
# file as it was skips reading them again. Any write changes the time, so an edit is seen.
_HASHES: dict[tuple, str] = {}


def fingerprint(root: Root) -> str:
    """SHA-256 over the names and bytes of every file in data/, geo/ and seeds/.

    Used as the cache key and the dataset version: any edit changes it, so an edited
    CSV is picked up on the next rerun without a restart.
    """
    stamp = tuple(_files(root))
    if stamp in _HASHES:
        return _HASHES[stamp]
    digest = hashlib.sha256()
    for name, _, _ in stamp:
        path = Path(name)
        digest.update(root.rel(path).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    if len(_HASHES) > 32:
        _HASHES.clear()
    _HASHES[stamp] = digest.hexdigest()
    return _HASHES[stamp]


def _frame(schema: Schema, table: str, root: Root, parsed: CsvRead | None = None) -> pd.DataFrame:
    """One table as a DataFrame: the declared columns, typed (see :func:`typedframes.typed`).

    Plus ``_line``, the row's line in the file, for messages. Rows whose cells fail the
    schema are kept, with the bad cells as missing, and are reported by ``validate``.
    ``parsed`` is the file as ``validate`` already read it, if any.
    """
    t = schema.tables[table]
    if parsed is None:
        parsed = read_csv(root.data / t.path, root.rel(root.data / t.path), t.columns)
    if parsed.table is not None:
        # Arrow's text columns become the frame's as they are, without a Python string per cell;
        # each in one piece, not in the reader's blocks: putting 100,000 events in date order
        # then took 0.18 s instead of 0.08 s, far more than joining the blocks.
        whole = parsed.table.combine_chunks()
        raw = pd.DataFrame({c: pd.array(whole.column(c), dtype="string") for c in t.columns})
    else:
        raw = pd.DataFrame([r.values for r in parsed.rows], columns=t.columns, dtype="string")
    frame = typed(t, raw)
    frame["_line"] = parsed.lines
    return frame


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
    tables = {name: _frame(schema, name, root, report.parsed.get(name)) for name in schema.tables}
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
    # Events and statements are kept in date order (ids break ties), the order every page
    # shows; filters then keep it without sorting again. ``_line`` still names the file line.
    for name, date, key in (("events", "date_start", "event_id"), ("statements", "date", "statement_id")):
        if name in tables:
            tables[name] = in_date_order(tables[name], date, key)
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
