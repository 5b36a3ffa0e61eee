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

from routestatus.schema import Table
from routestatus.typedframes import cell_texts, typed

ESCAPE = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The apostrophe is in the set so that reading back can undo the rule without guessing.
_FIRSTS = np.array([*FORMULA_STARTS, ESCAPE])
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
    """The rows of ``frame`` as CSV bytes in the format above, columns as ``table`` declares."""
    columns = []
    for f in table.fields:
        cells = cell_texts(f, frame[f.name])
        if f.type == "string":
            # Only the few risky cells are touched.
            for i in np.flatnonzero(needs_escape(cells)):
                cells[i] = ESCAPE + cells[i]
        columns.append(cells)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(zip(*columns, strict=True))
    return BOM + buffer.getvalue().encode("utf-8")


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
