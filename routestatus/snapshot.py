"""Snapshots: the tables for a set of filters, as CSV files or one self-describing zip.

The dashboard's buttons and ``python -m routestatus snapshot`` both call
:func:`table_csv` and :func:`snapshot_zip`, so the same filters give the same bytes.
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

from routestatus import __version__
from routestatus.export import NEUTRALISING_RULE, csv_bytes, read_csv_bytes
from routestatus.filters import Filters, filter_events, filter_people, filter_statements
from routestatus.load import Dataset
from routestatus.paths import PROJECT_ROOT
from routestatus.schema import Field, Schema, Table, load_schema
from routestatus.status import ROADS, Interval, clip
from routestatus.typedframes import typed

SNAPSHOT_FORMAT = 1
TABLES = ("events", "statements", "sources", "status_intervals")
GEO_FILES = ("routes.geojson", "places.geojson")

# The one derived table; declared like the curated ones so it is written, read and
# documented by the same code.
INTERVALS = Table(
    name="status_intervals",
    path="status_intervals.csv",
    fields=(
        Field("route_id", "string", "Road: lachin or aghdam_askeran."),
        Field("status", "string", "What traffic could pass (see the status definitions in the codebook)."),
        Field("date_from", "date", "First day of this status within the chosen range."),
        Field("date_to", "date", "Last day of this status within the chosen range."),
        Field("days", "integer", "Days from date_from to date_to, both included."),
        Field(
            "start_precision",
            "string",
            "Precision of the date the status began (day, month, approximate); for a status that "
            "began before the range it is the precision of that earlier date.",
        ),
        Field(
            "evidence_event_ids",
            "string",
            "The events (;-separated event_id) that set this status; they may lie before the range "
            "and so be absent from events.csv, but their sources are in sources.csv.",
        ),
    ),
    primary_key=("route_id", "date_from"),
)


@dataclass(frozen=True)
class People:
    """The Statements page's extra choice: organisations and speakers (empty keeps all)."""

    organisations: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()


EVERYONE = People()


def table_schema(data: Dataset, name: str) -> Table:
    """The declared columns of one snapshot table."""
    return INTERVALS if name == "status_intervals" else data.schema.tables[name]


def _columns(data: Dataset, name: str, frame: pd.DataFrame) -> pd.DataFrame:
    return frame[table_schema(data, name).columns].reset_index(drop=True)


def intervals_frame(intervals: dict[str, list[Interval]], flt: Filters) -> pd.DataFrame:
    """Status intervals of the chosen roads, clipped to the range, by road then date."""
    rows = [
        (
            road,
            iv.status,
            iv.start.isoformat(),
            iv.end.isoformat(),
            str((iv.end - iv.start).days + 1),
            iv.precision,
            ";".join(iv.evidence),
        )
        for road in ROADS
        if road in flt.roads
        for iv in clip(intervals.get(road, []), flt.start, flt.end)
    ]
    # Through the same typing as a file read back, so a written and reread table is equal.
    return typed(INTERVALS, pd.DataFrame(rows, columns=INTERVALS.columns, dtype="string"))


def _cited_sources(
    data: Dataset, flt: Filters, events: pd.DataFrame, statements: pd.DataFrame, status: pd.DataFrame
) -> pd.DataFrame:
    """Sources cited by these rows, by the events behind these intervals, or by the chosen roads' courses."""
    all_events = data.tables["events"]
    evidence = status["evidence_event_ids"].dropna().str.split(";").explode()
    alignments = data.tables["alignments"]
    lists = pd.concat(
        [
            events["source_ids"],
            all_events.loc[all_events["event_id"].isin(evidence), "source_ids"],
            alignments.loc[alignments["route_id"].isin(flt.roads), "source_ids"],
        ]
    )
    # Split each distinct ;-list once: many events cite the same sources.
    cited = set(statements["source_id"].dropna().unique())
    for cell in lists.dropna().unique():
        cited.update(cell.split(";"))
    sources = data.tables["sources"]
    return _columns(data, "sources", sources[sources["source_id"].isin(list(cited))].sort_values("source_id"))


