"""Every check of ``data/``, ``geo/`` and ``seeds/``, reported one line per problem.

``validate(root)`` never raises on bad input: each fault in the files becomes a
:class:`~routestatus.problems.Problem` naming file, line, column, the value found and
what was expected. The rules come from ``data/datapackage.json`` wherever the schema
can state them; the rest (dates in order, quotes found in their archived text, anchors and layers in
step with the tables) are here, each in one function.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from routestatus import anchors, geobuild, geocheck
from routestatus.cellcheck import check_cell
from routestatus.csvfile import CsvRead, Row, read_csv
from routestatus.isodate import parse_day
from routestatus.paths import Root
from routestatus.problems import Problem
from routestatus.quotes import quote_in_text, sha256_file
from routestatus.schema import Field, Schema, Table, load_schema

GEO_LAYERS = {
    "places": ("places.geojson", ("Point",), "place_id"),
    "routes": ("routes.geojson", ("LineString",), "alignment_id"),
}
BOUNDARIES = ("boundaries.geojson", ("Polygon", "MultiPolygon"), "name")


@dataclass
class Report:
    """The outcome of :func:`validate`: problems, and rows read per table."""

    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    # The rows as read, so the loader need not parse every file a second time.
    parsed: dict[str, CsvRead] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def lines(self) -> list[str]:
        """The problems as sorted one-line messages."""
        return [str(p) for p in sorted(self.problems)]

    def touching(self, prefixes: tuple[str, ...]) -> list[Problem]:
        """The problems in files whose path starts with one of ``prefixes``.

        The data package descriptor and internal errors touch everything.
        """
        everywhere = ("data/datapackage.json", "(validate)")
        return sorted(p for p in self.problems if p.file.startswith(prefixes + everywhere))


class _Rows(Mapping):
    """Each table's rows by name, made from its read when a check first asks for them.

    The checks of large tables read their columns (``_Loaded.reads``) instead: 100,000 rows
    made for them cost more than the checks themselves.
    """

    def __init__(self, reads: dict[str, CsvRead]) -> None:
        self._reads, self._rows = reads, {}

    def __getitem__(self, name: str) -> list[Row]:
        if name not in self._rows:
            self._rows[name] = self._reads[name].views()
        return self._rows[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._reads)

    def __len__(self) -> int:
        return len(self._reads)


@dataclass
class _Loaded:
    schema: Schema
    reads: dict[str, CsvRead]
    usable: dict[str, bool]

    @functools.cached_property
    def tables(self) -> _Rows:
        """Each table's rows, for the checks that go row by row."""
        return _Rows(self.reads)


def validate(root: Root) -> Report:
    """Check everything under ``root``; see the module docstring."""
    report = Report()
    try:
        _validate(root, report)
    except Exception as err:  # a last guard: a bug here must still give one line, not a traceback
        report.problems.append(
            Problem(
                "(validate)",
                0,
                "-",
                f"{type(err).__name__}: {err}",
                "no internal error; please report this line",
            )
        )
    return report


def _validate(root: Root, report: Report) -> None:
    name = root.rel(root.datapackage)
    try:
        schema = load_schema(root.datapackage)
    except FileNotFoundError:
        report.problems.append(Problem(name, 0, "-", "no file", "the data package descriptor"))
        return
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as err:
        report.problems.append(
            Problem(name, 1, "-", f"{type(err).__name__}: {err}", "a valid Frictionless data package")
        )
        return
    loaded = _Loaded(schema, {}, {})
    for table in schema.tables.values():
        read, problems = _read_table(root, table)
        loaded.reads[table.name], loaded.usable[table.name] = read, read.usable
        report.parsed[table.name] = read
        report.rows[table.name] = len(read)
        report.problems += problems
    for check in _CROSS_CHECKS:
        report.problems += check(root, loaded)


