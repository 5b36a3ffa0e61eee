"""What a view's selection needs, worked out once per dataset, so a rerun slices instead of scanning.

The filters of :mod:`routestatus.filters` say which rows a choice keeps; this module
keeps the same rules as plain arrays: each row's first and last day as integers, its
road and type as small codes, whether it counts at all (not retracted, dated), and the
sources each row cites as positions. A new date range is then a binary search for the
last row that starts in time and a few integer comparisons over the rows before it,
where the filters compare Arrow-backed columns and copy every column of a 100,000-row
table. The result is the same rows in the same order with the same index labels
(``tests/test_outputs.py`` holds the pages' outputs to it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from routestatus.filters import event_span
from routestatus.worded import Later, queue

NS_PER_DAY = 86_400 * 10**9
T = TypeVar("T")


def _days(values: pd.Series) -> np.ndarray:
    """Datetimes as whole days since 1970 (int64); missing ones as the smallest int64."""
    return values.to_numpy("datetime64[ns]", na_value=np.datetime64("NaT")).view("i8") // NS_PER_DAY


def _day(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def _live(frame: pd.DataFrame, date: str) -> np.ndarray:
    """Rows that count: not retracted and dated (a row failing validation may be neither)."""
    retracted = frame["retracted"].fillna(False).astype(bool).to_numpy(bool)
    return ~retracted & frame[date].notna().to_numpy(bool)


def _codes(values: pd.Series) -> tuple[np.ndarray, list]:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, list(uniques)


def _same(a: object, b: object) -> bool:
    """``a is b``, or two tuples of the same objects."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))
    return a is b


def event_codes(events: pd.DataFrame, column: str, selection: Selection | None = None) -> tuple[np.ndarray, list]:
    """``pd.factorize(events[column])``; with ``selection``, its codes for the rows (labelled by position).

    For the marks of a large range, which need the events' roads, types and places only as
    codes: the dataset's, made once, cost a take where a factorize read 40,000 rows of text.
    """
    if selection is None:
        return pd.factorize(events[column])
    return selection.event_codes(column, events.index.to_numpy())


class _Rows:
    """The day bounds of one table's rows, in the table's order (date order, as the loader keeps it)."""

    def __init__(self, frame: pd.DataFrame, start: pd.Series, end: pd.Series, date: str) -> None:
        self.frame = frame
        self.first = _days(start)
        self.last = _days(end)
        self.live = _live(frame, date) & end.notna().to_numpy(bool)
        # The loader sorts by date, so the rows that start by a day are a prefix; a table
        # that is not sorted (one that failed to load cleanly) is scanned whole instead.
        # Rows that do not count (retracted ones, in among the rest) take the start of the
        # last row before them that does, so the starts searched stay in order.
        self.sorted = bool(np.all(np.diff(self.first[self.live]) >= 0))
        self._starts = np.maximum.accumulate(np.where(self.live, self.first, np.iinfo(np.int64).min))

    def overlapping(self, start: dt.date, end: dt.date) -> np.ndarray:
        """A boolean mask: live rows with a day in ``start``–``end``."""
        lo, hi = _day(start), _day(end)
        keep = np.zeros(len(self.first), bool)
        if self.sorted:
            # The live rows before ``stop`` are exactly those that start by ``hi``, so only
            # their last day is left to compare.
            stop = int(np.searchsorted(self._starts, hi, side="right"))
            keep[:stop] = (self.last[:stop] >= lo) & self.live[:stop]
        else:
            keep[:] = (self.last >= lo) & (self.first <= hi) & self.live
        return keep

    def starting_before(self, day: int) -> int:
        """In a sorted table, the position of the first live row that starts on or after ``day`` (days since 1970).

        The live rows before it are exactly those that start before ``day``.
        """
        return int(np.searchsorted(self._starts, day))

    def take(self, keep: np.ndarray) -> pd.DataFrame:
        """The rows of ``keep`` (see :func:`rows_of`)."""
        return rows_of(self.frame, keep)


