"""The data contract: one schema, read by the code, described by the codebook."""

import re

import frictionless

from routestatus.paths import PROJECT_ROOT
from routestatus.schema import load_schema

SCHEMA = load_schema(PROJECT_ROOT / "data" / "datapackage.json")
CODEBOOK = (PROJECT_ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_codebook_names_every_field_and_value():
    for table in SCHEMA.tables.values():
        assert f"`{table.path}`" in CODEBOOK, table.path
        for field in table.fields:
            assert f"`{field.name}`" in CODEBOOK, f"{table.name}.{field.name}"
            for value in field.enum or ():
                assert f"`{value}`" in CODEBOOK, f"{table.name}.{field.name}={value}"


def test_codebook_statuses_match_schema():
    documented = set(re.findall(r"^\| `(\w+)` \|", CODEBOOK.split("## Road status")[1].split("##")[0], re.M))
    assert documented == set(SCHEMA.enum("events", "status_after"))


def test_frictionless_agrees_on_curated_data():
    report = frictionless.validate(str(PROJECT_ROOT / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_sees_a_broken_enum(root):
    path = root.data / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",humanitarian_only,", ",humanitarian,", 1), encoding="utf-8")
    report = frictionless.validate(str(root.datapackage))
    assert not report.valid
    assert ["constraint-error"] == sorted({e.type for t in report.tasks for e in t.errors})
