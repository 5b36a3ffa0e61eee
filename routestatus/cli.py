"""Command line: ``python -m routestatus validate | build-geo | snapshot | anchor | verify | extract``."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from routestatus import anchors, archive, extract, geobuild
from routestatus.citation import today, view_citation
from routestatus.csvfile import read_csv
from routestatus.load import load_dataset
from routestatus.paths import resolve_root
from routestatus.schema import load_schema
from routestatus.snapshot import TABLES, snapshot_zip, table_csv
from routestatus.status import build_intervals
from routestatus.validate import validate
from routestatus.view import KEYS, Options, View, from_options, parse


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
    # The same reading of the choice as a shared link, so both refuse the same values.
    options = Options.of(data)
    choice, notices = parse(from_options({k.attr: getattr(args, k.attr) for k in KEYS}), options)
    for notice in notices:
        print(f"{'note' if notice.note else 'error'}: {notice.for_command()}", file=sys.stderr)
    if any(not n.note for n in notices):
        return 2
    view = View(data, build_intervals(data.tables["events"]), choice, options)
    if args.table:
        body = table_csv(view, args.table)
        out = Path(args.out or view.file_name(args.table))
    else:
        body = snapshot_zip(view)
        out = Path(args.out or view.file_name("snapshot", extension="zip"))
    try:
        out.write_bytes(body)
    except OSError as err:
        print(f"{out}: cannot write: {err.strerror}", file=sys.stderr)
        return 1
    roads = ", ".join(choice.shown_roads)
    print(f"wrote {out} ({len(body)} bytes) for {choice.start} to {choice.end}, status on {choice.day}, roads {roads}")
    if args.table:
        # The CSV holds rows only (the same bytes as the dashboard's download), so its citation goes
        # here; the command knows no dashboard address, so the link is the query to put after it.
        print(f"cite as: {view_citation(view, today(), table=args.table)}", file=sys.stderr)
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


_DEFAULTS = {"start": "start of the record", "end": "end of the record", "asof": "the end of the range"}


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
    for key in KEYS:  # the same keys, in the same order, as a link's query
        if key.kind == "date":
            snap.add_argument(
                key.flag, dest=key.attr, metavar="YYYY-MM-DD", help=f"{key.label} (default: {_DEFAULTS[key.attr]})"
            )
        elif key.kind == "text":
            snap.add_argument(
                key.flag,
                dest=key.attr,
                metavar="TEXT",
                help="keep the events and statements holding every word of TEXT, as the dashboard's search does",
            )
        else:
            snap.add_argument(
                key.flag, dest=key.attr, action="append", help=f"one of the {key.label} to keep (repeat; default: all)"
            )
    snap.add_argument("--table", choices=TABLES, help="write only this table as CSV instead of the zip")
    snap.add_argument("--out", metavar="FILE", help="where to write (default: a name carrying the filters)")
    snap.set_defaults(func=_snapshot)
    sub.add_parser("anchor", help="write data/anchors.json: where each quote sits in its archived source").set_defaults(
        func=_anchor
    )
    extract.add_parser(sub)
    archive.add_parser(sub)
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
