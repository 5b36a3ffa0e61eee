"""Plotly figures built from plain data; no Streamlit here."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Mapping
from functools import partial

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from routestatus.accessmap import event_lines
from routestatus.isodate import as_days
from routestatus.labels import (
    CLAIM_SYMBOLS,
    EVENT_SYMBOLS,
    MIXED_EVENTS_LABEL,
    MIXED_EVENTS_SYMBOL,
    ROAD_LABELS,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_PATTERNS,
    claim_label,
    show_dates,
    type_label,
)
from routestatus.maplayers import MapLayers
from routestatus.plotspec import figure, kept_layout, trace
from routestatus.selection import event_codes, named_flags
from routestatus.status import ROADS, Interval
from routestatus.textsafe import plot_text
from routestatus.worded import Later, queue

MAP_CENTER = {"lat": 39.72, "lon": 46.62}
MAP_ZOOM = 8.2
OFFLINE_STYLE = "white-bg"


HOVER_EVENTS = 5  # events listed in a place's hover text; the rest are counted


def _hover_lines(events: pd.DataFrame, rows: list[int]) -> list[str]:
    """One line per event at positions ``rows``: id, date at its precision, summary as plain text."""
    return event_lines(events, rows, plot_text)


class _HoverLines:
    """Per dataset, the :func:`_hover_lines` line of each event, worded the first time it is marked alone.

    A line depends on its event's row alone, so every view and session may share the lines
    and add to them; a rerun then words only the events no view has marked alone before
    (1 to 1.5 ms a Timeline rerun at any size, most of it pandas' cost per call). At most
    :data:`KEPT_LINES` are kept; beyond that they are worded again.
    """

    KEPT_LINES = 65_536

    def __init__(self, texts: pd.DataFrame) -> None:
        self._texts, self._lines = texts, {}

    def of(self, positions: list[int]) -> list[str]:
        """The lines of the events at ``positions`` of the events table, in that order."""
        lines = self._lines  # the dict of this call: a reset below starts another
        missing = [p for p in positions if p not in lines]
        if missing:
            if len(lines) + len(missing) > self.KEPT_LINES:
                lines = self._lines = {}
                missing = list(dict.fromkeys(positions))  # the lines kept before went with the old dict
            lines.update(zip(missing, _hover_lines(self._texts, missing), strict=True))
        return [lines[p] for p in positions]


def _line(lon, lat, width: int, colour: str, name: str, meta: dict, hover: str | None = None) -> go.Scattermap:
    """A line on the map; without ``hover`` it stays out of the legend and the hover (the base map)."""
    return go.Scattermap(
        lon=lon,
        lat=lat,
        mode="lines",
        line={"width": width, "color": colour},
        name=name,
        hovertext=hover,
        hoverinfo="text" if hover else "skip",
        showlegend=hover is not None,
        meta=meta,
    )


RECORD_ROWS = 1024  # from this many events in range, the marks between its ends are the record's (_RecordMarks)
DAY_MARKS_MAX = 400  # beyond this many marked days, events are marked by week instead
SHORT_RANGE_DAYS = 31  # up to this many days, the date axis names each day under its middle
MIDDAY = dt.timedelta(hours=12)


def range_axis(intervals: list[Interval]) -> dict:
    """A date x axis fixed to the days ``intervals`` cover: the range, as ``View.clipped`` cuts them.

    Left to plotly's autorange, the axis stretched to any mark outside the range (an event
    that began weeks earlier, a statement dated only to its month), so a one-day link showed
    five weeks. Up to :data:`SHORT_RANGE_DAYS` days, each day is named under its middle, so
    a one-day range reads as that day, not as the two midnights around it. ``{"type":
    "date"}`` alone when there are no intervals.
    """
    if not intervals:
        return {"type": "date"}
    lo, hi = min(iv.start for iv in intervals), max(iv.end for iv in intervals)
    # Python's datetimes, which the figure's JSON writes as it writes pandas' Timestamps (both
    # isoformat); pandas' arithmetic on Timestamps cost each figure about 0.2 ms.
    first = dt.datetime.combine(lo, dt.time())
    after = dt.datetime.combine(hi, dt.time()) + dt.timedelta(days=1)
    pad = (after - first) * 0.01  # a margin, so a mark on the first or last day is drawn whole (whole seconds)
    axis = {"type": "date", "autorange": False, "range": [first - pad, after + pad]}
    days = (hi - lo).days + 1
    if days <= SHORT_RANGE_DAYS:
        ticks = [first + dt.timedelta(days=i) + MIDDAY for i in range(0, days, -(-days // 10))]  # at most 10 labels
        axis |= {"tickvals": ticks, "ticktext": [t.date().isoformat() for t in ticks]}
    return axis


MARK_COLUMNS = ("lane", "x", "n", "type", "symbol", "hover")


def event_marks(
    events: pd.DataFrame, since: dt.date | None = None, texts: pd.DataFrame | None = None, selection=None
) -> tuple[pd.DataFrame, str]:
    """:func:`mark_columns` as a frame: one row per mark."""
    marks, unit = mark_columns(events, since, texts, selection)
    return (pd.DataFrame(marks) if marks is not None else pd.DataFrame(columns=list(MARK_COLUMNS))), unit


def mark_columns(
    events: pd.DataFrame,
    since: dt.date | None = None,
    texts: pd.DataFrame | None = None,
    selection=None,
    record: tuple | None = None,
) -> tuple[dict[str, np.ndarray | list] | None, str]:
    """Event markers for the timeline: one per lane and day (or week, when there are many days).

    Returns the marks' columns (lane id, x date, count, event type or ``""`` for several,
    marker symbol, hover text; None when there are none) and the unit used ("day" or
    "week"), so the figure's size depends on
    the range, not on the number of events. A mark of one type has that type's symbol
    (:data:`routestatus.labels.EVENT_SYMBOLS`); one of several types has
    :data:`routestatus.labels.MIXED_EVENTS_SYMBOL`, and its hover names each event's type.
    ``events`` are in ``filter_events``' order (date, then id), so within a lane the events
    of one day or week are consecutive rows: each mark is a run, found without grouping.
    With ``since`` (the range's first day), an event that began earlier (it lasts into the
    range, or is dated only to its month) is marked on that day, and its hover says so.
    ``events`` needs only ``event_id``, ``date_start``, ``route_id`` and ``event_type`` when
    ``texts`` is the table its rows are labelled in by position: a lone event's line is read there.
    With ``texts``, ``selection`` (the dataset's :class:`routestatus.selection.Selection`) gives
    the roads and types as codes, and the start days, made once per dataset: ``events``
    then needs no column at all, only its rows' labels.
    ``record``, with those, says the rows are every event in range of these roads and
    event types (``View.event_filter``) and nothing else: the marks of the days or weeks
    between the range's first and last are then those of the whole record, made once
    (:class:`_RecordMarks`), and only the first and last are made from the rows.
    """
    by_position = selection if texts is not None else None  # rows labelled by position only with texts
    # A short range's own rows are marked sooner than the record's marks are read (0.2 against 0.4 ms).
    if record is not None and by_position is not None and since is not None and len(events) > RECORD_ROWS:
        kept = by_position.kept("record marks", texts, partial(_RecordMarks, texts, by_position))
        made = kept.marks(events, since, record)
        if made is not None:
            return made
    if by_position is not None:
        # The events table's start days as an array made once per dataset, taken at the rows'
        # labels: the rows need no column, and a take of columns of 40,000 rows cost 2 to 4 ms.
        starts = _start_days(texts, by_position)[events.index.to_numpy()]
    else:
        starts = events["date_start"].to_numpy("datetime64[us]")
    known = starts[~np.isnat(starts)]
    # The rows come in date order, so the distinct days are the changes of day plus one: no hash
    # of every row (np.unique), which cost 2 ms at 100,000 events.
    if len(known) > 1 and (known[1:] >= known[:-1]).all():
        distinct = int(np.count_nonzero(known[1:] != known[:-1])) + 1
    else:  # too few rows to matter, or not in date order (a table that failed its checks)
        distinct = len(np.unique(known))
    unit = "day" if distinct <= DAY_MARKS_MAX else "week"
    return _marks(events, starts, unit, since, texts, by_position), unit


def _start_days(texts: pd.DataFrame, selection) -> np.ndarray:
    """The events table's start days (datetime64[us]), made once per dataset."""
    return selection.kept("start_days", texts, lambda: texts["date_start"].to_numpy("datetime64[us]"))


def _marks(
    events: pd.DataFrame, starts: np.ndarray, unit: str, since: dt.date | None, texts: pd.DataFrame | None, by_position
) -> dict[str, np.ndarray | list] | None:
    """:func:`mark_columns`' marks of ``events`` (their start days ``starts``) by ``unit``."""
    # Roads and types as codes, each column factorized once: turning whole columns into
    # Python strings, or comparing them once per lane, cost more than the marks themselves.
    route_codes, route_names = event_codes(events, "route_id", by_position)
    type_codes, type_names = event_codes(events, "event_type", by_position)
    code_of = {name: i for i, name in enumerate(route_names)}
    both = route_codes == code_of.get("both", -2)
    names = [*type_names, None]  # code -1 (no type) reads as None
    # Each type's words once, not once per event named in a hover.
    lowered = [type_label(n).lower() if n is not None else "" for n in names]
    days = starts
    if unit == "week" and by_position is not None:  # each event's Monday, made once per dataset
        mondays = by_position.kept("start_weeks", texts, lambda: _monday(_start_days(texts, by_position)))
        days = mondays[events.index.to_numpy()]
    elif unit == "week":
        days = _monday(days)
    early = np.zeros(len(days), dtype=bool)
    if since is not None:
        # Moving the early ones up to the first day keeps the rows in date order, so runs stay runs.
        first = np.datetime64(pd.Timestamp(since), "us")
        early = starts < first
        days = np.maximum(days, first)
    lanes, rows, bounds = [], [], []  # per lane: its name, its rows, where each of its runs starts
    for lane in (*ROADS, "none"):
        on_lane = route_codes == code_of.get(lane, -2)
        mine = np.flatnonzero(on_lane | both) if lane in ROADS else np.flatnonzero(on_lane)
        if len(mine):
            lanes.append(lane)
            rows.append(mine)
            on = days[mine]
            bounds.append(np.flatnonzero(np.r_[True, on[1:] != on[:-1]]))
    if not lanes:
        return None
    # Every run of every lane laid end to end: the marks' columns come from whole-array
    # operations, and only each mark's hover text is made one at a time.
    order = np.concatenate(rows)
    offsets = np.cumsum([0] + [len(r) for r in rows[:-1]])
    heads = np.concatenate([b + o for b, o in zip(bounds, offsets, strict=True)])
    counts = np.diff(np.r_[heads, len(order)])
    mark_lane = np.repeat(np.array(lanes, dtype=object), [len(b) for b in bounds])
    codes = type_codes[order]
    # A run is of one type when no row of it differs from its first row's type.
    mixed = np.add.reduceat((codes != np.repeat(codes[heads], counts)).astype(np.int64), heads) > 0
    kinds = ["" if m else names[c] for c, m in zip(codes[heads].tolist(), mixed.tolist(), strict=True)]
    late = np.add.reduceat(early[order].astype(np.int64), heads) > 0
    when = days[order[heads]]
    labels = np.datetime_as_string(when, unit="D").tolist()
    # A lone event gets its own line; those are worded in one pass, and the ids a mark of
    # several names are read in one take.
    lone = order[heads[counts == 1]].tolist()
    if texts is None:
        worded = _hover_lines(events, lone)
    elif by_position is None:
        worded = _hover_lines(texts, events.index.to_numpy()[lone])
    else:
        kept = by_position.kept("hover_lines", texts, partial(_HoverLines, texts))
        worded = kept.of(events.index.to_numpy()[lone].tolist())
    lines = iter(worded)
    # The first HOVER_EVENTS rows of each mark of several, laid end to end: each mark's head,
    # repeated, plus 0, 1, ... within it.
    several = counts > 1
    written = np.minimum(counts[several], HOVER_EVENTS)
    within = np.arange(int(written.sum())) - np.repeat(np.cumsum(written) - written, written)
    named = order[np.repeat(heads[several], written) + within]
    # Each named event as "id (type)"; a mark then joins its run of them. With the dataset's
    # codes, every event's words are made once per dataset and taken (reading the ids and
    # wording them was a third of the marks' time at 100,000 events).
    if by_position is not None:
        every = by_position.kept("mark_words", texts, lambda: _named_words(texts, by_position))
        named_words = every[events.index.to_numpy()[named]].tolist()
    else:
        ids = events["event_id"].iloc[named].tolist()
        named_words = [f"{i} ({lowered[c]})" for i, c in zip(ids, type_codes[named].tolist(), strict=True)]
    at = 0
    hover = []
    for n, kind, label, was_early in zip(counts.tolist(), kinds, labels, late.tolist(), strict=True):
        if n == 1:
            text = f"{type_label(kind)} · {next(lines)}"
        else:
            label = label if unit == "day" else f"week of {label}"
            k = min(n, HOVER_EVENTS)
            shown = ", ".join(named_words[at : at + k])
            at += k
            text = f"{label}: {n} events ({shown}{', …' if n > HOVER_EVENTS else ''})"
        if was_early:
            text += "<br>(began before the range; marked on its first day)"
        hover.append(text)
    marks = {
        "lane": mark_lane,
        "x": when,
        "n": counts,
        "type": kinds,
        "symbol": [EVENT_SYMBOLS.get(k, MIXED_EVENTS_SYMBOL) for k in kinds],
        "hover": hover,
    }
    return marks


class _RecordMarks:
    """Per dataset, the marks of every event of a choice of roads and event types over the whole record.

    A day or week strictly between a range's first and last holds the same events whatever
    the range (an event that starts in a range is in it), so its mark is the record's, made
    once per choice and unit; a rerun makes only the first and last from its rows. Marking
    every event in range of a long one cost 3 to 5 ms a Timeline rerun at 100,000 events,
    most of it steps over every row. Used only where that holds of the dataset: rows in date
    order, none that ends before it starts. At most :data:`KEPT` choices are kept; sessions
    share them, and what is kept is never changed.
    """

    KEPT = 4

    def __init__(self, texts: pd.DataFrame, selection) -> None:
        self._texts, self._selection = texts, selection
        rows = selection.events
        self._usable = rows.sorted and bool(np.all(rows.last[rows.live] >= rows.first[rows.live]))
        self._kept: dict[tuple, Later] = {}
        self._lock = threading.Lock()  # sessions' threads add and drop choices

    def marks(self, events: pd.DataFrame, since: dt.date, record: tuple) -> tuple[dict, str] | None:
        """:func:`mark_columns` of ``events`` (labelled by position, in order), or None where it cannot tell."""
        if not self._usable:
            return None
        chosen = self._chosen(record)
        if chosen is None:  # being made once this script run is over: these rows are marked as they are
            return None
        rows, positions = self._selection.events, events.index.to_numpy()
        first = (since - EPOCH_DAY).days
        last = int(rows.first[positions[-1]])  # the latest start: the rows are in date order
        # The distinct start days in range: those of the rows that began before it, and the
        # record's from its first day to the last start.
        early = int(np.searchsorted(positions, rows.starting_before(first)))
        days = chosen["days"]
        later = int(np.searchsorted(days, last, "right") - np.searchsorted(days, first))
        unit = "day" if len(np.unique(rows.first[positions[:early]])) + later <= DAY_MARKS_MAX else "week"
        # Where the first day or week ends and the last begins, as days since 1970.
        if unit == "day":
            head_end, tail_start = first + 1, last
        else:
            head_end, tail_start = _monday_of(first) + 7, _monday_of(last)
        if tail_start < head_end:  # the first is the last: no marks between them
            return None
        head = int(np.searchsorted(positions, rows.starting_before(head_end)))
        tail = int(np.searchsorted(positions, rows.starting_before(tail_start)))
        at = np.r_[0:head, tail : len(positions)]
        edges = _marks(
            events.iloc[at],
            _start_days(self._texts, self._selection)[positions[at]],
            unit,
            since,
            self._texts,
            self._selection,
        )
        if edges is None:  # rows on no lane (a table that failed its checks): marked as they are
            return None
        between = chosen["units"][unit]
        # Per lane, in mark_columns' order: its first day or week, the record's between, its last;
        # as positions in the edges' marks followed by the record's.
        edge_days, edge_lanes = _day_numbers(edges["x"]), edges["lane"]
        take = []
        for lane in (*ROADS, "none"):
            mine = np.flatnonzero(edge_lanes == lane)
            lo, hi = between["lanes"].get(lane, (0, 0))
            inside = between["days"][lo:hi]
            start = lo + int(np.searchsorted(inside, head_end))
            stop = lo + int(np.searchsorted(inside, tail_start))
            take += mine[edge_days[mine] < head_end].tolist()
            take += range(len(edge_lanes) + start, len(edge_lanes) + stop)
            take += mine[edge_days[mine] >= tail_start].tolist()
        take = np.asarray(take, np.int64)
        both = {k: np.concatenate([np.asarray(edges[k]), np.asarray(between[k])])[take] for k in ("lane", "x", "n")}
        texts = {
            k: np.concatenate([_object(edges[k]), _object(between[k])])[take].tolist()
            for k in ("type", "symbol", "hover")
        }
        marks = both | texts
        return {k: marks[k] for k in MARK_COLUMNS}, unit

    def _chosen(self, record: tuple) -> dict | None:
        """The record's marks for ``record`` (roads, event types); None until they are made.

        The first time a choice is marked, making them is queued (:class:`routestatus.worded.Later`):
        at 100,000 events a choice's marks by day and by week take 15-25 ms, which the rerun
        that first asked for them would otherwise pay.
        """
        with self._lock:
            making = self._kept.get(record)
            if making is None:
                if len(self._kept) >= self.KEPT:
                    self._kept.pop(next(iter(self._kept)))
                making = self._kept[record] = Later(partial(self._make, record), "routestatus-marks")
                queue(making)
        return making.made

    def wait(self) -> None:
        """Make every choice's marks that is queued now, and wait until they are made (for tests)."""
        with self._lock:
            making = list(self._kept.values())
        for m in making:
            m._start()  # noqa: SLF001  (this module's own)
            m.thread.join()

    def _make(self, record: tuple) -> dict:
        """For ``record`` (roads, event types): the record's rows, their distinct start days, and its marks by unit."""
        roads, types = record
        rows = np.flatnonzero(self._selection.event_mask(dt.date.min, dt.date.max, roads, types))
        return {
            "rows": rows,
            "days": np.unique(self._selection.events.first[rows]),
            "units": {unit: self._unit(rows, unit) for unit in ("day", "week")},
        }

    def _unit(self, rows: np.ndarray, unit: str) -> dict:
        """The marks of the record's ``rows`` by ``unit``, with each mark's day and each lane's run of marks."""
        marks = _marks(
            pd.DataFrame(index=rows),
            _start_days(self._texts, self._selection)[rows],
            unit,
            None,
            self._texts,
            self._selection,
        )
        if marks is None:  # no event of the choice: the record marks nothing
            empty = {"x": np.array([], "datetime64[us]"), "n": np.array([], np.int64)}
            marks = {k: empty.get(k, np.array([], object)) for k in MARK_COLUMNS}
        lanes = np.asarray(marks["lane"], object)
        heads = np.flatnonzero(np.r_[True, lanes[1:] != lanes[:-1]]) if len(lanes) else np.array([], np.int64)
        ends = np.r_[heads[1:], len(lanes)]
        made = dict(marks, days=_day_numbers(marks["x"]))
        made["lanes"] = {lanes[h]: (int(h), int(e)) for h, e in zip(heads, ends, strict=True)}
        return made


EPOCH_DAY = dt.date(1970, 1, 1)


def _object(values) -> np.ndarray:
    return np.asarray(values, dtype=object)


def _day_numbers(when: np.ndarray) -> np.ndarray:
    """datetime64 values as whole days since 1970 (int64)."""
    return np.asarray(when).astype("datetime64[D]").astype(np.int64)


def _monday_of(day: int) -> int:
    """The Monday of a day counted from 1970-01-01 (a Thursday), as in :func:`_monday`."""
    return day - (day + 3) % 7


def _monday(days: np.ndarray) -> np.ndarray:
    """Each day's Monday (datetime64[us]): 1970-01-01, day 0, was a Thursday (day_of_week 3)."""
    whole = days.astype("datetime64[D]")
    return (whole - ((whole.astype(np.int64) + 3) % 7)).astype("datetime64[us]")


def _named_words(texts: pd.DataFrame, selection) -> np.ndarray:
    """Every event of the table as a mark of several events names it, ``id (type)``, as an object array."""
    codes, names = selection.event_codes("event_type", np.arange(len(texts)))
    lowered = [*(type_label(n).lower() for n in names), ""]  # code -1 (no type) reads as ""
    ids = texts["event_id"].tolist()
    return np.array([f"{i} ({lowered[c]})" for i, c in zip(ids, codes.tolist(), strict=True)], dtype=object)


LABEL_INK = "#000000"  # band labels: black, which contrasts with every status colour (tests/test_analyst.py)
BAND_WIDTH = 0.8  # a band's height, in lanes
STRIP_MARGIN = {"l": 10, "r": 10, "t": 4, "b": 4}  # the Map's status strip, under the map
MARK_OFFSET = 0.28  # event marks sit this far above a band's centre line, so they never cover its label


def label_halo(colour: str) -> str:
    """A CSS text shadow in a band's own colour, so the fill pattern never runs through its label's letters."""
    return ", ".join(f"0 0 {r}px {colour}" for r in (1, 2, 2, 3))


class _BarWords:
    """Each status band's start as plotly reads it, its length and its hover, made once per interval.

    A band inside the range is the record's own interval (``View.clipped`` keeps the object),
    so its words are the same on every rerun; only the two cut at the range's ends are new
    objects. Made in a Python pass per interval, they cost 1 to 2 ms a Timeline rerun at
    100,000 events, where a long range holds hundreds of intervals. Kept by the interval
    object: its id, with the object itself, so an id used again after an interval is gone
    never matches. At most :data:`KEPT` are kept; then they start again. Shared by sessions.
    """

    KEPT = 65_536

    def __init__(self) -> None:
        self._words: dict[int, tuple] = {}

    def of(self, items: list[tuple[str, Interval]]) -> tuple[list[str], list[float], list[str]]:
        """For (road, interval) pairs: each band's start, length in milliseconds and hover text."""
        words = self._words  # the dict of this call: a reset below starts another
        found = [words.get(id(iv)) for _, iv in items]
        missing = [
            i
            for i, (f, (road, iv)) in enumerate(zip(found, items, strict=True))
            if f is None or f[0] is not iv or f[1] != road
        ]
        if missing:
            if len(words) + len(missing) > self.KEPT:
                words = self._words = {}
            made = _bar_words([items[i] for i in missing])
            for i, one in zip(missing, made, strict=True):
                found[i] = words[id(one[0])] = one
        return [f[2] for f in found], [f[3] for f in found], [f[4] for f in found]


def _bar_words(items: list[tuple[str, Interval]]) -> list[tuple[Interval, str, str, float, str]]:
    """Per (road, interval): the pair, its start as a Timestamp's isoformat, its length in ms, its hover text."""
    # Days as numbers and as text made in one pass: one Timestamp per interval in a Python
    # loop cost 4 ms a rerun at 100,000 events, where the record holds thousands of intervals.
    first = as_days(iv.start for _, iv in items)
    after = as_days(iv.end for _, iv in items) + 1
    starts = np.datetime_as_string(first.astype("datetime64[s]")).tolist()
    # Each band's length in milliseconds, as plotly reads a bar on a date axis.
    lengths = ((after - first).astype(np.int64) * 86_400_000).astype(float).tolist()
    shown_starts = show_dates(first, [iv.precision for _, iv in items])  # show_date's texts, in one pass
    return [
        (
            iv,
            road,
            start,
            length,
            f"{ROAD_LABELS[road]}: {STATUS_LABELS[iv.status]}, {shown} – {iv.end} {' '.join(iv.evidence)}",
        )
        for (road, iv), start, length, shown in zip(items, starts, lengths, shown_starts, strict=True)
    ]


_BAR_WORDS = _BarWords()


def timeline_figure(
    intervals: dict[str, list[Interval]],
    events: pd.DataFrame,
    day: dt.date | None = None,
    compact: bool = False,
    texts: pd.DataFrame | None = None,
    selection=None,
    record: tuple | None = None,
) -> go.Figure:
    """Per-road status bands (colour, fill pattern and label) with the events marked on them.

    ``day``, when given, is marked with a dashed vertical line: the day whose status the
    map and the cards show.

    One bar trace per status holds all of that status's intervals, so the figure grows with
    the number of statuses, not of intervals. Each road of ``intervals`` has a lane, and the
    events tied to no road one more, at the top. A band's label is black on the band's plain
    colour (the pattern stops short of the letters), and is left out where it would not fit
    at a readable size; the hover and the legend still name the status. Event marks are
    shaped by event type (named in the legend) and sit above the band's centre line, clear
    of its label. ``compact`` gives the Map's strip: a short lane per road and no legend.
    ``texts``, ``selection`` and ``record``: see :func:`mark_columns`.
    """
    traces = []
    marks, unit = None, "day"  # no events (the Map's strip): no marks, and no frame of them to make
    shown = [iv for road in ROADS for iv in intervals.get(road, [])]
    if len(events):  # the rows, which may come with no column (see event_marks)
        # As columns, not a frame: making one and picking its rows cost 2 ms a rerun at 100,000 events.
        since = min(iv.start for iv in shown) if shown else None
        marks, unit = mark_columns(events, since, texts, selection, record)
    lanes = [r for r in reversed(ROADS) if r in intervals]
    if marks is not None and (marks["lane"] == "none").any():
        lanes.append("none")
    lane_y = {lane: i for i, lane in enumerate(lanes)}
    by_status: dict[str, list[tuple[str, Interval]]] = {}
    for road in ROADS:
        for iv in intervals.get(road, []):
            by_status.setdefault(iv.status, []).append((road, iv))
    for status, items in by_status.items():
        starts, lengths, hovers = _BAR_WORDS.of(items)
        colour = STATUS_COLOURS[status]
        traces.append(
            trace(
                "bar",
                y=[lane_y[road] for road, _ in items],
                base=starts,
                x=lengths,
                width=BAND_WIDTH,
                orientation="h",
                name=STATUS_LABELS[status],
                legendrank=list(STATUS_LABELS).index(status),  # the codebook's order; event keys after
                # "overlay": the pattern is drawn on the status colour, not on white, so the label
                # is read against the colour whatever the pattern.
                marker={
                    "color": colour,
                    "pattern": {
                        "shape": STATUS_PATTERNS[status],
                        "fillmode": "overlay",
                        "fgcolor": "#FFFFFF",
                        "fgopacity": 0.7,
                        "size": 9,
                    },
                },
                text=STATUS_LABELS[status],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                insidetextfont={"color": LABEL_INK, "shadow": label_halo(colour)},
                hovertext=hovers,
                hoverinfo="text",
                meta={"status": status, "route_ids": [road for road, _ in items]},
            )
        )
    if marks is not None:
        drawn = np.isin(marks["lane"], lanes)
        texts_of = ("type", "symbol", "hover")
        marks = {k: np.asarray(v, object if k in texts_of else None)[drawn] for k, v in marks.items()}
    if marks is not None and len(marks["lane"]):
        traces.append(
            trace(
                "scatter",
                # The middle of the day (MIDDAY), inside its bar rather than on its edge.
                x=marks["x"] + np.timedelta64(12, "h"),
                y=[lane_y[lane] + (MARK_OFFSET if lane in ROADS else 0) for lane in marks["lane"].tolist()],
                mode="markers",
                marker={
                    "symbol": marks["symbol"].tolist(),
                    "size": np.minimum(9 + 2 * marks["n"] ** 0.5, 18.0),
                    "color": "#000000",
                    "line": {"color": "white", "width": 1},
                },
                name="Events" if unit == "day" else "Events (by week)",
                showlegend=False,
                hovertext=marks["hover"],
                hoverinfo="text",
                meta={"kind": "events", "unit": unit},
            )
        )
        # The legend's key to the shapes: one entry per type marked, drawn nowhere. Not a legend
        # group: plotly stacks a group's entries in a column, which a row of statuses then overflows.
        present = set(marks["type"])
        keys = [(t, EVENT_SYMBOLS[t], type_label(t)) for t in EVENT_SYMBOLS if t in present]
        if "" in present:
            keys.append(("", MIXED_EVENTS_SYMBOL, MIXED_EVENTS_LABEL))
        for kind, symbol, name in keys:
            traces.append(
                trace(
                    "scatter",
                    x=[None],
                    y=[None],
                    mode="markers",
                    marker={"symbol": symbol, "size": 10, "color": "#000000", "line": {"color": "white", "width": 1}},
                    name=name,
                    hoverinfo="skip",
                    meta={"kind": "event_type", "event_type": kind, "unit": unit},
                )
            )
    axis = range_axis(shown)
    # What changes from one range to the next is filled in; the rest is the kept layout's (see kept_layout).
    fill = {("xaxis", k): axis[k] for k in ("range", "tickvals", "ticktext") if k in axis}
    late = False
    if day is not None:
        x = pd.Timestamp(day) + pd.Timedelta(hours=12)  # the middle of the day, inside its bar
        # Written on the side of the line away from the nearer edge, so it is never cut off there.
        lo, hi = (min(iv.start for iv in shown), max(iv.end for iv in shown)) if shown else (day, day)
        late = day > lo + (hi - lo) / 2
        fill |= {("shapes", 0, "x0"): x, ("shapes", 0, "x1"): x, ("annotations", 0, "x"): x}
        fill[("annotations", 0, "text")] = f"Status on {day}"
        fill[("annotations", 0, "xanchor")] = "right" if late else "left"
    # Text and a side, stored as given: filled in, so a new range whose marks are by week, or whose
    # day is past its middle, reuses the layout rather than validating one more (20 ms at 100,000 events).
    fill[("legend", "title", "text")] = f"Bands: status. Marks (one per {unit}): event type."
    # The lanes likewise (lists of plain values, stored as given), so one road, both, or the lane
    # of events tied to no road coming and going reuse one layout.
    lane_axis = {
        "tickvals": list(range(len(lanes))),
        "ticktext": [ROAD_LABELS[lane] for lane in lanes],
        "range": [-0.5, max(len(lanes), 1) - 0.5],
    }
    fill |= {("yaxis", k): v for k, v in lane_axis.items()}

    def build() -> go.Figure:
        fig = go.Figure()  # the layout alone, validated; the traces join it below
        fig.update_layout(
            barmode="overlay",
            xaxis=axis,
            height=460,
            margin={"l": 10, "r": 10, "t": 28, "b": 10},
            yaxis={
                **lane_axis,
                "fixedrange": True,
                "showgrid": False,
                "zeroline": False,
            },
            uniformtext={"minsize": 10, "mode": "hide"},
            legend={
                "orientation": "h",
                "y": -0.12,
                "yanchor": "top",
                "title": {"text": f"Bands: status. Marks (one per {unit}): event type.", "side": "top"},
            },
        )
        if day is not None:
            fig.add_shape(
                type="line",
                x0=x,
                x1=x,
                y0=0,
                y1=1,
                yref="paper",
                line={"color": "#000000", "width": 2, "dash": "dash"},
                name="status_day",
            )
            fig.add_annotation(
                x=x,
                y=1,
                yref="paper",
                text=f"Status on {day}",
                showarrow=False,
                yanchor="bottom",
                xanchor="right" if late else "left",
                name="status_day",
            )
        if compact:  # the Map's strip: one short lane per road, no legend
            fig.update_layout(height=90 + 45 * len(intervals), margin=STRIP_MARGIN, showlegend=False)
        return fig

    key = ("timeline", tuple(axis), day is not None, compact and len(intervals))
    return figure(traces, *kept_layout(key, build, fill))


def statements_chart(
    statements: pd.DataFrame,
    span: tuple[dt.date, dt.date] | None = None,
    named: Mapping[str, np.ndarray] | None = None,
    organisations: tuple[np.ndarray, np.ndarray] | None = None,
) -> go.Figure:
    """Statements per organisation per road per month (stacked bars, one panel per road).

    With ``span`` (the range) no longer than :data:`SHORT_RANGE_DAYS`, per day instead, so
    a one-week range reads as its days, not as one month; a date known only to its month
    stays a month (``2023-09`` sorts before that month's days). ``named`` gives, per road,
    whether each row names it (``View.roads_named``, with "none" for a row that names no
    road), and ``organisations`` each row's organisation as codes and the names they number
    (``View.organisations``); without them the columns are read here.
    """
    short = span is not None and (span[1] - span[0]).days < SHORT_RANGE_DAYS
    dates = statements["date"].to_numpy("datetime64[D]")
    missing = np.isnat(dates)
    period = np.datetime_as_string(dates.astype("datetime64[M]"), unit="M").astype(object)
    if short:
        # Compared as plain objects (a blank is by day): pandas' comparison of Arrow text cost
        # more than the chart's counts.
        by_day = statements["date_precision"].to_numpy(object, na_value="") != "month"
        period[by_day] = np.datetime_as_string(dates[by_day], unit="D")
    # Counted per road on codes: a row counts once under each road it names, and a row with
    # no organisation or date not at all, as a grouping leaves them out. Row by row in Python
    # this cost up to 16 ms a rerun at 100,000 events; the keys in sorted order are the grouping's.
    if organisations is None:
        organisations = pd.factorize(statements["organisation"].to_numpy(object, na_value=None))
    orgs_in, org_names = organisations
    periods, period_names = pd.factorize(period)
    counted = ~missing & (orgs_in >= 0)
    key = orgs_in.astype(np.int64) * len(period_names) + periods
    if named is None:
        named = named_flags(statements["route_ids"])
        unnamed = statements["route_ids"].isna().to_numpy(bool)
        named["none"] = named["none"] | unnamed if "none" in named else unnamed
    counts: Counter = Counter()
    for road, flags in named.items():
        found = np.bincount(key[flags & counted], minlength=len(org_names) * len(period_names))
        label = ROAD_LABELS.get(road, road)
        for at in np.flatnonzero(found).tolist():
            org, month = divmod(at, len(period_names))
            counts[(org_names[org], label, period_names[month])] += int(found[at])
    keys = sorted(counts)
    traces = []
    # Bars' labels made for all at once; each organisation's rows are a run (the keys are sorted).
    label = np.array([f"{month} · {road}" for _, road, month in keys], dtype=object)
    n = np.array([counts[k] for k in keys], dtype=np.int64)
    orgs = np.array([org for org, _, _ in keys], dtype=object)
    cuts = np.flatnonzero(orgs[1:] != orgs[:-1]) + 1
    for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(orgs)], strict=True):
        if b > a:
            traces.append(trace("bar", x=label[a:b], y=n[a:b], name=plot_text(orgs[a])))

    def build() -> go.Figure:
        fig = go.Figure()  # the layout alone, validated; the traces join it below
        fig.update_layout(
            barmode="stack",
            height=320,
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
            xaxis={"type": "category", "categoryorder": "category ascending"},
        )
        return fig

    return figure(traces, *kept_layout(("statements_chart",), build, {}))