def rows_of(frame: pd.DataFrame, keep: np.ndarray, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows of ``frame`` where the mask ``keep`` holds (of ``columns`` only, if given); see :func:`rows_at`."""
    return rows_at(frame, np.flatnonzero(keep), columns)


def rows_at(frame: pd.DataFrame, where: np.ndarray, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows of ``frame`` at the ascending positions ``where`` (of ``columns`` only, if given).

    A slice (no copy) when they are one run, else a take.
    """
    run = len(where) and where[-1] - where[0] + 1 == len(where)
    rows = slice(int(where[0]), int(where[-1]) + 1) if run else where
    if columns is None:
        return frame.iloc[rows]
    # A few columns, each taken from its own array into a new frame: half what one ``iloc``
    # of rows and columns costs (0.1 against 0.26 ms for the dates of 3,000 statements).
    return pd.DataFrame({c: frame[c].array[rows] for c in columns}, index=frame.index[rows], copy=False)


def _among(codes: np.ndarray, wanted: list[int], n: int) -> np.ndarray:
    """``np.isin(codes, wanted)`` for codes from 0 to ``n`` - 1 (or -1, missing), as a lookup.

    A table of ``n`` + 1 flags read at every code costs a fifth of ``isin``'s sort at 100,000 events.
    """
    flags = np.zeros(n + 1, bool)
    flags[np.asarray(wanted, np.int64) + 1] = True
    return flags[codes + 1]


def named_flags(cells: pd.Series) -> dict[str, np.ndarray]:
    """For each name any cell's ``;``-list holds, a flag per cell: whether its list names it (a missing cell: none)."""
    lists = pc.split_pattern(pa.array(cells, type=pa.string(), from_pandas=True), ";")
    flat = pc.list_flatten(lists)
    owner = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    codes, names = pd.factorize(flat.to_numpy(zero_copy_only=False))
    flags = {}
    for code, name in enumerate(names.tolist()):
        flag = np.zeros(len(cells), bool)
        flag[owner[codes == code]] = True
        flags[name] = flag
    return flags


def _cited_positions(cells: pd.Series, ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's ``;``-list of ids as positions in ``ids`` (-1: not there), laid end to end, and each cell's offset.

    Split and looked up in Arrow: a Python list per cell cost 60 ms at 100,000 events, on
    every start. A missing cell lists nothing; an id ``ids`` holds twice (a table that
    failed its checks) is read as its last row.
    """
    lists = pc.split_pattern(pa.array(cells, type=pa.string(), from_pandas=True), ";")
    counts = pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    offsets = np.concatenate([np.zeros(1, np.int64), np.cumsum(counts)])
    # Looked up among the ids read backwards, so the first found is an id's last row.
    backwards = pa.array(ids, type=pa.string(), from_pandas=True)[::-1]
    found = pc.fill_null(pc.index_in(pc.list_flatten(lists), value_set=backwards), -1)
    at = found.to_numpy(zero_copy_only=False).astype(np.int64)
    return np.where(at >= 0, len(backwards) - 1 - at, -1), offsets


class Selection:
    """Per dataset: events and statements as arrays for selection, and each row's sources as positions."""

    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        events, statements = tables["events"], tables["statements"]
        start, end = event_span(events)
        self.events = _Rows(events, start, end, "date_start")
        self._route, self._route_names = _codes(events["route_id"])
        self._routes = {r: i for i, r in enumerate(self._route_names)}
        self._route_missing = bool((self._route < 0).any())
        self._type, self._type_names = _codes(events["event_type"])
        self._types = {t: i for i, t in enumerate(self._type_names)}
        self._place, self._place_names = _codes(events["place_id"])
        date = statements["date"]
        month = statements["date_precision"].eq("month")
        self.statements = _Rows(statements, date, date.where(~month, date + pd.offsets.MonthEnd(0)), "date")
        # Each statement's roads, one flag per road named (a ;-list), and whether it names none.
        named = statements["route_ids"]
        self._no_road = named.isna().to_numpy(bool)
        self._names = named_flags(named)
        self._sources(tables)
        self._places(events)
        self._kept: dict[str, tuple[object, object]] = {}

    def kept(self, name: str, basis: object, make: Callable[[], T]) -> T:
        """``make()``, worked out once for this dataset and ``basis`` (an object the result is made from).

        For results that depend on the whole dataset and not on a view's choice, so every
        view and session shares them; ``basis`` is compared by identity (a tuple's items each
        by theirs) and kept alive beside it.
        Shared, so never changed in place.
        """
        hit = self._kept.get(name)
        if hit is None or not _same(hit[0], basis):
            hit = self._kept[name] = (basis, make())
        return hit[1]  # type: ignore[return-value]

    def _places(self, events: pd.DataFrame) -> None:
        """Per place, its live events' first days (ascending) and the status each left (None: none set)."""
        live = self.events.live & events["place_id"].notna().to_numpy(bool)
        places = events["place_id"].to_numpy(object)[live]
        days = self.events.first[live]
        after = events["status_after"].to_numpy(object, na_value=None)[live]
        # Events are in date then id order, so each place's events stay in that order when split.
        codes, uniques = pd.factorize(places)
        order = np.argsort(codes, kind="stable")
        cut = np.flatnonzero(np.diff(codes[order])) + 1
        self.place_history = {
            str(uniques[codes[group[0]]]): (days[group], after[group].tolist())
            for group in np.split(order, cut)
            if len(group)
        }

    def latest_status(self, place_id: str, day: dt.date) -> tuple[bool, str | None]:
        """Whether an event at the place is on or before ``day``, and the status the latest such event left."""
        history = self.place_history.get(place_id)
        if history is None:
            return False, None
        at = int(np.searchsorted(history[0], _day(day), side="right"))
        return (True, history[1][at - 1]) if at else (False, None)

    def _sources(self, tables: dict[str, pd.DataFrame]) -> None:
        """Each event's cited sources as positions in the sources table (a flat array and offsets)."""
        self._sources_table = tables["sources"]
        self._event_ids = tables["events"]["event_id"]
        sources = tables["sources"]["source_id"].tolist()
        self.source_position = {s: i for i, s in enumerate(sources)}
        self._event_sources, self._event_offsets = _cited_positions(
            tables["events"]["source_ids"], tables["sources"]["source_id"]
        )
        # The event each entry of the flat array belongs to: the sources of any set of events
        # are then one boolean index of the flat array, with no sort.
        events = len(self._event_offsets) - 1
        self._entry_event = np.repeat(np.arange(events, dtype=np.int64), np.diff(self._event_offsets))
        # Each statement's source and each road's courses' sources, as positions; and each
        # source's place in source_id order, so a view's sources are sorted without a sort of frames.
        cited = tables["statements"]["source_id"].tolist()
        self._statement_sources = np.asarray(
            [self.source_position.get(s, -1) if isinstance(s, str) else -1 for s in cited], np.int64
        )
        courses: dict[str, list[int]] = {}
        alignments = tables["alignments"]
        for road, cell in zip(alignments["route_id"].tolist(), alignments["source_ids"].tolist(), strict=True):
            if isinstance(cell, str):
                courses.setdefault(road, []).extend(
                    self.source_position[s] for s in cell.split(";") if s in self.source_position
                )
        self._course_sources = {road: np.asarray(found, np.int64) for road, found in courses.items()}
        # Missing ids (a table that failed its checks) last, as a sort of the frame puts them.
        order = sorted(range(len(sources)), key=lambda i: (not isinstance(sources[i], str), str(sources[i])))
        self._source_order = np.asarray(order, np.int64)
        self._source_rank = np.argsort(self._source_order, kind="stable")

    def event_codes(self, column: str, positions: np.ndarray) -> tuple[np.ndarray, list]:
        """``pd.factorize`` of the events' ``route_id``, ``event_type`` or ``place_id`` at ``positions``, made once.

        The codes and names differ from a factorize of those rows alone (they number the
        whole table's values), but name the same value for each row: -1 where it is missing.
        """
        codes, names = {
            "route_id": (self._route, self._route_names),
            "event_type": (self._type, self._type_names),
            "place_id": (self._place, self._place_names),
        }[column]
        return codes[np.asarray(positions, np.int64)], names

    def event_mask(self, start: dt.date, end: dt.date, roads: Sequence[str], types: Sequence[str]) -> np.ndarray:
        """:func:`routestatus.filters.filter_events`' rows as a mask: in range, on a road (or both/none), of a type."""
        keep = self.events.overlapping(start, end)
        wanted = {self._routes[r] for r in (*roads, "none", "both") if r in self._routes}
        if len(wanted) < len(self._routes) or self._route_missing:  # else every row is on a road kept
            keep &= _among(self._route, sorted(wanted), len(self._routes))
        if types:
            keep &= _among(self._type, [self._types[t] for t in types if t in self._types], len(self._types))
        return keep

    def statement_mask(self, start: dt.date, end: dt.date, roads: Sequence[str]) -> np.ndarray:
        """:func:`routestatus.filters.filter_statements`' rows as a mask: in range, naming a chosen road or none."""
        keep = self.statements.overlapping(start, end)
        names = self._no_road.copy()
        for road in roads:
            if road in self._names:
                names |= self._names[road]
        return keep & names

    def statement_names(self, positions: np.ndarray) -> dict[str, np.ndarray]:
        """For each road any statement names, whether each statement at ``positions`` names it in ``route_ids``.

        Under ``"none"`` also the statements whose ``route_ids`` is empty, as the statements
        chart counts them.
        """
        at = np.asarray(positions, np.int64)
        named = {name: flags[at] for name, flags in self._names.items()}
        named["none"] = named["none"] | self._no_road[at] if "none" in named else self._no_road[at]
        return named

    def statement_codes(self, column: str, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``pd.factorize`` of the statements' ``organisation`` or ``speaker`` at ``positions``, made once (-1: none).

        The codes number the whole table's names, as :meth:`event_codes` does the events'.
        """
        if column not in ("organisation", "speaker"):
            raise ValueError(f"no codes are kept for the statements' {column!r}")
        frame = self.statements.frame
        codes, names = self.kept(
            f"statement codes {column}", frame, lambda: pd.factorize(frame[column].to_numpy(object, na_value=None))
        )
        return codes[np.asarray(positions, np.int64)], names

    def _event_mask(self, events: np.ndarray) -> np.ndarray:
        """``events`` (positions, or already a mask over the events table) as a mask."""
        events = np.asarray(events)
        if events.dtype == bool:
            return events
        mask = np.zeros(len(self._event_offsets) - 1, bool)
        mask[events.astype(np.int64)] = True
        return mask

    def sources_cited(self, events: np.ndarray, statements: np.ndarray, roads: Sequence[str]) -> np.ndarray:
        """Positions of the sources cited by these events and statements and by the roads' courses.

        ``events`` are positions or a mask over the events table, ``statements`` positions.
        Each source once, in the order of its ``source_id`` (as the sources of a view are shown).
        """
        n = len(self._source_order)
        # Counted per source (-1, no such source, in a slot of its own): a count over the
        # entries of every event in range costs less than picking the found ones out first.
        found = self._event_sources[self._event_mask(events)[self._entry_event]]
        hit = np.bincount(found + 1, minlength=n + 1)[1:] > 0
        by_statement = self._statement_sources[np.asarray(statements, np.int64)]
        hit |= np.bincount(by_statement + 1, minlength=n + 1)[1:] > 0
        for road in roads:
            hit[self._course_sources.get(road, np.zeros(0, np.int64))] = True
        # Marked by rank, then read in rank order: each source once, sorted, with no sort at all.
        ranked = np.zeros(n, bool)
        ranked[self._source_rank[np.flatnonzero(hit)]] = True
        return self._source_order[np.flatnonzero(ranked)]

    def source_of(self, source_id: str) -> pd.Series | None:
        """The sources table's row of ``source_id``, or None when there is none."""
        at = self.source_position.get(source_id)
        return None if at is None else self._sources_table.iloc[at]

    @cached_property
    def _event_position(self) -> Later:
        """Each event id's position (the last row's, of an id given twice), made in the background.

        A dict of 100,000 ids cost a first start 17 ms, for the one or two ids the Map's
        cards look up; until it is made, a few ids are found by one pass over the ids.
        """
        made = Later(lambda: {e: i for i, e in enumerate(self._event_ids.tolist())}, "routestatus-event-ids")
        queue(made)
        return made

    # Up to this many ids are looked up by one pass over every id while the dict is not made.
    FEW_IDS = 8

    def event_positions(self, event_ids) -> np.ndarray:
        """Positions of the events with these ids (ids not in the table are left out), ascending."""
        positions = self._event_position.made
        wanted = {e for e in event_ids if isinstance(e, str)}
        if positions is None and len(wanted) <= self.FEW_IDS:
            ids = pa.array(self._event_ids, from_pandas=True)
            at = np.flatnonzero(pc.is_in(ids, value_set=pa.array(sorted(wanted), pa.string())).to_numpy(False))
            last = dict(zip(ids.take(pa.array(at)).to_pylist(), at.tolist(), strict=True))
            return np.asarray(sorted(last.values()), np.int64)
        positions = self._event_position.now()
        return np.asarray(sorted({positions[e] for e in wanted if e in positions}), np.int64)
