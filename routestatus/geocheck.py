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
    # Imported here: only validate draws a shape, and a start from the disk cache never does.
    from shapely.geometry import shape
    from shapely.validation import explain_validity

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


# A waypoint may sit this much nearer the first waypoint than the one before it: a road that
# bends round a valley comes back towards its start a little without doubling back.
ORDER_TOLERANCE_KM = 1.0
_EARTH_RADIUS_KM = 6371.0088


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres between two (lon, lat) points in WGS84 degrees."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def course_order_fault(
    waypoints: list[str], where: dict[str, tuple[float, float]], tolerance_km: float = ORDER_TOLERANCE_KM
) -> str | None:
    """Why a course's waypoints are out of order along it, or None.

    The rule (codebook, ``geo/README.md``): each waypoint is no nearer the first waypoint,
    as the crow flies, than any waypoint before it, by more than ``tolerance_km``; and no
    waypoint repeats. A course listed out of order then doubles back and shows up here;
    comparing with the farthest so far, not just the one before, stops small steps back
    from adding up. Waypoints without a known position are skipped (the foreign key check
    names them).
    """
    seen: set[str] = set()
    for w in waypoints:
        if w in seen:
            return f"{w} listed twice"
        seen.add(w)
    placed = [(w, where[w]) for w in waypoints if w in where]
    if not placed:
        return None
    first_id, first = placed[0]
    farthest_id, farthest = first_id, 0.0
    for w, pos in placed[1:]:
        d = distance_km(first, pos)
        if d < farthest - tolerance_km:
            return f"{w} is {d:.1f} km from {first_id}, {farthest - d:.1f} km nearer than {farthest_id} before it"
        if d > farthest:
            farthest_id, farthest = w, d
    return None
