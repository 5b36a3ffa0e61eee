"""Typed frames from CSV text and back: the one place that maps cells to values.

The loader reads ``data/`` with :func:`typed`, the snapshot writer turns frames back into
cells with :func:`cell_texts`, and the snapshot reader uses :func:`typed` again, so a table
goes through CSV and returns equal. A blank cell is a missing value in every type.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from routestatus.isodate import as_days
from routestatus.schema import Field, Table

DATE_FORMAT = "%Y-%m-%d"
DATE_DTYPE = "datetime64[us]"


def typed(table: Table, raw: pd.DataFrame) -> pd.DataFrame:
    """The declared columns of ``raw`` (all text) as typed columns, blank cells missing.

    Dates become ``datetime64``, numbers floats, integers nullable ``Int64``, booleans
    nullable ``boolean`` by the field's true and false values; text stays ``string``. A cell
    that does not parse becomes missing here; ``validate`` reports it with its position.
    """
    columns = {}
    for f in table.fields:
        col = raw[f.name].astype("string")
        if f.type == "boolean":
            # Two whole-column tests, not a lookup per cell (15 ms a column at 100,000 rows);
            # a blank or any other cell is in neither list, so it is missing.
            false = col.isin(f.false_values).to_numpy(dtype=bool)
            true = col.isin(f.true_values).to_numpy(dtype=bool) & ~false
            columns[f.name] = pd.arrays.BooleanArray(true, ~(true | false))
            continue
        col = col.replace("", pd.NA)
        if f.type == "date":
            # One resolution whatever the cells: an all-blank column would otherwise differ.
            columns[f.name] = pd.to_datetime(col, format=DATE_FORMAT, errors="coerce").astype(DATE_DTYPE)
        elif f.type == "number":
            columns[f.name] = pd.to_numeric(col, errors="coerce")
        elif f.type == "integer":
            columns[f.name] = pd.to_numeric(col, errors="coerce").astype("Int64")
        else:
            columns[f.name] = col
    # One frame from all the columns: adding them one by one cost about as much as the dates.
    return pd.DataFrame(columns, index=raw.index)


def from_values(table: Table, values: dict[str, list]) -> pd.DataFrame:
    """The frame :func:`typed` gives for these Python values written out as cells, without the text.

    For tables the project works out itself (``date`` values, ``int`` numbers, text with
    ``""`` or None for missing): going through text and parsing it back cost about 1 ms a
    column on every rerun, whatever the rows.
    """
    columns = {}
    for f in table.fields:
        column = values[f.name]
        if f.type == "date":
            days = as_days(column)
            columns[f.name] = days.astype(DATE_DTYPE)
        elif f.type == "integer":
            columns[f.name] = pd.array(column, dtype="Int64")
        elif f.type == "string":
            columns[f.name] = pd.array([v if v else None for v in column], dtype="string")
        else:
            raise TypeError(f"{table.name}.{f.name}: from_values takes date, integer and string fields, not {f.type}")
    # One frame from all the columns: adding them one by one cost more than making them.
    n = len(next(iter(values.values()))) if values else 0
    return pd.DataFrame(columns, index=pd.RangeIndex(n))


def _number(v) -> str:
    # repr keeps every digit a float carries; whole numbers lose the ".0".
    return "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else repr(float(v)))


def cell_texts(f: Field, column: pd.Series) -> np.ndarray:
    """One column's cells as the data files write them: ISO dates, ``true``/``false``, blank for missing.

    Returns an object array of ``str``; done column-wise in numpy and Arrow, since this
    runs over every cell of an export.
    """
    if f.type == "date":
        text = np.datetime_as_string(column.to_numpy(dtype="datetime64[D]"), unit="D").astype(object)
        text[column.isna().to_numpy()] = ""
        return text
    if f.type == "boolean":
        truth = column.to_numpy(dtype=object, na_value=None)
        text = np.where(truth == True, f.true_values[0], f.false_values[0]).astype(object)  # noqa: E712 (per cell)
        text[pd.isna(truth)] = ""
        return text
    if f.type in ("integer", "number"):
        return np.array([_number(v) for v in column], dtype=object)
    if not isinstance(column.dtype, pd.StringDtype):
        column = column.astype("string")
    return column.to_numpy(dtype=object, na_value="")