def snapshot_tables(
    data: Dataset,
    intervals: dict[str, list[Interval]],
    flt: Filters,
    people: People = EVERYONE,
    only: Sequence[str] = TABLES,
) -> dict[str, pd.DataFrame]:
    """The snapshot tables for these filters (all, or those in ``only``), in codebook columns.

    Events and statements are exactly the rows the pages show, in their order (statements
    also narrowed by ``people``); sources are those any of these rows, the intervals'
    evidence or the chosen roads' map courses cite, by ``source_id``; intervals by road,
    then date. Each table is built only if asked for or needed by one that is.
    """
    needed = set(only) | ({"events", "statements", "status_intervals"} if "sources" in only else set())
    out: dict[str, pd.DataFrame] = {}
    if "events" in needed:
        out["events"] = _columns(data, "events", filter_events(data.tables["events"], flt))
    if "statements" in needed:
        chosen = filter_statements(data.tables["statements"], flt)
        out["statements"] = _columns(data, "statements", filter_people(chosen, people.organisations, people.speakers))
    if "status_intervals" in needed:
        out["status_intervals"] = intervals_frame(intervals, flt)
    if "sources" in needed:
        out["sources"] = _cited_sources(data, flt, out["events"], out["statements"], out["status_intervals"])
    return {name: out[name] for name in only}


def table_csv(
    data: Dataset, intervals: dict[str, list[Interval]], flt: Filters, name: str, people: People = EVERYONE
) -> bytes:
    """One snapshot table as CSV bytes: what each "Download CSV" button and ``--table`` give."""
    frame = snapshot_tables(data, intervals, flt, people, only=(name,))[name]
    return csv_bytes(table_schema(data, name), frame)


def _slug(flt: Filters, all_types: Sequence[str], people: People) -> str:
    parts = [flt.start.isoformat(), flt.end.isoformat()]
    if set(flt.roads) != set(ROADS):
        parts.append("-".join(r.replace("_", "-") for r in flt.roads))
    if set(flt.event_types) != set(all_types):
        chosen = list(flt.event_types)
        parts.append("-".join(t.replace("_", "-") for t in chosen) if len(chosen) <= 2 else f"{len(chosen)}types")
    if people.organisations:
        parts.append(f"{len(people.organisations)}orgs")
    if people.speakers:
        parts.append(f"{len(people.speakers)}speakers")
    return "_".join(parts)


def file_name(
    kind: str, flt: Filters, all_types: Sequence[str], people: People = EVERYONE, extension: str = "csv"
) -> str:
    """A download's name that carries its filters, e.g. ``routestatus_events_2023-09-01_2023-09-30_lachin.csv``."""
    return f"routestatus_{kind}_{_slug(flt, all_types, people)}.{extension}"


def filters_record(flt: Filters, all_types: Sequence[str], people: People = EVERYONE) -> dict:
    """The filters as the manifest records them."""
    record = {
        "from": flt.start.isoformat(),
        "to": flt.end.isoformat(),
        "roads": list(flt.roads),
        "event_types": list(flt.event_types),
        "all_event_types": set(flt.event_types) == set(all_types),
    }
    if people.organisations or people.speakers:
        record["organisations"] = list(people.organisations)
        record["speakers"] = list(people.speakers)
    return record


def command_line(flt: Filters, all_types: Sequence[str], people: People = EVERYONE) -> str:
    """The command that rebuilds this snapshot from the same data."""
    words = ["python -m routestatus snapshot", f"--from {flt.start}", f"--to {flt.end}"]
    if set(flt.roads) != set(ROADS):
        words += [f"--route {r}" for r in flt.roads]
    if set(flt.event_types) != set(all_types):
        words += [f"--type {t}" for t in flt.event_types]
    words += [f"--organisation {json.dumps(o, ensure_ascii=False)}" for o in people.organisations]
    words += [f"--speaker {json.dumps(s, ensure_ascii=False)}" for s in people.speakers]
    return " ".join(words)


