"""One record, an event or a statement, as its detail view shows it: every field in words, and its context.

A link opens a record with ``?event=E025`` or ``?statement=S031``. When a link names both,
the event is opened and the statement is offered as a link of its own (:func:`asked`).
An id that is not a record's, a retracted record's id, or any other text is refused with
a notice in plain words (:func:`lookup`); nothing here raises on what a link holds.

What a record holds besides its own fields (:func:`build`):

- its sources, each with a link to the Internet Archive's copy as a fallback for link rot
  (:func:`wayback_url`);
- the status of each road the day before, on the day and the day after: for a statement,
  around its date; for an event, the day before its first day and the day after its last
  (its ``date_end``, or the end of its month when it is known only to the month, as the
  range filter counts it);
- the records nearby: for an event, the statements that name its road (either road, for
  an event on both) dated within three days of it; for a statement, the events on a road
  it names (or on both roads) within three days of its date. An event on no road, or a
  statement naming none, has none;
- for an event, its place: names in four languages and coordinates;
- for a statement, the check of its quote against the archived copy.

Everything is plain text and numbers; the page escapes text when it draws it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from routestatus.filters import event_span
from routestatus.labels import ROAD_LABELS, STATUS_LABELS, claim_label, show_date, type_label
from routestatus.load import Dataset
from routestatus.page_tables import quote_check, record_link
from routestatus.saidpassed import comparison
from routestatus.status import ROADS, Interval, status_at
from routestatus.textsafe import safe_url

# Link key -> (table, id column, id prefix), in the order a link naming several opens them.
KINDS = {"event": ("events", "event_id", "E"), "statement": ("statements", "statement_id", "S")}
NEARBY_DAYS = 3
WAYBACK = "https://web.archive.org/web/{stamp}/{url}"
SHOWN_CHARS = 40  # of a refused value, in its notice
DAY = dt.timedelta(days=1)

PRECISION_WORDS = {
    "day": "known to the day",
    "month": "known to the month only; counted as the whole month",
    "approximate": "approximate (≈): known to within a few days",
}
QUOTED_VIA_WORDS = {
    "primary": "primary: the speaker's own publication",
    "secondary": "secondary: reported by another publisher",
}


def wayback_url(url: str, published) -> str:
    """The Internet Archive's copy of ``url``: the capture nearest the day it was published, or any capture.

    ``https://web.archive.org/web/<published as YYYYMMDD>/<url>``, with ``*`` (the list of
    captures) when the publication date is not known.
    """
    stamp = "*" if published is None or pd.isna(published) else pd.Timestamp(published).strftime("%Y%m%d")
    return WAYBACK.format(stamp=stamp, url=url)


@dataclass(frozen=True)
class Ask:
    """The record a link asks for: its kind (``event`` or ``statement``) and the value as given."""

    kind: str
    value: str
    also: tuple[tuple[str, str], ...] = ()  # other record keys the link named, not opened


def asked(params: Mapping[str, str | Sequence[str]]) -> Ask | None:
    """The record a link's query asks for, or None. An event key wins over a statement key.

    A repeated key counts by its last value, as for the view's keys.
    """
    found = []
    for kind in KINDS:
        value = params.get(kind)
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else ""
        if value is not None:
            found.append((kind, str(value)))
    if not found:
        return None
    (kind, value), *rest = found
    return Ask(kind, value, tuple(rest))


def _shown(value: str) -> str:
    one_line = " ".join(value.split())
    return one_line if len(one_line) <= SHOWN_CHARS else one_line[:SHOWN_CHARS] + "…"


def lookup(data: Dataset, kind: str, value: str) -> tuple[str | None, str]:
    """The id of the live record ``value`` names, or None and a notice in plain words saying why not.

    Ids are matched after trimming spaces and ignoring case (``e025`` is ``E025``). A value
    that is no id of this kind, an id not in the record and a retracted record are refused.
    """
    table, column, prefix = KINDS[kind]
    frame = data.tables.get(table)
    text = value.strip()
    if not re.fullmatch(rf"{prefix}\d{{1,9}}", text, flags=re.IGNORECASE):
        example = "E025" if kind == "event" else "S031"
        shown = f"'{_shown(text)}'" if text else "empty"
        article = "an" if kind == "event" else "a"
        return (
            None,
            f"The link's {kind} is {shown}, which is not {article} {kind} id (like {example}); it was not opened.",
        )
    record_id = text.upper()
    rows = frame[frame[column].eq(record_id)] if frame is not None else frame
    if rows is None or rows.empty:
        ids = sorted(frame[column].dropna(), key=lambda i: (len(i), i)) if frame is not None else []  # E999 < E1000
        held = f"its {kind} ids run from {ids[0]} to {ids[-1]}" if ids else f"it holds no {kind}s"
        return None, f"There is no {kind} {record_id} in the record ({held}); the link's {kind} was not opened."
    row = rows.iloc[0]
    if bool(row["retracted"]) if pd.notna(row["retracted"]) else False:
        why = f" The notes say: {row['notes']}" if isinstance(row["notes"], str) and row["notes"] else ""
        return None, (
            f"{kind.capitalize()} {record_id} was retracted: the record keeps the row but no longer counts it, "
            f"so it has no page.{why}"
        )
    return record_id, ""


@dataclass(frozen=True)
class SourceRef:
    """One source of a record, as the record view lists it."""

    source_id: str
    title: str
    publisher: str
    published: str  # YYYY-MM-DD, or "" when the page shows no date
    kind: str
    url: str | None  # None when the URL is not http(s) (never made a link)
    wayback: str | None
    archived_copy: str  # the copy kept in seeds/, or ""
    missing: bool = False  # the id is not in sources.csv (validate reports it)


@dataclass(frozen=True)
class RoadDays:
    """One road's status the day before, on the day and the day after a record."""

    route_id: str
    concerned: bool  # the record is about this road
    before: Interval
    on: Interval
    after: Interval
    day_before: dt.date
    day: dt.date
    day_after: dt.date
    comparison: str = ""  # for a statement about this road: its claim against the status that day


