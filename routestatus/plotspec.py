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

import base64
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import to_typed_array_spec

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


def _containers(value: Any) -> Any:
    """``value`` with every dict and list in it copied, the values inside shared.

    Enough to change the copy by key or index without touching the original, at a
    fraction of ``deepcopy``'s cost; the arrays plotly keeps are read-only anyway.
    """
    if isinstance(value, dict):
        return {k: _containers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_containers(v) for v in value]
    return value


# What plotly's to_dict does after copying (_plotly_utils.utils.convert_to_base64), with
# its rules: arrays that are a dict's values become typed-array specs, except under these
# keys; lists are walked but their items are never replaced. Plotly's own version asks
# narwhals of every value whether it is an array, 11 ms a rerun on the Map.
SKIPPED_KEYS = frozenset({"geojson", "layer", "layers", "range"})
SHORT_TYPES = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "uint32": "u4"}
SHORT_TYPES |= {"float32": "f4", "float64": "f8"}
NARROWER = {"int64": ("int8", "int16", "int32"), "uint64": ("uint8", "uint16", "uint32")}


# Values the JSON encoder reaches only after trying five other encodings, each by raising an
# exception: about 5 microseconds a value, 25 of the 44 ms it took to write the said-vs-passed
# figure at 100,000 events. They are written here, in one pass, as the encoder would write them.
DATES = (pd.Timestamp, dt.datetime, dt.date)  # compared by exact type: NaT is a datetime too, written null


def _written(v: Any) -> Any:
    """An array or a date as plotly's JSON encoder would write it (``PlotlyJSONEncoder.default``); else ``v``."""
    if type(v) in DATES:
        return v.isoformat()  # encode_as_datetime
    if not isinstance(v, np.ndarray):
        return v
    if v.dtype.kind == "M":
        return np.datetime_as_string(v).tolist()  # encode_as_numpy
    if v.dtype.kind in "biufUSO":
        return v.tolist()  # encode_as_list (a date among objects is then written by the encoder)
    return v


def _typed_array(v: np.ndarray) -> Any:
    """A numeric array as plotly.js' typed-array spec (to_typed_array_spec's rules); other arrays written out."""
    if v.size == 0 or v.dtype.kind not in "uif":
        return _written(v)  # as the JSON encoder writes it, and plotly's object-array copy
    name = str(v.dtype)
    if name in NARROWER:
        lo, hi = v.min(), v.max()
        fits = [t for t in NARROWER[name] if np.iinfo(t).min <= lo and hi <= np.iinfo(t).max]
        if not fits:
            return _written(v)
        v, name = v.astype(fits[0]), fits[0]
    if name not in SHORT_TYPES:
        return _written(v)
    spec = {"dtype": SHORT_TYPES[name], "bdata": base64.b64encode(np.ascontiguousarray(v)).decode("ascii")}
    if v.ndim > 1:
        spec["shape"] = str(v.shape)[1:-1]
    return spec


class Ready(dict):
    """A trace kept for many figures, already in the form ``to_dict`` gives; see :func:`ready`."""


def ready(kept: dict[str, Any]) -> Ready:
    """``kept`` (a :func:`trace` with no numpy arrays in it) made once into the form ``to_dict`` gives.

    For a large trace drawn the same on every rerun (the map's borders: 3,000 points), so
    :meth:`PlainFigure.to_dict` does not walk it again; the figures share its lists, which
    nothing changes (Streamlit only writes them out).
    """
    out = _for_json(kept)
    if out != kept:  # a typed array was made: the trace would no longer be plotly's input
        raise ValueError("ready() takes traces without numpy arrays")
    return Ready(out)


# Values _for_json leaves as they are, by exact type: the hovers, labels and numbers of
# thousands of marks were walked one call per value (4,000 calls a Timeline rerun).
PLAIN = frozenset({str, int, float, bool, type(None)})


