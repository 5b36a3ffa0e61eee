"""Strict reading of the curated CSV files, keeping the physical line of every row.

The curated tables are UTF-8 without a byte-order mark, comma-separated, LF line endings,
RFC 4180 quoting. Anything else is reported, never guessed at, so a file saved by a
spreadsheet in another encoding is caught before a single value is misread.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as arrow_csv

from routestatus.problems import Problem


def _use_jemalloc() -> None:
    """Make jemalloc Arrow's allocator for this process, unless ``ARROW_DEFAULT_MEMORY_POOL`` names one.

    A first start joins, sorts and hashes columns of tens of megabytes once each. Arrow's
    default allocator (mimalloc) takes those pages from the system slowly the first time:
    joining 100,000 events' text cost 50-90 ms against 15-20 ms with jemalloc, and a whole
    first load 0.78-0.86 s against 0.68-0.71 s. Warm reruns measured the same with either.
    Set here, where the first large columns are made, before any of them is.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except (NotImplementedError, pa.ArrowNotImplementedError):
        pass  # an Arrow built without jemalloc keeps its own default


_use_jemalloc()


@dataclass
class Row:
    """One data row: the line it starts on and its values by column name."""

    line: int
    values: dict[str, str]


class _Columns(dict):
    """A plain file's columns as lists of text by name, each made from Arrow's column when first asked for.

    Most checks read a few columns of a large table; a list of 100,000 Python strings per
    column costs more than the check. A dict, so that reading a cell stays a dict lookup.
    """

    def __init__(self, table: pa.Table) -> None:
        super().__init__()
        self.table, self.names = table, table.column_names

    def __missing__(self, name: str) -> list[str]:
        if name not in self.names:
            raise KeyError(name)
        column = self[name] = self.table.column(name).to_pylist()
        return column


class _Cells(Mapping):
    """One row's cells by column name, read from the table's columns (no dict made per row)."""

    __slots__ = ("_columns", "_at")

    def __init__(self, columns: _Columns, at: int) -> None:
        self._columns, self._at = columns, at

    def __getitem__(self, name: str) -> str:
        return self._columns[name][self._at]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns.names)

    def __len__(self) -> int:
        return len(self._columns.names)


@dataclass
class CsvRead:
    """What :func:`read_csv` found: the header, the rows, and any problems.

    A plain file (see :func:`_plain_rfc4180`) is kept as columns, Arrow's (``table``) and
    lists of text (``column``); its ``rows``, with a dict per row, are made only when asked
    for, and ``views`` gives rows that read the columns instead, for checks that only read.
    """

    header: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    usable: bool = False
    # The same cells as Arrow text columns, when the file was plain enough to be read by
    # Arrow's parser; the loader makes its frames from them.
    table: pa.Table | None = field(default=None, repr=False, compare=False)
    _rows: list[Row] | None = field(default=None, repr=False)
    _columns: _Columns | None = field(default=None, repr=False)
    _lines: list[int] = field(default_factory=list, repr=False)
    _views: list[Row] | None = field(default=None, repr=False)

    @property
    def rows(self) -> list[Row]:
        """Every data row, with its line and its values as a dict (a new dict per row, the caller's to change)."""
        if self._rows is None:
            names = self._columns.names if self._columns is not None else []
            cells = zip(*(self._columns[n] for n in names), strict=True)
            self._rows = [Row(n, dict(zip(names, c, strict=True))) for n, c in zip(self._lines, cells, strict=True)]
        return self._rows

    def views(self) -> list[Row]:
        """The rows for reading only: values are views on the columns, made without a dict per row."""
        if self._columns is None:
            return self.rows
        if self._views is None:
            self._views = [Row(n, _Cells(self._columns, i)) for i, n in enumerate(self._lines)]
        return self._views

    def column(self, name: str) -> list[str]:
        """One column's cells, in row order."""
        if self._columns is not None:
            return self._columns[name]
        return [row.values[name] for row in self.rows]

    def arrow(self, name: str) -> pa.ChunkedArray | pa.Array:
        """One column's cells as Arrow text, in row order, for checks made on whole columns."""
        if self._columns is not None:
            return self.table.column(name)
        return pa.array(self.column(name), pa.string())

    def distinct(self, name: str, among: Callable[[pa.ChunkedArray], pa.ChunkedArray] | None = None) -> list[str]:
        """One column's distinct cells, in no set order.

        ``among`` (a mask of Arrow's column) narrows them to the cells it marks when Arrow
        read the file, and is ignored otherwise; so it must mark every cell the caller needs
        to see, and the caller must accept the others too (validate passes a superset of the
        faults).
        """
        if self._columns is not None:
            column = self.table.column(name)
            if among is not None:
                column = pc.filter(column, among(column))
            return pc.unique(column).to_pylist()
        return list(set(self.column(name)))

    def holding(self, name: str, values: Iterable[str]) -> list[int]:
        """The positions of the rows whose cell in column ``name`` is one of ``values``, in row order."""
        values = set(values)
        if self._columns is not None:
            found = pc.is_in(self.table.column(name), value_set=pa.array(list(values), pa.string()))
            return np.flatnonzero(found.to_numpy(zero_copy_only=False)).tolist()
        return [i for i, value in enumerate(self.column(name)) if value in values]

    def all_distinct(self, name: str) -> bool:
        """Whether no filled cell of column ``name`` holds the same text as another."""
        if self._columns is not None:
            column = self.table.column(name)
            filled = pc.filter(column, pc.not_equal(column, ""))
            return pc.count_distinct(filled).as_py() == len(filled)
        filled = [value for value in self.column(name) if value]
        return len(set(filled)) == len(filled)

    @property
    def lines(self) -> list[int]:
        """The line each data row starts on, in row order."""
        return self._lines if self._columns is not None else [row.line for row in self.rows]

    def __len__(self) -> int:
        return len(self._lines) if self._columns is not None else len(self.rows)