@dataclass(frozen=True)
class Nearby:
    """A record within three days of this one, on the same road."""

    kind: str
    record_id: str
    date: str  # at its precision
    roads: str  # in words
    who: str  # an event's type, or a statement's speaker and organisation
    text: str  # the summary or the quote

    @property
    def link(self) -> str:
        """The relative link that opens it."""
        return record_link(self.kind, self.record_id)


@dataclass(frozen=True)
class Place:
    """Where an event happened: its names in four languages and its coordinates."""

    place_id: str
    kind: str
    names: tuple[tuple[str, str], ...]  # (language, name): English, Armenian, Azerbaijani, Russian
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Record:
    """Everything the detail view shows of one record."""

    kind: str
    record_id: str
    heading: str
    fields: tuple[tuple[str, str], ...]  # (label, value in words), in the codebook's order
    sources: tuple[SourceRef, ...]
    roads: tuple[RoadDays, ...]
    nearby: tuple[Nearby, ...]
    place: Place | None = None
    place_missing: str = ""  # a place_id that is not in places.csv
    quote_check: str = ""  # a statement's quote against its archived copy

    @property
    def link(self) -> str:
        """The relative link that opens this record."""
        return record_link(self.kind, self.record_id)


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _day(value) -> dt.date:
    return pd.Timestamp(value).date()


def _roads_words(route_ids) -> str:
    ids = _text(route_ids)
    return "; ".join(ROAD_LABELS.get(r, r) for r in ids.split(";")) if ids else "names no road"


def _sources(data: Dataset, ids: Sequence[str]) -> tuple[SourceRef, ...]:
    sources = data.tables["sources"].set_index("source_id")
    out = []
    for sid in ids:
        if sid not in sources.index:
            out.append(SourceRef(sid, "", "", "", "", None, None, "", missing=True))
            continue
        s = sources.loc[sid]
        url = safe_url(s["url"])
        published = "" if pd.isna(s["published"]) else _day(s["published"]).isoformat()
        out.append(
            SourceRef(
                sid,
                _text(s["title"]),
                _text(s["publisher"]),
                published,
                _text(s["kind"]),
                url,
                wayback_url(url, s["published"]) if url else None,
                _text(s["archived_copy"]),
            )
        )
    return tuple(out)


def _roads(
    intervals: Mapping[str, list[Interval]], first: dt.date, day: dt.date, last: dt.date, concerned: Sequence[str]
) -> list[RoadDays]:
    return [
        RoadDays(
            road,
            road in concerned,
            status_at(intervals, road, first - DAY),
            status_at(intervals, road, day),
            status_at(intervals, road, last + DAY),
            first - DAY,
            day,
            last + DAY,
        )
        for road in ROADS
    ]


def _live(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~frame["retracted"].fillna(False).astype(bool)]


