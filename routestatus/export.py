"""CSV bytes for downloads: the one place that formats CSV.

UTF-8 with a byte-order mark, so Excel opens Armenian, Azerbaijani and Russian text
correctly; CRLF line endings as RFC 4180 specifies. Text cells that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a
leading apostrophe (OWASP "CSV Injection"); numbers and dates are left alone.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a text cell that starts like a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as RFC 4180 CSV bytes (UTF-8 with BOM, CRLF), formulas neutralised."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise, na_action="ignore")
    text = safe.to_csv(index=False, lineterminator="\r\n", date_format="%Y-%m-%d")
    return "\ufeff".encode() + text.encode("utf-8")


def file_name(table: str, start: dt.date, end: dt.date, extension: str = "csv") -> str:
    """A download's file name that says the table and the date range."""
    return f"routestatus_{table}_{start.isoformat()}_{end.isoformat()}.{extension}"
