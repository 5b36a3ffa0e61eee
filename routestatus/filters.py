"""Row predicates of the view: which events and statements a choice keeps.

They take any object with the :class:`routestatus.view.Choice` attributes they use (``start``,
``end``, ``shown_roads``, ``event_types``; an empty ``event_types`` keeps every type).

How dates of lower precision are treated (also shown under the filter):
- an event with ``date_precision`` = ``month`` spans its whole month, so it is in the
  range if any day of that month is;
- an ``approximate`` date counts as the day stored, and is marked "≈" wherever shown;
- an event with a ``date_end`` is in the range if any day of it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

PRECISION_RULE = (
    "Events dated only to the month count as lasting the whole month; approximate dates "
    "(≈) count as the day given; an event with an end date is in the range if any day of it is."
)


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


def event_span(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """First and last day each event covers, with month-precision events spanning the month."""
    start = events["date_start"]
    end = events["date_end"].fillna(start)
    month = events["date_precision"].eq("month")
    end = end.where(~month, start + pd.offsets.MonthEnd(0))
    return start, end


def filter_events(events: pd.DataFrame, f) -> pd.DataFrame:
    """Events overlapping the range, on a chosen road (``both`` and ``none`` always match), of a chosen type.

    Retracted events are left out. Row order: date, then id.
    """
    start, end = event_span(events)
    lo, hi = pd.Timestamp(f.start), pd.Timestamp(f.end)
    roads = f.shown_roads
    on_road = events["route_id"].isin([*roads, "none", "both"])
    keep = (end >= lo) & (start <= hi) & on_road & ~events["retracted"].fillna(False).astype(bool)
    if f.event_types:
        keep &= events["event_type"].isin(f.event_types)
    return in_order(events[keep], "date_start", "event_id")


def filter_statements(statements: pd.DataFrame, f) -> pd.DataFrame:
    """Statements dated in the range that name a chosen road, or name no road (context).

    Month-precision dates count as the whole month. Retracted rows are left out.
    """
    start = statements["date"]
    month = statements["date_precision"].eq("month")
    end = start.where(~month, start + pd.offsets.MonthEnd(0))
    lo, hi = pd.Timestamp(f.start), pd.Timestamp(f.end)
    routes = statements["route_ids"]
    # One of the chosen roads as a whole item of the ;-list, matched column-wise.
    chosen = "|".join(re.escape(r) for r in f.shown_roads)
    names_road = routes.isna() | routes.str.contains(f"(?:^|;)(?:{chosen})(?:;|$)", regex=True, na=False)
    keep = (end >= lo) & (start <= hi) & names_road & ~statements["retracted"].fillna(False).astype(bool)
    return in_order(statements[keep], "date", "statement_id")


def filter_people(statements: pd.DataFrame, organisations: Sequence[str], speakers: Sequence[str]) -> pd.DataFrame:
    """Statements by any of ``organisations`` and any of ``speakers``; an empty choice keeps all."""
    if not organisations and not speakers:
        return statements  # the same rows (frames here are never changed in place)
    keep = pd.Series(True, index=statements.index)
    if organisations:
        keep &= statements["organisation"].isin(organisations)
    if speakers:
        keep &= statements["speaker"].isin(speakers)
    return statements[keep]
