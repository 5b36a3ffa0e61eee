"""Checks of the GeoJSON layers in ``geo/``, one :class:`Problem` per fault.

The files are RFC 7946: WGS84 longitude/latitude, no ``crs`` member, at most six
decimals. GDAL writes one feature per line, so the line of feature *k* is found by
counting feature openings; messages then point at the line a curator would edit.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.validation import explain_validity

from routestatus.problems import Problem

Bbox = tuple[float, float, float, float]
_FEATURE = re.compile(r'"type"\s*:\s*"Feature"')


def read_geojson(path: Path, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse a GeoJSON file; report a missing file or invalid JSON as a problem."""
    if not path.is_file():
        return None, [Problem(name, 0, "-", "no file", "a GeoJSON FeatureCollection")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(name, 1, "1", "non-UTF-8 bytes", "UTF-8 GeoJSON text")]
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        return None, [Problem(name, err.lineno, str(err.colno), err.msg, "valid JSON (file truncated?)")]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return None, [
            Problem(
                name,
                1,
                "type",
                str(type(doc).__name__ if not isinstance(doc, dict) else doc.get("type")),
                "a FeatureCollection",
            )
        ]
    if not isinstance(doc.get("features"), list):
        return None, [Problem(name, 1, "features", "no feature list", "a list of features")]
    doc["_lines"] = _feature_lines(text, len(doc["features"]))
    return doc, []


def _feature_lines(text: str, count: int) -> list[int]:
    lines = [text[: m.start()].count("\n") + 1 for m in _FEATURE.finditer(text)]
    return lines if len(lines) == count else [1] * count


def _coords(geom: dict[str, Any]):
    """Yield every position of a GeoJSON geometry, however deeply nested."""
    stack = [geom.get("coordinates")]
    while stack:
        item = stack.pop()
        if isinstance(item, list) and item and all(isinstance(v, int | float) for v in item):
            yield item
        elif isinstance(item, list):
            stack.extend(item)


def _inside(lon: float, lat: float, bbox: Bbox) -> bool:
    return bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]


def check_collection(
    doc: dict[str, Any],
    name: str,
    geometry_types: tuple[str, ...],
    bbox: Bbox,
    id_property: str,
) -> list[Problem]:
    """Check CRS, geometry type, validity, emptiness, precision and extent of every feature."""
    out: list[Problem] = []
    crs = doc.get("crs")
    if crs is not None:
        out.append(
            Problem(
                name,
                1,
                "crs",
                json.dumps(crs)[:60],
                "no 'crs' member: RFC 7946 GeoJSON is WGS84 lon/lat",
            )
        )
    seen: dict[str, int] = {}
    for feature, line in zip(doc["features"], doc["_lines"], strict=True):
        props = feature.get("properties") or {}
        fid = str(props.get(id_property, ""))
        where = f"{id_property}={fid!r}: " if fid else ""
        if not fid:
            out.append(Problem(name, line, f"properties.{id_property}", "", "an id on every feature"))
        elif fid in seen:
            out.append(
                Problem(
                    name,
                    line,
                    f"properties.{id_property}",
                    fid,
                    f"a unique id (also on line {seen[fid]})",
                )
            )
        seen.setdefault(fid, line)
        geom = feature.get("geometry")
        if not isinstance(geom, dict):
            out.append(Problem(name, line, "geometry", "null", where + "a geometry"))
            continue
        if geom.get("type") not in geometry_types:
            out.append(
                Problem(
                    name,
                    line,
                    "geometry.type",
                    str(geom.get("type")),
                    where + " or ".join(geometry_types),
                )
            )
            continue
        # Shape checks on coordinates already found wrong would only repeat the fault.
        out += _check_positions(geom, name, line, where, bbox) or _check_shape(geom, name, line, where)
    return out


def _position_fault(pos: list[float], bbox: Bbox) -> str | None:
    """What is wrong with one [lon, lat] position, or None."""
    if len(pos) < 2 or not all(math.isfinite(v) for v in pos):
        return "[lon, lat] numbers"
    lon, lat = pos[0], pos[1]
    if _inside(lat, lon, bbox) and not _inside(lon, lat, bbox):
        return "[lon, lat] order (these look like lat, lon)"
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return "WGS84 degrees (another CRS, e.g. metres?)"
    if not _inside(lon, lat, bbox):
        return f"a position inside the region (lon {bbox[0]}..{bbox[2]}, lat {bbox[1]}..{bbox[3]})"
    if any(len(repr(float(v)).split(".")[-1]) > 6 for v in pos[:2]):
        return "at most 6 decimals (RFC7946=YES, COORDINATE_PRECISION=6)"
    return None


def _check_positions(geom: dict[str, Any], name: str, line: int, where: str, bbox: Bbox) -> list[Problem]:
    """The first faulty position of a geometry, as a problem (one is enough to fix it)."""
    positions = list(_coords(geom))
    if not positions:
        return [Problem(name, line, "geometry.coordinates", "[]", where + "a non-empty geometry")]
    for pos in positions:
        fault = _position_fault(pos, bbox)
        if fault:
            found = ", ".join(str(v) for v in pos)
            return [Problem(name, line, "geometry.coordinates", found, where + fault)]
    return []


def _check_shape(geom: dict[str, Any], name: str, line: int, where: str) -> list[Problem]:
    try:
        shp = shape(geom)
    except Exception as err:  # shapely raises several types for malformed input
        return [
            Problem(
                name,
                line,
                "geometry",
                type(err).__name__,
                where + f"a well-formed {geom.get('type')}",
            )
        ]
    if shp.is_empty:
        return [Problem(name, line, "geometry", "an empty geometry", where + "a non-empty geometry")]
    if not shp.is_valid:
        return [Problem(name, line, "geometry", explain_validity(shp), where + "a valid geometry")]
    if shp.geom_type == "LineString" and not shp.is_simple:
        return [
            Problem(
                name,
                line,
                "geometry",
                "a self-intersecting line",
                where + "a simple line (no self-intersection)",
            )
        ]
    return []
