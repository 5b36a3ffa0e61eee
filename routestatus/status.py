"""The status engine: per-road status intervals built from the events.

Rules (also in docs/dashboard.md):
- Only events that are not retracted and carry a ``status_after`` set a status. An event
  on ``both`` sets it on each road.
- A status starts on its event's ``date_start`` and holds until the day before the next
  status event on that road. Two status events on one road on the same day: the one with
  the higher ``event_id`` (recorded later) wins.
- Before a road's first status event, and after the last day of the record (the latest
  date of any event), the status is ``unknown``: nothing is carried on past the evidence.
- An interval keeps the precision of the event that started it, so a status known to begin
  only "in June 2023" is never shown as starting on 1 June.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ROADS = ("lachin", "aghdam_askeran")
UNKNOWN = "unknown"

# The derived measure "no civilian passage" (codebook: data/README.md): the statuses in which
# no civilian could travel the road either way. Outbound only is left out on purpose: people
# could leave, so it is counted apart, as "outbound only (no way in)".
NO_CIVILIAN_PASSAGE = ("closed", "humanitarian_only")
ONE_WAY = "outbound_only"


@dataclass(frozen=True)
class Interval:
    """One road's status from ``start`` to ``end`` (both inclusive) and its evidence."""

    route_id: str
    status: str
    start: dt.date
    end: dt.date
    precision: str = "day"
    evidence: tuple[str, ...] = field(default_factory=tuple)

    def days(self, lo: dt.date, hi: dt.date) -> int:
        """Days of this interval inside [lo, hi], both inclusive."""
        first, last = max(self.start, lo), min(self.end, hi)
        return max((last - first).days + 1, 0)


def _day(value) -> dt.date:
    return pd.Timestamp(value).date()


def record_span(events: pd.DataFrame) -> tuple[dt.date, dt.date]:
    """First and last day of the record: earliest start and latest start or end of any event."""
    # Two columns taken, not the live rows of every column (a copy of the whole table:
    # 25 ms of a first start at 100,000 events).
    live = ~events["retracted"].fillna(False).astype(bool)
    dates = pd.concat([events["date_start"][live], events["date_end"][live]]).dropna()
    return _day(dates.min()), _day(dates.max())