def _decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Decode strict UTF-8, reporting BOMs, UTF-16 and bytes of other encodings."""
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff") or b"\x00" in raw[:200]:
        return None, [Problem(name, 1, "1", "UTF-16 text", "UTF-8 text without a byte-order mark")]
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(name, 1, "1", "a UTF-8 byte-order mark", "UTF-8 without a BOM"))
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), problems
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        bad = raw[err.start : err.start + 4].hex(" ")
        problems.append(Problem(name, line, str(col), f"bytes {bad}", "UTF-8 text (saved as Latin-1 or cp1252?)"))
        return None, problems


def _line_endings(text: str, name: str) -> list[Problem]:
    if "\r" not in text:
        return []
    line = text[: text.index("\r")].count("\n") + 1
    kind = "mixed line endings" if "\n" in text.replace("\r\n", "") else "CRLF line endings"
    if "\r\n" not in text:
        kind = "CR line endings"
    return [Problem(name, line, "-", kind, "LF line endings only")]


def read_csv(path: Path, name: str, columns: list[str]) -> CsvRead:
    """Read ``path`` (shown as ``name`` in messages) expecting exactly ``columns``.

    Rows keep the physical line on which they start, so a quoted value holding newlines
    does not shift the line numbers of later problems.
    """
    out = CsvRead()
    if not path.is_file():
        out.problems.append(Problem(name, 0, "-", "no file", f"a CSV file with {len(columns)} columns"))
        return out
    raw = path.read_bytes()
    if not raw or raw.isspace():  # what raw.strip() tests, without copying the file
        out.problems.append(Problem(name, 1, "-", "an empty file", "a header line: " + ",".join(columns)))
        return out
    fast = _read_plain_bytes(raw, columns)
    if fast is not None:
        out.header, out.usable = list(columns), True
        out.table, out._columns, out._lines = fast
        return out
    text, problems = _decode(raw, name)
    out.problems += problems
    if text is None:
        return out
    # The bytes Arrow reads are the file's own unless a BOM or CRs were taken out of the text.
    data = None if problems else raw
    if "\r" in text:
        out.problems += _line_endings(text, name)
        text, data = text.replace("\r\n", "\n").replace("\r", "\n"), None

    # A header line without quotes ends at the first line break: read alone, it gives the
    # same header as the whole file would, without a reader over all of the text.
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    reader = csv.reader(io.StringIO(first if '"' not in first else text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as err:
        out.problems.append(Problem(name, 1, "-", "unreadable header", f"a CSV header ({err})"))
        return out
    out.header = header
    if header != columns:
        out.problems += _header_problems(name, header, columns)
        return out
    out.usable = True
    line = reader.line_num + 1
    fast = _arrow_rows(text.encode("utf-8") if data is None else data, columns, line)
    if fast is not None:
        out.table, out._columns, out._lines = fast
        return out
    if '"' not in first:  # the header was read alone: the rows are read from the whole text
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        next(reader)
    width = len(columns)
    rows = out._rows = []
    # One loop over the reader, the error caught around it: ``line`` is where the row that
    # failed starts, as every row read before it moved it on.
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not cells:
                out.problems.append(Problem(name, start, "-", "a blank line", "no blank lines"))
            elif len(cells) != width:
                out.problems.append(
                    Problem(name, start, "-", f"{len(cells)} fields", f"{width} fields, one per column")
                )
            else:
                rows.append(Row(start, dict(zip(columns, cells, strict=True))))
    except csv.Error as err:
        out.problems.append(
            Problem(
                name,
                line,
                "-",
                "a malformed row",
                f"RFC 4180 quoting ({err}); the rest of the file was not read",
            )
        )
        out.usable = False
    return out


def _read_plain_bytes(raw: bytes, columns: list[str]) -> tuple[pa.Table, _Columns, list[int]] | None:
    """The rows of a file read by Arrow straight from its bytes, when nothing in it needs the text; else None.

    That is a file with no byte-order mark, no CR and no NUL near its start, whose header
    line has no quotes and is ``columns``, and which :func:`_arrow_rows` reads. Arrow checks
    that every cell is UTF-8, rejecting what Python's strict decoding rejects (overlong
    forms, surrogates, cut sequences), so decoding the whole file first, 40 ms at 100,000
    events, is left to the files that fail. Any doubt gives None, and :func:`read_csv`
    reads the file from its text, reporting what is wrong with it.
    """
    if raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:200] or b"\r" in raw:
        return None
    end = raw.find(b"\n")
    if end < 0 or b'"' in raw[:end]:
        return None
    try:
        # An unquoted line is its cells joined by commas, as the csv module reads it.
        header = raw[:end].decode("utf-8").split(",")
    except UnicodeDecodeError:
        return None
    return _arrow_rows(raw, columns, 2) if header == columns else None


_BLOCK = 1 << 20


def _positions(buf: np.ndarray, byte: int) -> np.ndarray:
    """Where ``byte`` occurs in ``buf``, found a megabyte at a time.

    One comparison over a whole 30 MB file makes a 30 MB array of flags, which a new process
    must first get from the system: 40-90 ms, against 12 ms a block at a time.
    """
    found = [np.flatnonzero(buf[at : at + _BLOCK] == byte) + at for at in range(0, len(buf), _BLOCK)]
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def _plain_rfc4180(data: bytes) -> tuple[bool, bool]:
    """Whether ``data`` is CSV that any RFC 4180 parser reads alike, and whether a quoted value holds a line break.

    Plain means: quotes only around whole fields (a closing quote followed by a comma, a
    line end or the quote doubling it), no blank line and no NUL. Python's strict reader
    and Arrow's then give the same rows and cells; anything else is left to the strict
    reader, which reports it line by line.

    Read as bytes, in whole arrays: a quote, comma and line break are single bytes in UTF-8,
    never part of another character. The quotes pair up in order, each opening one
    followed by its closing one, so a byte lies inside a quoted value when an odd number of
    quotes come before it. Splitting 100,000 events' text at its quotes in Python cost 0.2 s.
    """
    if b"\x00" in data:
        return False, False
    buf = np.frombuffer(data, dtype=np.uint8)
    quotes = _positions(buf, ord('"'))
    if len(quotes) % 2:  # a quote left open
        return False, False
    breaks = _positions(buf, ord("\n"))
    quoted = np.searchsorted(quotes, breaks) % 2 == 1
    outside = breaks[~quoted]
    if np.any(outside[1:] - outside[:-1] == 1):  # a blank line, outside any quoted value
        return False, False
    # A quoted value is a whole field: what comes before its opening quote is the start of
    # the text, a comma, a line break or the closing quote before (a doubled quote), and
    # likewise after its closing quote.
    edges = np.array([ord(","), ord("\n"), ord('"')], dtype=np.uint8)
    opening, closing = quotes[0::2], quotes[1::2]
    before = buf[opening[opening > 0] - 1]
    after = buf[closing[closing < len(buf) - 1] + 1]
    if not (np.isin(before, edges).all() and np.isin(after, edges).all()):
        return False, False
    return True, bool(quoted.any())


def _arrow_rows(data: bytes, columns: list[str], first_line: int) -> tuple[pa.Table, _Columns, list[int]] | None:
    """The rows of a plain file (see :func:`_plain_rfc4180`) read by Arrow's parser, or None to read it strictly.

    Python's reader spends most of a large file's load parsing it (1.8 s of CPU for
    100,000 events, against about 0.2 s here). Any doubt (a file not plain, a row of the
    wrong width, a header Arrow reads otherwise) gives None, and the strict reader, with
    its line-by-line problems, reads the file instead. ``data`` is the file as UTF-8: its
    own bytes, or its text encoded again when a BOM or CRs were taken out.
    """
    plain, broken_values = _plain_rfc4180(data)
    if not plain:
        return None
    strings = {c: pa.string() for c in columns}
    try:
        table = arrow_csv.read_csv(
            io.BytesIO(data),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=broken_values, ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types=strings, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.column_names != columns:
        return None
    lines = first_line + np.arange(table.num_rows, dtype=np.int64)
    if broken_values and table.num_rows:
        # A row starts below the line breaks inside the values of the rows before it.
        breaks = sum(pc.count_substring(table.column(c), "\n").to_numpy(zero_copy_only=False) for c in columns)
        lines[1:] += np.cumsum(breaks)[:-1]
    return table, _Columns(table), lines.tolist()


def _header_problems(name: str, header: list[str], columns: list[str]) -> list[Problem]:
    found = ",".join(header)
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        return [Problem(name, 1, "-", found, "comma-separated values, header: " + ",".join(columns))]
    out = []
    missing = [c for c in columns if c not in header]
    extra = [c for c in header if c not in columns]
    for c in missing:
        out.append(Problem(name, 1, c, "no such column", f"column '{c}'"))
    for c in extra:
        out.append(Problem(name, 1, c, "an extra column", "only the columns: " + ",".join(columns)))
    if not missing and not extra:
        out.append(Problem(name, 1, "-", found, "columns in this order: " + ",".join(columns)))
    return out
