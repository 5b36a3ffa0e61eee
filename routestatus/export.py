"""CSV bytes for every download and snapshot, and reading them back: the one CSV format.

Format, chosen for people who open the file in a spreadsheet and cite it:
- UTF-8 with a byte-order mark. Excel reads a CSV without one in the computer's legacy
  code page, which turns Armenian, Azerbaijani and Russian letters into mojibake; with
  the mark, Excel, LibreOffice, pandas (``utf-8-sig``) and R all read UTF-8.
- CRLF between records, as RFC 4180 specifies; line breaks inside a quoted cell are kept
  as they are. Cells holding a comma, quote, CR or LF are quoted, quotes doubled.
- Columns in the codebook's order, dates as ``YYYY-MM-DD``, booleans ``true``/``false``,
  a blank cell for a missing value.
- Formula neutralising (OWASP "CSV Injection"): a text cell that begins with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return gets an apostrophe in front, so a
  spreadsheet shows it as text instead of running it. A text cell that already begins
  with an apostrophe gets one too, which makes the rule exactly reversible: on reading,
  one leading apostrophe is removed from every text cell that has one. Dates, numbers and
  booleans are never changed.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from routestatus.arrowtext import NONE, changed, framed, joined, row_major, scalar
from routestatus.schema import Field, Table
from routestatus.typedframes import cell_texts, typed

ESCAPE = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The apostrophe is in the set so that reading back can undo the rule without guessing.
_FIRSTS = np.array([*FORMULA_STARTS, ESCAPE])
_FIRST_TEXTS = pa.array(list(_FIRSTS), type=pa.large_string())


_QUOTE, _APOSTROPHE, _COMMA, _LINE_END = map(scalar, ('"', ESCAPE, ",", "\r\n"))
BOM = "\ufeff".encode()
NEUTRALISING_RULE = (
    "A text cell that begins with =, +, -, @, a tab or a carriage return, or with an apostrophe, "
    "is written with one extra apostrophe in front, so that spreadsheets show it as text and do "
    "not run it as a formula. To recover the original text, remove the first character of every "
    "text cell that begins with an apostrophe. Dates, numbers and true/false cells are never changed."
)


def needs_escape(text: pd.Series | np.ndarray) -> np.ndarray:
    """Which text cells the apostrophe rule applies to (see the module docstring).

    ``text`` is a column, or its cells as an array of ``str`` (blank for missing).
    """
    cells = text if isinstance(text, np.ndarray) else text.astype("string").to_numpy(dtype=object, na_value="")
    # Cast to one-character text, numpy keeps each cell's first character: one pass in C
    # for the whole column, where a regex through pandas cost more per column than the CSV.
    return np.isin(cells.astype("U1"), _FIRSTS)


def restore(text: pd.Series) -> pd.Series:
    """Undo the apostrophe rule: drop one leading apostrophe from each text cell."""
    text = text.astype("string")
    escaped = text.str.startswith(ESCAPE, na=False)
    return text.where(~escaped, text.str.slice(1))


def csv_bytes(table: Table, frame: pd.DataFrame) -> bytes:
    """The rows of ``frame`` as CSV bytes in the format above, columns as ``table`` declares.

    The bytes are those of Python's ``csv.writer`` (minimal quoting, CRLF) over the cells
    of :func:`cell_texts` with the apostrophe rule applied: :func:`csv_module_bytes` writes
    them that way, and a test holds the two equal. Here each column is quoted as a whole
    in Arrow and the rows are joined there too, since the csv module's pass over every
    character of every cell was most of an export's time (1.5 s of 2.1 for 100,000 events).
    """
    header = _rows_text([table.columns])
    if len(table.fields) < 2:  # the csv module quotes a row's only cell when blank: keep its rules
        return csv_module_bytes(table, frame)
    if frame.empty:
        return BOM + header.encode("utf-8")
    # The mark and the header go into the first cell, so the rows' bytes are copied once.
    return joined(_records(framed(_cells(table, frame), BOM.decode("utf-8") + header, "")))


def csv_records(table: Table, frame: pd.DataFrame) -> pa.Array:
    """Each row of ``frame`` as its record in :func:`csv_bytes` (its cells, commas, CRLF), as Arrow text.

    Records depend on their own row alone, so those of a whole table may be made once and a
    view's file put together from them (:func:`records_csv`). Tables of two or more columns.
    """
    if len(table.fields) < 2:
        raise ValueError(f"{table.name}: records are made for tables of two or more columns")
    if frame.empty:
        return pa.array([], pa.large_string())
    return _records(_cells(table, frame))


def records_csv(table: Table, records: pa.Array) -> bytes:
    """:func:`csv_bytes` of the rows whose :func:`csv_records` are ``records``, in that order."""
    return b"".join([BOM, _rows_text([table.columns]).encode("utf-8"), joined(records) if len(records) else b""])


def _cells(table: Table, frame: pd.DataFrame) -> list[pa.Array]:
    """Each column's cells as written (the apostrophe rule, quoting), the last ones with the line end."""
    cells = [_quoted(_arrow_cells(f, frame[f.name])) for f in table.fields]
    cells[-1] = pc.binary_join_element_wise(cells[-1], _LINE_END, NONE)
    return cells


