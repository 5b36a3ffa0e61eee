"""The CSV reader's Arrow path reads a plain file exactly as the strict reader does, and leaves it the rest.

``read_csv`` parses a file with Arrow when it is plain RFC 4180 (quotes only around whole
fields, no blank line), which is most of a large load's time saved; anything else goes to
Python's strict reader, which reports problems line by line. Here both readers meet the
same files, from the curated data to hand-made faults, and must give the same rows,
lines and problems.
"""

import importlib.util
from pathlib import Path

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
