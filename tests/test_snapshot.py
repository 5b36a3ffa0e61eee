"""Snapshots: exact rows, spreadsheet-safe cells, manifests that match, the same bytes from the CLI."""

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile

import pandas as pd
import pytest

from routestatus.cli import main
from routestatus.export import FORMULA_STARTS, csv_bytes, read_csv_bytes
from routestatus.exportcolumns import EXPORT_FIELDS
from routestatus.filters import filter_events, filter_statements
from routestatus.load import fingerprint, load_dataset
from routestatus.schema import Field, Table
from routestatus.snapshot import TABLES, read_snapshot, snapshot_zip, table_csv
from routestatus.status import ROADS, build_intervals
from routestatus.view import Choice, View, table_schema
from tests.expected import record_bounds

D = dt.date.fromisoformat
WHEN = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)

# Text a spreadsheet would run or a naive writer would break, plus the region's scripts.
# (Data files may not hold a tab at the start of a cell or a carriage return anywhere, so
# those two are tried on a frame of their own below.)
HOSTILE = [
    '=HYPERLINK("http://example.invalid/x","click")',
    "+1",
    "-road closed",
    "@x",
    "'already an apostrophe",
    'says "the road, and the bridge", twice',
    "first line\nsecond line",
    "Լաչինի միջանցք; Laçın dəhlizi, Ağdam–Əsgəran; Лачинский коридор",
]
RANGES = [
    ("2020-11-10", "2023-11-23", ROADS),
    ("2022-12-01", "2023-06-30", ("lachin",)),
    ("2023-09-01", "2023-09-30", ROADS),
    ("2023-09-19", "2023-09-19", ("aghdam_askeran",)),
    ("2021-01-01", "2021-01-02", ROADS),
]