def _event(data: Dataset, intervals: Mapping[str, list[Interval]], row: pd.Series) -> Record:
    precision = row["date_precision"]
    first = _day(row["date_start"])
    last = _day(row["date_end"]) if pd.notna(row["date_end"]) else first
    if precision == "month":  # counted as the whole month, as the range filter counts it
        last = _day(pd.Timestamp(first) + pd.offsets.MonthEnd(0))
    road = row["route_id"]
    place_id = _text(row["place_id"])
    places = data.tables.get("places")
    place, place_missing = None, ""
    if place_id:
        hits = places[places["place_id"].eq(place_id)] if places is not None else pd.DataFrame()
        if hits.empty:
            place_missing = place_id
        else:
            p = hits.iloc[0]
            place = Place(
                place_id,
                _text(p["kind"]),
                tuple(
                    (language, _text(p[f"name_{code}"]))
                    for language, code in (
                        ("English", "en"),
                        ("Armenian", "hy"),
                        ("Azerbaijani", "az"),
                        ("Russian", "ru"),
                    )
                ),
                None if pd.isna(p["lat"]) else float(p["lat"]),
                None if pd.isna(p["lon"]) else float(p["lon"]),
            )
    when = show_date(row["date_start"], precision)
    if pd.notna(row["date_end"]):
        when += f" to {show_date(row['date_end'], precision)}"
    status = _text(row["status_after"])
    fields = (
        ("Date", when),
        ("Date precision", PRECISION_WORDS.get(precision, _text(precision))),
        ("Road", ROAD_LABELS.get(road, _text(road))),
        ("Place", place.names[0][1] if place else (place_id or "not tied to a mapped place")),
        ("Type", type_label(_text(row["event_type"]))),
        ("Status after", STATUS_LABELS.get(status, status) if status else "sets no status (the road's status is kept)"),
        ("Summary", _text(row["summary"])),
        ("Confidence", _text(row["confidence"])),
        ("Retracted", "no"),
        ("Notes", _text(row["notes"]) or "none"),
    )
    concerned = ROADS if road == "both" else tuple(r for r in ROADS if r == road)
    statements = _live(data.tables["statements"])
    named = statements["route_ids"].fillna("").str.split(";")
    lo, hi = pd.Timestamp(first - NEARBY_DAYS * DAY), pd.Timestamp(last + NEARBY_DAYS * DAY)
    near = statements[
        named.map(lambda ids: any(r in ids for r in concerned)) & statements["date"].between(lo, hi)
    ].sort_values(["date", "statement_id"])
    nearby = tuple(
        Nearby(
            "statement",
            s.statement_id,
            show_date(s.date, s.date_precision),
            _roads_words(s.route_ids),
            f"{s.speaker} ({s.organisation})",
            _text(s.quote),
        )
        for s in near.itertuples()
    )
    return Record(
        "event",
        row["event_id"],
        f"Event {row['event_id']}: {type_label(_text(row['event_type']))}, {when}",
        fields,
        _sources(data, [s for s in _text(row["source_ids"]).split(";") if s]),
        tuple(_roads(intervals, first, first, last, concerned)),
        nearby,
        place,
        place_missing,
    )


def _statement(data: Dataset, intervals: Mapping[str, list[Interval]], row: pd.Series) -> Record:
    day = _day(row["date"])
    precision = row["date_precision"]
    concerned = tuple(r for r in _text(row["route_ids"]).split(";") if r in ROADS)
    claim = _text(row["claim"])
    fields = (
        ("Date", show_date(row["date"], precision)),
        ("Date precision", PRECISION_WORDS.get(precision, _text(precision))),
        ("How the date is known", _text(row["date_basis"])),
        ("Speaker", _text(row["speaker"])),
        ("Role", _text(row["role"]) or "not given"),
        ("Organisation", _text(row["organisation"])),
        ("Roads named", _roads_words(row["route_ids"])),
        ("Claim", claim_label(claim) if claim else "not classified"),
        ("Quote", _text(row["quote"])),
        ("Language", _text(row["language"])),
        ("Quoted via", QUOTED_VIA_WORDS.get(_text(row["quoted_via"]), _text(row["quoted_via"]))),
        ("Retracted", "no"),
        ("Notes", _text(row["notes"]) or "none"),
    )
    roads = [
        RoadDays(**{**r.__dict__, "comparison": comparison(claim, r.on.status) if r.concerned else ""})
        for r in _roads(intervals, day, day, day, concerned)
    ]
    events = _live(data.tables["events"])
    start, end = event_span(events)
    lo, hi = pd.Timestamp(day - NEARBY_DAYS * DAY), pd.Timestamp(day + NEARBY_DAYS * DAY)
    on_road = events["route_id"].isin([*concerned, "both"]) if concerned else events["route_id"].isin([])
    near = events[on_road & (end >= lo) & (start <= hi)].sort_values(["date_start", "event_id"])
    nearby = tuple(
        Nearby(
            "event",
            e.event_id,
            show_date(e.date_start, e.date_precision),
            ROAD_LABELS.get(e.route_id, e.route_id),
            type_label(_text(e.event_type)),
            _text(e.summary),
        )
        for e in near.itertuples()
    )
    sid = _text(row["source_id"])
    sources = _sources(data, [sid] if sid else [])
    archived = bool(sources and sources[0].archived_copy)
    return Record(
        "statement",
        row["statement_id"],
        f"Statement {row['statement_id']}: {_text(row['speaker'])}, {show_date(row['date'], precision)}",
        fields,
        sources,
        tuple(roads),
        nearby,
        quote_check=quote_check(archived, data.quote_checks.verdicts.get(row["statement_id"])),
    )


def build(data: Dataset, intervals: Mapping[str, list[Interval]], kind: str, record_id: str) -> Record:
    """The record ``record_id`` of ``kind`` (an id :func:`lookup` gave) with its sources and context."""
    table, column, _ = KINDS[kind]
    frame = data.tables[table]
    row = frame[frame[column].eq(record_id)].iloc[0]
    return (_event if kind == "event" else _statement)(data, intervals, row)
