"""Typed frames from CSV text and back: the one place that maps cells to values.

The loader reads ``data/`` with :func:`typed`, the snapshot writer turns frames back into
cells with :func:`as_text`, and the snapshot reader uses :func:`typed` again, so a table
goes through CSV and returns equal. A blank cell is a missing value in every type.
"""

from __future__ import annotations

import pandas as pd

from routestatus.schema import Table

DATE_FORMAT = "%Y-%m-%d"
DATE_DTYPE = "datetime64[us]"


def typed(table: Table, raw: pd.DataFrame) -> pd.DataFrame:
    """The declared columns of ``raw`` (all text) as typed columns, blank cells missing.

    Dates become ``datetime64``, numbers floats, integers nullable ``Int64``, booleans
    nullable ``boolean`` by the field's true and false values; text stays ``string``. A cell
    that does not parse becomes missing here; ``validate`` reports it with its position.
    """
    frame = pd.DataFrame(index=raw.index)
    for f in table.fields:
        col = raw[f.name].astype("string").replace("", pd.NA)
        if f.type == "date":
            # One resolution whatever the cells: an all-blank column would otherwise differ.
            frame[f.name] = pd.to_datetime(col, format=DATE_FORMAT, errors="coerce").astype(DATE_DTYPE)
        elif f.type == "number":
            frame[f.name] = pd.to_numeric(col, errors="coerce")
        elif f.type == "integer":
            frame[f.name] = pd.to_numeric(col, errors="coerce").astype("Int64")
        elif f.type == "boolean":
            values = {v: True for v in f.true_values} | {v: False for v in f.false_values}
            frame[f.name] = col.map(values).astype("boolean")
        else:
            frame[f.name] = col
    return frame


def as_text(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as the data files write them: ISO dates, ``true``/``false``, blanks for missing."""
    out = pd.DataFrame(index=frame.index)
    for f in table.fields:
        col = frame[f.name]
        if f.type == "date":
            text = col.dt.strftime(DATE_FORMAT)
        elif f.type == "boolean":
            text = col.map({True: f.true_values[0], False: f.false_values[0]})
        elif f.type in ("integer", "number"):
            # repr keeps every digit a float carries; whole numbers lose the ".0".
            text = col.map(lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else repr(float(v))))
        else:
            text = col
        out[f.name] = text.astype("string").fillna("")
    return out