def _for_json(value: Any) -> Any:
    """A copy of ``value`` as plotly's ``to_dict`` leaves it: containers copied, arrays in dicts as typed arrays.

    Other arrays and dates are written as plotly's JSON encoder writes them (:func:`_written`),
    so the figure's JSON is the same, sooner.
    """
    if type(value) is Ready:
        return dict(value)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in SKIPPED_KEYS:
                out[k] = v
            elif isinstance(v, np.ndarray):
                out[k] = _typed_array(v)
            elif isinstance(v, pd.Series | pd.Index):
                out[k] = _written(to_typed_array_spec(v))
            else:
                out[k] = _for_json(v)
        return out
    if isinstance(value, list):
        if set(map(type, value)) <= PLAIN:
            return list(value)  # a list of plain values is copied as is, with no call per value
        return [_for_json(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_for_json(v) for v in value)
    return _written(value)


class PlainFigure(go.Figure):
    """A figure kept as the dictionaries plotly would hold, made into plotly's objects only if asked.

    ``st.plotly_chart`` needs only ``to_dict()`` of a figure; making plotly's trace and
    layout objects for it (``go.Figure(...)``, even unvalidated) copied every trace twice
    and cost 5 to 18 ms a figure, more than Streamlit's own serialization of it. Here
    ``to_dict()`` gives what plotly's would, from the dictionaries; anything else asked of
    the figure (``.data``, ``update_layout``, ...) makes the real objects first, once,
    so the figure behaves as any other. ``tests/test_plotspec.py`` compares the two.
    """

    def __init__(self, traces: list[dict[str, Any]], layout: dict[str, Any]) -> None:
        # Not go.Figure.__init__: that is the cost this class exists to avoid (see _made).
        object.__setattr__(self, "_plain", (traces, layout))

    def __getattr__(self, name: str) -> Any:
        # Only for attributes not set: plotly's own are all set by _made().
        if "_plain" not in self.__dict__:
            raise AttributeError(name)
        self._made()
        return getattr(self, name)

    def _made(self) -> None:
        """Become the go.Figure these dictionaries describe (as ``figure`` made them before)."""
        traces, layout = self.__dict__.pop("_plain")
        go.Figure.__init__(self, {"data": traces}, _validate=VALIDATE)
        self._layout = layout

    def __reduce__(self):
        # Copied or pickled as the plain go.Figure it describes.
        return (go.Figure, (self.to_dict(),))

    def to_dict(self) -> dict[str, Any]:
        """The figure as plotly's ``to_dict`` gives it: copies, arrays as typed-array specs."""
        if "_plain" not in self.__dict__:
            return super().to_dict()
        traces, layout = self._plain
        # The template is shared read-only by every figure (plotly never changes it in place),
        # holds no arrays to convert, and is the largest part, so it is not copied.
        return {
            "data": _for_json(traces),
            "layout": {k: v if k == "template" else _for_json(v) for k, v in layout.items()},
        }


def figure(
    traces: list[dict[str, Any]], layout: go.Figure | None = None, fill: Mapping[tuple, Any] | None = None
) -> go.Figure:
    """A figure of ``traces`` with the layout of ``layout`` (a figure with no traces, its layout set).

    ``layout`` may be one kept for every call: its settings are copied, all but the
    template, which plotly only ever replaces whole. ``fill`` then sets values in the copy
    by path (``("xaxis", "range")``, ``("shapes", 0, "x0")``); see :func:`kept_layout`.
    """
    if layout is None:
        layout = _EMPTY.get(pio.templates.default) or _EMPTY.setdefault(pio.templates.default, go.Figure())
    # Handing plotly the layout as a dict would put it through the Layout constructor,
    # which orders its keys anew (the JSON would change) and costs as much as building
    # it (18 ms for the map's); the figure's own layout store takes it as plotly made it.
    kept = layout._layout  # noqa: SLF001
    own = {k: v if k == "template" else _containers(v) for k, v in kept.items()}
    for path, value in (fill or {}).items():
        place = own
        for step in path[:-1]:
            place = place[step]
        place[path[-1]] = value
    if VALIDATE:
        fig = go.Figure({"data": traces})
        fig._layout = own  # noqa: SLF001
        return fig
    return PlainFigure(traces, own)


# An empty layout per plotly template, for figures given none (never changed).
_EMPTY: dict[str, go.Figure] = {}


# Layouts validated once per kind of figure, as plotly made them; see kept_layout.
_KEPT: dict[tuple, go.Figure] = {}
KEPT_MAX = 256  # kinds of layout kept; past this the store starts again (a handful are in use)


def kept_layout(
    key: tuple, build: Callable[[], go.Figure], fill: Mapping[tuple, Any]
) -> tuple[go.Figure, Mapping[tuple, Any]]:
    """A layout for :func:`figure`: validated once per ``key``, with this figure's own values to fill in.

    Validating a layout through ``update_layout``, ``add_shape`` and ``add_annotation``
    costs 10 to 16 ms a figure, most of a small figure's time, while from one rerun to the
    next only a few values change (the date axis' range and ticks, the day's line). So
    ``build()`` makes the layout (with this figure's values) with plotly's checks the first time a ``key`` is seen
    (the key names everything else the layout depends on, plotly's template included), and
    later calls reuse it with ``fill``'s values, which are all of plotly's "any" kind (dates,
    numbers and lists of them, stored as given), set at their paths. With ``VALIDATE`` on,
    every call builds its layout anew and nothing is filled in, so the tests can compare the two.
    """
    if VALIDATE:
        return build(), {}
    key = (pio.templates.default, *key)
    kept = _KEPT.get(key)
    if kept is None:
        if len(_KEPT) >= KEPT_MAX:
            _KEPT.clear()
        # Never changed after this: figure() copies it, and plotly's template is shared read-only.
        kept = _KEPT[key] = build()
    return kept, fill