def rewrite(path, column, values):
    """Put ``values`` into ``column`` of the first rows of a data CSV, written as the data files are."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index(column)
    for row, value in zip(rows[1:], values, strict=False):
        row[col] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def hostile(root):
    """A valid data directory whose free-text cells hold hostile and multilingual text."""
    events = root.data / "events.csv"
    rewrite(events, "summary", HOSTILE)
    rewrite(events, "notes", list(reversed(HOSTILE)))
    # Statements from S015 on quote sources not archived here, so their quotes are free text.
    statements = root.data / "statements.csv"
    with open(statements, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    q, n = rows[0].index("quote"), rows[0].index("notes")
    for row, value in zip(rows[15:], HOSTILE, strict=False):
        row[q], row[n] = value, value
    with open(statements, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    data = load_dataset(root)
    assert data.report.ok, data.report.lines()
    return root, data, build_intervals(data.tables["events"])


def view(hostile, lo, hi, roads=ROADS, **more):
    _, data, intervals = hostile
    choice = View.default(data, intervals)
    return View(data, intervals, Choice(D(lo), D(hi), roads=tuple(roads), **more).fit(choice.options), choice.options)


def tables_of(v):
    return {name: v.table(name) for name in TABLES}


def members(raw):
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.mark.parametrize(("lo", "hi", "roads"), RANGES)
def test_zip_round_trip_gives_exactly_the_filtered_rows(hostile, lo, hi, roads):
    _, data, intervals = hostile
    flt = view(hostile, lo, hi, roads)
    snap = read_snapshot(snapshot_zip(flt), data.schema)
    assert snap.problems == []
    tables = tables_of(flt)
    for name in TABLES:
        pd.testing.assert_frame_equal(snap.tables[name], tables[name])
    # And those are the pages' rows: the same filter functions, the codebook's columns.
    expected_events = filter_events(data.tables["events"], flt.choice)
    assert list(snap.tables["events"]["event_id"]) == list(expected_events["event_id"])
    expected_statements = filter_statements(data.tables["statements"], flt.choice)
    assert list(snap.tables["statements"]["statement_id"]) == list(expected_statements["statement_id"])
    # The codebook's columns first, then the export-only ones (routestatus.exportcolumns.EXPORT_FIELDS).
    codebook = data.schema.tables["events"].columns
    assert list(snap.tables["events"].columns) == codebook + [f.name for f in EXPORT_FIELDS["events"]]


@pytest.mark.parametrize("which", ["hostile", "generated"])
def test_a_tables_file_from_its_kept_records_is_the_one_written_from_its_rows(which, hostile, generated, monkeypatch):
    from routestatus import snapshot

    if which == "hostile":
        _, data, intervals = hostile
    else:
        data, intervals = generated, build_intervals(generated.tables["events"])
    base = View.default(data, intervals)
    lo, hi = base.choice.start, base.choice.end
    views = [base] + [
        View(data, intervals, Choice(a, b, roads=roads).fit(base.options), base.options)
        for a, b, roads in [
            (lo, lo, ROADS),
            (lo + dt.timedelta(days=400), lo + dt.timedelta(days=700), ("lachin",)),
            (hi - dt.timedelta(days=30), hi, ("aghdam_askeran",)),
            (hi + dt.timedelta(days=1), hi + dt.timedelta(days=9), ROADS),  # after the record: no rows
        ]
    ]
    for kept in (10**9, 0):  # the records kept and taken, and every file written from its rows
        monkeypatch.setattr(snapshot, "KEPT_RECORDS_MAX", kept)
        for v in views:
            for name in TABLES:
                assert table_csv(v, name) == csv_bytes(table_schema(data, name), v.table(name)), (name, v.choice)
    assert {("csv records", name) for name in ("events", "statements", "sources")} <= set(data.kept)


def test_hostile_text_survives_and_is_neutralised(hostile):
    _, data, intervals = hostile
    flt = view(hostile, "2020-11-10", "2023-11-23")
    raw = table_csv(flt, "events")
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.endswith("\r\n")
    assert "Лачинский коридор" in text and "Լաչինի" in text and "Ağdam–Əsgəran" in text
    cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert "'=HYPERLINK(" in text and "'+1" in text and "'-road closed" in text and "'@x" in text
    assert "''already an apostrophe" in text
    # Dates and true/false are written as they are, never prefixed.
    assert ",2020-11-10," in text and ",false," in text
    back = read_csv_bytes(table_schema(data, "events"), raw)
    assert set(HOSTILE) <= set(back["summary"]) and set(HOSTILE) <= set(back["notes"])


def test_every_table_round_trips_through_csv(hostile):
    _, data, intervals = hostile
    for lo, hi, roads in RANGES:
        flt = view(hostile, lo, hi, roads)
        tables = tables_of(flt)
        for name in TABLES:
            raw = table_csv(flt, name)
            pd.testing.assert_frame_equal(read_csv_bytes(table_schema(data, name), raw), tables[name])


def test_carriage_returns_and_numbers():
    table = Table("t", "t.csv", (Field("text", "string"), Field("n", "integer"), Field("day", "date")), ("text",))
    frame = pd.DataFrame(
        {
            "text": pd.array(["a\rb", "\rstarts", "c\r\nd", "-5", "\tstarts with a tab"], dtype="string"),
            "n": pd.array([-5, 3, None, 0, 1], dtype="Int64"),
            "day": pd.to_datetime(["2023-01-01", None, "2023-09-19", "2020-11-10", "2021-01-01"]).astype(
                "datetime64[us]"
            ),
        }
    )
    raw = csv_bytes(table, frame)
    text = raw.decode("utf-8-sig")
    assert text.split("\r\n")[1] == '"a\rb",-5,2023-01-01'  # a number keeps its minus sign
    assert "'-5" in text and "'\rstarts" in text and "'\tstarts" in text
    pd.testing.assert_frame_equal(read_csv_bytes(table, raw), frame)


def test_manifest_matches_files_and_carries_filters(hostile):
    root, data, intervals = hostile
    flt = view(hostile, "2023-09-01", "2023-09-30", ("lachin",))
    files = members(snapshot_zip(flt, generated_at=WHEN))
    manifest = json.loads(files["manifest.json"])
    assert set(files) == {"manifest.json", *(e["path"] for e in manifest["files"])}
    for entry in manifest["files"]:
        assert hashlib.sha256(files[entry["path"]]).hexdigest() == entry["sha256"]
        assert len(files[entry["path"]]) == entry["bytes"]
        if entry["path"].endswith(".csv"):
            lines = [r for r in csv.reader(io.StringIO(files[entry["path"]].decode("utf-8-sig"), newline=""))]
            assert entry["rows"] == len(lines) - 1
    assert {e["path"] for e in manifest["files"]} >= {f"{n}.csv" for n in TABLES} | {"routes.geojson", "README.md"}
    assert manifest["dataset_version"] == f"sha256:{fingerprint(root)}"
    assert manifest["schema_version"] == data.version
    assert manifest["generated_at"] == "2026-01-02T03:04:05Z"
    assert manifest["filters"]["from"] == "2023-09-01" and manifest["filters"]["roads"] == ["lachin"]
    assert "--route lachin" in manifest["command"]
    routes = json.loads(files["routes.geojson"])
    assert {f["properties"]["route_id"] for f in routes["features"]} == {"lachin"}
    readme = files["README.md"].decode()
    assert "apostrophe" in readme and "`status_after`" in readme and "2023-09-01 to 2023-09-30" in readme
    assert flt.file_name("snapshot", extension="zip") == "routestatus_snapshot_2023-09-01_2023-09-30_lachin.zip"
    some = view(hostile, "2023-09-01", "2023-09-30", event_types=("exodus",), organisations=("United Nations",))
    assert some.file_name("events") == "routestatus_events_2023-09-01_2023-09-30_exodus_1orgs.csv"
    dated = view(hostile, "2023-09-01", "2023-09-30", asof=D("2023-09-19"))
    assert dated.file_name("events") == "routestatus_events_2023-09-01_2023-09-30_asof-2023-09-19.csv"
    assert "--asof 2023-09-19" in dated.choice.command_line(dated.options)


def test_same_inputs_same_bytes_and_tampering_is_found(hostile):
    _, data, intervals = hostile
    flt = view(hostile, "2022-12-01", "2023-09-30")
    first = snapshot_zip(flt, generated_at=WHEN)
    assert first == snapshot_zip(flt, generated_at=WHEN)
    files = members(first)
    files["events.csv"] = files["events.csv"].replace(b"E0", b"X0", 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    assert read_snapshot(buffer.getvalue(), data.schema).problems == [
        "events.csv: SHA-256 differs from manifest.json; the file was changed"
    ]


def test_cli_writes_the_same_csv_bytes(hostile, tmp_path, capsys):
    root, data, intervals = hostile
    flt = view(hostile, "2023-09-01", "2023-09-30", ("lachin",))
    out = tmp_path / "s.zip"
    argv = ["--root", str(root.path), "snapshot", "--from", "2023-09-01", "--to", "2023-09-30", "--route", "lachin"]
    assert main([*argv, "--out", str(out)]) == 0
    cli = members(out.read_bytes())
    app = members(snapshot_zip(flt))
    for name in app:
        if name != "manifest.json":
            assert cli[name] == app[name], name
    strip = [json.loads(m["manifest.json"]) for m in (cli, app)]
    for m in strip:
        m.pop("generated_at")
    assert strip[0] == strip[1]
    assert main([*argv, "--table", "events", "--out", str(tmp_path / "e.csv")]) == 0
    assert (tmp_path / "e.csv").read_bytes() == table_csv(flt, "events")
    assert "wrote" in capsys.readouterr().out


def test_cli_refuses_bad_filters_and_bad_data(root, capsys):
    first, last = record_bounds()
    assert main(["--root", str(root.path), "snapshot", "--from", "2023-02-30", "--to", "2019-01-01"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "error: --from '2023-02-30' is not a date in the form YYYY-MM-DD (for example 2023-09-19)",
        f"error: --to 2019-01-01 is outside the record, which runs from {first} to {last}",
    ]
    assert main(["--root", str(root.path), "snapshot", "--from", "20230901"]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: --from '20230901' is not a date in the form YYYY-MM-DD (for example 2023-09-19)"
    )
    rewrite(root.data / "events.csv", "date_start", ["2023-13-01"])
    assert main(["--root", str(root.path), "snapshot", "--out", str(root.path / "x.zip")]) == 1
    err = capsys.readouterr().err
    assert "data/events.csv:2:date_start:" in err and "snapshot refused" in err and "Traceback" not in err
    assert not (root.path / "x.zip").exists()
