"""The filters every page shares: a date range, roads and event types, and their URL form.

How dates of lower precision are treated (also shown under the filter):
- an event with ``date_precision`` = ``month`` spans its whole month, so it is in the
  range if any day of that month is;
- an ``approximate`` date counts as the day stored, and is marked "≈" wherever shown;
- an event with a ``date_end`` is in the range if any day of it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from routestatus.status import ROADS

PRECISION_RULE = (
    "Events dated only to the month count as lasting the whole month; approximate dates "
    "(≈) count as the day given; an event with an end date is in the range if any day of it is."
)
MAX_PARAM_LENGTH = 200


@dataclass(frozen=True)
class Filters:
    """The shared view: inclusive date range, roads shown, event types shown."""

    start: dt.date
    end: dt.date
    roads: tuple[str, ...]
    event_types: tuple[str, ...]

    def to_query(self, bounds: tuple[dt.date, dt.date], all_types: Sequence[str]) -> dict[str, str]:
        """URL query parameters for this view, leaving out what equals the default."""
        q = {}
        if self.start != bounds[0]:
            q["from"] = self.start.isoformat()
        if self.end != bounds[1]:
            q["to"] = self.end.isoformat()
        if set(self.roads) != set(ROADS):
            q["roads"] = ",".join(self.roads)
        if set(self.event_types) != set(all_types):
            q["types"] = ",".join(self.event_types)
        return q


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _items(text: str, allowed: Sequence[str], name: str, notices: list[str]) -> tuple[str, ...] | None:
    items = [t for t in text.split(",") if t]
    bad = [t for t in items if t not in allowed]
    if bad or not items:
        shown = ", ".join(repr(b[:30]) for b in bad[:3]) or "(none)"
        notices.append(f"Ignored '{name}': {shown} not among {', '.join(allowed)}; showing all.")
        return None
    return tuple(t for t in allowed if t in items)


def parse_query(
    params: Mapping[str, str | list[str]],
    bounds: tuple[dt.date, dt.date],
    all_types: Sequence[str],
) -> tuple[Filters, list[str]]:
    """Filters from URL parameters, falling back to the defaults with a notice for bad values.

    Never raises: unknown keys are ignored, repeated keys use the last value, over-long
    values and malformed, reversed or out-of-range dates are refused with a notice.
    """
    notices: list[str] = []
    values: dict[str, str] = {}
    for key in ("from", "to", "roads", "types"):
        raw = params.get(key)
        if raw is None:
            continue
        value = raw[-1] if isinstance(raw, list) else str(raw)
        if len(value) > MAX_PARAM_LENGTH:
            notices.append(f"Ignored '{key}': value longer than {MAX_PARAM_LENGTH} characters.")
            continue
        values[key] = value
    start, end = bounds
    for key in ("from", "to"):
        if key not in values:
            continue
        day = _date(values[key])
        if day is None:
            notices.append(f"Ignored '{key}={values[key][:30]}': expected a date YYYY-MM-DD.")
        elif not bounds[0] <= day <= bounds[1]:
            notices.append(f"Ignored '{key}={day}': the data runs from {bounds[0]} to {bounds[1]}.")
        elif key == "from":
            start = day
        else:
            end = day
    if start > end:
        notices.append(f"Ignored the range {start} to {end}: it ends before it starts.")
        start, end = bounds
    roads = _items(values["roads"], ROADS, "roads", notices) if "roads" in values else None
    types = _items(values["types"], all_types, "types", notices) if "types" in values else None
    return Filters(start, end, roads or ROADS, types or tuple(all_types)), notices


def in_order(frame: pd.DataFrame, date: str, key: str) -> pd.DataFrame:
    """``frame`` sorted by ``date`` then ``key``; returned as it is when already so.

    The loader keeps events and statements in this order, and a boolean filter keeps it,
    so the check (cheap) almost always saves the sort (costly on long text columns).
    """
    if len(frame) > 1:
        d = frame[date].to_numpy()
        k = frame[key].astype("string")
        later = (k.iloc[1:].to_numpy() > k.iloc[:-1].to_numpy()).astype(bool)
        if not ((d[1:] > d[:-1]) | ((d[1:] == d[:-1]) & later)).all():
            return frame.sort_values([date, key])
    return frame


def fit_range(
    chosen: Sequence[dt.date], bounds: tuple[dt.date, dt.date], previous: tuple[dt.date, dt.date] | None = None
) -> tuple[tuple[dt.date, ...], str | None]:
    """A session's date range moved inside ``bounds``, with a notice if it had to move.

    The record's span changes when the data is edited while the app runs; a range that no
    longer fits would otherwise be refused by the date widget. A range that was the whole
    record (``previous`` bounds) follows the record, without a notice.
    """
    if previous is not None and tuple(chosen) == tuple(previous):
        return tuple(bounds), None
    inside = tuple(min(max(day, bounds[0]), bounds[1]) for day in chosen)
    if len(inside) == 2 and inside[0] > inside[1]:
        inside = bounds
    if inside == tuple(chosen):
        return inside, None
    return inside, f"The data now runs from {bounds[0]} to {bounds[1]}; the date range was adjusted to fit."


def event_span(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """First and last day each event covers, with month-precision events spanning the month."""
    start = events["date_start"]
    end = events["date_end"].fillna(start)
    month = events["date_precision"].eq("month")
    end = end.where(~month, start + pd.offsets.MonthEnd(0))
    return start, end


def filter_events(events: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Events overlapping the range, on a chosen road (``both`` and ``none`` always match), of a chosen type.

    Retracted events are left out. Row order: date, then id.
    """
    start, end = event_span(events)
    lo, hi = pd.Timestamp(f.start), pd.Timestamp(f.end)
    on_road = events["route_id"].isin([*f.roads, "none"]) | (events["route_id"].eq("both") & bool(f.roads))
    keep = (
        (end >= lo)
        & (start <= hi)
        & on_road
        & events["event_type"].isin(f.event_types)
        & ~events["retracted"].fillna(False).astype(bool)
    )
    return in_order(events[keep], "date_start", "event_id")


def filter_statements(statements: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Statements dated in the range that name a chosen road, or name no road (context).

    Month-precision dates count as the whole month. Retracted rows are left out.
    """
    start = statements["date"]
    month = statements["date_precision"].eq("month")
    end = start.where(~month, start + pd.offsets.MonthEnd(0))
    lo, hi = pd.Timestamp(f.start), pd.Timestamp(f.end)
    routes = statements["route_ids"]
    # One of the chosen roads as a whole item of the ;-list, matched column-wise.
    chosen = "|".join(re.escape(r) for r in f.roads) or "(?!)"
    names_road = routes.isna() | routes.str.contains(f"(?:^|;)(?:{chosen})(?:;|$)", regex=True, na=False)
    keep = (end >= lo) & (start <= hi) & names_road & ~statements["retracted"].fillna(False).astype(bool)
    return in_order(statements[keep], "date", "statement_id")


def filter_people(statements: pd.DataFrame, organisations: Sequence[str], speakers: Sequence[str]) -> pd.DataFrame:
    """Statements by any of ``organisations`` and any of ``speakers``; an empty choice keeps all."""
    keep = pd.Series(True, index=statements.index)
    if organisations:
        keep &= statements["organisation"].isin(organisations)
    if speakers:
        keep &= statements["speaker"].isin(speakers)
    return statements[keep]
