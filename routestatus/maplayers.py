"""The map's fixed layers, read once per dataset into plain lists for fast figures.

Road courses, places and the base map do not change between reruns; turning the
GeoDataFrames into plain coordinates once, when the data is loaded, keeps each rerun's
figure to the work that depends on the filters.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from routestatus.textsafe import plot_text


@dataclass(frozen=True)
class Course:
    """One alignment of a road: its id, road, name, validity and coordinates."""

    alignment_id: str
    route_id: str
    name: str
    valid_from: str
    valid_to: str | None
    lon: tuple[float, ...]
    lat: tuple[float, ...]


@dataclass(frozen=True)
class MapLayers:
    """Everything on the map that the filters do not change."""

    courses: tuple[Course, ...]
    places: (
        pd.DataFrame
    )  # place_id, kind, name_en, name_hy, name_az, name_ru, lon, lat, hover (names in four languages)
    basemap_lon: tuple[float | None, ...]
    basemap_lat: tuple[float | None, ...]
    countries: tuple[tuple[str, float, float], ...] = ()  # (name, lon, lat) of a label inside the map's region

    def course_on(self, route_id: str, day) -> Course | None:
        """The course of ``route_id`` in use on ``day`` (a date), else its earliest one."""
        mine = sorted((c for c in self.courses if c.route_id == route_id), key=lambda c: c.valid_from)
        iso = day.isoformat()
        current = [c for c in mine if c.valid_from <= iso <= (c.valid_to or "9999-12-31")]
        return (current or mine or [None])[0]


def _lines(geom) -> list[list[tuple[float, float]]]:
    """Every ring or line of a (multi)polygon or (multi)line as coordinate lists."""
    if geom is None or geom.is_empty:
        return []
    kind = geom.geom_type
    if kind in ("LineString", "LinearRing"):
        return [list(geom.coords)]
    if kind == "Polygon":
        return [list(geom.exterior.coords)] + [list(r.coords) for r in geom.interiors]
    if kind.startswith("Multi") or kind == "GeometryCollection":
        return [line for part in geom.geoms for line in _lines(part)]
    return []


def _iso(value) -> str | None:
    """A day as ``YYYY-MM-DD`` whether the reader gave text or a timestamp; None if blank."""
    if value is None or value == "" or pd.isna(value):
        return None
    return pd.Timestamp(value).date().isoformat()


def map_layers(routes: pd.DataFrame, places: pd.DataFrame, boundaries: pd.DataFrame | None) -> MapLayers:
    """Read the three layers into a :class:`MapLayers`.

    Each layer is a frame of its features' properties with their shapely shapes in ``geometry``
    (as ``load`` reads a GeoJSON file; a GeoDataFrame will do too).
    """
    courses = tuple(
        Course(
            r.alignment_id,
            r.route_id,
            r.name,
            _iso(r.valid_from) or "",
            _iso(r.valid_to),
            tuple(x for x, _ in r.geometry.coords),
            tuple(y for _, y in r.geometry.coords),
        )
        for r in routes.itertuples()
    )
    hover = [
        "<br>".join([plot_text(p.name_en)] + [f"{k}: {plot_text(getattr(p, f'name_{k}'))}" for k in ("hy", "az", "ru")])
        for p in places.itertuples()
    ]
    names = {c: places[c] if c in places else pd.Series("", index=places.index) for c in NAME_COLUMNS}
    table = pd.DataFrame(
        {
            "place_id": places["place_id"],
            "kind": places["kind"] if "kind" in places else "town",
            **names,
            "lon": [point.x for point in places["geometry"]],
            "lat": [point.y for point in places["geometry"]],
            "hover": hover,
        }
    )
    lon: list[float | None] = []
    lat: list[float | None] = []
    # The base map as one line trace: a None between rings lifts the pen.
    for geom in boundaries["geometry"] if boundaries is not None else []:
        for line in _lines(geom):
            lon += [x for x, _ in line] + [None]
            lat += [y for _, y in line] + [None]
    return MapLayers(courses, table, tuple(lon), tuple(lat), _country_labels(boundaries, routes))


NAME_COLUMNS = ("name_en", "name_hy", "name_az", "name_ru")
# The region the map opens on (see routestatus.accessmap), as west, south, east, north; a
# country's label sits inside it.
REGION = (46.15, 39.40, 47.15, 40.10)


def _country_labels(boundaries: pd.DataFrame | None, routes: pd.DataFrame) -> tuple[tuple[str, float, float], ...]:
    """A label point for each country that reaches into the map's region, inside both and clear of the roads."""
    if boundaries is None or "name" not in boundaries:
        return ()
    # Imported here, as only a fresh load draws the layers; a dataset read from the disk
    # cache already holds them, and its start then never loads shapely.
    from shapely import union_all
    from shapely.geometry import box
    from shapely.ops import polylabel

    region = box(*REGION)
    clear = region.difference(union_all(list(routes["geometry"])).buffer(0.1)) if len(routes) else region
    out = []
    for name, geom in zip(boundaries["name"], boundaries["geometry"], strict=True):
        part = geom.intersection(clear) if geom is not None else None
        if part is None or part.is_empty or part.area < 0.01:
            continue
        # The point farthest from the part's edges: clear of the border, where the roads run.
        point = polylabel(max(getattr(part, "geoms", [part]), key=lambda g: g.area), tolerance=0.001)
        out.append((str(name), round(point.x, 4), round(point.y, 4)))
    return tuple(out)