def _read_table(root: Root, table: Table) -> tuple[CsvRead, list[Problem]]:
    """Read one table and check every cell, unique field and primary key."""
    path = root.data / table.path
    name = root.rel(path)
    read = read_csv(path, name, table.columns)
    problems = list(read.problems)
    if read.usable and not len(read):
        problems.append(Problem(name, 1, "-", "a header and no rows", "at least one data row"))
    lines = read.lines
    for f in table.fields:
        # Dates, enums and flags repeat, and nearly every cell is fine: each distinct value
        # of a column is checked once, and only the rows holding a bad one are visited.
        bad = {value: why for value in read.distinct(f.name, _suspects(f)) if (why := check_cell(f, value))}
        if bad:
            column = read.column(f.name)
            problems += [Problem(name, lines[i], f.name, column[i], bad[column[i]]) for i in read.holding(f.name, bad)]
    unique = [f.name for f in table.fields if f.unique]
    for col in unique:
        if read.all_distinct(col):
            continue  # no value twice: nothing to say line by line
        first: dict[str, int] = {}
        for line, value in zip(lines, read.column(col), strict=True):
            if value and value in first:
                problems.append(
                    Problem(
                        name,
                        line,
                        col,
                        value,
                        f"a unique value (already on line {first[value]})",
                    )
                )
            first.setdefault(value, line)
    return read, problems


# Every character Python's str.strip() removes (str.isspace; a test checks the list against
# every code point). Written out: finding them at import took 80 ms.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Outside printable ASCII, Python's classes and RE2's part ways (\S takes U+00A0 in RE2, not
# in Python), so a cell with any other character is always checked in Python.
_NOT_PRINTABLE_ASCII = "[^\\x20-\\x7e]"


def _suspects(f: Field) -> Callable[[pa.ChunkedArray], pa.ChunkedArray] | None:
    """Which distinct cells of ``f`` need check_cell, as a mask over Arrow's column; None for all of them.

    Free text (no enum, no pattern) is where a large table's cells are nearly all distinct
    (summaries, quotes, notes), and ids with a pattern are all distinct: checking each one in
    Python cost more than reading the file. Free text can only be faulted when blank or with
    a space at an end; text with a pattern also when RE2 finds it does not match, or when it
    holds a character where RE2 and Python's ``re`` might disagree. So every cell check_cell
    would fault is among them.
    """
    if f.type != "string" or f.enum is not None:
        return None
    if f.pattern is None:
        return _blank_or_padded
    whole = f"^(?:{f.pattern})$"
    if not _re2_reads(whole):
        return None  # a pattern RE2 cannot read (a look-ahead, say): Python checks every cell

    def suspects(column: pa.ChunkedArray) -> pa.ChunkedArray:
        unmatched = pc.invert(pc.match_substring_regex(column, whole))
        odd = pc.or_(pc.match_substring_regex(column, _NOT_PRINTABLE_ASCII), _blank_or_padded(column))
        return pc.or_(unmatched, odd)

    return suspects


