"""Places as data: kinds, how each point was found, constraint sites linked from their events, courses in order."""

import json
import re

import pytest

from routestatus import geobuild, geocheck
from routestatus.paths import PROJECT_ROOT, Root
from routestatus.schema import load_schema
from routestatus.validate import validate
from tests.expected import D, read

SITE_KINDS = ("checkpoint", "bridge", "crossing", "blockade_site", "staging_area", "peacekeeper_post")


def schema_field(name: str) -> dict:
    package = json.loads((PROJECT_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    places = next(r for r in package["resources"] if r["name"] == "places")
    return next(f for f in places["schema"]["fields"] if f["name"] == name)


def positions() -> dict[str, tuple[float, float]]:
    return {p["place_id"]: (float(p["lon"]), float(p["lat"])) for p in read("places")}


def test_the_kind_vocabulary_names_the_constraint_sites_and_keeps_the_old_values():
    kinds = schema_field("kind")["constraints"]["enum"]
    for value in ("city", "town", "village", "checkpoint", "bridge", "waypoint", *SITE_KINDS):
        assert value in kinds
    assert {p["kind"] for p in read("places")} <= set(kinds)


def test_codebook_defines_every_kind_and_precision():
    codebook = (PROJECT_ROOT / "data" / "README.md").read_text(encoding="utf-8")
    section = codebook[codebook.index("## `places.csv`") : codebook.index("## `alignments.csv`")]
    for value in schema_field("kind")["constraints"]["enum"] + schema_field("coord_precision")["constraints"]["enum"]:
        assert f"`{value}`" in section, value
    for column in ("coord_precision", "coord_basis"):
        assert f"`{column}`" in section, column


def test_each_point_is_either_two_sourced_or_says_how_it_was_derived():
    for p in read("places"):
        sources = set(p["coord_source_ids"].split(";"))
        if p["coord_precision"] == "exact":
            assert len(sources) >= 2 and not p["coord_basis"], p["place_id"]
        else:
            assert p["coord_precision"] == "approximate", p["place_id"]
            assert p["coord_basis"] and sources, p["place_id"]


def test_a_stated_distance_and_bearing_gives_the_point_it_says():
    """Every basis of the form 'N km due south of ... (place X)' puts the point there."""
    where = positions()
    checked = 0
    for p in read("places"):
        m = re.search(r"(\d+(?:\.\d+)?) km due (north|south) of .*?\(place (\w+)\)", p["coord_basis"])
        if not m:
            continue
        km, bearing, origin = float(m[1]), m[2], m[3]
        assert read_precision(origin) == "exact", origin  # derived from a checked place
        here, there = where[p["place_id"]], where[origin]
        assert geocheck.distance_km(here, there) == pytest.approx(km, abs=0.05)
        assert here[0] == pytest.approx(there[0], abs=1e-6)
        assert (here[1] < there[1]) == (bearing == "south")
        checked += 1
    assert checked


def read_precision(place_id: str) -> str:
    return next(p["coord_precision"] for p in read("places") if p["place_id"] == place_id)


def test_a_midpoint_basis_lies_between_its_two_places():
    where = positions()
    checked = 0
    for p in read("places"):
        m = re.search(r"Midpoint of the checked points of .*?\(place (\w+)\) and .*?\(place (\w+)\)", p["coord_basis"])
        if not m:
            continue
        a, b = where[m[1]], where[m[2]]
        assert where[p["place_id"]] == pytest.approx(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), abs=1e-6)
        checked += 1
    assert checked


def test_every_constraint_site_has_events_and_every_event_there_is_linked():
    places = {p["place_id"]: p for p in read("places")}
    events = read("events")
    sites = [pid for pid, p in places.items() if p["kind"] in SITE_KINDS]
    assert sites
    for site in sites:
        assert any(e["place_id"] == site for e in events), site
    # The old marker of a checkpoint event with no place is gone: each now points to a place.
    for e in events:
        assert "not on the map: no checked coordinates" not in e["notes"], e["event_id"]
        if "Place: " in e["notes"]:
            named = re.findall(r"Place: (?:the [^(]*\()?(\w+)", e["notes"])
            assert e["place_id"] in named, (e["event_id"], named)


def test_the_hakari_checkpoint_is_a_site_with_events_by_the_as_of_day():
    day = D("2023-06-20")
    places = {p["place_id"]: p for p in read("places")}
    at_checkpoint = [
        e
        for e in read("events")
        if e["retracted"] == "false"
        and e["place_id"]
        and places[e["place_id"]]["kind"] == "checkpoint"
        and "Hakari" in places[e["place_id"]]["name_en"]
    ]
    assert any(D(e["date_start"]) <= day for e in at_checkpoint)
    # Every event on the corridor whose summary says something passed, or stopped, at the checkpoint has a place.
    at = re.compile(
        r"Hakari bridge|Lachin checkpoint|(through|cross|crosses|pass|passes) the (Azerbaijani |Lachin )?checkpoint"
    )
    installed = min(D(e["date_start"]) for e in at_checkpoint)  # before it, "Hakari bridge" is only the road
    for e in read("events"):
        if e["route_id"] == "lachin" and D(e["date_start"]) >= installed and at.search(e["summary"]):
            assert places[e["place_id"]]["kind"] in SITE_KINDS, e["event_id"]  # at the checkpoint, or held before it


def test_the_courses_are_in_order_and_pass_their_sites():
    where = positions()
    for a in read("alignments"):
        waypoints = a["waypoints"].split(";")
        assert geocheck.course_order_fault(waypoints, where) is None, a["alignment_id"]
    lachin_2022 = next(a for a in read("alignments") if a["alignment_id"] == "lachin_2022")["waypoints"].split(";")
    places = {p["place_id"]: p for p in read("places")}
    assert any(places[w]["kind"] == "checkpoint" for w in lachin_2022)


def test_the_order_rule():
    where = {"a": (46.0, 39.0), "b": (46.1, 39.0), "c": (46.2, 39.0), "bend": (46.195, 39.05)}
    assert geocheck.course_order_fault(["a", "b", "c"], where) is None
    fault = geocheck.course_order_fault(["a", "c", "b"], where)
    assert fault and fault.startswith("b ") and "nearer than c" in fault
    # A waypoint a little nearer the start than the one before it is a bend, not a doubling back.
    bend = geocheck.distance_km(where["a"], where["bend"])
    assert geocheck.distance_km(where["a"], where["c"]) - bend < geocheck.ORDER_TOLERANCE_KM
    assert geocheck.course_order_fault(["a", "c", "bend"], where) is None
    assert "listed twice" in geocheck.course_order_fault(["a", "b", "a"], where)
    assert geocheck.course_order_fault(["a", "nowhere", "c"], where) is None  # the foreign key check names it


def test_the_map_layer_carries_kind_and_precision():
    doc = json.loads((PROJECT_ROOT / "geo" / "places.geojson").read_text(encoding="utf-8"))
    props = {f["properties"]["place_id"]: f["properties"] for f in doc["features"]}
    for p in read("places"):
        assert props[p["place_id"]]["kind"] == p["kind"]
        assert props[p["place_id"]]["coord_precision"] == p["coord_precision"]
    assert {"kind", "coord_precision"} <= set(geobuild.PLACE_PROPERTIES)


def test_the_curated_places_validate():
    report = validate(Root(PROJECT_ROOT))
    assert not [line for line in report.lines() if "places" in line or "alignments" in line]
    assert "coord_precision" in load_schema(PROJECT_ROOT / "data" / "datapackage.json").tables["places"].columns
