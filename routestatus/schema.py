"""The data contract, read from ``data/datapackage.json``.

The Frictionless descriptor is the one declaration of every table, field, enum and key;
this module turns it into small typed objects so that the validator, the loader and the
codebook tests all read the same thing and nothing restates it by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Field:
    """One column of a table, with its Table Schema type and constraints."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: Any = None
    maximum: Any = None
    true_values: tuple[str, ...] = ("true",)
    false_values: tuple[str, ...] = ("false",)


@dataclass(frozen=True)
class ForeignKey:
    """``field`` of this table must name a row of ``ref_table``.``ref_field``.

    ``delimiter`` is set for list-valued fields such as ``source_ids``, where every item
    must resolve; Table Schema cannot express those, so they live in the package's
    ``routestatus`` section.
    """

    field: str
    ref_table: str
    ref_field: str
    delimiter: str | None = None


@dataclass(frozen=True)
class Table:
    """A tabular resource: its file name, fields in their fixed order, and keys."""

    name: str
    path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def columns(self) -> list[str]:
        """Column names in their fixed order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """Return the field called ``name``."""
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class Schema:
    """All tables of the package plus the project-specific rules kept beside them."""

    tables: dict[str, Table]
    sequential_ids: dict[str, str] = field(default_factory=dict)
    region_bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    basemap_bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    version: str = ""
    title: str = ""

    def enum(self, table: str, column: str) -> tuple[str, ...]:
        """Allowed values of ``table.column`` (empty if it has no enum)."""
        return self.tables[table].field(column).enum or ()


def _field(desc: dict[str, Any]) -> Field:
    c = desc.get("constraints", {})
    return Field(
        name=desc["name"],
        type=desc.get("type", "string"),
        description=desc.get("description", ""),
        required=bool(c.get("required", False)),
        unique=bool(c.get("unique", False)),
        enum=tuple(c["enum"]) if "enum" in c else None,
        pattern=c.get("pattern"),
        minimum=c.get("minimum"),
        maximum=c.get("maximum"),
        true_values=tuple(desc.get("trueValues", ("true",))),
        false_values=tuple(desc.get("falseValues", ("false",))),
    )


def _bbox(d: dict[str, float]) -> tuple[float, float, float, float]:
    return (d["min_lon"], d["min_lat"], d["max_lon"], d["max_lat"])


def parse_schema(descriptor: dict[str, Any]) -> Schema:
    """Build a :class:`Schema` from a parsed ``datapackage.json`` descriptor."""
    extra = descriptor.get("routestatus", {})
    list_fks: dict[str, list[ForeignKey]] = {}
    for fk in extra.get("listForeignKeys", []):
        list_fks.setdefault(fk["resource"], []).append(
            ForeignKey(fk["field"], fk["reference"]["resource"], fk["reference"]["field"], fk["delimiter"])
        )
    tables: dict[str, Table] = {}
    for res in descriptor["resources"]:
        sch = res["schema"]
        fks = [
            ForeignKey(fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
            for fk in sch.get("foreignKeys", [])
        ]
        pk = sch.get("primaryKey", [])
        tables[res["name"]] = Table(
            name=res["name"],
            path=res["path"],
            fields=tuple(_field(f) for f in sch["fields"]),
            primary_key=tuple([pk] if isinstance(pk, str) else pk),
            foreign_keys=tuple(fks + list_fks.get(res["name"], [])),
        )
    return Schema(
        tables=tables,
        sequential_ids=dict(extra.get("sequentialIds", {})),
        region_bbox=_bbox(extra["regionBbox"]),
        basemap_bbox=_bbox(extra["basemapBbox"]),
        version=str(descriptor.get("version", "")),
        title=str(descriptor.get("title", "")),
    )


def load_schema(path: Path) -> Schema:
    """Read and parse ``datapackage.json`` at ``path``."""
    return parse_schema(json.loads(path.read_text(encoding="utf-8")))
