"""A corpus of corrupted copies of the data directory, made from the real files by small mutations.

Each entry names the mutation, the function that applies it to a copy (a ``Root``), and
fragments that the problem report must contain (file, line and column where the fault
is). ``tests/test_corruptions.py`` runs every entry through ``validate``, the loader and
the dashboard.
"""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from routestatus.paths import Root


@dataclass(frozen=True)
class Corruption:
    """One mutation and what the report must say about it."""

    name: str
    apply: Callable[[Root], None]
    expect: tuple[str, ...]


def _rows(root: Root, table: str) -> list[dict[str, str]]:
    with open(root.data / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(root: Root, table: str, rows: list[dict[str, str]], fields: list[str] | None = None) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields or list(rows[0]), lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    (root.data / f"{table}.csv").write_text(buf.getvalue(), encoding="utf-8")


def cell(table: str, index: int, **changes: str) -> Callable[[Root], None]:
    """Change cells of row ``index`` (0-based data row).

    Its line is ``index + 2`` in events.csv; in statements.csv S003's quote spans three
    lines, so rows after it sit two lines lower.
    """

    def apply(root: Root) -> None:
        rows = _rows(root, table)
        rows[index].update(changes)
        _write(root, table, rows)

    return apply


def text(path: str, old: str, new: str, count: int = 1) -> Callable[[Root], None]:
    """Replace text in a file (path relative to the data directory's root)."""

    def apply(root: Root) -> None:
        target = root.path / path
        body = target.read_text(encoding="utf-8")
        assert old in body, (path, old)
        target.write_text(body.replace(old, new, count), encoding="utf-8")

    return apply


def raw(path: str, make: Callable[[bytes], bytes]) -> Callable[[Root], None]:
    """Rewrite a file's bytes."""

    def apply(root: Root) -> None:
        target = root.path / path
        target.write_bytes(make(target.read_bytes()))

    return apply


def columns(table: str, order: Callable[[list[str]], list[str]]) -> Callable[[Root], None]:
    """Write a table with its columns dropped, added or reordered by ``order``."""

    def apply(root: Root) -> None:
        rows = _rows(root, table)
        fields = order(list(rows[0]))
        for r in rows:
            r.setdefault("extra", "x")
        _write(root, table, rows, fields)

    return apply


def geojson(layer: str, change: Callable[[dict], None]) -> Callable[[Root], None]:
    """Edit a GeoJSON layer as parsed JSON and write it back."""

    def apply(root: Root) -> None:
        path = root.geo / layer
        doc = json.loads(path.read_text(encoding="utf-8"))
        change(doc)
        path.write_text(json.dumps(doc), encoding="utf-8")

    return apply


def _drop_row(index: int) -> Callable[[Root], None]:
    def apply(root: Root) -> None:
        rows = _rows(root, "events")
        del rows[index]
        _write(root, "events", rows)

    return apply


def _delete(path: str) -> Callable[[Root], None]:
    return lambda root: (root.path / path).unlink()


def _coords(feature_index: int, coords) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        doc["features"][feature_index]["geometry"]["coordinates"] = coords

    return change


def _swap_point(doc: dict) -> None:
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    doc["features"][0]["geometry"]["coordinates"] = [lat, lon]


def _self_crossing(doc: dict) -> None:
    doc["features"][0]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[45.0, 39.0], [46.0, 40.0], [46.0, 39.0], [45.0, 40.0], [45.0, 39.0]]],
    }


def _crs(doc: dict) -> None:
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}


def _mixed_endings(body: bytes) -> bytes:
    lines = body.split(b"\n")
    return b"\r\n".join(lines[:3]) + b"\n" + b"\n".join(lines[3:])


def _unbalanced(body: bytes) -> bytes:
    head, rest = body.split(b"\n", 1)
    return head + b"\n" + rest.replace(b",", b',"', 1)


def _short_row(body: bytes) -> bytes:
    lines = body.split(b"\n")
    lines[4] = lines[4].rsplit(b",", 2)[0]
    return b"\n".join(lines)


