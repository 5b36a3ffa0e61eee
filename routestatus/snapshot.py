"""Snapshots: a view's tables packaged as CSV files or one self-describing zip.

The dashboard's buttons and ``python -m routestatus snapshot`` both hand a
:class:`routestatus.view.View` to :func:`table_csv` and :func:`snapshot_zip`, so the same
choice gives the same bytes, and the rows are the ones the page shows.
:func:`read_snapshot` reads a zip back into the rows it was made from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from routestatus import __version__
from routestatus.citation import view_citation
from routestatus.export import NEUTRALISING_RULE, csv_bytes, csv_records, read_csv_bytes, records_csv
from routestatus.gisfiles import GPKG_FILE, LAYERS
from routestatus.load import Dataset
from routestatus.paths import PROJECT_ROOT
from routestatus.schema import Schema, load_schema
from routestatus.view import View, export_frame, export_schema, table_schema
from routestatus.ziparchive import Archive

SNAPSHOT_FORMAT = 1
TABLES = ("events", "statements", "sources", "status_intervals", "said_vs_passed")
GEO_FILES = ("routes.geojson", "places.geojson")
CITATION_FILE = "CITATION.txt"


# Up to this many rows, a dataset table's CSV records are made whole once and each view's file
# is a take of them; past it, the records of a short range cost less than the whole table's.
KEPT_RECORDS_MAX = 10_000


def table_csv(view: View, name: str, frame: pd.DataFrame | None = None) -> bytes:
    """One table of the view as CSV bytes: what each "Download CSV" button and ``--table`` give.

    For a dataset of up to :data:`KEPT_RECORDS_MAX` rows a table, the events, statements
    and sources are taken from their whole table's records, made once per dataset: on the
    curated data, wording each column for each file cost more than twice ``to_csv``, most
    of it the same steps for each of some sixty columns whatever the rows. ``frame`` is
    ``view.table(name)``, when the caller has it already.
    """
    data, schema = view.data, table_schema(view.data, name)
    positions = view.positions(name)
    if positions is None or len(data.tables[name]) > KEPT_RECORDS_MAX:
        return csv_bytes(schema, view.table(name) if frame is None else frame)
    whole = data.keep(("csv records", name), lambda: csv_records(schema, export_frame(data, name, data.tables[name])))
    return records_csv(schema, whole.take(pa.array(positions, pa.int64())))


def _routes_layer(raw: bytes, roads: Sequence[str]) -> bytes:
    """The routes layer with only the chosen roads' courses."""
    layer = json.loads(raw)
    layer["features"] = [f for f in layer["features"] if f["properties"].get("route_id") in roads]
    return (json.dumps(layer, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _readme(data: Dataset, manifest: dict, layers: dict | None = None) -> bytes:
    f = manifest["filters"]
    lines = [
        "# routestatus snapshot",
        "",
        f"{data.schema.title}.",
        "",
        f"- Range: {f['from']} to {f['to']} (both included)",
        f"- Status on: {f['asof']} (the day whose status the map and cards show)",
        f"- Roads: {', '.join(f['roads'])}",
        f"- Event types: {'all' if f['all_event_types'] else ', '.join(f['event_types'])}",
    ]
    if f["organisations"] or f["speakers"]:
        lines.append(f"- Statements by: {', '.join(f['organisations'] + f['speakers'])}")
    lines += [
        f"- Dataset version: {manifest['dataset_version']} (schema {manifest['schema_version']})",
        f"- Rebuild with: `{manifest['command']}` (on the same dataset version)",
        "",
        "## How to cite it",
        "",
        manifest["citation"],
        "",
        f"The same text is in `{CITATION_FILE}` and in `manifest.json` (`citation`). The link opens the same "
        "view in the dashboard; its `v=` names the dataset version, and a dashboard holding other data says so. "
        "A link that starts with `?` is to be put after the dashboard's address.",
        "",
        "`manifest.json` says when the snapshot was made and lists every file with its row count and "
        "SHA-256. Every CSV and GeoJSON file is the same whenever the same filters are applied to the "
        f"same dataset version; README.md, CITATION.txt, {GPKG_FILE} and the manifest also carry the day it was made.",
        "",
        "## CSV format",
        "",
        "UTF-8 with a byte-order mark (so Excel shows Armenian, Azerbaijani and Russian text "
        "correctly), CRLF line ends, RFC 4180 quoting, dates as YYYY-MM-DD, a blank cell for a "
        "missing value. List cells (source_ids, route_ids, evidence_event_ids, evidence_source_ids, "
        "and source_urls, source_titles and source_publishers, in the order of source_ids) are separated by ';'.",
        "",
        "events.csv and statements.csv have the codebook's columns first, then columns written only in "
        "exports: the cited sources' URLs, titles and publishers, the place's name and the quote check, "
        "so each row can be cited and checked without looking up sources.csv or places.csv.",
        "",
        NEUTRALISING_RULE,
        "",
        "Events dated only to a month count as lasting the whole month; an event with an end date "
        "is in the range if any day of it is. Statements that name no road are included as context.",
        "",
        "## Fields",
    ]
    for name in TABLES:
        lines += ["", f"### {name}.csv", ""]
        for fl in table_schema(data, name).fields:
            values = f" Values: {', '.join(fl.enum)}." if fl.enum else ""
            lines.append(f"- `{fl.name}` ({fl.type}): {fl.description}{values}")
    lines += ["", *_gis_readme(layers or {}), ""]
    return "\n".join(lines).encode("utf-8")


def _gis_readme(layers: dict) -> list[str]:
    """The README's words on the map files: what each layer holds and its fields, and what opens them."""
    if not layers:  # the map layers did not load (validate says why): no GIS files were written
        return ["routes.geojson and places.geojson: the map layers (WGS 84, RFC 7946)."]
    lines = [
        "## Map files",
        "",
        f"`{GPKG_FILE}` is a GeoPackage (OGC standard) that QGIS and ArcGIS open directly; it holds four layers, "
        "each also written as its own GeoJSON file. All are WGS 84 longitude/latitude (EPSG:4326); the GeoJSON "
        "files follow RFC 7946 with six decimals. Dates are date fields (YYYY-MM-DD in GeoJSON), list fields are "
        "separated by ';' as in the CSV files, and a blank is a null. The GeoPackage records the day it was made "
        "as each layer's last change.",
        "",
    ]
    for layer in (la for la in LAYERS if la.name in layers):
        fields = ", ".join(c for c in layers[layer.name].columns if c != "geometry")
        lines.append(
            f"- `{layer.name}` (also `{layer.geojson_file}`), {layer.geometry}s: {layer.holds}. Fields: {fields}."
        )
    lines += [
        "",
        "The roads are drawn schematically: straight segments through sourced waypoints, not their real "
        "course. routes.geojson and places.geojson are the map layers as the dashboard reads them "
        "(routes: the chosen roads only).",
    ]
    return lines


def snapshot_zip(view: View, generated_at: dt.datetime | None = None, base_url: str = "") -> bytes:
    """The view's whole snapshot as zip bytes: the five CSVs, the map layers, README.md, CITATION.txt, manifest.json.

    The map layers are routes.geojson and places.geojson as the dashboard reads them, and the
    GIS files of :mod:`routestatus.gis`: ``map.gpkg`` and one GeoJSON file per layer.

    ``generated_at`` (UTC, default now) is the only input besides the data and the choice,
    so two calls with the same three give the same bytes; its day is the citation's
    "retrieved". ``base_url`` is the address the citation's link starts with (the
    dashboard's page); without one the link is its query part alone.
    """
    when = (generated_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    with Archive(when) as archive:
        return _snapshot(view, when, base_url, archive)


def _snapshot(view: View, when: dt.datetime, base_url: str, archive: Archive) -> bytes:
    # Each file goes to the archive as soon as it is made, so it is deflated and hashed on the
    # other core while the next one is made; the manifest, made last, lists their hashes.
    data, choice = view.data, view.choice
    rows = {name: view.count(name) for name in TABLES}
    events = view.table("events")  # for the CSV and the GIS layers both
    sizes: dict[str, int] = {}

    def put(name: str, body: bytes) -> None:
        sizes[name] = len(body)
        archive.add(name, body)

    for name in TABLES:
        put(f"{name}.csv", table_csv(view, name, events if name == "events" else None))
    if "routes.geojson" in data.geo_files:
        put("routes.geojson", _routes_layer(data.geo_files["routes.geojson"], choice.shown_roads))
    if "places.geojson" in data.geo_files:
        put("places.geojson", data.geo_files["places.geojson"])
    # Imported here, not at the top: GDAL, geopandas and shapely load only when a snapshot is made.
    from routestatus.gis import gis_files

    gis, layers = gis_files(view, when.date(), events)
    for name, body in gis.items():
        put(name, body)
    features = {name: len(frame) for name, frame in layers.items()}
    layer_files = {layer.geojson_file: layer.name for layer in LAYERS if layer.name in features}
    manifest = {
        "format": f"routestatus-snapshot/{SNAPSHOT_FORMAT}",
        "generator": f"routestatus {__version__}",
        "schema_version": data.version,
        "dataset_version": f"sha256:{data.fingerprint}",
        "generated_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "filters": choice.record(view.options),
        "command": choice.command_line(view.options),
        "citation": view_citation(view, when.date(), base_url),
        "csv": {"encoding": "UTF-8 with byte-order mark", "line_end": "CRLF", "formula_rule": NEUTRALISING_RULE},
        "files": [],
    }
    put(CITATION_FILE, (manifest["citation"] + "\n").encode("utf-8"))
    put("README.md", _readme(data, manifest, layers))
    for name, size in sizes.items():
        entry = {"path": name, "bytes": size, "sha256": archive.sha256(name)}
        if name.endswith(".csv"):
            entry["rows"] = rows[name.removesuffix(".csv")]
        elif name == GPKG_FILE:
            entry["layers"] = features
        elif name in layer_files:
            entry["features"] = features[layer_files[name]]
        manifest["files"].append(entry)
    archive.add("manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    # Deflate level 1 (the Archive's default): CSV still shrinks about fourfold, in a fraction of the time.
    return archive.zip(["manifest.json", "README.md", *(n for n in sizes if n != "README.md")])


@dataclass
class Snapshot:
    """A snapshot read back: its manifest, typed tables, and any problems found reading it."""

    manifest: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_snapshot(source: bytes | str | Path, data_schema: Schema | None = None) -> Snapshot:
    """Read a snapshot zip (path or bytes) into typed tables equal to the rows it was made from.

    ``data_schema`` declares the curated tables' columns (default: the project's own
    ``data/datapackage.json``). Each file's SHA-256 is checked against the manifest; a
    mismatch, a missing file or a wrong header is listed in ``problems``, never raised.
    """
    data_schema = data_schema or load_schema(PROJECT_ROOT / "data" / "datapackage.json")
    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        files = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(files.get("manifest.json", b"{}"))
    snap = Snapshot(manifest, files=files)
    for entry in manifest.get("files", []):
        body = files.get(entry["path"])
        if body is None:
            snap.problems.append(f"{entry['path']}: listed in manifest.json but missing from the zip")
        elif hashlib.sha256(body).hexdigest() != entry["sha256"]:
            snap.problems.append(f"{entry['path']}: SHA-256 differs from manifest.json; the file was changed")
    for name in TABLES:
        body = files.get(f"{name}.csv")
        if body is None:
            continue
        table = export_schema(data_schema, name)
        try:
            snap.tables[name] = read_csv_bytes(table, body)
        except ValueError as err:
            snap.problems.append(f"{name}.csv:1:1: {err}")
    return snap


def builder(view: View, base_url: str = "") -> Callable[[], bytes]:
    """A no-argument function that builds the view's zip when called (the dashboard defers it to a click)."""
    return lambda: snapshot_zip(view, base_url=base_url)