def build_intervals(events: pd.DataFrame) -> dict[str, list[Interval]]:
    """Per road, the contiguous status intervals covering the whole record span.

    ``events`` has the columns of ``events.csv`` as loaded by :mod:`routestatus.load`.
    """
    first, last = record_span(events)
    # A row whose start date did not parse is reported by validate; it cannot set a status.
    sets = events["status_after"].notna() & events["date_start"].notna()
    # Only the columns read below are taken: the rows of every column cost a first start a copy of the table.
    columns = ["date_start", "event_id", "route_id", "status_after", "date_precision"]
    setting = events.loc[sets & ~events["retracted"].fillna(False).astype(bool), columns]
    setting = setting.sort_values(["date_start", "event_id"])
    out: dict[str, list[Interval]] = {}
    for road in ROADS:
        rows = setting[setting["route_id"].isin([road, "both"])]
        changes: list[tuple[dt.date, str, str, str]] = []
        for r in rows.itertuples():
            day = _day(r.date_start)
            if changes and changes[-1][0] == day:
                changes.pop()  # same day: the later record wins
            changes.append((day, r.status_after, r.date_precision, r.event_id))
        intervals: list[Interval] = []
        cursor = first
        for i, (day, status, precision, event_id) in enumerate(changes):
            if day > cursor:
                intervals.append(Interval(road, UNKNOWN, cursor, day - dt.timedelta(days=1)))
            end = changes[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(changes) else last
            intervals.append(Interval(road, status, day, end, precision, (event_id,)))
            cursor = end + dt.timedelta(days=1)
        if cursor <= last:
            intervals.append(Interval(road, UNKNOWN, cursor, last))
        out[road] = intervals
    return out


def status_at(intervals: dict[str, list[Interval]], route_id: str, day: dt.date) -> Interval:
    """The interval holding ``day`` on ``route_id``; an ``unknown`` day-interval outside the record."""
    # A road's intervals are in date order and do not overlap, so a binary search finds the
    # one that starts last on or before the day (a page asks for thousands of days at once).
    road = intervals.get(route_id, [])
    i = bisect.bisect_right(road, day, key=lambda iv: iv.start) - 1
    if i >= 0 and road[i].start <= day <= road[i].end:
        return road[i]
    return Interval(route_id, UNKNOWN, day, day)


def clip(intervals: list[Interval], lo: dt.date, hi: dt.date) -> list[Interval]:
    """The intervals that overlap [lo, hi], cut to it.

    ``intervals`` are one road's, in date order and not overlapping (as :func:`build_intervals`
    makes them): those that overlap the range are one run, found by binary search, where a
    loop over every interval of the record cost each rerun up to 0.3 ms at 100,000 events.
    """
    first = bisect.bisect_left(intervals, lo, key=lambda iv: iv.end)
    last = bisect.bisect_right(intervals, hi, key=lambda iv: iv.start)
    out = []
    for iv in intervals[first:last]:
        if iv.start >= lo and iv.end <= hi:
            out.append(iv)  # inside the range: the interval itself (it is frozen), not a copy
        elif iv.end >= lo and iv.start <= hi:
            out.append(Interval(iv.route_id, iv.status, max(iv.start, lo), min(iv.end, hi), iv.precision, iv.evidence))
    return out


class DayTotals:
    """Each road's running totals of days in each status over its intervals, made once per set of intervals.

    The days of any range are then the difference of two totals, less the parts of the two
    intervals at its ends that lie outside it: a handful of steps, where adding up every
    interval of the record cost each rerun of the Map and the Timeline 1 ms at 100,000 events.
    Each road's intervals are in date order and do not overlap, as :func:`build_intervals` makes them.
    """

    def __init__(self, intervals: dict[str, list[Interval]], statuses: tuple[str, ...]) -> None:
        self.statuses = tuple(statuses)
        column = {s: i for i, s in enumerate(self.statuses)}
        self._roads = {}
        for road, ivs in intervals.items():
            # A status not among ``statuses`` is counted in one more column: covered, but not shown.
            columns = [column.get(iv.status, len(self.statuses)) for iv in ivs]
            days = np.zeros((len(ivs) + 1, len(self.statuses) + 1), np.int64)
            days[np.arange(1, len(ivs) + 1), columns] = [(iv.end - iv.start).days + 1 for iv in ivs]
            self._roads[road] = ([iv.start for iv in ivs], [iv.end for iv in ivs], columns, np.cumsum(days, axis=0))

    def counts(self, road: str, lo: dt.date, hi: dt.date) -> np.ndarray:
        """Days of ``road`` in each status of ``statuses`` within [lo, hi], then the days in any other status."""
        if road not in self._roads:
            return np.zeros(len(self.statuses) + 1, np.int64)
        starts, ends, columns, totals = self._roads[road]
        first, last = bisect.bisect_left(ends, lo), bisect.bisect_right(starts, hi)
        if first >= last:
            return np.zeros(len(self.statuses) + 1, np.int64)
        out = totals[last] - totals[first]
        if starts[first] < lo:
            out[columns[first]] -= (lo - starts[first]).days
        if ends[last - 1] > hi:
            out[columns[last - 1]] -= (ends[last - 1] - hi).days
        return out


def days_in_status(
    intervals: dict[str, list[Interval]],
    lo: dt.date,
    hi: dt.date,
    statuses: tuple[str, ...],
    roads: tuple[str, ...] = ROADS,
    totals: DayTotals | None = None,
) -> pd.DataFrame:
    """Days each road spent in each status within [lo, hi] (inclusive).

    Result: one row per road of ``roads``, one column per status (in ``statuses`` order),
    integers. Days outside the record count as ``unknown``. ``totals``, the
    :class:`DayTotals` of ``intervals`` and ``statuses``, counts them in a few steps.
    """
    rows = []
    for road in roads:
        if totals is not None and totals.statuses == tuple(statuses):
            found = totals.counts(road, lo, hi)
            counts = dict(zip(statuses, found[:-1].tolist(), strict=True))
            covered = int(found.sum())
        else:
            counts = dict.fromkeys(statuses, 0)
            for iv in intervals.get(road, []):
                counts[iv.status] = counts.get(iv.status, 0) + iv.days(lo, hi)
            covered = sum(counts.values())
        counts[UNKNOWN] += (hi - lo).days + 1 - covered
        rows.append([counts[s] for s in statuses])
    # One block from plain lists: a frame from a dict of dicts, then its columns picked, cost
    # about 1 ms more on every rerun of the Map and the Timeline.
    return pd.DataFrame(
        np.asarray(rows, np.int64).reshape(len(rows), len(statuses)), index=labels(roads), columns=labels(statuses)
    )


@functools.lru_cache(maxsize=64)
def labels(names: tuple[str, ...]) -> pd.Index:
    """``pd.Index(names)``, made once per tuple of names and shared (an Index is never changed in place).

    Each frame of a few numbers the pages make per rerun spent most of its 80 microseconds
    making its index and columns from lists.
    """
    return pd.Index(list(names))


def passage_days(days: pd.DataFrame) -> pd.DataFrame:
    """The derived measure "no civilian passage" from a :func:`days_in_status` table.

    Result: one row per road of ``days``; columns ``no_civilian_passage`` (the sum of the
    :data:`NO_CIVILIAN_PASSAGE` statuses), then each of those statuses, ``outbound_only``
    and ``unknown``, so every figure of the sentence that words it is in one row.
    """
    parts = [*NO_CIVILIAN_PASSAGE, ONE_WAY, UNKNOWN]
    # Columns read from one block by position: a Series per column cost more than the sums.
    block, at = days.to_numpy(np.int64), {c: i for i, c in enumerate(days.columns)}
    zero = np.zeros(len(days), np.int64)
    values = np.column_stack([block[:, at[c]] if c in at else zero for c in parts])
    blocked = values[:, : len(NO_CIVILIAN_PASSAGE)].sum(axis=1)
    return pd.DataFrame(
        np.column_stack([blocked, values]), index=days.index, columns=labels(("no_civilian_passage", *parts))
    )