def _translucent(colour: str, alpha: float) -> str:
    """``#rrggbb`` as ``rgba(r, g, b, alpha)``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def _said_hovers(part: pd.DataFrame, quotes: dict[str, str]) -> list[str]:
    """Each statement's hover: speaker, organisation, day, claim, recorded status, the start of the quote.

    Columns as lists, not rows as tuples (iterating Arrow-backed rows costs a call per
    cell), days written in one pass, and each speaker's and organisation's name escaped once.
    """
    days = show_dates(part["date"], np.full(len(part), "day", object))  # to the day, whatever the precision
    names = {name: plot_text(name) for name in {*part["speaker"].tolist(), *part["organisation"].tolist()}}
    columns = (part[c].tolist() for c in ("speaker", "organisation", "claim", "recorded_status", "comparison"))
    return [
        f"{names[speaker]} ({names[org]}), {day}<br>"
        f"claim: {claim_label(said)}; recorded status: {STATUS_LABELS.get(status, '')}"
        f" ({compared})<br>{plot_text(quotes.get(sid, '')[:160])}"
        for speaker, org, said, status, compared, day, sid in zip(
            *columns, days, part["statement_id"].tolist(), strict=True
        )
    ]


def said_hovers(rows: pd.DataFrame, quotes: dict[str, str]) -> pd.DataFrame:
    """Each row's hover (column ``hover``) for rows of ``View.said_vs_passed``; row by row, for ``View.in_words``."""
    return pd.DataFrame({"hover": pd.Series(_said_hovers(rows, quotes), dtype=object)})


