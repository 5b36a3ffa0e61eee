"""Strict reading of the curated CSV files, keeping the physical line of every row.

The curated tables are UTF-8 without a byte-order mark, comma-separated, LF line endings,
RFC 4180 quoting. Anything else is reported, never guessed at, so a file saved by a
spreadsheet in another encoding is caught before a single value is misread.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from routestatus.problems import Problem


@dataclass
class Row:
    """One data row: the line it starts on and its values by column name."""

    line: int
    values: dict[str, str]


@dataclass
class CsvRead:
    """What :func:`read_csv` found: the header, the rows, and any problems."""

    header: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    usable: bool = False


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
    if not raw.strip():
        out.problems.append(Problem(name, 1, "-", "an empty file", "a header line: " + ",".join(columns)))
        return out
    text, problems = _decode(raw, name)
    out.problems += problems
    if text is None:
        return out
    out.problems += _line_endings(text, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
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
    width = len(columns)
    rows = out.rows
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
