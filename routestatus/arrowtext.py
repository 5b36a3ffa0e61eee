"""Text files built column by column in Arrow: the pieces the CSV and GeoJSON writers share.

A writer turns each column into Arrow text (one cell per row, already escaped for its
format), then lays the cells out row by row and takes the bytes in one piece. Python runs
only for the few cells that need a rule a whole-column operation cannot apply.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def scalar(value: str) -> pa.Scalar:
    """``value`` as an Arrow large-string scalar, to join with large-string columns."""
    return pa.scalar(value, type=pa.large_string())


NONE = scalar("")


def changed(cells: pa.Array, where: pa.Array, change: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """``cells`` with ``change`` applied to the cells ``where`` is true, and only to those (few, as a rule)."""
    if not pc.any(where).as_py():
        return cells
    return pc.replace_with_mask(cells, where, change(cells.filter(where)))


def framed(columns: list[pa.Array], head: str, tail: str, drop: int = 0) -> list[pa.Array]:
    """The columns (text, none missing) with ``head`` before the first row's first cell, ``tail`` after the last's.

    ``drop`` characters are taken off the start of the first row's first cell, before the
    head. So a file's head and tail come out of :func:`joined` with its rows, and the rows'
    bytes (tens of megabytes at 100,000 events) are not copied once more to put them around.
    """
    columns = list(columns)
    columns[0] = _with(columns[0], 0, head + columns[0][0].as_py()[drop:])
    last = len(columns[-1]) - 1
    columns[-1] = _with(columns[-1], last, columns[-1][last].as_py() + tail)
    return columns


def _with(cells: pa.Array, i: int, value: str) -> pa.Array:
    at = np.zeros(len(cells), dtype=bool)
    at[i] = True
    return pc.replace_with_mask(cells, pa.array(at), pa.array([value], type=cells.type))


def row_major(columns: list[pa.Array]) -> pa.Array:
    """The cells of equal-length columns in row order: row 0's cells, then row 1's, and so on."""
    n, k = len(columns[0]), len(columns)
    order = (np.arange(n, dtype=np.int64)[:, None] + np.arange(k, dtype=np.int64)[None, :] * n).ravel()
    return pa.concat_arrays(columns).take(pa.array(order))


def joined(cells: pa.Array) -> bytes:
    """The cells' text end to end: the slice of the array's value buffer that holds them."""
    offsets = np.frombuffer(cells.buffers()[1], dtype=np.int64)[cells.offset : cells.offset + len(cells) + 1]
    return cells.buffers()[2].slice(offsets[0], offsets[-1] - offsets[0]).to_pybytes()