def said_passed_figures(view) -> dict[str, go.Figure]:
    """Each shown road's :func:`said_passed_figure` for ``view`` (a road no statement names has none).

    The hovers are worded once per dataset (``View.in_words``): a statement's hover does not
    depend on the view.
    """
    data = view.data
    said = view.said_columns("route_id", "date", "organisation", "statement_id", "claim")
    statements = data.tables["statements"]
    quotes = data.selection.kept(
        "quotes",
        statements,
        lambda: dict(zip(statements["statement_id"].tolist(), statements["quote"].tolist(), strict=True)),
    )
    hovers = view.in_words("said_vs_passed", partial(said_hovers, quotes=quotes))["hover"].to_numpy(object)
    out = {}
    for road in view.choice.shown_roads:
        on = said["route_id"] == road
        if on.any():
            out[road] = said_passed_figure(view.clipped[road], {c: a[on] for c, a in said.items()}, hovers[on])
    return out


def said_passed_figure(
    intervals: list[Interval], rows: Mapping[str, np.ndarray] | pd.DataFrame, hovers: np.ndarray
) -> go.Figure:
    """One road: its recorded status as bands across the range, each statement a mark on its day.

    Marks are shaped by claim (one trace per claim, named in the legend) and placed in a row
    per organisation; the hover gives speaker, claim, recorded status and the start of the
    quote. ``rows`` are that road's rows of ``View.said_vs_passed`` (or its columns
    ``date``, ``organisation``, ``statement_id`` and ``claim`` as arrays, as
    ``View.said_columns`` gives them); ``hovers`` their hovers in the same order
    (:func:`said_hovers`).
    """
    traces = []
    # The bands: one filled trace per status (rectangles joined by gaps), on a hidden 0-1 axis
    # under the marks. A layout shape per interval costs plotly about a millisecond each, and
    # a range holds thousands of intervals on a large record.
    # Each interval's first day and the day after its last, written in one pass as the JSON
    # encoder writes a Timestamp (isoformat), which it did one value at a time.
    edges = np.datetime_as_string(
        np.array([d for iv in intervals for d in (iv.start, iv.end + dt.timedelta(days=1))], "datetime64[s]")
    ).tolist()
    for status in dict.fromkeys(iv.status for iv in intervals):
        xs: list = []
        for i, iv in enumerate(intervals):
            if iv.status == status:
                x0, x1 = edges[2 * i], edges[2 * i + 1]
                xs += [x0, x1, x1, x0, x0, None]
        traces.append(
            trace(
                "scatter",
                x=xs,
                y=[0, 0, 1, 1, 0, None] * (len(xs) // 6),
                yaxis="y",
                mode="none",
                fill="toself",
                fillcolor=_translucent(STATUS_COLOURS[status], 0.25),
                hoverinfo="skip",
                name=f"Recorded: {STATUS_LABELS[status]}",
                meta={"kind": "status", "status": status},
            )
        )
    # A statement dated only to its month may start before the range: it is drawn on the range's first day.
    first = np.datetime64(min(iv.start for iv in intervals), "us") if intervals else None
    # numpy, not Series.clip: that cost 10 ms a figure on a few dozen rows.
    days = np.asarray(rows["date"], "datetime64[us]")
    if first is not None:
        days = np.maximum(days, first)
    days = days + np.timedelta64(12, "h")  # the middle of the day (MIDDAY), inside its band
    # Each claim's rows by position in two columns: taking them from the frame copied every column.
    orgs_of, ids_of = np.asarray(rows["organisation"], object), np.asarray(rows["statement_id"], object)
    # Grouped by claim in name order, each group's rows in their order; a row with no claim is in none.
    claims, names = pd.factorize(np.asarray(rows["claim"], object))
    for claim, code in sorted((name, code) for code, name in enumerate(names)):
        at = np.flatnonzero(claims == code)
        traces.append(
            trace(
                "scatter",
                x=days[at],
                y=orgs_of[at],
                mode="markers",
                marker={"symbol": CLAIM_SYMBOLS.get(claim, "circle"), "size": 11, "color": "#000000"},
                name=claim_label(claim),
                # Columns as lists, not rows as tuples: iterating Arrow-backed rows costs a call per cell.
                hovertext=list(hovers[at]),
                hoverinfo="text",
                yaxis="y2",
                meta={"kind": "claim", "claim": claim, "statement_ids": ids_of[at].tolist()},
            )
        )
    orgs = sorted(set(orgs_of.tolist()))
    axis = range_axis(intervals)
    fill = {("xaxis", k): axis[k] for k in ("range", "tickvals", "ticktext") if k in axis}
    fill[("yaxis2", "categoryarray")] = orgs[::-1]
    fill[("height",)] = 120 + 28 * max(len(orgs), 1)

    def build() -> go.Figure:
        fig = go.Figure()  # the layout alone, validated; the traces join it below
        fig.update_layout(
            height=120 + 28 * max(len(orgs), 1),
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
            xaxis=axis,
            # The bands' axis, hidden; the organisations' axis overlays it, so the marks are drawn on top.
            yaxis={"range": [0, 1], "visible": False, "fixedrange": True},
            yaxis2={
                "categoryorder": "array",
                "categoryarray": orgs[::-1],
                "type": "category",
                "overlaying": "y",
                "side": "left",
            },
            legend={"orientation": "h", "y": -0.25},
        )
        return fig

    return figure(traces, *kept_layout(("said_passed", tuple(axis)), build, fill))


PLACE_ZOOM = 9  # the place and some 30 km around it: the road it is on and the nearest places


def place_figure(
    layers: MapLayers,
    place_id: str,
    name: str,
    day: dt.date,
    roads: tuple[str, ...] = ROADS,
    style: str = OFFLINE_STYLE,
) -> go.Figure:
    """A small map centred on one place: base map, each road's course in use on ``day``, other places, the place.

    Drawn on the bundled layers on the ``white-bg`` style, with markers only, so nothing is fetched;
    the roads are grey, since a record's status is given in words beside the map.
    """
    fig = go.Figure()
    fig.add_trace(
        _line(layers.basemap_lon, layers.basemap_lat, 1, "#888888", "Borders (Natural Earth)", {"kind": "basemap"})
    )
    for road in roads:
        course = layers.course_on(road, day)
        if course is not None:
            fig.add_trace(
                _line(
                    course.lon,
                    course.lat,
                    3,
                    "#777777",
                    ROAD_LABELS[road],
                    {"kind": "road", "route_id": road, "alignment_id": course.alignment_id},
                    f"{ROAD_LABELS[road]} on {day}<br>{plot_text(course.name)}",
                )
            )
    others = layers.places[layers.places["place_id"].ne(place_id)]
    fig.add_trace(
        go.Scattermap(
            lon=others["lon"],
            lat=others["lat"],
            mode="markers",
            marker={"size": 7, "color": "#555555"},
            name="Other places",
            hovertext=others["hover"],
            hoverinfo="text",
            meta={"kind": "places"},
        )
    )
    here = layers.places[layers.places["place_id"].eq(place_id)]
    fig.add_trace(
        go.Scattermap(
            lon=here["lon"],
            lat=here["lat"],
            # Markers only: a text label on a map needs glyphs from a font server, and nothing may be fetched.
            mode="markers",
            marker={"size": 16, "color": "#0072B2"},
            name=plot_text(name),
            hovertext=here["hover"],
            hoverinfo="text",
            meta={"kind": "place", "place_id": place_id},
        )
    )
    center = {"lat": float(here["lat"].iloc[0]), "lon": float(here["lon"].iloc[0])} if len(here) else MAP_CENTER
    fig.update_layout(
        map={"style": style, "center": center, "zoom": PLACE_ZOOM if len(here) else MAP_ZOOM},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=320,
        showlegend=False,
    )
    return fig