def _records(cells: list[pa.Array]) -> pa.Array:
    """Equal-length columns of cells as one record per row: its cells joined by commas."""
    # Every cell in row order, each row's cells a list joined by commas: the rows end to end.
    # (Arrow's element-wise join of the 17 event columns took 0.9 s at 100,000 rows; this takes a tenth.)
    n, k = len(cells[0]), len(cells)
    rows = pa.LargeListArray.from_arrays(pa.array(np.arange(0, n * k + 1, k, dtype=np.int64)), row_major(cells))
    return pc.binary_join(rows, _COMMA)


def csv_module_bytes(table: Table, frame: pd.DataFrame) -> bytes:
    """:func:`csv_bytes` written cell by cell with Python's ``csv`` module: the reference it must equal."""
    columns = []
    for f in table.fields:
        cells = cell_texts(f, frame[f.name])
        if f.type == "string":
            # Only the few risky cells are touched.
            for i in np.flatnonzero(needs_escape(cells)):
                cells[i] = ESCAPE + cells[i]
        columns.append(cells)
    return BOM + _rows_text([table.columns, *zip(*columns, strict=True)]).encode("utf-8")


def _rows_text(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _arrow_cells(f: Field, column: pd.Series) -> pa.Array:
    """One column's cells as Arrow text, as :func:`cell_texts` gives them, with the apostrophe rule."""
    if f.type != "string":
        return pa.array(cell_texts(f, column), type=pa.large_string())
    if not isinstance(column.dtype, pd.StringDtype):
        column = column.astype("string")
    text = pa.array(column.array)  # no copy when the column is already Arrow text
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    text = text.cast(pa.large_string())
    text = pc.fill_null(text, "")
    risky = pc.is_in(pc.utf8_slice_codeunits(text, 0, 1), value_set=_FIRST_TEXTS)
    return changed(text, risky, lambda cells: pc.binary_join_element_wise(_APOSTROPHE, cells, NONE))


def _quoted(text: pa.Array) -> pa.Array:
    """Cells quoted as the csv module's minimal quoting does: those holding a comma, quote, CR or LF."""
    needs = pc.match_substring_regex(text, '[,"\r\n]')
    return changed(
        text,
        needs,
        lambda cells: pc.binary_join_element_wise(_QUOTE, pc.replace_substring(cells, '"', '""'), _QUOTE, NONE),
    )


def _text_fields(table: Table) -> list[str]:
    return [f.name for f in table.fields if f.type == "string"]


def read_csv_bytes(table: Table, raw: bytes) -> pd.DataFrame:
    """Read bytes written by :func:`csv_bytes` back into typed columns, undoing the apostrophes.

    Raises ``ValueError`` naming the difference if the header is not the table's columns.
    """
    cells = pd.read_csv(
        io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False, na_filter=False
    ).astype("string")
    if list(cells.columns) != table.columns:
        raise ValueError(f"found columns {', '.join(cells.columns)}; expected {', '.join(table.columns)}")
    for name in _text_fields(table):
        cells[name] = restore(cells[name])
    return typed(table, cells)
