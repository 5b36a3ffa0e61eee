"""Tables as the pages show them: readable columns, precision-aware dates, source links.

Each function takes the loaded frames and returns a new frame; nothing is changed in place,
so cached data is never mutated.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from routestatus.isodate import as_days
from routestatus.labels import ROAD_LABELS, STATUS_LABELS, show_dates, type_label
from routestatus.schema import Schema
from routestatus.textsafe import safe_url


def _words(values: pd.Series, words: dict[str, str], missing: str | None = None, dtype="str") -> pd.Series:
    """Each value's words from ``words`` (``missing`` for a value not there, or missing), as text.

    What ``values.map(words)`` gives, from a plain list: ``map`` builds an index of the
    dictionary on every call, 0.3 to 0.6 ms a column even for a few hundred rows.
    ``dtype``: that of the column ``map`` would give.
    """
    return pd.Series([words.get(v, missing) for v in values.tolist()], index=values.index, dtype=dtype)


def _urls(sources: pd.DataFrame) -> dict[str, str]:
    """Source id -> URL, as a dict: a lookup per row in a pandas Series costs far more."""
    return dict(zip(sources["source_id"].tolist(), sources["url"].tolist(), strict=True))


def _first_url(ids: str, urls: dict[str, str]) -> str | None:
    """The first of the ``;``-separated source ids that is in ``urls``, its URL if http(s)."""
    for sid in str(ids).split(";"):
        if sid in urls:
            return _safe_url(urls[sid])
    return None


# A dataset cites a few hundred sources in thousands of rows: each URL is tested once.
_safe_url = functools.lru_cache(maxsize=65_536)(safe_url)


def _first_urls(cells: pd.Series, urls: dict[str, str]) -> list[str | None]:
    """:func:`_first_url` of each cell (None for a missing one), worked out once per distinct cell.

    Many rows cite the same sources; the cells as a list, not iterated as Arrow values.
    """
    values = cells.tolist()
    first = {c: _first_url(c, urls) for c in set(values) if isinstance(c, str)}
    return [first.get(c) if isinstance(c, str) else None for c in values]


def record_link(kind: str, record_id: str) -> str:
    """The link that opens one record (``kind`` ``event`` or ``statement``), e.g. ``./?event=E025``.

    Relative, so it opens the record on the dashboard it was clicked in, from any page's address.
    """
    return f"./?{kind}={record_id}"


def event_list(events: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The Map's list of events: a link to each record, date at its precision, type, place and summary."""
    names = places.set_index("place_id")["name_en"]
    if names.index.is_unique:  # else (a table that failed its checks) map says what it says of it
        names = dict(zip(names.index.tolist(), names.tolist(), strict=True))
    types = {t: type_label(t) for t in events["event_type"].dropna().unique().tolist()}
    return pd.DataFrame(
        {
            "record": [record_link("event", e) for e in events["event_id"].tolist()],
            "event_id": events["event_id"],
            "date": show_dates(events["date_start"], events["date_precision"]),
            "event_type": _words(events["event_type"], types, dtype=events["event_type"].dtype),  # as map(type_label)
            "place": (
                _words(events["place_id"], names, dtype=places["name_en"].dtype)
                if isinstance(names, dict)
                else events["place_id"].map(names)
            ).fillna(""),
            "road": _words(events["route_id"], ROAD_LABELS),
            "summary": events["summary"],
        }
    ).reset_index(drop=True)


