"""The CSV reader's Arrow path reads a plain file exactly as the strict reader does, and leaves it the rest.

``read_csv`` parses a file with Arrow when it is plain RFC 4180 (quotes only around whole
fields, no blank line), which is most of a large load's time saved; anything else goes to
Python's strict reader, which reports problems line by line. Here both readers meet the
same files, from the curated data to hand-made faults, and must give the same rows,
lines and problems.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from routestatus import csvfile
from routestatus.csvfile import read_csv
from routestatus.load import load_dataset
from routestatus.paths import PROJECT_ROOT, Root

COLUMNS = ["id", "text", "n"]
BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _strictly(monkeypatch):
    monkeypatch.setattr(csvfile, "_arrow_rows", lambda *args: None)


def _both(path: Path, columns, monkeypatch):
    fast = read_csv(path, path.name, columns)
    with monkeypatch.context() as m:
        _strictly(m)
        strict = read_csv(path, path.name, columns)
    return fast, strict


def _same(fast, strict):
    assert fast.header == strict.header
    assert [str(p) for p in fast.problems] == [str(p) for p in strict.problems]
    assert fast.usable == strict.usable
    assert [(r.line, dict(r.values)) for r in fast.rows] == [(r.line, r.values) for r in strict.rows]
    assert [(r.line, dict(r.values)) for r in fast.views()] == [(r.line, r.values) for r in strict.rows]
    assert fast.lines == strict.lines


PLAIN = {
    "simple": "id,text,n\nA1,hello,1\nA2,world,2\n",
    "quoted commas and doubled quotes": 'id,text,n\nA1,"a, b",1\nA2,"say ""no""",2\nA3,"""",3\n',
    "empty fields and empty quoted fields": 'id,text,n\nA1,,1\nA2,"",\n,"",""\n',
    "line breaks in values": 'id,text,n\nA1,"one\ntwo",1\nA2,"a\n\nb\nc",2\nA3,end,3\n',
    "no line end at the end": 'id,text,n\nA1,x,1\nA2,"y",2',
    "unicode": "id,text,n\nA1,Լաչին Laçın Лачин,1\n",
}
NOT_PLAIN = {
    "a quote inside a plain field": 'id,text,n\nA1,ab"c,1\n',
    "text after a closing quote": 'id,text,n\nA1,"ab"c,1\n',
    "a blank line": "id,text,n\nA1,x,1\n\nA2,y,2\n",
    "a blank line at the end": "id,text,n\nA1,x,1\n\n",
    "a quote left open": 'id,text,n\nA1,"abc,1\nA2,x,2\n',
    "a NUL": "id,text,n\nA1,a\x00b,1\n",
    "a row too short": "id,text,n\nA1,x\nA2,y,2\n",
    "a row too long": "id,text,n\nA1,x,1,9\n",
    "a quoted line break then a short row": 'id,text,n\nA1,"x\ny",1\nA2,z\n',
}


@pytest.mark.parametrize("name", list(PLAIN))
def test_plain_files_are_read_by_arrow_as_the_strict_reader_reads_them(name, tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_bytes(PLAIN[name].encode("utf-8"))
    fast, strict = _both(path, COLUMNS, monkeypatch)
    assert fast.table is not None, "a plain file goes through Arrow"
    _same(fast, strict)


@pytest.mark.parametrize("name", list(NOT_PLAIN))
def test_other_files_are_left_to_the_strict_reader(name, tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_bytes(NOT_PLAIN[name].encode("utf-8"))
    fast, strict = _both(path, COLUMNS, monkeypatch)
    assert fast.table is None
    _same(fast, strict)


# Bytes that are not UTF-8 in files that are otherwise plain: Arrow, reading the bytes, must
# turn them down as Python's strict decoding does, so the problem is reported with its place.
NOT_UTF8 = {
    "Latin-1 in a value": b"id,text,n\nA1,caf\xe9,1\n",
    "a surrogate": b"id,text,n\nA1,x,1\nA2,\xed\xa0\x80,2\n",
    "an overlong slash": b"id,text,n\nA1,\xc0\xaf,1\n",
    "past U+10FFFF": b"id,text,n\nA1,\xf4\x90\x80\x80,1\n",
    "a sequence cut at the end": b"id,text,n\nA1,x,1\nA2,y,\xf0\x9f\x98",
    "in a quoted value": b'id,text,n\nA1,"a,\xe9",1\n',
    "in the header": b"id,t\xe9xt,n\nA1,x,1\n",
}


@pytest.mark.parametrize("name", list(NOT_UTF8))
def test_bytes_that_are_not_utf8_are_reported_as_the_strict_reader_reports_them(name, tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_bytes(NOT_UTF8[name])
    fast, strict = _both(path, COLUMNS, monkeypatch)
    assert fast.table is None and not fast.usable
    assert any("UTF-8" in p.expected for p in fast.problems)
    _same(fast, strict)


@pytest.mark.parametrize("name", list(PLAIN))
def test_plain_files_are_read_from_their_bytes_without_decoding_them_first(name, tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_bytes(PLAIN[name].encode("utf-8"))
    strict = read_csv(path, path.name, COLUMNS)

    def never(*args):
        raise AssertionError("a plain file's text was decoded")

    monkeypatch.setattr(csvfile, "_decode", never)
    fast = read_csv(path, path.name, COLUMNS)
    assert fast.table is not None
    _same(fast, strict)


def test_the_curated_files_read_alike(monkeypatch):
    for path in sorted((PROJECT_ROOT / "data").glob("*.csv")):
        header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        fast, strict = _both(path, header, monkeypatch)
        assert fast.table is not None, path.name
        _same(fast, strict)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("bench_generate_csvfile", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(tmp_path_factory.mktemp("gen") / "data", 2000, seed=5)


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_the_loaded_frames_and_report_are_the_same_either_way(which, generated, monkeypatch):
    root = Root(PROJECT_ROOT if which == "curated" else Path(generated))
    fast = load_dataset(root)
    with monkeypatch.context() as m:
        _strictly(m)
        strict = load_dataset(root)
    assert fast.report.lines() == strict.report.lines()
    assert fast.tables.keys() == strict.tables.keys()
    for name in fast.tables:
        pd.testing.assert_frame_equal(fast.tables[name], strict.tables[name], obj=name)


@pytest.mark.parametrize(
    "body",
    [
        '"id","text","n"\nA1,x,1\n',  # a quoted header, read with the rest of the text
        '"id","text\nmore",n\nA1,x,1\n',  # a header whose quoted name breaks the line
        "\ufeffid,text,n\nA1,x,1\n",  # a BOM: the text, not the file's bytes, goes to Arrow
        'id,text,n\r\nA1,x,1\r\nA2,"y\r\nz",2\r\n',  # CRLF, reported, and read as LF
        "id,text,n",  # a header and no line end
    ],
)
def test_headers_marks_and_line_endings_read_alike(body, tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_bytes(body.encode("utf-8"))
    fast, strict = _both(path, COLUMNS, monkeypatch)
    _same(fast, strict)


def _plain_by_splitting(text: str) -> tuple[bool, bool]:
    """The plain-file test as first written, splitting the text at its quotes: the reference."""
    if "\x00" in text:
        return False, False
    parts = text.split('"')
    if len(parts) % 2 == 0:
        return False, False
    last = len(parts) - 1
    for i in range(0, len(parts), 2):
        piece = parts[i]
        if "\n\n" in piece:
            return False, False
        if not piece:
            continue
        if (i > 0 and piece[0] not in ",\n") or (i < last and piece[-1] not in ",\n"):
            return False, False
    return True, any("\n" in parts[i] for i in range(1, len(parts), 2))


def test_the_plain_file_test_on_bytes_agrees_with_splitting_the_text():
    import random

    rng = random.Random(16)
    # Short texts from the characters that matter, and two that do not (one of them two bytes).
    texts = [*PLAIN.values(), *NOT_PLAIN.values()]
    texts += ["".join(rng.choice('"",\n\nxé\x00') for _ in range(rng.randrange(0, 24))) for _ in range(20000)]
    verdicts = set()
    for text in texts:
        expected = _plain_by_splitting(text)
        assert csvfile._plain_rfc4180(text.encode("utf-8")) == expected, repr(text)
        verdicts.add(expected)
    assert verdicts == {(False, False), (True, False), (True, True)}  # every answer was met


def _with_events(source: Path, target: Path, change) -> Root:
    """A copy of the dataset at ``source`` whose events.csv rows are shuffled and passed through ``change``."""
    import shutil

    shutil.copytree(source, target)
    path = target / "data" / "events.csv"
    header, *rows = path.read_text(encoding="utf-8").split("\n")
    rows = [r for r in rows if r]
    order = np.random.default_rng(7).permutation(len(rows))
    rows = change(header.split(","), [rows[i] for i in order])
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return Root(target)


DATE_CASES = {
    "shuffled": lambda header, rows: rows,
    "blank dates": lambda header, rows: _cells(header, rows, {"date_start": ""}, 5),
    # Blank ids among rows of one day: a missing id sorts after the others, as pandas sorts.
    "blank ids": lambda header, rows: _cells(
        header, _cells(header, rows, {"date_start": "2022-12-12"}, 10), {"event_id": ""}, 5
    ),
    "a day that is not one": lambda header, rows: _cells(header, rows, {"date_start": "2022-02-30"}, 3),
    "a day not padded": lambda header, rows: _cells(header, rows, {"date_start": "2022-1-5"}, 3),
    # Two rows of one id that are both missing a day once typed, the blank one first in the
    # file: sorted as text, the other came first, and the typed sort must not keep that.
    "an id given twice, both without a day": lambda header, rows: _twice(header, rows),
}


def _twice(header, rows):
    plain = [i for i, row in enumerate(rows) if '"' not in row and len(row.split(",")) == len(header)][:2]
    for i, day in zip(plain, ("", "2022-13-01"), strict=True):
        cells = rows[i].split(",")
        cells[header.index("date_start")], cells[header.index("event_id")] = day, "E999999"
        rows[i] = ",".join(cells)
    return rows


def _cells(header, rows, values, count):
    """The rows with the first ``count`` given these cells (rows without quotes only, so commas split cells)."""
    out, changed = [], 0
    for row in rows:
        cells = row.split(",")
        if changed < count and '"' not in row and len(cells) == len(header):
            for column, value in values.items():
                cells[header.index(column)] = value
            changed += 1
        out.append(",".join(cells))
    assert changed == count
    return out


@pytest.mark.parametrize("case", list(DATE_CASES))
def test_rows_put_in_date_order_as_text_come_out_as_sorting_the_typed_frame(case, generated, tmp_path, monkeypatch):
    from routestatus import load

    root = _with_events(Path(generated), tmp_path / "copy", DATE_CASES[case])
    used = []
    real = load._text_date_order
    monkeypatch.setattr(load, "_text_date_order", lambda *a: used.append(r := real(*a)) or r)
    fast = load_dataset(root)
    with monkeypatch.context() as m:
        _strictly(m)
        strict = load_dataset(root)
    assert used and (used[0] is not None) == (case != "a day not padded")
    twice = fast.tables["events"][fast.tables["events"]["event_id"].eq("E999999").fillna(False)]["_line"].tolist()
    assert twice == sorted(twice), "rows that tie once typed stay in the file's order"
    for name in ("events", "statements"):
        pd.testing.assert_frame_equal(fast.tables[name], strict.tables[name], obj=name)
        assert not fast.tables[name]["_line"].is_monotonic_increasing or name == "statements"