def _routes_layer(raw: bytes, roads: Sequence[str]) -> bytes:
    """The routes layer with only the chosen roads' courses."""
    layer = json.loads(raw)
    layer["features"] = [f for f in layer["features"] if f["properties"].get("route_id") in roads]
    return (json.dumps(layer, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _readme(data: Dataset, manifest: dict) -> bytes:
    f = manifest["filters"]
    lines = [
        "# routestatus snapshot",
        "",
        f"{data.schema.title}.",
        "",
        f"- Range: {f['from']} to {f['to']} (both included)",
        f"- Roads: {', '.join(f['roads'])}",
        f"- Event types: {'all' if f['all_event_types'] else ', '.join(f['event_types'])}",
    ]
    if "organisations" in f:
        lines.append(f"- Statements by: {', '.join(f['organisations'] + f['speakers'])}")
    lines += [
        f"- Dataset version: {manifest['dataset_version']} (schema {manifest['schema_version']})",
        f"- Rebuild with: `{manifest['command']}` (on the same dataset version)",
        "",
        "`manifest.json` says when the snapshot was made and lists every file with its row count and "
        "SHA-256. Every file but the manifest is the same whenever the same filters are applied to the "
        "same dataset version.",
        "",
        "## CSV format",
        "",
        "UTF-8 with a byte-order mark (so Excel shows Armenian, Azerbaijani and Russian text "
        "correctly), CRLF line ends, RFC 4180 quoting, dates as YYYY-MM-DD, a blank cell for a "
        "missing value. List cells (source_ids, route_ids, evidence_event_ids) are separated by ';'.",
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
    lines += ["", "routes.geojson and places.geojson: the map layers (WGS 84, RFC 7946).", ""]
    return "\n".join(lines).encode("utf-8")


def _entry(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def snapshot_zip(
    data: Dataset,
    intervals: dict[str, list[Interval]],
    flt: Filters,
    people: People = EVERYONE,
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The whole snapshot as zip bytes: the four CSVs, both map layers, README.md, manifest.json.

    ``generated_at`` (UTC, default now) is the only input besides the data and filters,
    so two calls with the same three give the same bytes.
    """
    when = (generated_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    all_types = data.schema.enum("events", "event_type")
    tables = snapshot_tables(data, intervals, flt, people)
    files: dict[str, bytes] = {f"{n}.csv": csv_bytes(table_schema(data, n), tables[n]) for n in TABLES}
    if "routes.geojson" in data.geo_files:
        files["routes.geojson"] = _routes_layer(data.geo_files["routes.geojson"], flt.roads)
    if "places.geojson" in data.geo_files:
        files["places.geojson"] = data.geo_files["places.geojson"]
    manifest = {
        "format": f"routestatus-snapshot/{SNAPSHOT_FORMAT}",
        "generator": f"routestatus {__version__}",
        "schema_version": data.version,
        "dataset_version": f"sha256:{data.fingerprint}",
        "generated_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "filters": filters_record(flt, all_types, people),
        "command": command_line(flt, all_types, people),
        "csv": {"encoding": "UTF-8 with byte-order mark", "line_end": "CRLF", "formula_rule": NEUTRALISING_RULE},
        "files": [],
    }
    files["README.md"] = _readme(data, manifest)
    for name, body in files.items():
        entry = {"path": name, "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        if name.endswith(".csv"):
            entry["rows"] = len(tables[name.removesuffix(".csv")])
        manifest["files"].append(entry)
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name in ("manifest.json", "README.md", *(n for n in files if n not in ("manifest.json", "README.md"))):
            # Fastest deflate level: CSV still shrinks about fourfold, in a fraction of the time.
            zf.writestr(_entry(name, when), files[name], compresslevel=1)
    return buffer.getvalue()


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
        table = INTERVALS if name == "status_intervals" else data_schema.tables[name]
        try:
            snap.tables[name] = read_csv_bytes(table, body)
        except ValueError as err:
            snap.problems.append(f"{name}.csv:1:1: {err}")
    return snap


def builder(
    data: Dataset, intervals: dict[str, list[Interval]], flt: Filters, people: People = EVERYONE
) -> Callable[[], bytes]:
    """A no-argument function that builds the zip when called (the dashboard defers it to a click)."""
    return lambda: snapshot_zip(data, intervals, flt, people)