def events_table(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Events with dates shown at their precision, road and status in words, first source link, record link."""
    urls = _urls(sources)
    return pd.DataFrame(
        {
            "event_id": events["event_id"],
            "record": [record_link("event", i) for i in events["event_id"].tolist()],
            "date": show_dates(events["date_start"], events["date_precision"]),
            "date_end": show_dates(events["date_end"], events["date_precision"]),
            "date_precision": events["date_precision"],
            "road": _words(events["route_id"], ROAD_LABELS),
            "place_id": events["place_id"].fillna(""),
            "event_type": events["event_type"],
            "status_after": _words(events["status_after"], STATUS_LABELS, ""),
            "summary": events["summary"],
            "source": _first_urls(events["source_ids"], urls),
            "source_ids": events["source_ids"],
            "confidence": events["confidence"],
            "notes": events["notes"].fillna(""),
        }
    ).reset_index(drop=True)


def quote_check(archived: bool, verdict) -> str:
    """The badge text for one quote: ``verify``'s verdict, or why there is none."""
    if not archived:
        return "not archived: not checkable offline"
    if verdict is None:
        return "not anchored: run python -m routestatus anchor"
    return {
        "verbatim": "✓ verbatim in archived copy",
        "moved": "✓ verbatim, at other offsets",
        "near": f"≈ near match (edit distance {verdict.distance})",
        "missing": "✗ missing from archived copy",
    }[verdict.status]


def quote_check_words(archived: bool, verdict) -> tuple[str, str]:
    """The quote check in plain words for a reader, and its tone: ``checked``, ``near``, ``failed`` or ``open``.

    The same verdicts as :func:`quote_check`; the tone picks the badge colour, the words
    carry the meaning.
    """
    if not archived:
        return "source not archived here; open the link to check", "open"
    if verdict is None:
        return "archived here, not yet checked; open the link to check", "open"
    if verdict.status in ("verbatim", "moved"):
        return "checked against the archived text", "checked"
    if verdict.status == "near":
        n = verdict.distance
        return f"close to the archived text, not word for word ({n} character{'s' if n != 1 else ''} differ)", "near"
    return "not found in the archived text", "failed"


QUOTED_VIA_WORDS = {"primary": "the speaker's own publication", "secondary": "reported by another publisher"}


def source_credit(publisher: object, published: object) -> str:
    """A source as a reader cites it: publisher and date, e.g. ``Asbarez, 12 Sep 2023``."""
    name = str(publisher) if isinstance(publisher, str) and publisher else "Unnamed publisher"
    if published is None or pd.isna(published):
        return f"{name}, no date on the page"
    day = pd.Timestamp(published)
    return f"{name}, {day.day} {day:%b %Y}"


def _of_sources(ids: pd.Series, sources: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, pd.Series]:
    """Each of ``columns`` of the source each of ``ids`` names: ``ids.map`` of that column by ``source_id``.

    The ids are looked up once for every column: a ``map`` per column looked them all up
    again each time, and built an index of the sources table each call.
    """
    index = pd.Index(sources["source_id"])
    if not index.is_unique:  # a table that failed its checks: map says what it says of it
        src = sources.set_index("source_id")
        return {c: ids.map(src[c]) for c in columns}
    at = index.get_indexer(ids)  # -1 where no source has the id: missing, as map leaves it
    return {
        c: pd.Series(pd.api.extensions.take(sources[c].array, at, allow_fill=True), index=ids.index) for c in columns
    }


def _credits(publishers: pd.Series, published: pd.Series) -> list[str]:
    """:func:`source_credit` of each row (kept per publisher and date: many statements cite one source)."""
    return [_credit(p, d) for p, d in zip(publishers.tolist(), published.tolist(), strict=True)]


# A dataset has a few hundred sources, cited by thousands of statements: each credit is worded once.
_credit = functools.lru_cache(maxsize=65_536)(source_credit)


def _safe_urls(urls: pd.Series) -> pd.Series:
    """``urls.map(safe_url)``, each URL tested once (see :data:`_safe_url`)."""
    return pd.Series([_safe_url(u) for u in urls.tolist()], index=urls.index, dtype=urls.dtype)


def _road_names(route_ids: pd.Series) -> pd.Series:
    """A statement's roads as names joined by ``; ``, or ``(names no road)``, once per distinct cell."""
    cells = route_ids.fillna("")
    names = {r: "; ".join(ROAD_LABELS[x] for x in r.split(";")) for r in set(cells.tolist()) if r}
    names[""] = "(names no road)"
    return _words(cells, names, dtype=cells.dtype)


def statement_list(statements: pd.DataFrame, sources: pd.DataFrame, verdicts: dict | None = None) -> pd.DataFrame:
    """One row per statement for the page's list: its line's parts, and what opening it shows.

    The source is given by publisher and date (:func:`source_credit`) with its title and
    link, the quote check in words (:func:`quote_check_words`), the roads as their names.
    """
    ids = statements["source_id"]
    src = _of_sources(ids, sources, ("archived_copy", "publisher", "published", "title", "url"))
    verdicts = verdicts or {}
    checks = [
        quote_check_words(a, verdicts.get(sid))
        for a, sid in zip(src["archived_copy"].notna().tolist(), statements["statement_id"].tolist(), strict=True)
    ]
    cells = statements["route_ids"].fillna("")
    roads = {r: tuple(ROAD_LABELS[x] for x in r.split(";")) if r else () for r in set(cells.tolist())}
    return pd.DataFrame(
        {
            "statement_id": statements["statement_id"],
            "date": show_dates(statements["date"], statements["date_precision"]),
            # Text is never missing here (a required cell left empty is shown empty, not as "<NA>").
            "date_basis": statements["date_basis"].fillna(""),
            "speaker": statements["speaker"].fillna(""),
            "role": statements["role"].fillna(""),
            "organisation": statements["organisation"].fillna(""),
            "roads": pd.Series([roads[r] for r in cells.tolist()], dtype=object, index=statements.index),
            "claim": statements["claim"].fillna("none") if "claim" in statements else "none",
            "quote": statements["quote"].fillna(""),
            "check": [words for words, _ in checks],
            "check_tone": [tone for _, tone in checks],
            "source": _credits(src["publisher"], src["published"]),
            "source_title": src["title"].fillna(""),
            "source_url": _safe_urls(src["url"]),
            "quoted_via": _words(statements["quoted_via"], QUOTED_VIA_WORDS)
            .fillna(statements["quoted_via"])
            .fillna(""),
            "notes": statements["notes"].fillna(""),
        }
    ).reset_index(drop=True)


def statements_table(statements: pd.DataFrame, sources: pd.DataFrame, verdicts: dict | None = None) -> pd.DataFrame:
    """Statements with date at its precision, the quote's check against its archived copy, source and record links."""
    src = _of_sources(statements["source_id"], sources, ("archived_copy", "url"))
    archived = src["archived_copy"].notna()
    verdicts = verdicts or {}
    return pd.DataFrame(
        {
            "statement_id": statements["statement_id"],
            "record": [record_link("statement", i) for i in statements["statement_id"].tolist()],
            "date": show_dates(statements["date"], statements["date_precision"]),
            "date_precision": statements["date_precision"],
            "date_basis": statements["date_basis"],
            "speaker": statements["speaker"],
            "role": statements["role"].fillna(""),
            "organisation": statements["organisation"],
            "roads": _road_names(statements["route_ids"]),
            "claim": statements["claim"].fillna("") if "claim" in statements else "",
            "quote": statements["quote"],
            "language": statements["language"],
            "quote_check": [
                quote_check(a, verdicts.get(sid))
                for a, sid in zip(archived.tolist(), statements["statement_id"].tolist(), strict=True)
            ],
            "source": _safe_urls(src["url"]),
            "source_id": statements["source_id"],
            "quoted_via": statements["quoted_via"],
            "notes": statements["notes"].fillna(""),
        }
    ).reset_index(drop=True)


def _interval_words(status: pd.DataFrame | Mapping[str, list]) -> dict[str, list]:
    """The words of :func:`intervals_table`, column by column, as plain lists (missing: None).

    ``status`` is the typed frame or its columns as the Python values it is typed from
    (``View.in_words`` gives those): dates, ints, and text with ``""`` for none.
    """
    values = status if isinstance(status, pd.DataFrame) else None
    plain = ("route_id", "status", "days", "start_precision", "evidence_event_ids")
    listed = {c: values[c].tolist() if values is not None else status[c] for c in plain}
    text = {}
    for c in ("date_from", "date_to"):
        days = values[c].to_numpy("datetime64[D]") if values is not None else as_days(status[c])
        words = np.datetime_as_string(days, unit="D").astype(object)
        words[np.isnat(days)] = None
        text[c] = words.tolist()
    return {
        "road": [ROAD_LABELS.get(r) for r in listed["route_id"]],
        "status": [STATUS_LABELS.get(s) for s in listed["status"]],
        "from": text["date_from"],
        "to": text["date_to"],
        "days": listed["days"],
        # Missing text as the typed frame has it: "" is typed as missing (typedframes.from_values).
        "start_precision": listed["start_precision"]
        if values is not None
        else [p or None for p in listed["start_precision"]],
        "evidence": [e if isinstance(e, str) else "" for e in listed["evidence_event_ids"]],
    }


def _none(values: list) -> list:
    """Missing values (pandas' NA) as None, as Arrow reads them from a list."""
    return [None if v is pd.NA else v for v in values]


def intervals_table(status: pd.DataFrame) -> pd.DataFrame:
    """The snapshot's status intervals (see ``View.status_intervals``) with road and status in words."""
    # From plain lists, not Series.map or Series: a handful of rows, on every rerun of the
    # Timeline, where each Series and fillna cost more than the rows (1.2 to 0.8 ms).
    words = _interval_words(status)
    dtypes = {"days": status["days"].dtype, "start_precision": status["start_precision"].dtype}
    dtypes["evidence"] = status["evidence_event_ids"].dtype
    return pd.DataFrame(
        {name: pd.array(values, dtype=dtypes.get(name, "str")) for name, values in words.items()}, index=status.index
    )


INTERVAL_SCHEMA = pa.schema(
    [(name, pa.large_string()) for name in ("road", "status", "from", "to")]
    + [("days", pa.int64()), ("start_precision", pa.large_string()), ("evidence", pa.large_string())]
)


def intervals_arrow(status: pd.DataFrame | Mapping[str, list]) -> pa.Table:
    """:func:`intervals_table` as the Arrow table ``st.dataframe`` would make of it (no index), made from the lists.

    The Timeline hands this to ``st.dataframe``: building the frame, then Streamlit's
    conversion of it, cost more than the rows. ``status`` as in :func:`_interval_words`.
    """
    words = _interval_words(status)
    return pa.table({name: _none(values) for name, values in words.items()}, schema=INTERVAL_SCHEMA)


def sources_table(sources: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Sources as the Sources & method page lists them: the codebook's columns in its order (no line numbers)."""
    return sources[schema.tables["sources"].columns]


def said_table(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``View.said_vs_passed`` in words, with the statement's source and the record's first source."""
    urls = _urls(sources)
    return pd.DataFrame(
        {
            "statement_id": rows["statement_id"],
            "record": [record_link("statement", sid) for sid in rows["statement_id"].tolist()],
            "date": rows["date"].dt.strftime("%Y-%m-%d"),
            "road": _words(rows["route_id"], ROAD_LABELS),
            "organisation": rows["organisation"],
            "speaker": rows["speaker"],
            "claim": rows["claim"],
            "recorded status": _words(rows["recorded_status"], STATUS_LABELS),
            "comparison": rows["comparison"],
            "statement source": _first_urls(rows["statement_source_id"], urls),
            "evidence": rows["evidence_event_ids"].fillna(""),
            "record source": _first_urls(rows["evidence_source_ids"], urls),
        }
    ).reset_index(drop=True)
