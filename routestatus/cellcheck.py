"""Checking one cell against its Table Schema field.

Returns the "expected …" text of a message, or ``None`` when the cell is fine. Blank
cells are allowed unless the field is required: a blank means "not applicable" or "not
known" as the codebook says for each field; it is never the same as ``unknown``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from routestatus.isodate import parse_day
from routestatus.schema import Field


def _bound(f: Field, value: float | dt.date) -> str | None:
    lo = f.minimum if f.type != "date" or f.minimum is None else dt.date.fromisoformat(f.minimum)
    hi = f.maximum if f.type != "date" or f.maximum is None else dt.date.fromisoformat(f.maximum)
    if lo is not None and value < lo:
        return f"a value not before {f.minimum}"
    if hi is not None and value > hi:
        return f"a value not after {f.maximum}"
    return None


@functools.cache
def _matcher(pattern: str):
    # Compiled once per pattern: a column's every distinct value is checked against it.
    return re.compile(pattern).fullmatch


def check_cell(f: Field, text: str) -> str | None:
    """Return what was expected if ``text`` breaks ``f``'s type or constraints, else None."""
    if text == "":
        return "a value (this field is required)" if f.required else None
    if text != text.strip():
        return "no leading or trailing spaces"
    if f.type == "date":
        day = parse_day(text)
        if day is None:
            return "an ISO date YYYY-MM-DD that exists in the calendar"
        return _bound(f, day)
    if f.type == "number":
        try:
            number = float(text)
        except ValueError:
            return "a decimal number"
        return _bound(f, number)
    if f.type == "boolean":
        if text not in f.true_values + f.false_values:
            return "one of: " + ", ".join(f.true_values + f.false_values)
        return None
    if f.enum is not None and text not in f.enum:
        return "one of: " + ", ".join(f.enum)
    if f.pattern is not None and not _matcher(f.pattern)(text):
        return f"text matching the pattern {f.pattern}"
    return None
