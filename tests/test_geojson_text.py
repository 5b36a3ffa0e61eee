"""The GeoJSON written in Arrow: GDAL's own bytes, for every layer and any text."""

import random

import numpy as np
import pandas as pd
import pytest
import shapely

from routestatus import gis
from routestatus.geojsontext import layer_geojson
from tests.test_csv_writer import views

# Every character JSON escapes or lets through, with text in the region's scripts.
PIECES = ['"', "\\", "/", "\n", "\r", "\t", "\b", "\f", "\x00", "\x01", "\x1f", "\x7f", " ", "a"]
PIECES += ["Լաչին", "Laçın", "Лачин", "", "\u2028", "\U0001f642", "é", "null", "{}"]


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_every_layer_is_written_as_gdal_writes_it(which, data, generated):
    dataset = data if which == "curated" else generated
    for v in views(dataset):
        kept: dict = {}
        for name, frame in gis.layers(v).items():
            expected = gis.gdal_geojson_bytes(frame, name)
            assert gis.geojson_bytes(frame, name, kept) == expected, (which, name, len(frame))
            # Again with the head and geometries kept from the first time.
            assert gis.geojson_bytes(frame, name, kept) == expected, (which, name, len(frame))


def _hostile(events):
    """The events layer with random text, blanks and missing values in every kind of column."""
    rng = random.Random(16)
    frame = events.copy()
    n = len(frame)
    for column in ("summary", "notes", "source_titles", "place_name"):
        texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8))) for _ in range(n)]
        frame[column] = pd.array([None if rng.random() < 0.1 else t for t in texts], dtype="string")
    frame["retracted"] = pd.array([rng.choice([True, False, None]) for _ in range(n)], dtype="boolean")
    frame["count"] = pd.array([rng.choice([0, -3, 2**40, None]) for _ in range(n)], dtype="Int64")
    frame.loc[frame.index[::5], "date_start"] = None
    geometry = frame.geometry.to_numpy().copy()
    geometry[::7] = None
    geometry[1] = shapely.Point(-0.5, 1e-7)
    frame = frame.set_geometry(geometry)
    return frame


def test_random_text_blanks_and_missing_values_are_written_as_gdal_writes_them(data):
    events = gis.layers(views(data)[0])["events"]
    frame = _hostile(events)
    assert gis.geojson_bytes(frame, "events") == gis.gdal_geojson_bytes(frame, "events")
    for rows in (frame.iloc[:0], frame.iloc[:1], frame.iloc[-1:], frame.iloc[::-1]):
        assert gis.geojson_bytes(rows, "events") == gis.gdal_geojson_bytes(rows, "events"), len(rows)


def test_a_layer_with_a_type_not_handled_is_left_to_gdal(data):
    events = gis.layers(views(data)[0])["events"].iloc[:5].copy()
    events["share"] = np.linspace(0, 1, 5)
    calls = []

    def gdal(frame, name):
        calls.append(len(frame))
        return gis.gdal_geojson_bytes(frame, name)

    assert layer_geojson(events, "events", gdal) == gis.gdal_geojson_bytes(events, "events")
    assert calls == [5]