def _half_written(body: bytes) -> bytes:
    """The file cut off as a writer stopped half-way: about half its bytes, ending inside a row.

    The cut comes just after the first field of the first row past the middle, so the last
    row is always short, whatever the rows hold (a cut at the exact middle can fall where the
    rest still parses as a complete, valid file).
    """
    row = body.index(b"\n", len(body) // 2) + 1
    return body[: body.index(b",", row) + 1]


def _approximate_unexplained(root: Root) -> None:
    """The first approximate place loses its coord_basis."""
    rows = _rows(root, "places")
    next(r for r in rows if r["coord_precision"] == "approximate")["coord_basis"] = ""
    _write(root, "places", rows)


def _course_reversed_inside(root: Root) -> None:
    """The first course with its waypoints after the first two listed backwards: the line doubles back."""
    rows = _rows(root, "alignments")
    w = rows[0]["waypoints"].split(";")
    rows[0]["waypoints"] = ";".join(w[:2] + w[2:][::-1])
    _write(root, "alignments", rows)


def _course_with_repeat(root: Root) -> None:
    """The third course with its second waypoint listed again after it."""
    rows = _rows(root, "alignments")
    w = rows[2]["waypoints"].split(";")
    rows[2]["waypoints"] = ";".join(w[:2] + w[1:])
    _write(root, "alignments", rows)


CORPUS: list[Corruption] = [
    # cells: types, dates, enums
    Corruption("malformed date", cell("events", 1, date_start="12/12/2022"), ("data/events.csv:3:date_start",)),
    Corruption("impossible date", cell("events", 2, date_start="2023-02-30"), ("data/events.csv:4:date_start",)),
    Corruption("date before the window", cell("events", 3, date_start="2019-06-01"), ("data/events.csv:5:date_start",)),
    Corruption("end before start", cell("events", 5, date_end="2020-01-01"), ("data/events.csv:7:date_end",)),
    Corruption(
        "month precision not on the 1st",
        cell("events", 6, date_precision="month"),
        ("data/events.csv:8:date_start",),
    ),
    Corruption("unknown road", cell("events", 0, route_id="lachin_corridor"), ("data/events.csv:2:route_id",)),
    Corruption("unknown status", cell("events", 4, status_after="blockaded"), ("data/events.csv:6:status_after",)),
    Corruption("unknown event type", cell("events", 7, event_type="closure"), ("data/events.csv:9:event_type",)),
    Corruption("unknown precision", cell("statements", 2, date_precision="year"), ("data/statements.csv:4:",)),
    Corruption("bad boolean", cell("events", 8, retracted="yes"), ("data/events.csv:10:retracted",)),
    Corruption("required value blank", cell("events", 9, summary=""), ("data/events.csv:11:summary",)),
    Corruption("space around a value", cell("events", 10, confidence=" high"), ("data/events.csv:12:confidence",)),
    Corruption("status on no road", cell("events", 11, route_id="none", status_after="open"), ("data/events.csv:13:",)),
    Corruption("bad id pattern", cell("events", 12, event_id="E13b"), ("data/events.csv:14:event_id",)),
    Corruption("source URL not http", cell("sources", 3, url="javascript:alert(1)"), ("data/sources.csv:5:url",)),
    Corruption("malformed hash", cell("sources", 0, sha256="abc"), ("data/sources.csv:",)),
    # ids and keys
    Corruption("duplicate id", cell("events", 14, event_id="E014"), ("data/events.csv:16:event_id",)),
    Corruption("reused statement id", cell("statements", 20, statement_id="S003"), ("expected a unique value",)),
    Corruption("deleted row", _drop_row(20), ("data/events.csv",)),
    Corruption("dangling source", cell("events", 15, source_ids="no-such-source"), ("data/events.csv:17:source_ids",)),
    Corruption("dangling place", cell("events", 16, place_id="atlantis"), ("data/events.csv:18:place_id",)),
    Corruption(
        "dangling statement source", cell("statements", 30, source_id="nowhere"), ("data/statements.csv:34:source_id",)
    ),
    Corruption("dangling waypoint", cell("alignments", 0, waypoints="lachin;atlantis"), ("data/alignments.csv:2:",)),
    # columns and whole files
    Corruption("missing column", columns("events", lambda f: f[:-1]), ("data/events.csv:1:",)),
    Corruption("extra column", columns("events", lambda f: [*f, "extra"]), ("data/events.csv:1:",)),
    Corruption("reordered columns", columns("events", lambda f: [f[1], f[0], *f[2:]]), ("data/events.csv:1:",)),
    Corruption("empty file", raw("data/statements.csv", lambda b: b""), ("data/statements.csv",)),
    Corruption("header only", raw("data/events.csv", lambda b: b.split(b"\n")[0] + b"\n"), ("data/events.csv:1:",)),
    Corruption("wrong delimiter", raw("data/places.csv", lambda b: b.replace(b",", b";")), ("data/places.csv:1:",)),
    Corruption(
        "Latin-1 encoding",
        raw("data/places.csv", lambda b: b.decode("utf-8").encode("latin-1", errors="replace")),
        ("data/places.csv",),
    ),
    Corruption(
        "UTF-16 encoding", raw("data/events.csv", lambda b: b.decode("utf-8").encode("utf-16")), ("data/events.csv",)
    ),
    Corruption("byte-order mark", raw("data/sources.csv", lambda b: b"\xef\xbb\xbf" + b), ("data/sources.csv:1:",)),
    Corruption("CRLF line endings", raw("data/events.csv", lambda b: b.replace(b"\n", b"\r\n")), ("data/events.csv",)),
    Corruption("mixed line endings", raw("data/statements.csv", _mixed_endings), ("data/statements.csv",)),
    Corruption("unbalanced quotes", raw("data/events.csv", _unbalanced), ("data/events.csv",)),
    Corruption("short row", raw("data/events.csv", _short_row), ("data/events.csv:5:",)),
    Corruption("half-written file", raw("data/events.csv", _half_written), ("data/events.csv",)),
    Corruption("descriptor not JSON", raw("data/datapackage.json", lambda b: b[:-40]), ("data/datapackage.json",)),
    # quotes and archived texts
    Corruption(
        "quote not in its archived source",
        cell("statements", 3, quote="Words the source never printed."),
        ("data/statements.csv:7:quote",),
    ),
    Corruption(
        "archived source edited after hashing",
        text("seeds/000_6dd4dc6e34bed8c8.txt", "deteriorating quickly", "getting worse"),
        ("data/sources.csv",),
    ),
    Corruption("archived copy missing", _delete("seeds/000_6dd4dc6e34bed8c8.txt"), ("data/sources.csv",)),
    Corruption("anchors deleted", _delete("data/anchors.json"), ("data/anchors.json:0:",)),
    # geometry
    Corruption("truncated GeoJSON", raw("geo/routes.geojson", lambda b: b[: len(b) // 3]), ("geo/routes.geojson",)),
    Corruption("not JSON at all", raw("geo/places.geojson", lambda b: b"<html>oops</html>"), ("geo/places.geojson",)),
    Corruption("another CRS", geojson("places.geojson", _crs), ("geo/places.geojson",)),
    Corruption("self-intersecting polygon", geojson("boundaries.geojson", _self_crossing), ("geo/boundaries.geojson",)),
    Corruption("empty geometry", geojson("routes.geojson", _coords(0, [])), ("geo/routes.geojson",)),
    Corruption("coordinates swapped", geojson("places.geojson", _swap_point), ("geo/places.geojson",)),
    Corruption(
        "projected coordinates",
        geojson("places.geojson", _coords(0, [5176000.0, 4823000.0])),
        ("geo/places.geojson",),
    ),
    Corruption("place far outside the region", cell("places", 0, lat="10.5"), ("data/places.csv:2:",)),
    # places: kinds, precision, and courses in order
    Corruption("unknown place kind", cell("places", 2, kind="fortress"), ("data/places.csv:4:kind",)),
    Corruption(
        "unknown coordinate precision",
        cell("places", 3, coord_precision="vicinity"),
        ("data/places.csv:5:coord_precision",),
    ),
    Corruption("approximate point without a basis", _approximate_unexplained, ("data/places.csv:", ":coord_basis")),
    Corruption(
        "exact point with a basis", cell("places", 0, coord_basis="a guess"), ("data/places.csv:2:coord_basis",)
    ),
    Corruption(
        "exact point with one coordinate source",
        cell("places", 1, coord_source_ids="coord-aghdam-1"),
        ("data/places.csv:3:coord_source_ids",),
    ),
    Corruption("waypoints out of order", _course_reversed_inside, ("data/alignments.csv:2:waypoints", "nearer than")),
    Corruption("waypoint listed twice", _course_with_repeat, ("data/alignments.csv:4:waypoints", "listed twice")),
]