def _blank_or_padded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Which cells are blank or have one of :data:`SPACES` at an end: the only free text check_cell can fault.

    Trimmed and measured: a regular expression that looks for a space at the end reads
    every character of every cell, 45 ms over the summaries and notes of 100,000 events
    against 14 ms.
    """
    trimmed = pc.utf8_trim(column, characters=SPACES)
    return pc.or_(pc.equal(column, ""), pc.not_equal(pc.binary_length(trimmed), pc.binary_length(column)))


@functools.cache
def _re2_reads(pattern: str) -> bool:
    """Whether Arrow's RE2 can compile ``pattern`` (asked once per pattern, not on every load)."""
    try:
        pc.match_substring_regex(pa.array([""]), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


def _keys(loaded: _Loaded, table: str, column: str, delimiter: str | None = None) -> pa.Array:
    """The distinct filled keys of a column, each item of a delimited list on its own, in Arrow.

    Whole-column work: the 100,000 lists of sources of as many events, split in Python,
    cost a first start 30 ms.
    """
    read = loaded.reads.get(table)
    if read is None or not len(read):
        return pa.array([], pa.string())
    keys = pc.unique(read.arrow(column))
    if delimiter:
        keys = pc.unique(pc.list_flatten(pc.split_pattern(keys, delimiter)))
    return pc.filter(keys, pc.not_equal(keys, ""))


def _foreign_keys(root: Root, loaded: _Loaded) -> list[Problem]:
    out = []
    for table in loaded.schema.tables.values():
        name = root.rel(root.data / table.path)
        for fk in table.foreign_keys:
            if not loaded.usable.get(fk.ref_table):
                continue  # the referenced file is already reported as unreadable
            known_keys = _keys(loaded, fk.ref_table, fk.ref_field)
            values = _keys(loaded, table.name, fk.field, fk.delimiter)
            if pc.all(pc.is_in(values, value_set=known_keys)).as_py() is not False:
                continue  # every key resolves (or there are none): no row need be visited
            known = set(known_keys.to_pylist())
            for row in loaded.tables[table.name]:
                value = row.values[fk.field]
                items = value.split(fk.delimiter) if fk.delimiter and value else [value]
                for item in items:
                    if item and item not in known:
                        out.append(
                            Problem(
                                name,
                                row.line,
                                fk.field,
                                item,
                                f"a {fk.ref_field} listed in {fk.ref_table}.csv",
                            )
                        )
    return out


def _sequential_ids(root: Root, loaded: _Loaded) -> list[Problem]:
    """Ids are permanent: the numbers run 1..n without a gap, so a deleted row shows up.

    Worked out on whole columns in Arrow and numpy: a Python int and a (length, text) pair
    per id cost 0.1 s at 100,000 events. An id's number is what follows its first
    character, when that is all digits.
    """
    out = []
    for table_name, column in loaded.schema.sequential_ids.items():
        table = loaded.schema.tables[table_name]
        read = loaded.reads[table_name]
        if not loaded.usable[table_name] or not len(read):
            continue
        name = root.rel(root.data / table.path)
        ids = read.arrow(column)
        first = ids[0].as_py()
        prefix, width = first[:1], len(first) - 1
        first_missing, missing, largest = _gaps(pc.utf8_slice_codeunits(ids, 1))
        rule = "ids from first to last: never delete a row, mark it retracted=true"
        for number in first_missing:
            out.append(Problem(name, 0, column, f"no row {prefix}{number:0{width}d}", rule))
        if missing > len(first_missing):
            more = missing - len(first_missing)
            out.append(
                Problem(
                    name,
                    0,
                    column,
                    f"{more:,} more ids with no row below the largest, {prefix}{largest:0{width}d} (mistyped?)",
                    rule,
                )
            )
        # In order by (length, text), each id against the next. Arrow compares text by its
        # UTF-8 bytes, which order as the code points do, as Python compares strings.
        lengths = pc.utf8_length(ids).to_numpy(zero_copy_only=False)
        before, after = ids.slice(0, len(ids) - 1), ids.slice(1)
        shorter = lengths[:-1] < lengths[1:]
        same = lengths[:-1] == lengths[1:]
        not_after = pc.less_equal(before, after).to_numpy(zero_copy_only=False)
        if not np.all(shorter | (same & not_after)):
            out.append(Problem(name, 0, column, "rows out of order", f"rows sorted by {column}"))
    return out


GAP_LINES = 20  # missing ids written out one per line; past these, one line counts the rest


def _gaps(tails: pa.ChunkedArray | pa.Array) -> tuple[list[int], int, int]:
    """Numbers from 1 to the largest of ``tails`` (ids less their first character) that none holds.

    Returns the first :data:`GAP_LINES` of them, how many there are in all, and the largest.

    A tail counts when it is all decimal digits, as Python's ``str.isdecimal`` says (what
    ``int`` reads); ASCII digits, nearly every id, are read in Arrow. Only the first few
    missing numbers are ever listed: one mistyped id (``E999999999``) leaves a billion
    gaps, which listing would take the memory of the machine to find.
    """
    plain = pc.match_substring_regex(tails, "^[0-9]{1,18}$")  # at most 18 digits fit an int64
    numbers = pc.cast(pc.filter(tails, plain), pa.int64()).to_numpy(zero_copy_only=False)
    others = [int(t) for t in pc.filter(tails, pc.invert(plain)).to_pylist() if t.isdecimal()]
    if others:  # other digits, or very long numbers: the few such tables are worked out in Python
        held = sorted(set(numbers.tolist()) | set(others))
        # Of 1..len(held)+GAP_LINES at most len(held) are held, so the first missing ones are there.
        first = sorted(set(range(1, min(held[-1], len(held) + GAP_LINES) + 1)) - set(held))
        return first[:GAP_LINES], held[-1] - sum(1 for h in held if h >= 1), held[-1]
    if not len(numbers):
        return [], 0, 0
    present = np.unique(numbers)
    largest = int(present[-1])
    upto = min(largest, len(present) + GAP_LINES)
    first = np.setdiff1d(np.arange(1, upto + 1), present, assume_unique=True)[:GAP_LINES].tolist()
    return first, largest - int(np.count_nonzero(present >= 1)), largest


def _event_dates(root: Root, loaded: _Loaded) -> list[Problem]:
    out = []
    for table_name, pairs in (
        ("events", [("date_start", "date_end")]),
        ("alignments", [("valid_from", "valid_to")]),
        ("statements", [("date", "")]),
    ):
        table = loaded.schema.tables.get(table_name)
        if table is None:
            continue
        name = root.rel(root.data / table.path)
        read = loaded.reads[table_name]
        if not len(read):
            continue
        # Column by column, not row by row: each distinct date is read once, as a day number
        # (or -1 when it is not a date), and only the rows with a fault are visited in Python.
        months = (
            pc.equal(read.arrow("date_precision"), "month").to_numpy(zero_copy_only=False)
            if "date_precision" in table.columns
            else None
        )
        lines = read.lines
        for start_col, end_col in pairs:
            starts, start_days = _day_numbers(read.arrow(start_col))
            late = np.zeros(len(start_days), dtype=bool)
            if end_col:
                ends, end_days = _day_numbers(read.arrow(end_col))
                late = (start_days >= 0) & (end_days >= 0) & (end_days < start_days)
            not_first = np.zeros(len(start_days), dtype=bool)
            if months is not None:
                firsts = np.array([d.day == 1 if d else True for d in starts.days], dtype=bool)
                not_first = months & (start_days >= 0) & ~firsts[starts.codes]
            for i in np.flatnonzero(late | not_first).tolist():
                start = starts.days[starts.codes[i]]
                if late[i]:
                    end_text = ends.texts[ends.codes[i]]
                    out.append(Problem(name, lines[i], end_col, end_text, f"a date not before {start_col} {start}"))
                # A month-precision date is stored as the 1st so it can never pass for a day.
                if not_first[i]:
                    out.append(
                        Problem(
                            name,
                            lines[i],
                            start_col,
                            starts.texts[starts.codes[i]],
                            "the first of the month when date_precision is month",
                        )
                    )
    return out


@dataclass
class _Days:
    """A column of date text as codes into its distinct cells (``texts``) and their days (None if not a date)."""

    codes: np.ndarray
    texts: list[str]
    days: list[dt.date | None]


def _day_numbers(column: pa.ChunkedArray | pa.Array) -> tuple[_Days, np.ndarray]:
    """Each cell of ``column`` read as :func:`parse_day` reads it, once per distinct cell.

    Also each row's day as a number (the date's ordinal; -1 where the cell is not a date).
    """
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks() if encoded.num_chunks != 1 else encoded.chunk(0)
    texts = encoded.dictionary.to_pylist()
    days = [parse_day(t) for t in texts]
    ordinals = np.array([d.toordinal() if d else -1 for d in days], dtype=np.int64)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return _Days(codes, texts, days), ordinals[codes]


def _event_rules(root: Root, loaded: _Loaded) -> list[Problem]:
    out = []
    name = root.rel(root.data / "events.csv")
    read = loaded.reads.get("events")
    if read is None or not len(read):
        return out
    cells = zip(read.lines, read.column("route_id"), read.column("status_after"), strict=True)
    for line, road, status in cells:
        if road == "none" and status:
            out.append(Problem(name, line, "status_after", status, "blank when route_id is none (no road, no status)"))
    return out


def _place_rules(root: Root, loaded: _Loaded) -> list[Problem]:
    """An exact point has two sources; an approximate one says how it was derived (and only it does)."""
    out = []
    name = root.rel(root.data / "places.csv")
    for row in loaded.tables.get("places", []):
        v = row.values
        if "coord_precision" not in v:
            continue  # an older file without the column is already reported as such
        precision, basis = v["coord_precision"], v.get("coord_basis", "")
        if precision == "approximate" and not basis:
            out.append(
                Problem(
                    name,
                    row.line,
                    "coord_basis",
                    "",
                    "how the approximate point was derived (e.g. a stated distance and bearing from a checked place)",
                )
            )
        elif precision == "exact" and basis:
            out.append(
                Problem(name, row.line, "coord_basis", basis, "blank when coord_precision is exact (notes say how)")
            )
        sources = {s for s in v["coord_source_ids"].split(";") if s}
        if precision == "exact" and v["coord_source_ids"] and len(sources) < 2:
            out.append(
                Problem(
                    name,
                    row.line,
                    "coord_source_ids",
                    v["coord_source_ids"],
                    "two different sources for an exact point, or coord_precision approximate with a coord_basis",
                )
            )
    return out


def _course_order(root: Root, loaded: _Loaded) -> list[Problem]:
    """Each course's waypoints are in order along it: the line never doubles back (geocheck)."""
    if not loaded.usable.get("places"):
        return []
    where: dict[str, tuple[float, float]] = {}
    for row in loaded.tables["places"]:
        try:
            where[row.values["place_id"]] = (float(row.values["lon"]), float(row.values["lat"]))
        except ValueError:
            pass  # a bad number is reported against its cell
    out = []
    name = root.rel(root.data / "alignments.csv")
    for row in loaded.tables.get("alignments", []):
        waypoints = [w for w in row.values["waypoints"].split(";") if w]
        fault = geocheck.course_order_fault(waypoints, where)
        if fault:
            out.append(
                Problem(
                    name,
                    row.line,
                    "waypoints",
                    fault,
                    f"waypoints in order along the course: none nearer the first than one before it "
                    f"by more than {geocheck.ORDER_TOLERANCE_KM:g} km, none twice",
                )
            )
    return out


def _archived_sources(root: Root, loaded: _Loaded) -> list[Problem]:
    """Each archived copy exists, is hashed, and its hash still matches."""
    out = []
    name = root.rel(root.data / "sources.csv")
    referenced = set()
    for row in loaded.tables.get("sources", []):
        copy, digest = row.values["archived_copy"], row.values["sha256"]
        if not copy:
            if digest:
                out.append(Problem(name, row.line, "sha256", digest, "blank when there is no archived_copy"))
            continue
        referenced.add(copy)
        path = root.path / copy
        if not path.is_file():
            out.append(Problem(name, row.line, "archived_copy", copy, "a file under seeds/"))
            continue
        actual = sha256_file(path)
        if not digest:
            out.append(Problem(name, row.line, "sha256", "", f"the archived copy's sha256 ({actual})"))
        elif digest != actual:
            out.append(
                Problem(
                    name,
                    row.line,
                    "sha256",
                    digest,
                    f"{actual}: {copy} changed after its hash was taken",
                )
            )
    if root.seeds.is_dir():
        for path in sorted(root.seeds.glob("*.txt")):
            if root.rel(path) not in referenced:
                out.append(
                    Problem(
                        root.rel(path),
                        0,
                        "-",
                        "an archived text no source cites",
                        "a sources.csv row with this archived_copy",
                    )
                )
    return out


def _quotes(root: Root, loaded: _Loaded) -> list[Problem]:
    """Quotes whose source is archived must be found verbatim in the archived text."""
    out = []
    texts: dict[str, tuple[str, str]] = {}  # source_id -> (archived_copy, its text)
    for row in loaded.tables.get("sources", []):
        copy = row.values["archived_copy"]
        path = root.path / copy if copy else None
        if path and path.is_file():
            texts[row.values["source_id"]] = (copy, path.read_text(encoding="utf-8", errors="replace"))
    name = root.rel(root.data / "statements.csv")
    for row in loaded.tables.get("statements", []):
        copy, text = texts.get(row.values["source_id"], ("", None))
        if text is not None and row.values["quote"] and not quote_in_text(row.values["quote"], text):
            out.append(Problem(name, row.line, "quote", row.values["quote"], f"text found verbatim in {copy}"))
    return out


def _anchors(root: Root, loaded: _Loaded) -> list[Problem]:
    """data/anchors.json must be what ``python -m routestatus anchor`` writes for these statements."""
    if not (loaded.usable.get("statements") and loaded.usable.get("sources")):
        return []
    rows = [r.values for r in loaded.tables["statements"]]
    sources = [r.values for r in loaded.tables["sources"]]
    expected = anchors.anchors_json(anchors.build_anchors(rows, sources, root.path))
    path = root.data / anchors.ANCHORS_FILE
    have = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    if have == expected:
        return []
    found = "no file" if have is None else "anchors out of step with statements.csv or seeds/"
    return [Problem(root.rel(path), 0, "-", found, "the file written by: python -m routestatus anchor")]


def _geo_layers(root: Root, loaded: _Loaded) -> list[Problem]:
    out = []
    schema = loaded.schema
    expected = _expected_layers(loaded)
    for layer, (filename, types, id_prop) in GEO_LAYERS.items():
        path = root.geo / filename
        name = root.rel(path)
        doc, problems = geocheck.read_geojson(path, name)
        out += problems
        if doc is None:
            continue
        out += geocheck.check_collection(doc, name, types, schema.region_bbox, id_prop)
        if layer in expected:
            built = {geobuild.comparable(f) for f in expected[layer]}
            have = {geobuild.comparable(f) for f in doc["features"]}
            if built != have:
                out.append(
                    Problem(
                        name,
                        0,
                        "-",
                        "a layer out of step with data/",
                        "the layer rebuilt by: python -m routestatus build-geo",
                    )
                )
    filename, types, id_prop = BOUNDARIES
    path = root.geo / filename
    doc, problems = geocheck.read_geojson(path, root.rel(path))
    out += problems
    if doc is not None:
        out += geocheck.check_collection(doc, root.rel(path), types, schema.basemap_bbox, id_prop)
    return out


def _expected_layers(loaded: _Loaded) -> dict[str, list[dict]]:
    """The layers as ``build-geo`` would write them, for the tables that read cleanly."""
    places = [r.values for r in loaded.tables.get("places", [])]
    alignments = [r.values for r in loaded.tables.get("alignments", [])]
    expected: dict[str, list[dict]] = {}
    try:
        if loaded.usable.get("places"):
            expected["places"] = geobuild.places_features(places)
        if loaded.usable.get("places") and loaded.usable.get("alignments"):
            expected["routes"] = geobuild.routes_features(alignments, places)
    except (KeyError, ValueError):
        pass  # bad coordinates or waypoints are already reported against the tables
    return expected


_CROSS_CHECKS: list[Callable[[Root, _Loaded], list[Problem]]] = [
    _foreign_keys,
    _sequential_ids,
    _event_dates,
    _event_rules,
    _place_rules,
    _course_order,
    _archived_sources,
    _quotes,
    _anchors,
    _geo_layers,
]
