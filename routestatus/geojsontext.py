"""A layer's GeoJSON text written in Arrow, byte for byte as GDAL's GeoJSON driver writes it.

GDAL wrote the events layer's GeoJSON at 6 microseconds a feature (0.6 s of a snapshot at
100,000 events), most of it turning each property into JSON one by one. Here each column
becomes JSON text as a whole and the features are laid out row by row (see
:mod:`routestatus.arrowtext`). GDAL itself still writes what this module does not
reproduce: the file's head (its ``name``, the coordinate resolution) and the text of each
distinct geometry, which a layer repeats (events are drawn at their places, segments along
their roads' courses). A column of a type not handled here (floating point) leaves the
whole layer to GDAL. ``tests/test_geojson_text.py`` holds the two writers' bytes equal.

GDAL's layout: the head, then one feature per line,
``{ "type": "Feature", "properties": { "a": 1, "b": "x" }, "geometry": {...} }``, lines
separated by a comma, then ``]`` and ``}`` on lines of their own. Strings are escaped as
json-c escapes them (GDAL's JSON library), which is as Python's ``json`` module does with
``ensure_ascii=False``: quote, backslash and control characters; ``/`` and non-ASCII
characters as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, MutableMapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from routestatus.arrowtext import NONE, changed, framed, joined, row_major, scalar

TAIL = b"\n]\n}\n"
# Characters a JSON string cannot hold as they are (RE2 syntax).
_ESCAPED = r'["\\\x00-\x1f]'
_QUOTE, _NULL, _TRUE, _FALSE = map(scalar, ('"', "null", "true", "false"))
_LINE_END = scalar(" }")

# What GDAL writes a layer with: frame and layer name in, GeoJSON bytes out.
Writer = Callable[[pd.DataFrame, str], bytes]


def layer_geojson(frame, name: str, gdal: Writer, kept: MutableMapping | None = None) -> bytes:
    """``frame`` (a GeoDataFrame) as GDAL's GeoJSON driver writes it through ``gdal``.

    ``gdal(frame, name)`` is the GDAL writer with the options the file is to have; it writes
    the head and each distinct geometry's text, which ``kept`` (a dict) keeps between calls.
    """
    kept = {} if kept is None else kept
    properties = [c for c in frame.columns if c != frame.geometry.name]
    values = [_json_values(frame[c]) for c in properties]
    if not properties or any(v is None for v in values):
        return gdal(frame, name)
    head = _head(frame, name, gdal, kept)
    if frame.empty:
        return head + TAIL
    geometry = _geometries(frame, name, gdal, kept)
    keys = [json.dumps(str(c), ensure_ascii=False) for c in properties]
    # Lines are separated by a comma: each line after the first starts with it.
    firsts = [',\n{ "type": "Feature", "properties": { ', *([", "] * (len(keys) - 1))]
    cells = [
        pc.binary_join_element_wise(scalar(f"{first}{key}: "), value, NONE)
        for first, key, value in zip(firsts, keys, values, strict=True)
    ]
    cells.append(pc.binary_join_element_wise(scalar(' }, "geometry": '), geometry, _LINE_END, NONE))
    # The head and tail go into the first and last cells; the first line has no comma before it.
    return joined(row_major(framed(cells, head.decode("utf-8"), TAIL.decode("utf-8"), drop=len(",\n"))))


def _json_values(column: pd.Series) -> pa.Array | None:
    """One column's values as JSON text (``null`` where missing), or None for a type left to GDAL."""
    values = pa.array(column.array, from_pandas=True)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    kind = values.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        values = values.cast(pa.large_string())
        text = pc.binary_join_element_wise(_QUOTE, values, _QUOTE, NONE)
        escaped = pc.fill_null(pc.match_substring_regex(values, _ESCAPED), False)
        text = changed(text, escaped, lambda _: _escaped(values.filter(escaped)))
    elif pa.types.is_date32(kind):
        text = pc.binary_join_element_wise(_QUOTE, values.cast(pa.large_string()), _QUOTE, NONE)
    elif pa.types.is_boolean(kind):
        text = pc.if_else(values, _TRUE, _FALSE)
    elif pa.types.is_integer(kind):
        text = values.cast(pa.large_string())
    elif pa.types.is_null(kind):
        text = pa.nulls(len(values), pa.large_string())
    else:
        return None
    return pc.fill_null(text, _NULL)


def _escaped(values: pa.Array) -> pa.Array:
    # The few strings holding a quote, a backslash or a control character, one by one. GDAL
    # reads a string up to its first NUL character (C's end of string), and so does this.
    texts = [json.dumps(v.split("\0", 1)[0], ensure_ascii=False) for v in values.to_pylist()]
    return pa.array(texts, type=pa.large_string())


def _head(frame, name: str, gdal: Writer, kept: MutableMapping) -> bytes:
    """The file up to its first feature, as GDAL writes it for an empty layer of the same kind."""
    key = ("geojson head", name, str(frame.crs))
    if key not in kept:
        empty = gdal(frame.iloc[:0], name)
        if not empty.endswith(TAIL):
            raise ValueError(f"GDAL's GeoJSON for an empty {name} layer does not end as expected")
        kept[key] = empty[: -len(TAIL)]
    return kept[key]


def _geometries(frame, name: str, gdal: Writer, kept: MutableMapping) -> pa.Array:
    """Each feature's geometry as GDAL writes it, ``null`` for none: one GDAL write of those not seen."""
    wkb = shapely.to_wkb(frame.geometry.to_numpy())
    codes, distinct = pd.factorize(wkb, use_na_sentinel=True)
    texts: dict[bytes, str] = kept.setdefault(("geojson geometries", name, str(frame.crs)), {})
    new = [w for w in distinct if w not in texts]
    if new:
        import geopandas as gpd

        one = gpd.GeoDataFrame({"n": np.arange(len(new))}, geometry=shapely.from_wkb(new), crs=frame.crs)
        lines = gdal(one, name)[len(_head(one, name, gdal, kept)) : -len(TAIL)].decode("utf-8").split("\n")
        for w, line in zip(new, lines, strict=True):
            # Each line is one feature; its geometry runs from the member's name to the last brace.
            texts[w] = line[line.index('"geometry": ') + len('"geometry": ') : line.rindex(" }")]
    table = pa.array([texts[w] for w in distinct] + ["null"], type=pa.large_string())
    # Code -1 (no geometry) takes the last entry, null.
    return table.take(pa.array(np.where(codes < 0, len(distinct), codes)))
