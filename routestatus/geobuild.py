"""Building ``geo/places.geojson`` and ``geo/routes.geojson`` from the curated tables.

``data/places.csv`` and ``data/alignments.csv`` are the truth; the GeoJSON layers are
derived from them so a map can read them directly, and ``validate`` checks that they
are in step. Lines are schematic: straight segments through the listed waypoints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

PLACE_PROPERTIES = [
    "place_id",
    "kind",
    "name_en",
    "name_hy",
    "name_az",
    "name_ru",
    "coord_precision",
    "coord_basis",
    "coord_source_ids",
]
ROUTE_PROPERTIES = [
    "alignment_id",
    "route_id",
    "name",
    "valid_from",
    "valid_to",
    "waypoints",
    "method",
    "source_ids",
]


def _blank_to_none(value: str) -> str | None:
    return value if value != "" else None


def places_features(places: Iterable[Mapping[str, str]]) -> list[dict[str, Any]]:
    """GeoJSON features (as dicts) for the places, coordinates rounded to 6 decimals."""
    return [
        {
            "type": "Feature",
            "properties": {k: _blank_to_none(p[k]) for k in PLACE_PROPERTIES},
            "geometry": {
                "type": "Point",
                "coordinates": [round(float(p["lon"]), 6), round(float(p["lat"]), 6)],
            },
        }
        for p in sorted(places, key=lambda p: p["place_id"])
    ]


def routes_features(
    alignments: Iterable[Mapping[str, str]], places: Iterable[Mapping[str, str]]
) -> list[dict[str, Any]]:
    """GeoJSON features for the alignments: straight segments through their waypoints."""
    where = {p["place_id"]: (round(float(p["lon"]), 6), round(float(p["lat"]), 6)) for p in places}
    return [
        {
            "type": "Feature",
            "properties": {k: _blank_to_none(a[k]) for k in ROUTE_PROPERTIES},
            "geometry": {
                "type": "LineString",
                "coordinates": [list(where[w]) for w in a["waypoints"].split(";")],
            },
        }
        for a in sorted(alignments, key=lambda a: a["alignment_id"])
    ]


def write_features(features: list[dict[str, Any]], path: Path) -> None:
    """Write features as RFC 7946 GeoJSON, 6 decimals, one feature per line (via GDAL)."""
    import geopandas as gpd  # here, not at the top: validate imports this module, and only writing needs GDAL

    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    # from_features puts geometry first; keep the declared property order for stable diffs.
    columns = list(features[0]["properties"]) if features else []
    frame = frame[columns + ["geometry"]]
    if path.exists():
        path.unlink()  # GDAL's GeoJSON driver refuses to overwrite
    frame.to_file(path, driver="GeoJSON", engine="pyogrio", RFC7946="YES", COORDINATE_PRECISION=6)


def comparable(feature: Mapping[str, Any]) -> tuple[Any, ...]:
    """A feature reduced to what must match between the built and the committed layer."""
    props = tuple(sorted((k, v if v != "" else None) for k, v in (feature.get("properties") or {}).items()))
    geom = feature.get("geometry") or {}
    return props, geom.get("type"), repr(geom.get("coordinates"))
