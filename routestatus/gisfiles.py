"""What the snapshot's GIS files are called and what each layer holds, in words.

Kept apart from :mod:`routestatus.gis`, which writes the files: that module loads GDAL,
geopandas and shapely (about 70 MiB and 0.4 s on first import), and the snapshot's README
and manifest need only these names, so a page that never builds a snapshot never loads them.
"""

from __future__ import annotations

from dataclasses import dataclass

CRS = "EPSG:4326"
GPKG_FILE = "map.gpkg"


@dataclass(frozen=True)
class Layer:
    """One layer: its name, geometry type and what a feature of it is, in words."""

    name: str
    geometry: str
    holds: str

    @property
    def geojson_file(self) -> str:
        """The layer's own GeoJSON file in a snapshot."""
        return f"map_{self.name}.geojson"


LAYERS = (
    Layer(
        "roads",
        "LineString",
        "every course of each chosen road, with every column of data/alignments.csv",
    ),
    Layer(
        "status_segments",
        "LineString",
        "one line per road course and status interval of the range, as in status_intervals.csv with the "
        "course's alignment_id and the evidence's sources (a status that lasted across a change of course gives "
        "one line per course, cut to the days that course was in use)",
    ),
    Layer(
        "places",
        "Point",
        "every place and site, with every column of data/places.csv (its kind, its names in English, Armenian, "
        "Azerbaijani and Russian, and where its coordinates come from)",
    ),
    Layer(
        "events",
        "Point",
        "the events of events.csv that name a place, with every column of events.csv, drawn at that place",
    ),
)
