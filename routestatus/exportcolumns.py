"""The export-only columns: what lets an exported event or statement be cited on its own.

They follow the codebook's columns of events and statements in every CSV: the cited
sources' URLs, titles and publishers, the place's name and the quote check, so a row can be
checked without a lookup in ``sources.csv`` or ``places.csv``. They are declared here once
(:data:`EXPORT_FIELDS`); the CSV writer, the reader, the snapshot's README and the codebook
test all read this declaration.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from routestatus.load import Dataset
from routestatus.page_tables import quote_check_words
from routestatus.schema import Field

_ORDER = "in the order of source_ids"
_LINED_UP = "a ';' inside one is written as ',' so that the items line up with source_ids"
EXPORT_FIELDS: dict[str, tuple[Field, ...]] = {
    "events": (
        Field(
            "source_urls",
            "string",
            f"The URL of each source in source_ids, ;-separated {_ORDER} (from sources.csv; "
            "a ';' inside a URL is written as %3B).",
        ),
        Field("source_titles", "string", f"The title of each source, ;-separated {_ORDER}; {_LINED_UP}."),
        Field("source_publishers", "string", f"The publisher of each source, ;-separated {_ORDER}; {_LINED_UP}."),
        Field("place_name", "string", "The English name of place_id (name_en in places.csv); blank without a place."),
    ),
    "statements": (
        Field("source_url", "string", "The URL of source_id (from sources.csv)."),
        Field("source_title", "string", "The title of source_id (from sources.csv)."),
        Field("source_publisher", "string", "The publisher of source_id (from sources.csv)."),
        Field(
            "quote_check",
            "string",
            "Whether the quote was found word for word in the source's archived copy here, in the words "
            "the Statements page uses: checked, close but not word for word (how many characters differ), "
            "or not found; or, when it could not be checked here, that the link (source_url) is the way "
            "to check it.",
        ),
    ),
}


def _item_lists(cells: pd.Series, values: dict[str, tuple[pd.Series, str]]) -> dict[str, pd.Series]:
    """Each ``;``-list of ids in ``cells`` as the ``;``-list of each of ``values``' columns, in the ids' order.

    ``values`` maps an output name to (values by id, what a value's own ``;`` becomes so the
    items still line up with the ids); an id with no value gives an empty item. Each
    distinct list is split once and joined once per column, then spread to the rows by
    its code: many rows cite the same sources.
    """
    codes, uniques = pd.factorize(cells)  # a missing cell has code -1
    split = [u.split(";") for u in uniques]
    out = {}
    for name, (column, inner) in values.items():
        get = column.fillna("").astype(str).str.replace(";", inner, regex=False).to_dict().get
        # The None at the end is what code -1 picks: a row without ids gets a blank cell.
        joined = np.array([";".join([get(i, "") for i in ids]) or None for ids in split] + [None], dtype=object)
        out[name] = pd.Series(joined[codes], index=cells.index, dtype="string")
    return out


def _one(cells: pd.Series, values: pd.Series) -> pd.Series:
    return cells.map(values).astype("string").replace("", pd.NA)


def export_columns(data: Dataset, name: str, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The values of :data:`EXPORT_FIELDS` for the rows of ``frame`` (events or statements), on its index."""
    sources = data.tables["sources"].set_index("source_id")
    if name == "events":
        ids = frame["source_ids"]
        places = data.tables["places"].set_index("place_id")["name_en"]
        out = _item_lists(
            ids,
            {
                "source_urls": (sources["url"], "%3B"),
                "source_titles": (sources["title"], ","),
                "source_publishers": (sources["publisher"], ","),
            },
        )
        out["place_name"] = _one(frame["place_id"], places)
    elif name == "statements":
        ids = frame["source_id"]
        archived = ids.map(sources["archived_copy"]).notna().to_numpy(dtype=bool)
        verdicts = data.quote_checks.verdicts
        # The Statements page's own words, so the CSV and the page never disagree.
        checks = [
            quote_check_words(a, verdicts.get(sid))[0] for a, sid in zip(archived, frame["statement_id"], strict=True)
        ]
        out = {
            "source_url": _one(ids, sources["url"]),
            "source_title": _one(ids, sources["title"]),
            "source_publisher": _one(ids, sources["publisher"]),
            "quote_check": pd.Series(checks, index=frame.index, dtype="string"),
        }
    else:
        return {}
    return {f.name: out[f.name] for f in EXPORT_FIELDS[name]}
