"""Command line: ``python -m routestatus validate | build-geo | snapshot | anchor | verify | extract``."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from routestatus import anchors, extract, geobuild
from routestatus.csvfile import read_csv
from routestatus.filters import parse_query
from routestatus.load import load_dataset
from routestatus.paths import resolve_root
from routestatus.schema import load_schema
from routestatus.snapshot import TABLES, People, file_name, snapshot_zip, table_csv
from routestatus.status import ROADS, build_intervals, record_span
from routestatus.validate import validate


def _validate(args: argparse.Namespace) -> int:
    root = resolve_root(args.root)
    report = validate(root)
    for line in report.lines():
        print(line)
    counts = ", ".join(f"{n} {name}" for name, n in report.rows.items())
    if report.ok:
        print(f"OK: {counts}; no problems in data/, geo/, seeds/ under {root.path}")
        return 0
    print(f"{len(report.problems)} problem(s) ({counts}) under {root.path}", file=sys.stderr)
    return 1


def _build_geo(args: argparse.Namespace) -> int:
    root = resolve_root(args.root)
    places = _table_rows(root, "places", strict=True)
    alignments = _table_rows(root, "alignments", strict=True) if places is not None else None
    if alignments is None:
        return 1
    root.geo.mkdir(exist_ok=True)
    geobuild.write_features(geobuild.places_features(places), root.geo / "places.geojson")
    geobuild.write_features(geobuild.routes_features(alignments, places), root.geo / "routes.geojson")
    print(f"wrote {root.rel(root.geo / 'places.geojson')} and {root.rel(root.geo / 'routes.geojson')}")
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    root = resolve_root(args.root)
    data = load_dataset(root)
    if not data.report.ok or not data.counts.get("events"):
        for line in data.report.lines():
            print(line, file=sys.stderr)
        print("snapshot refused: the data has problems (listed above); fix them first", file=sys.stderr)
        return 1
    bounds = record_span(data.tables["events"])
    types = data.schema.enum("events", "event_type")
    # The same reading of the filters as a shared link, so both refuse the same values.
    params = {"from": args.date_from, "to": args.date_to}
    if args.route:
        params["roads"] = ",".join(args.route)
    if args.type:
        params["types"] = ",".join(args.type)
    flt, notices = parse_query({k: v for k, v in params.items() if v is not None}, bounds, types)
    if notices:
        for notice in notices:
            print(f"error: {notice.removeprefix('Ignored ').replace('; showing all.', '.')}", file=sys.stderr)
        return 2
    people = People(tuple(args.organisation or ()), tuple(args.speaker or ()))
    intervals = build_intervals(data.tables["events"])
    if args.table:
        body = table_csv(data, intervals, flt, args.table, people)
        out = Path(args.out or file_name(args.table, flt, types, people))
    else:
        body = snapshot_zip(data, intervals, flt, people)
        out = Path(args.out or file_name("snapshot", flt, types, people, extension="zip"))
    try:
        out.write_bytes(body)
    except OSError as err:
        print(f"{out}: cannot write: {err.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {out} ({len(body)} bytes) for {flt.start} to {flt.end}, roads {', '.join(flt.roads)}")
    return 0


def _table_rows(root, name: str, strict: bool = False) -> list[dict[str, str]] | None:
    """A table's rows as text, or None after printing why it cannot be read.

    ``strict``: any problem in the file, not only an unreadable one, gives None.
    """
    table = load_schema(root.datapackage).tables[name]
    read = read_csv(root.data / table.path, root.rel(root.data / table.path), table.columns)
    for p in read.problems:
        print(p, file=sys.stderr)
    if not read.usable or (strict and read.problems):
        return None
    return [r.values for r in read.rows]


def _anchor(args: argparse.Namespace) -> int:
    root = resolve_root(args.root)
    statements, sources = _table_rows(root, "statements"), _table_rows(root, "sources")
    if statements is None or sources is None:
        return 1
    found = anchors.build_anchors(statements, sources, root.path)
    archived = {s["source_id"] for s in sources if s["archived_copy"]}
    wanted = [s["statement_id"] for s in statements if s["source_id"] in archived]
    path = root.data / anchors.ANCHORS_FILE
    path.write_text(anchors.anchors_json(found), encoding="utf-8")
    print(f"wrote {root.rel(path)}: {len(found)} anchors for {len(wanted)} statements with an archived source")
    unfound = sorted(set(wanted) - {a.statement_id for a in found})
    for sid in unfound:
        print(f"{sid}: quote not found in its archived text; no anchor (validate says where)", file=sys.stderr)
    return 1 if unfound else 0


def _verify(args: argparse.Namespace) -> int:
    root = resolve_root(args.root)
    path = root.data / anchors.ANCHORS_FILE
    try:
        found = anchors.read_anchors(path)
    except ValueError as err:
        print(f"{root.rel(path)}: {err}", file=sys.stderr)
        return 1
    result = anchors.verify(found, root.path)
    for v in result.verdicts.values():
        print(f"{v.statement_id}: {v.status}, {v.detail}")
    for copy, (was, now) in sorted(result.changed.items()):
        print(f"{copy}: SHA-256 changed since the anchors were made (was {was[:12]}…, now {now[:12]}…)")
    tally = Counter(v.status for v in result.verdicts.values())
    summary = ", ".join(f"{tally[s]} {s}" for s in anchors.VERDICTS)
    print(f"{len(result.verdicts)} anchored statements: {summary}; {len(result.changed)} changed archived text(s)")
    return 0 if result.ok else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(prog="python -m routestatus", description=__doc__)
    parser.add_argument(
        "--root",
        help="folder holding data/, geo/, seeds/ (default: $ROUTESTATUS_ROOT or the project)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check data/, geo/ and seeds/; exit 1 on any problem").set_defaults(func=_validate)
    sub.add_parser("build-geo", help="rebuild geo/places.geojson and geo/routes.geojson from data/").set_defaults(
        func=_build_geo
    )
    snap = sub.add_parser(
        "snapshot",
        help="write the tables for a date range as a zip (or one CSV with --table), as the dashboard does",
    )
    snap.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first day (default: start of record)")
    snap.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day (default: end of record)")
    snap.add_argument("--route", action="append", choices=ROADS, help="a road to include (repeat; default both)")
    snap.add_argument("--type", action="append", metavar="EVENT_TYPE", help="an event type to include (repeat)")
    snap.add_argument("--organisation", action="append", help="only statements by this organisation (repeat)")
    snap.add_argument("--speaker", action="append", help="only statements by this speaker (repeat)")
    snap.add_argument("--table", choices=TABLES, help="write only this table as CSV instead of the zip")
    snap.add_argument("--out", metavar="FILE", help="where to write (default: a name carrying the filters)")
    snap.set_defaults(func=_snapshot)
    sub.add_parser("anchor", help="write data/anchors.json: where each quote sits in its archived source").set_defaults(
        func=_anchor
    )
    extract.add_parser(sub)
    sub.add_parser(
        "verify", help="re-find every anchored quote; exit 1 if one is missing or an archived text changed"
    ).set_defaults(func=_verify)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
