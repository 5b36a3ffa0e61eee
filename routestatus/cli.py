"""Command line: ``python -m routestatus validate | build-geo``."""

from __future__ import annotations

import argparse
import sys

from routestatus import geobuild
from routestatus.csvfile import read_csv
from routestatus.paths import resolve_root
from routestatus.schema import load_schema
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
    schema = load_schema(root.datapackage)
    rows = {}
    for name in ("places", "alignments"):
        t = schema.tables[name]
        read = read_csv(root.data / t.path, root.rel(root.data / t.path), t.columns)
        if read.problems:
            for p in read.problems:
                print(p, file=sys.stderr)
            return 1
        rows[name] = [r.values for r in read.rows]
    root.geo.mkdir(exist_ok=True)
    geobuild.write_features(geobuild.places_features(rows["places"]), root.geo / "places.geojson")
    geobuild.write_features(geobuild.routes_features(rows["alignments"], rows["places"]), root.geo / "routes.geojson")
    print(f"wrote {root.rel(root.geo / 'places.geojson')} and {root.rel(root.geo / 'routes.geojson')}")
    return 0


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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
