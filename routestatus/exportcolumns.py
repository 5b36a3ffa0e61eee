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
import pyarrow as pa
import pyarrow.compute as pc

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


def _by_id(data: Dataset) -> dict:
    """What the export columns look up, worked out once per dataset and kept.

    Each source's URL, title, publisher and archived copy and each place's English name, as
    dicts by id (missing when blank); and for the ``;``-lists, the source ids as an Arrow
    array with each source's URL, title and publisher beside it as written in a list (a
    ``;`` of its own made ``%3B`` or ``,``, so the items line up with the ids; blank when missing).
    """

    def make() -> dict:
        sources, places = data.tables["sources"], data.tables["places"]
        ids = sources["source_id"].tolist()

        def column(frame: pd.DataFrame, name: str, key: list[str]) -> dict[str, str]:
            return {k: v for k, v in zip(key, frame[name].tolist(), strict=True) if isinstance(v, str) and v}

        kept = {name: column(sources, name, ids) for name in ("url", "title", "publisher", "archived_copy")}
        kept["place name"] = column(places, "name_en", places["place_id"].tolist())
        kept["source ids"] = pa.array(ids, pa.string())
        for name, inner in (("url", "%3B"), ("title", ","), ("publisher", ",")):
            items = [kept[name].get(i, "").replace(";", inner) for i in ids]
            kept[f"{name} in a list"] = pa.array(items, pa.string())
        return kept

    return data.keep("export lookups", make)


def _item_lists(cells: pd.Series, ids: pa.Array, values: dict[str, pa.Array]) -> dict[str, pd.Series]:
    """Each ``;``-list of ids in ``cells`` as the ``;``-list of each of ``values``, in the ids' order.

    Each of ``values`` holds an item per id of ``ids``. An id not among them gives an empty
    item; a list with nothing in it, a blank cell. Done in Arrow, a column at a time: at
    100,000 events, joining the lists in Python took a quarter of a second.
    """
    lists = pc.split_pattern(pa.array(cells, type=pa.string(), from_pandas=True), ";")
    at = pc.index_in(pc.list_flatten(lists), value_set=ids)
    nothing = pa.scalar(None, pa.string())
    out = {}
    for name, items in values.items():
        listed = pa.ListArray.from_arrays(lists.offsets, pc.fill_null(items.take(at), ""), mask=lists.is_null())
        joined = pc.binary_join(listed, ";")
        joined = pc.if_else(pc.equal(joined, ""), nothing, joined)
        out[name] = pd.Series(pd.arrays.ArrowStringArray(joined), index=cells.index)
    return out


def _one(cells: pd.Series, values: dict[str, str]) -> pd.Series:
    """The value of each cell's id, looked up once per distinct id (many rows name the same place or source)."""
    codes, uniques = pd.factorize(cells)  # a missing cell has code -1
    # The None at the end is what code -1 picks; an id without a value gives a missing cell too.
    found = np.array([*(values.get(i) for i in uniques.tolist()), None], dtype=object)
    return pd.Series(found[codes], index=cells.index, dtype="string")


def export_columns(data: Dataset, name: str, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The values of :data:`EXPORT_FIELDS` for the rows of ``frame`` (events or statements), on its index."""
    by_id = _by_id(data)
    if name == "events":
        out = _item_lists(
            frame["source_ids"],
            by_id["source ids"],
            {
                "source_urls": by_id["url in a list"],
                "source_titles": by_id["title in a list"],
                "source_publishers": by_id["publisher in a list"],
            },
        )
        out["place_name"] = _one(frame["place_id"], by_id["place name"])
    elif name == "statements":
        ids = frame["source_id"]
        archived = [isinstance(i, str) and i in by_id["archived_copy"] for i in ids.tolist()]
        verdicts = data.quote_checks.verdicts
        # The Statements page's own words, so the CSV and the page never disagree.
        checks = [
            quote_check_words(a, verdicts.get(sid))[0] for a, sid in zip(archived, frame["statement_id"], strict=True)
        ]
        out = {
            "source_url": _one(ids, by_id["url"]),
            "source_title": _one(ids, by_id["title"]),
            "source_publisher": _one(ids, by_id["publisher"]),
            "quote_check": pd.Series(checks, index=frame.index, dtype="string"),
        }
    else:
        return {}
    return {f.name: out[f.name] for f in EXPORT_FIELDS[name]}
