"""`validate` passes on the curated data and names file, line and column for each fault."""

import csv
import io
import json
import re
import time

import pytest

from routestatus.cli import main
from routestatus.paths import PROJECT_ROOT, Root
from routestatus.validate import GAP_LINES, validate

LINE = re.compile(r"^[\w./-]+:\d+:[\w.-]+: found .+; expected .+$")


def rows(root: Root, table: str) -> list[dict[str, str]]:
    with open(root.data / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(root: Root, table: str, data: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(data[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(data)
    (root.data / f"{table}.csv").write_text(buf.getvalue(), encoding="utf-8")


def edit(root: Root, table: str, index: int, **changes: str) -> int:
    """Change row ``index`` of a table; return the line it sits on (header is line 1)."""
    data = rows(root, table)
    data[index].update(changes)
    write_rows(root, table, data)
    return index + 2  # no curated cell spans lines before the rows edited here


def problems(root: Root) -> list[str]:
    return validate(root).lines()


def assert_one_problem(root: Root, *fragments: str) -> str:
    lines = problems(root)
    hits = [line for line in lines if all(f in line for f in fragments)]
    assert hits, f"no problem line with {fragments}; got: {lines}"
    for line in lines:
        assert LINE.match(line), line
    return hits[0]


def test_curated_data_is_valid():
    report = validate(Root(PROJECT_ROOT))
    assert report.lines() == []
    assert report.rows["events"] >= 40
    assert report.rows["statements"] >= 15 + 14


def test_cli_exit_status(root, capsys):
    assert main(["--root", str(root.path), "validate"]) == 0
    assert "OK:" in capsys.readouterr().out
    edit(root, "events", 0, route_id="lachin_corridor")
    assert main(["--root", str(root.path), "validate"]) == 1
    out = capsys.readouterr().out
    assert "data/events.csv:2:route_id: found 'lachin_corridor'; expected one of: lachin" in out
    assert "Traceback" not in out


# --- schema, enums, types --------------------------------------------------------------


def test_unknown_enum_value(root):
    line = edit(root, "events", 3, status_after="blockaded")
    assert_one_problem(root, f"data/events.csv:{line}:status_after", "'blockaded'", "one of: open")


def test_malformed_and_impossible_dates(root):
    edit(root, "events", 1, date_start="2023-02-30")
    edit(root, "events", 2, date_start="12/12/2022")
    assert_one_problem(root, "data/events.csv:3:date_start", "'2023-02-30'", "ISO date")
    assert_one_problem(root, "data/events.csv:4:date_start", "'12/12/2022'", "ISO date")


def test_date_outside_window(root):
    edit(root, "statements", 0, date="2019-05-01")
    assert_one_problem(root, "data/statements.csv:2:date", "not before 2020-11-09")


def test_end_before_start(root):
    data = rows(root, "events")
    i = next(i for i, r in enumerate(data) if r["date_start"] > "2021-01-01")
    line = edit(root, "events", i, date_end="2020-12-01")
    assert_one_problem(root, f"data/events.csv:{line}:date_end", "not before date_start")


def test_required_value_missing(root):
    edit(root, "statements", 2, speaker="")
    assert_one_problem(root, "data/statements.csv:", ":speaker: found (blank)", "required")


def test_bad_source_url(root):
    edit(root, "sources", 0, url="javascript:alert(1)")
    assert_one_problem(root, "data/sources.csv:2:url", "pattern https?://")


# --- ids and keys ----------------------------------------------------------------------


def test_duplicate_id(root):
    data = rows(root, "events")
    data[5]["event_id"] = data[4]["event_id"]
    write_rows(root, "events", data)
    assert_one_problem(root, "data/events.csv:7:event_id", "unique value (already on line 6)")


def test_deleted_row_breaks_permanent_ids(root):
    data = rows(root, "events")
    gone = data.pop(10)["event_id"]
    write_rows(root, "events", data)
    assert_one_problem(root, "data/events.csv:0:event_id", f"no row {gone}", "retracted=true")


def test_rows_out_of_id_order(root):
    data = rows(root, "events")
    data[3], data[4] = data[4], data[3]
    write_rows(root, "events", data)
    assert_one_problem(root, "data/events.csv:0:event_id", "rows out of order", "sorted by event_id")
    # A longer id sorts after a shorter one whatever its text: E00000 after E0230.
    data[3], data[4] = data[4], data[3]
    width = len(data[-1]["event_id"]) - 1
    data.append(dict(data[-1], event_id="E" + "0" * (width + 1)))
    write_rows(root, "events", data)
    assert not [p for p in problems(root) if "out of order" in p]


def test_ids_numbered_in_other_digits_are_read_as_numbers_or_reported(root):
    """A superscript digit is no decimal number: its id is reported, and the gap check goes on without it."""
    data = rows(root, "events")
    data[-1] = dict(data[-1], event_id="E\u00b2\u00b2\u00b2")
    write_rows(root, "events", data)
    lines = problems(root)
    assert not [p for p in lines if p.startswith("(validate)")], lines
    assert_one_problem(root, f"data/events.csv:{len(data) + 1}:event_id", "pattern")


def test_dangling_foreign_keys(root):
    edit(root, "events", 0, place_id="atlantis")
    data = rows(root, "events")
    line = edit(root, "events", 1, source_ids=data[1]["source_ids"] + ";no-such-source")
    edit(root, "statements", 0, source_id="nowhere")
    assert_one_problem(root, "data/events.csv:2:place_id", "'atlantis'", "places.csv")
    assert_one_problem(root, f"data/events.csv:{line}:source_ids", "'no-such-source'", "sources.csv")
    assert_one_problem(root, "data/statements.csv:2:source_id", "'nowhere'")


def test_status_on_an_event_with_no_road(root):
    data = rows(root, "events")
    i = next(i for i, r in enumerate(data) if r["route_id"] == "none")
    line = edit(root, "events", i, status_after="closed")
    assert_one_problem(root, f"data/events.csv:{line}:status_after", "blank when route_id is none")


# --- file format -----------------------------------------------------------------------


def test_missing_extra_and_reordered_columns(root):
    text = (root.data / "places.csv").read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    cols = header.split(",")
    (root.data / "places.csv").write_text(",".join(cols[1:] + cols[:1]) + "\n" + rest, encoding="utf-8")
    assert_one_problem(root, "data/places.csv:1:-", "columns in this order")
    (root.data / "places.csv").write_text(header.replace(",notes", ",remarks") + "\n" + rest, encoding="utf-8")
    assert_one_problem(root, "data/places.csv:1:notes", "no such column")
    assert_one_problem(root, "data/places.csv:1:remarks", "an extra column")


@pytest.mark.parametrize(
    ("mangle", "fragments"),
    [
        (lambda b: b"", ("data/sources.csv:1:-", "an empty file")),
        (lambda b: b.split(b"\n")[0] + b"\n", ("data/sources.csv:1:-", "no rows")),
        (lambda b: b.replace(b",", b";"), ("data/sources.csv:1:-", "comma-separated")),
        (lambda b: b"\xef\xbb\xbf" + b, ("data/sources.csv:1:1", "byte-order mark")),
        (
            lambda b: b.replace(b"\n", b"\r\n"),
            ("data/sources.csv:1:-", "CRLF", "LF line endings only"),
        ),
        (lambda b: b.replace(b"\n", b"\r\n", 3), ("data/sources.csv:1:-", "mixed line endings")),
        (lambda b: b.decode().encode("utf-16"), ("data/sources.csv:1:1", "UTF-16")),
        (
            lambda b: b.decode().encode("cp1252", errors="replace"),
            ("data/sources.csv:", "UTF-8 text"),
        ),
        (lambda b: b.replace(b"\n", b'\n"', 5), ("data/sources.csv:", "RFC 4180")),
    ],
    ids=[
        "empty",
        "header-only",
        "semicolons",
        "bom",
        "crlf",
        "mixed-eol",
        "utf16",
        "cp1252",
        "unbalanced-quote",
    ],
)
def test_file_format_faults(root, mangle, fragments):
    path = root.data / "sources.csv"
    path.write_bytes(mangle(path.read_bytes()))
    assert_one_problem(root, *fragments)


def test_wrong_field_count(root):
    path = root.data / "alignments.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2] + ",surplus"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_one_problem(root, "data/alignments.csv:3:-", "fields, one per column")


# --- quotes and archived sources -------------------------------------------------------


def test_quote_not_in_archived_source(root):
    data = rows(root, "statements")
    data[0]["quote"] = data[0]["quote"].replace("closely engaged", "deeply engaged")
    write_rows(root, "statements", data)
    assert_one_problem(root, "data/statements.csv:2:quote", "verbatim in seeds/")


def test_quote_tolerates_only_whitespace_and_typographic_quotes(root):
    data = rows(root, "statements")
    data[5]["quote"] = data[5]["quote"].replace("’", "'").replace(" ", "  ")
    write_rows(root, "statements", data)
    assert problems(root) == []


def test_archived_source_edited_after_hashing(root):
    seed = next(root.seeds.glob("*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8") + "\nAn added line.\n", encoding="utf-8")
    assert_one_problem(root, "data/sources.csv:", ":sha256:", "changed after its hash was taken")


def test_archived_copy_missing(root):
    next(root.seeds.glob("*.txt")).unlink()
    assert_one_problem(root, "data/sources.csv:", ":archived_copy:", "a file under seeds/")


# --- geo -------------------------------------------------------------------------------


def geo(root: Root, name: str) -> dict:
    return json.loads((root.geo / name).read_text(encoding="utf-8"))


def put_geo(root: Root, name: str, doc: dict) -> None:
    # One feature per line, as GDAL writes it, so line numbers stay meaningful.
    feats = ",\n".join(json.dumps(f, ensure_ascii=False) for f in doc["features"])
    head = {k: v for k, v in doc.items() if k != "features"}
    text = json.dumps(head)[:-1] + ', "features": [\n' + feats + "\n]}\n"
    (root.geo / name).write_text(text, encoding="utf-8")


def test_truncated_geojson(root):
    path = root.geo / "routes.geojson"
    path.write_text(path.read_text(encoding="utf-8")[:300], encoding="utf-8")
    assert_one_problem(root, "geo/routes.geojson:", "valid JSON")


def test_geojson_with_another_crs(root):
    doc = geo(root, "places.geojson")
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    put_geo(root, "places.geojson", doc)
    assert_one_problem(root, "geo/places.geojson:1:crs", "RFC 7946")


def test_swapped_coordinates(root):
    doc = geo(root, "places.geojson")
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    doc["features"][0]["geometry"]["coordinates"] = [lat, lon]
    put_geo(root, "places.geojson", doc)
    assert_one_problem(root, "geo/places.geojson:2:geometry.coordinates", "look like lat, lon")


def test_projected_coordinates(root):
    doc = geo(root, "places.geojson")
    doc["features"][1]["geometry"]["coordinates"] = [5204000.5, 4838000.25]
    put_geo(root, "places.geojson", doc)
    assert_one_problem(root, "geo/places.geojson:3:geometry.coordinates", "WGS84 degrees")


def test_place_far_outside_region(root):
    edit(root, "places", 0, lat="40.18", lon="44.51")  # Yerevan's latitude and longitude
    assert_one_problem(root, "data/places.csv:2:lon", "not before 45.5")


def test_self_intersecting_and_empty_geometry(root):
    doc = geo(root, "routes.geojson")
    coords = doc["features"][0]["geometry"]["coordinates"]
    doc["features"][0]["geometry"]["coordinates"] = [coords[0], coords[2], coords[1], coords[3]]
    doc["features"][1]["geometry"]["coordinates"] = []
    put_geo(root, "routes.geojson", doc)
    assert_one_problem(root, "geo/routes.geojson:2:geometry", "self-intersecting")
    assert_one_problem(root, "geo/routes.geojson:3:geometry.coordinates", "non-empty geometry")


def test_wrong_geometry_type(root):
    doc = geo(root, "routes.geojson")
    first = doc["features"][0]["geometry"]["coordinates"][0]
    doc["features"][0]["geometry"] = {"type": "Point", "coordinates": first}
    put_geo(root, "routes.geojson", doc)
    assert_one_problem(root, "geo/routes.geojson:2:geometry.type", "'Point'", "LineString")


def test_invalid_polygon_in_boundaries(root):
    doc = geo(root, "boundaries.geojson")
    doc["features"][0]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[45.0, 40.0], [46.0, 41.0], [46.0, 40.0], [45.0, 41.0], [45.0, 40.0]]],
    }
    put_geo(root, "boundaries.geojson", doc)
    assert_one_problem(root, "geo/boundaries.geojson:2:geometry", "Self-intersection", "a valid geometry")


def test_layer_out_of_step_with_tables(root):
    edit(root, "places", 0, lat="39.9")
    assert_one_problem(root, "geo/places.geojson:0:-", "out of step", "build-geo")


def test_no_traceback_on_garbage(root):
    for name in ("events.csv", "statements.csv", "sources.csv", "places.csv"):
        (root.data / name).write_bytes(bytes(range(256)) * 3)
    (root.geo / "routes.geojson").write_bytes(b"\x00\xff{]")
    (root.data / "datapackage.json").write_text("{not json", encoding="utf-8")
    lines = problems(root)
    assert lines and all(LINE.match(line) for line in lines)
    (root.data / "datapackage.json").unlink()
    assert problems(root)


def test_the_spaces_validate_looks_for_are_every_character_strip_removes():
    import sys

    from routestatus.validate import SPACES

    assert SPACES == "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


def test_the_cells_marked_blank_or_padded_are_those_strip_would_change():
    """Every space character at either end, alone, inside, beside other scripts: the mark is Python's own test."""
    import pyarrow as pa

    from routestatus.validate import SPACES, _blank_or_padded

    cells = ["", "x", "Լաչին", "a b", "a\u3000b", "\u200b", "\u00a0\u00a0", "Лачин\u2029", "ab\u0085c"]
    for space in SPACES:
        cells += [space, f"{space}Laçın", f"Laçın{space}", f"Լ{space}Լ", f"{space}Լաչին{space}"]
    marked = _blank_or_padded(pa.chunked_array([cells[: len(cells) // 2], cells[len(cells) // 2 :]]))
    assert marked.to_pylist() == [c == "" or c != c.strip() for c in cells]


@pytest.mark.parametrize("text", ["\u00a0Road closed", "Road closed\u3000", " Road closed", "Road closed\n"])
def test_a_space_at_either_end_of_free_text_is_found(root, text):
    """Free text is checked in Arrow first; only the cells with a space at an end, or none at all, reach check_cell."""
    blank = edit(root, "events", 1, summary="")
    line = edit(root, "events", 3, summary=text)  # after the blank: a line break in it moves no line before it
    assert_one_problem(root, f"data/events.csv:{line}:summary", "no leading or trailing spaces")
    assert_one_problem(root, f"data/events.csv:{blank}:summary", "required")


@pytest.mark.parametrize(
    "url",
    ["https://example.org/a\u00a0b", "https://example.org/a\u2003b", "https://example.org/a b", "ftp://example.org/"],
)
def test_a_url_with_a_space_inside_or_another_scheme_breaks_its_pattern(root, url):
    """The url pattern's \\S is Python's: no Unicode space either (an NBSP, an em space)."""
    line = edit(root, "sources", 2, url=url)
    assert_one_problem(root, f"data/sources.csv:{line}:url", "pattern")


HOSTILE = ["x\x0by", "x\u00a0y", "E\u0663\u0663\u0663", "S\u00b2\u00b2\u00b2", "caf\u00e9", "a\tb", "A-1", "E0001"]
# Appended to a valid cell: characters RE2's classes and Python's read apart (\S takes a
# vertical tab and an NBSP in RE2), an Arabic-Indic digit, a superscript two, an em space.
TAILS = ["\x0b", "\u00a0", "\u0663", "\u00b2", "\u2003x"]


def test_cells_with_a_pattern_are_faulted_exactly_where_python_faults_them(root):
    """Arrow's RE2 picks the cells Python checks; a cell RE2 and Python's ``re`` might read apart is always checked."""
    from routestatus.cellcheck import check_cell
    from routestatus.schema import load_schema

    schema = load_schema(root.datapackage)
    patterned = [(t, f) for t in schema.tables.values() for f in t.fields if f.pattern and f.enum is None]
    assert len(patterned) >= 10
    for table, f in patterned:
        kept = rows(root, table.name)
        valid = kept[1][f.name]
        for value in [*HOSTILE, valid, *(valid + tail for tail in TAILS)]:
            line = edit(root, table.name, 1, **{f.name: value})
            expected = check_cell(f, value)
            found = [p for p in problems(root) if p.startswith(f"data/{table.path}:{line}:{f.name}: ")]
            assert bool(found) == bool(expected), (table.name, f.name, value, found)
            if expected:
                assert any(p.endswith(f"expected {expected}") for p in found), found
        write_rows(root, table.name, kept)


def test_a_pattern_re2_cannot_read_has_every_cell_checked_in_python(root):
    """A look-ahead is Python's alone: the column's cells all go to check_cell, none is passed over."""
    data = json.loads(root.datapackage.read_text(encoding="utf-8"))
    events = next(r for r in data["resources"] if r["name"] == "events")
    field = next(f for f in events["schema"]["fields"] if f["name"] == "event_id")
    field["constraints"]["pattern"] = "(?=E)E[0-9]{3,}"
    root.datapackage.write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert not problems(root)
    line = edit(root, "events", 1, event_id="E12")
    assert_one_problem(root, f"data/events.csv:{line}:event_id", "pattern")


@pytest.mark.parametrize("huge", ["E999999999", "E" + "9" * 25, "E٩٩٩٩٩٩٩٩٩"])
def test_a_mistyped_huge_id_is_reported_in_a_few_lines_not_searched_for_every_gap(root, huge):
    # A billion numbers between the last id and this one: listing each would take the machine's
    # memory; the first few are listed, then one line counts the rest.
    data = rows(root, "events")
    data[-1]["event_id"] = huge
    write_rows(root, "events", data)
    started = time.perf_counter()
    lines = problems(root)
    assert time.perf_counter() - started < 30
    gaps = [line for line in lines if "found 'no row" in line]
    counted = [line for line in lines if "more ids with no row below the largest" in line]
    assert len(gaps) == GAP_LINES and len(counted) == 1, lines
    if len(huge) < 12:  # a longer id is cut short in the line, as any long value is
        assert f"below the largest, E{int(huge[1:])} (mistyped?)" in counted[0]  # its number in ASCII digits
    for line in lines:
        assert LINE.match(line), line


def test_a_few_gaps_are_each_listed_with_no_count_line(root):
    data = rows(root, "events")
    gone = [data.pop(i)["event_id"] for i in (20, 10, 5)]
    write_rows(root, "events", data)
    lines = problems(root)
    assert sorted(re.findall(r"found 'no row (\w+)'", "\n".join(lines))) == sorted(gone)
    assert not any("more ids with no row" in line for line in lines)
