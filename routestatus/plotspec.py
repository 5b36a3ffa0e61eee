"""Plotly figures assembled from plain trace dictionaries, without plotly validating each value again.

A ``go.Scattergeo(...)`` or ``go.Bar(...)`` checks every property and every element of
every array against plotly's schema; on a large record that was most of the time a page
spent on its figures (the access map: about 75 of its 82 ms at 100,000 events), while
what this project passes is always the same few, known-good properties. Here a trace is
a dictionary in the form plotly itself would store (the properties in plotly's order,
arrays as plotly coerces them), and the figure is made with plotly's own ``_validate=False``.
The layout, small and set once per figure, still goes through plotly's validation.

``tests/test_outputs.py`` holds the result to the bytes the validated figures gave, and
``VALIDATE`` switches the checks back on (``tests/test_plotspec.py`` builds each figure
both ways), so a property this project gets wrong is still caught by the tests.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

# Properties plotly stores as given (its "any" type): their keys keep the order written.
AS_GIVEN = frozenset({"meta"})
VALIDATE = False  # True: every trace through plotly's constructors, as before (for tests)
CLASSES = {"scatter": go.Scatter, "scattergeo": go.Scattergeo, "bar": go.Bar}


def _value(value: Any) -> Any:
    """A property value as plotly's validators leave it: arrays of pandas or numpy as read-only numpy arrays."""
    if isinstance(value, pd.Series | pd.Index):
        value = value.to_numpy()
    if isinstance(value, np.ndarray):
        # What copy_to_readonly_numpy_array does with a numpy array, without its detour
        # through narwhals (about 75 microseconds a call, and a figure has hundreds).
        array = np.ascontiguousarray(value.copy()) if value.dtype.kind in "uif" else value.copy()
        if array.dtype.kind not in "uifOM":
            array = np.array(value, dtype="object")
        array.flags["WRITEABLE"] = False
        return array
    if isinstance(value, tuple):
        return list(value)
    return value


def _ordered(props: Mapping[str, Any]) -> dict[str, Any]:
    """``props`` without the unset (None) ones, keys in plotly's order (alphabetical), nested objects likewise."""
    out = {}
    for key in sorted(props):
        value = props[key]
        if value is None:
            continue
        if isinstance(value, Mapping) and key not in AS_GIVEN:
            value = _ordered(value)
        elif key not in AS_GIVEN:
            value = _value(value)
        out[key] = value
    return out


def trace(kind: str, **props: Any) -> dict[str, Any]:
    """One trace of type ``kind`` (``scatter``, ``scattergeo``, ``bar``) as plotly would store it."""
    if VALIDATE:
        return CLASSES[kind](**props).to_plotly_json()
    return {**_ordered(props), "type": kind}


def figure(traces: list[dict[str, Any]], layout: go.Figure | None = None) -> go.Figure:
    """A figure of ``traces`` with the layout of ``layout`` (a figure with no traces, its layout set).

    ``layout`` may be one kept for every call: its settings are copied, all but the
    template, which plotly only ever replaces whole.
    """
    fig = go.Figure({"data": traces}, _validate=VALIDATE)
    if layout is not None:
        # Handing plotly the layout as a dict would put it through the Layout constructor,
        # which orders its keys anew (the JSON would change) and costs as much as building
        # it (18 ms for the map's); the figure's own layout store takes it as plotly made it.
        kept = layout._layout  # noqa: SLF001
        fig._layout = {k: v if k == "template" else copy.deepcopy(v) for k, v in kept.items()}  # noqa: SLF001
    return fig
