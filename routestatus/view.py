"""The reader's view: what they chose (a :class:`Choice`) and what it shows (a :class:`View`).

A choice is a date range, the day whose status is shown ("as of"), roads, event types,
organisations, speakers and a search text. Its four written forms (the link's query, the command line,
the file-name slug and the snapshot manifest's record) are all derived from one table,
:data:`KEYS`, so a new part of the choice is declared once there and in :class:`Choice`.

A :class:`View` joins a choice to the loaded data and works out each table the pages and
the downloads show (events, statements, status intervals, sources, status cards, days in
each status) the first time it is asked for, then keeps it: one rerun computes each at
most once, and a download made from the same view holds exactly the rows the page shows.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial

import numpy as np
import pandas as pd
import pyarrow as pa

from routestatus.exportcolumns import EXPORT_FIELDS, export_columns
from routestatus.filters import filter_people
from routestatus.isodate import not_a_day, parse_day
from routestatus.labels import ROAD_LABELS, type_label
from routestatus.load import Dataset
from routestatus.saidpassed import said_vs_passed, voices
from routestatus.schema import Field, Schema, Table
from routestatus.search import MAX_WORDS, Query, fold, parse_query
from routestatus.selection import rows_at
from routestatus.status import (
    ROADS,
    UNKNOWN,
    DayTotals,
    Interval,
    clip,
    days_in_status,
    passage_days,
    record_span,
    status_at,
)
from routestatus.typedframes import from_values, typed
from routestatus.worded import Worded

MAX_VALUE_LENGTH = 2000  # longer link values are refused whole: no list of names runs so long
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Choice:
    """What the reader chose. Immutable; :meth:`fit` gives the canonical form.

    ``asof`` is the day whose status is shown; ``None`` means the end of the range. Each
    list is in its vocabulary's order, and an empty list means "no restriction" (every
    road, every type, everyone), so a choice of every value and no choice are the same.
    ``q`` is the search text as typed; ``""`` searches for nothing and keeps every row.
    """

    start: dt.date
    end: dt.date
    asof: dt.date | None = None
    roads: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    q: str = ""

    @property
    def search(self) -> Query:
        """The search text's words as matched (none when ``q`` is empty)."""
        return parse_query(self.q)

    @property
    def day(self) -> dt.date:
        """The day whose status the cards, the map and the timeline marker show."""
        return self.asof or self.end

    @property
    def shown_roads(self) -> tuple[str, ...]:
        """The roads shown: those chosen, or both."""
        return self.roads or ROADS

    def fit(self, options: Options) -> Choice:
        """The canonical form of the choice.

        Values outside the vocabularies are dropped, a full list is emptied, the range is
        kept inside the record and the as-of day inside the range (``None`` at its end);
        a search text is trimmed, and emptied when it holds no word to search for.
        """
        lo, hi = options.bounds
        start, end = min(max(self.start, lo), hi), min(max(self.end, lo), hi)
        if start > end:
            start, end = lo, hi
        asof = None if self.asof is None else min(max(self.asof, start), end)
        lists = {}
        for key in LIST_KEYS:
            allowed = options.values[key.attr]
            chosen = set(getattr(self, key.attr))
            kept = tuple(v for v in allowed if v in chosen)
            lists[key.attr] = () if len(kept) == len(allowed) else kept
        q = " ".join(self.q.split())
        return Choice(start, end, None if asof == end else asof, **lists, q=q if parse_query(q).active else "")

    def to_query(self, options: Options) -> dict[str, str]:
        """The link's query: every key whose value differs from the default, in :data:`KEYS` order."""
        default = options.default()
        return {k.url: k.text(self) for k in KEYS if k.get(self) != k.get(default)}

    def slug(self, options: Options) -> str:
        """The part of a download's file name that carries this choice."""
        default = options.default()
        return "_".join(s for k in KEYS for s in [k.slug(self, default)] if s)

    def record(self, options: Options) -> dict:
        """The choice as a snapshot's manifest records it (every key, lists as lists)."""
        record = {k.record: k.recorded(self, options) for k in KEYS}
        record["all_event_types"] = not self.event_types
        return record

    def command_line(self, options: Options) -> str:
        """The command that rebuilds this choice's snapshot from the same data."""
        default = options.default()
        words = ["python -m routestatus snapshot"]
        for k in KEYS:
            if k.always or k.get(self) != k.get(default):
                words += k.flag_words(self)
        return " ".join(words)


@dataclass(frozen=True)
class Options:
    """What a choice may hold, read from the data: the record's span and each list's vocabulary."""

    bounds: tuple[dt.date, dt.date]
    values: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, data: Dataset) -> Options:
        """The options of a loaded dataset that has events."""
        statements = data.tables.get("statements")
        people = {}
        for attr, column in (("organisations", "organisation"), ("speakers", "speaker")):
            people[attr] = tuple(sorted(statements[column].dropna().unique())) if statements is not None else ()
        return cls(
            record_span(data.tables["events"]),
            {"roads": ROADS, "event_types": data.schema.enum("events", "event_type"), **people},
        )

    def default(self) -> Choice:
        """The choice of a link with no query: the whole record, every road, type and speaker."""
        return Choice(*self.bounds)


@dataclass(frozen=True)
class Notice:
    """A value that was not taken as given: which key, what was wrong, and what is shown instead.

    ``str()`` words it for a reader who followed a link; :meth:`for_command` for the command line.
    """

    key: str  # the link key it concerns, so the notice can go once the reader changes that value
    problem: str  # e.g. "'20230901' is not a date in the form YYYY-MM-DD (for example 2023-09-19)"
    instead: str  # e.g. "Showing the whole record."
    also: tuple[str, ...] = ()  # other link keys the same problem concerns (a reversed range: from and to)
    whose: str = "The link's"  # whose value it was: a link's, or the reader's own choice
    note: bool = False  # only informs (the value was used as it is): the command line goes on

    @property
    def keys(self) -> tuple[str, ...]:
        """Every link key this notice concerns."""
        return (self.key, *self.also)

    def __str__(self) -> str:
        return f"{self.whose} {BY_URL[self.key].label} {self.problem}. {self.instead}"

    def for_command(self) -> str:
        """The same problem as a command-line error."""
        return f"{BY_URL[self.key].flag} {self.problem}"


@dataclass(frozen=True)
class Key:
    """One part of the choice and each of its written forms."""

    attr: str  # Choice attribute
    url: str  # key in the link's query
    flag: str  # command-line option
    record: str  # key in the manifest's record
    label: str  # words for the reader
    kind: str  # "date", "list" or "text"
    always: bool = False  # written on the command line even when it is the default
    listed: bool = False  # an empty list is recorded as every value of the vocabulary
    slug_rule: Callable[[tuple[str, ...]], str] | None = None  # a list's file-name part

    def get(self, c: Choice):
        """The value in ``c`` as chosen (``asof`` is ``None`` when it is the end of the range)."""
        return getattr(c, self.attr)

    def text(self, c: Choice) -> str:
        """The value as the link writes it: a day, or items joined by commas."""
        value = self.get(c)
        if self.kind == "text":
            return value
        return value.isoformat() if self.kind == "date" else ",".join(value)

    def recorded(self, c: Choice, options: Options):
        """The value as the manifest records it (``asof`` as the day shown)."""
        value = c.day if self.attr == "asof" else self.get(c)
        if self.kind == "date":
            return value.isoformat()
        if self.kind == "text":
            return value
        return list(value or (options.values[self.attr] if self.listed else ()))

    def flag_words(self, c: Choice) -> list[str]:
        """The value as command-line options, quoted for a shell."""
        value = self.get(c)
        if self.kind == "date":
            return [f"{self.flag} {value.isoformat()}"]
        if self.kind == "text":
            return [f"{self.flag} {shlex.quote(value)}"]
        return [f"{self.flag} {shlex.quote(v)}" for v in value]

    def slug(self, c: Choice, default: Choice) -> str | None:
        """The value's part of a file name, or None when it is the default (dates always appear)."""
        value = self.get(c)
        if self.always:  # the range's ends: every name says which days it holds
            return value.isoformat()
        if value == self.get(default):
            return None
        if self.kind == "date":
            return f"{self.url}-{value.isoformat()}"
        if self.kind == "text":  # the words in plain ASCII, short; a query in another script is "q-search"
            words = re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-")[:30].strip("-")
            return f"{self.url}-{words or 'search'}"
        return self.slug_rule(value) if self.slug_rule else f"{len(value)}{self.url}"


def _named(limit: int, word: str) -> Callable[[tuple[str, ...]], str]:
    """Up to ``limit`` items by name (``-`` for ``_``), more as a count: ``lachin``, ``5types``."""

    def rule(items: tuple[str, ...]) -> str:
        if len(items) <= limit:
            return "-".join(i.replace("_", "-") for i in items)
        return f"{len(items)}{word}"

    return rule


KEYS: tuple[Key, ...] = (
    Key("start", "from", "--from", "from", "start of the range", "date", always=True),
    Key("end", "to", "--to", "to", "end of the range", "date", always=True),
    Key("asof", "asof", "--asof", "asof", "status day", "date"),
    Key("roads", "roads", "--route", "roads", "roads", "list", listed=True, slug_rule=_named(2, "roads")),
    Key(
        "event_types",
        "types",
        "--type",
        "event_types",
        "event types",
        "list",
        listed=True,
        slug_rule=_named(2, "types"),
    ),
    Key("organisations", "orgs", "--organisation", "organisations", "organisations", "list"),
    Key("speakers", "speakers", "--speaker", "speakers", "speakers", "list"),
    Key("q", "q", "--q", "q", "search text", "text"),
)
LIST_KEYS = tuple(k for k in KEYS if k.kind == "list")
BY_URL = {k.url: k for k in KEYS}
BY_ATTR = {k.attr: k for k in KEYS}


def _label(attr: str, value: str) -> str:
    if attr == "roads":
        return ROAD_LABELS.get(value, value)
    if attr == "event_types":
        return type_label(value)
    return value


def _items(text: str, allowed: Sequence[str]) -> list[str]:
    """A link's comma-separated list, keeping together a name that itself holds commas."""
    pieces, items, held = text.split(","), [], ""
    for piece in pieces:
        held = f"{held},{piece}" if held else piece
        if held in allowed or not any(a.startswith(held + ",") for a in allowed):
            items.append(held)
            held = ""
    if held:
        items.append(held)
    return [i for i in items if i]


def _list(key: Key, raw: str | Sequence[str], options: Options, notices: list[Notice]) -> tuple[str, ...]:
    allowed = options.values[key.attr]
    items = _items(raw, allowed) if isinstance(raw, str) else [i for i in raw if i]
    bad = [i for i in items if i not in allowed]
    good = tuple(i for i in items if i in allowed)
    if bad:
        shown = ", ".join(repr(b if len(b) <= 40 else b[:40] + "…") for b in bad[:3])
        more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
        if not allowed:
            known = f"it holds no {key.label}"
        elif len(allowed) <= 20:
            known = "it holds " + ", ".join(_label(key.attr, a) for a in allowed)
        else:
            known = f"it holds {len(allowed)} {key.label}"
        instead = f"Showing all {key.label}." if not good else "Showing the others."
        notices.append(Notice(key.url, f"name {shown}{more}, not in the record ({known})", instead))
    return good


def parse(params: Mapping[str, str | Sequence[str]], options: Options) -> tuple[Choice, list[Notice]]:
    """The choice a link's query (or the command line's options) asks for, and a notice per value not taken.

    Never raises. Unknown keys are ignored; a repeated link key uses its last value; a list
    may be given as comma-separated text or as a sequence of items. A date must be
    ``YYYY-MM-DD`` and inside the record; a reversed range falls back to the whole record;
    an as-of day outside the range is moved to the nearer end of it.
    """
    notices: list[Notice] = []
    raw: dict[str, str | Sequence[str]] = {}
    for url, key in BY_URL.items():
        value = params.get(url)
        if value is None:
            continue
        if isinstance(value, list) and key.kind in ("date", "text"):
            value = value[-1] if value else ""
        if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            notices.append(Notice(url, f"is longer than {MAX_VALUE_LENGTH} characters", "It was ignored."))
            continue
        raw[url] = value
    lo, hi = options.bounds
    days: dict[str, dt.date] = {}
    for url in ("from", "to", "asof"):
        if url not in raw:
            continue
        key, day = BY_URL[url], parse_day(raw[url])
        if day is None:
            notices.append(Notice(url, not_a_day(raw[url]), "It was ignored."))
        elif url != "asof" and not lo <= day <= hi:
            notices.append(Notice(url, f"{day} is outside the record, which runs from {lo} to {hi}", "It was ignored."))
        else:
            days[url] = day
    start, end = days.get("from", lo), days.get("to", hi)
    if start > end:
        notices.append(Notice("from", f"{start} is after the end, {end}", "Showing the whole record.", ("to",)))
        start, end = lo, hi
    asof = days.get("asof")
    if asof is not None and not start <= asof <= end:
        moved = min(max(asof, start), end)
        notices.append(
            Notice("asof", f"{asof} is outside the range {start} to {end}", f"Showing the status on {moved}.")
        )
        asof = moved
    lists = {k.attr: _list(k, raw[k.url], options, notices) for k in LIST_KEYS if k.url in raw}
    q = search_text(raw.get("q"), notices)
    return Choice(start, end, asof, **lists, q=q).fit(options), notices


def search_text(raw: str | Sequence[str] | None, notices: list[Notice], whose: str = "The link's") -> str:
    """The search text to use for ``raw``, adding to ``notices`` when part of it cannot be searched as given.

    ``whose`` words whose text it was: a link's, or the reader's own (typed in the box).
    """
    if not raw:
        return ""
    text = raw if isinstance(raw, str) else " ".join(raw)
    query = parse_query(text)
    if not query.active:
        notices.append(Notice("q", "holds no word to search for, only punctuation", "Showing every row.", whose=whose))
        return ""
    if query.dropped:
        kept = " ".join(text.split()[:MAX_WORDS])
        notices.append(
            Notice(
                "q", f"has more than {MAX_WORDS} words", f"Searching for the first {MAX_WORDS}.", whose=whose, note=True
            )
        )
        text = kept
    if query.markup:
        notices.append(
            Notice("q", "looks like HTML markup", "It is searched for as plain text.", whose=whose, note=True)
        )
    return text


def from_options(values: Mapping[str, object]) -> dict[str, str | Sequence[str]]:
    """Command-line values (by :class:`Key` ``attr``; lists as sequences) as :func:`parse` takes them."""
    return {BY_ATTR[attr].url: v for attr, v in values.items() if v is not None}


def refit(choice: Choice, options: Options, previous: Options | None) -> tuple[Choice, list[Notice]]:
    """A session's choice after the data changed under it, and a notice if its range had to move.

    A range that was the whole old record follows the new record without a notice; any
    other is kept inside the new record.
    """
    if previous is not None and (choice.start, choice.end) == previous.bounds:
        choice = dataclasses.replace(choice, start=options.bounds[0], end=options.bounds[1])
    fitted = choice.fit(options)
    if (fitted.start, fitted.end) == (choice.start, choice.end):
        return fitted, []
    lo, hi = options.bounds
    return fitted, [
        Notice("from", f"no longer fits: the data now runs from {lo} to {hi}", "The range was moved to fit.")
    ]


# The one derived table; declared like the curated ones so that it is written, read and
# documented by the same code as they are.
INTERVALS = Table(
    name="status_intervals",
    path="status_intervals.csv",
    fields=(
        Field("route_id", "string", "Road: lachin or aghdam_askeran."),
        Field("status", "string", "What traffic could pass (see the status definitions in the codebook)."),
        Field("date_from", "date", "First day of this status within the chosen range."),
        Field("date_to", "date", "Last day of this status within the chosen range."),
        Field("days", "integer", "Days from date_from to date_to, both included."),
        Field(
            "start_precision",
            "string",
            "Precision of the date the status began (day, month, approximate); for a status that "
            "began before the range it is the precision of that earlier date.",
        ),
        Field(
            "evidence_event_ids",
            "string",
            "The events (;-separated event_id) that set this status; they may lie before the range "
            "and so be absent from events.csv, but their sources are in sources.csv.",
        ),
    ),
    primary_key=("route_id", "date_from"),
)


SAID_VS_PASSED = Table(
    name="said_vs_passed",
    path="said_vs_passed.csv",
    fields=(
        Field("statement_id", "string", "The statement (see statements.csv)."),
        Field("date", "date", "The day the words were said."),
        Field("route_id", "string", "A road the passage names: lachin or aghdam_askeran."),
        Field("organisation", "string", "Whom the speaker spoke for."),
        Field("speaker", "string", "Who spoke."),
        Field("claim", "string", "What the passage says about the road (the codebook's claim values)."),
        Field("recorded_status", "string", "The road's status in the record on that day."),
        Field(
            "comparison",
            "string",
            "agrees or differs for a claim about what passes (says_open, says_restricted, says_blocked), "
            "by the codebook's rule; not compared for other claims or an unknown status.",
        ),
        Field("evidence_event_ids", "string", "The events (;-separated) behind the recorded status."),
        Field("statement_source_id", "string", "Where the quote was read (see sources.csv)."),
        Field("evidence_source_ids", "string", "The sources of those events (;-separated)."),
    ),
    primary_key=("statement_id", "route_id"),
)


@dataclass(frozen=True)
class Card:
    """One road's status on the as-of day, and why when it is unknown."""

    route_id: str
    interval: Interval
    why_unknown: str = ""


def why_unknown(interval: Interval, road_intervals: Sequence[Interval], bounds: tuple[dt.date, dt.date]) -> str:
    """Plain words for an ``unknown`` status: before the first report, or no evidence after a day."""
    if interval.status != UNKNOWN:
        return ""
    if not bounds[0] <= interval.start <= bounds[1]:
        return f"outside the record, which runs from {bounds[0]} to {bounds[1]}"
    if interval.evidence:
        return f"no evidence in the record after {interval.start - DAY} (event {interval.evidence[-1]})"
    later = [iv for iv in road_intervals if iv.start > interval.start and iv.status != UNKNOWN]
    if later:
        return f"before the first report in the record ({later[0].start})"
    return "no event in the record sets a status for this road"


class View:
    """The data, its status intervals and a choice, with each table of the view worked out once, when first asked.

    ``choice`` is ``None`` when the data has no events; then only :attr:`data` is of use.
    Nothing here changes the cached frames: every table is a new frame.
    """

    def __init__(
        self,
        data: Dataset,
        intervals: Mapping[str, list[Interval]],
        choice: Choice | None,
        options: Options | None = None,
    ) -> None:
        self.data, self.intervals, self.choice = data, intervals, choice
        self.options = options if options is not None or choice is None else Options.of(data)

    @classmethod
    def default(cls, data: Dataset, intervals: Mapping[str, list[Interval]]) -> View:
        """The view of a link with no query."""
        options = Options.of(data)
        return cls(data, intervals, options.default(), options)

    # The choice's written forms, with the options they need.
    def query(self) -> dict[str, str]:
        """The link's query for this view."""
        return self.choice.to_query(self.options)

    def file_name(self, kind: str, extension: str = "csv") -> str:
        """A download's name carrying the choice, e.g. ``routestatus_events_2023-09-01_2023-09-30_lachin.csv``."""
        return f"routestatus_{kind}_{self.choice.slug(self.options)}.{extension}"

    # The tables.
    @cached_property
    def search(self) -> Query:
        """The choice's search, each place name in it standing for all that place's names."""
        query = self.choice.search
        return self.data.search.expand(query) if query.active else query

    def _searched(self, name: str, keep: np.ndarray) -> np.ndarray:
        """``keep`` cut to the rows of table ``name`` (events or statements) that hold every word searched for."""
        query = self.search
        if not query.active:
            return keep
        return keep & np.asarray(self.data.search.mask(name, query), bool)

    @cached_property
    def events(self) -> pd.DataFrame:
        """Events in range, on the shown roads (and both or none), of the chosen types, with the words searched.

        By date, then id: the rows :func:`routestatus.filters.filter_events` keeps, selected
        on the dataset's arrays (:mod:`routestatus.selection`).
        """
        return self.data.selection.events.take(self._event_keep)

    def events_with(self, *columns: str) -> pd.DataFrame:
        """:attr:`events` with only ``columns``, each row labelled by its position in the events table.

        For a page that reads a few columns of every row in range and the rest of only a few
        rows (from the events table, by those labels): at 100,000 events, a take of every
        column of the rows in range cost 50 to 90 ms on a rerun's new thread, most of it the
        memory for text that no one read. :attr:`events` is taken whole when asked for.
        With no columns, the rows' labels alone (for a page that reads the dataset's codes).
        """
        if "events" in self.__dict__:  # already taken whole in this rerun
            return self.events[list(columns)]
        if not columns:
            return pd.DataFrame(index=pd.Index(self._event_positions))
        return rows_at(self.data.tables["events"], self._event_positions, columns)

    def statements_with(self, *columns: str) -> pd.DataFrame:
        """:attr:`statements` with only ``columns`` (their index labels as in the statements table).

        For a page that reads a column or two of every statement in view: the whole rows
        (quotes and all) cost 1.6 ms a rerun at 100,000 events, their dates 0.3 ms. The same
        columns asked again in this view are the same frame (the Statements page's chart and
        :attr:`voices` read the same two), so it is not to be changed.
        """
        if "statements" in self.__dict__:  # already taken whole in this rerun
            return self.statements[list(columns)]
        taken = self._statement_columns
        if columns not in taken:
            taken[columns] = rows_at(self.data.tables["statements"], self._statement_positions, columns)
        return taken[columns]

    @cached_property
    def _statement_columns(self) -> dict[tuple[str, ...], pd.DataFrame]:
        """:meth:`statements_with`'s frames, by their columns."""
        return {}

    def count(self, name: str) -> int:
        """The number of rows of the view's table ``name``, without taking them where positions tell."""
        if name == "events":
            return len(self._event_positions)
        if name == "statements":
            return len(self._statement_positions)
        if name == "sources":
            return len(self._source_positions)
        if name == "said_vs_passed":
            return len(self._said_positions)
        if name == "status_intervals":
            return len(self._interval_values["route_id"])
        return len(getattr(self, name))

    @property
    def event_filter(self) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The roads and event types that, with the range, choose :attr:`events`; None when a search also does.

        See :func:`routestatus.figures.mark_columns`' ``record``.
        """
        c = self.choice
        return None if self.search.active else (tuple(c.shown_roads), tuple(c.event_types))

    @cached_property
    def _event_keep(self) -> np.ndarray:
        """Which events :attr:`events` holds, as a mask over the events table."""
        c, selection = self.choice, self.data.selection
        return self._searched("events", selection.event_mask(c.start, c.end, c.shown_roads, c.event_types))

    @cached_property
    def _event_positions(self) -> np.ndarray:
        """The positions in the events table of :attr:`events`' rows."""
        return np.flatnonzero(self._event_keep)

    @cached_property
    def _statement_positions(self) -> np.ndarray:
        """The positions in the statements table of :attr:`statements`' rows."""
        c = self.choice
        if not c.organisations and not c.speakers:
            # No one chosen: the rows in range are the rows, read off the mask with no take of the
            # table (12 ms a Sources rerun at 100,000 events, a page that shows no statement).
            return np.flatnonzero(self._statement_range_keep)
        return self.data.tables["statements"].index.get_indexer(self.statements.index)

    @cached_property
    def _statement_range_keep(self) -> np.ndarray:
        """Which statements :attr:`statements_in_range` holds, as a mask over the statements table."""
        c, selection = self.choice, self.data.selection
        return self._searched("statements", selection.statement_mask(c.start, c.end, c.shown_roads))

    @cached_property
    def statements_in_range(self) -> pd.DataFrame:
        """Statements in range that name a shown road or none and hold the words searched for.

        Before the choice of people (the page offers the organisations and speakers of these).
        The rows :func:`routestatus.filters.filter_statements` keeps.
        """
        return self.data.selection.statements.take(self._statement_range_keep)

    @cached_property
    def statements(self) -> pd.DataFrame:
        """:attr:`statements_in_range` by the chosen organisations and speakers."""
        c = self.choice
        return filter_people(self.statements_in_range, c.organisations, c.speakers)

    @cached_property
    def status_intervals(self) -> pd.DataFrame:
        """Status intervals of the shown roads cut to the range, by road then date, typed like the CSV."""
        # Typed as the same table written to CSV and read back (typedframes.from_values).
        return from_values(INTERVALS, self._interval_values)

    @cached_property
    def _interval_values(self) -> dict[str, list]:
        """:attr:`status_intervals`' columns as the Python values it is typed from (dates, ints, text)."""
        shown = [(road, iv) for road in self.choice.shown_roads for iv in self.clipped[road]]
        return {
            "route_id": [road for road, _ in shown],
            "status": [iv.status for _, iv in shown],
            "date_from": [iv.start for _, iv in shown],
            "date_to": [iv.end for _, iv in shown],
            "days": [(iv.end - iv.start).days + 1 for _, iv in shown],
            "start_precision": [iv.precision for _, iv in shown],
            "evidence_event_ids": [";".join(iv.evidence) for _, iv in shown],
        }

    @cached_property
    def clipped(self) -> dict[str, list[Interval]]:
        """Each shown road's status intervals cut to the range (what the timeline draws)."""
        c = self.choice
        return {road: clip(self.intervals.get(road, []), c.start, c.end) for road in c.shown_roads}

    @cached_property
    def sources(self) -> pd.DataFrame:
        """Sources cited by the rows shown, by the events behind the intervals, or by the shown roads' courses."""
        return self.data.tables["sources"].iloc[self._source_positions]

    @cached_property
    def _source_positions(self) -> np.ndarray:
        """The positions in the sources table of :attr:`sources`' rows."""
        selection = self.data.selection
        c = self.choice
        # The events behind the intervals in range: those of the record's intervals that overlap
        # it (clip keeps each one's evidence), read from positions kept per road, not an id set.
        behind = selection.kept("evidence positions", self.intervals, partial(_Evidence, self.intervals, selection))
        # The events shown and the events behind the intervals, as one mask; their sources at once.
        events = self._event_keep.copy()
        for road in c.shown_roads:
            events[behind.positions(road, c.start, c.end)] = True
        return selection.sources_cited(events, self._statement_positions, self.choice.shown_roads)

    @cached_property
    def cards(self) -> dict[str, Card]:
        """Each shown road's status on the as-of day."""
        day, bounds = self.choice.day, self.options.bounds
        out = {}
        for road in self.choice.shown_roads:
            iv = status_at(self.intervals, road, day)
            out[road] = Card(road, iv, why_unknown(iv, self.intervals.get(road, []), bounds))
        return out

    @cached_property
    def days(self) -> pd.DataFrame:
        """Days each shown road spent in each status within the range (rows: roads; columns: statuses)."""
        c, intervals = self.choice, self.intervals
        statuses = self.data.schema.enum("events", "status_after")
        totals = self.data.selection.kept("day totals", intervals, lambda: DayTotals(intervals, statuses))
        return days_in_status(intervals, c.start, c.end, statuses, c.shown_roads, totals)

    @cached_property
    def passage(self) -> pd.DataFrame:
        """Days without civilian passage per shown road in the range, and their parts (from :attr:`days`).

        See :func:`routestatus.status.passage_days` and the codebook's "No civilian passage".
        """
        return passage_days(self.days)

    @cached_property
    def voices(self) -> pd.DataFrame:
        """Per organisation and shown road: who spoke in this view, and their longest silence.

        See :func:`routestatus.saidpassed.voices`.
        """
        # The days alone are read (the roads and organisations are the dataset's flags and codes);
        # taken with the precision, as the page's chart takes them, one take serves both.
        dated = self.statements_with("date", "date_precision")
        return voices(dated, self.choice.shown_roads, self.roads_named, self.organisations)

    @cached_property
    def organisations(self) -> tuple[np.ndarray, np.ndarray]:
        """Each row of :attr:`statements`' organisation as a code (-1: none), and the names the codes number."""
        return self.data.selection.statement_codes("organisation", self._statement_positions)

    def names_in_range(self, column: str) -> list[str]:
        """The distinct ``organisation`` or ``speaker`` names of :attr:`statements_in_range`, sorted."""
        positions = np.flatnonzero(self._statement_range_keep)
        codes, names = self.data.selection.statement_codes(column, positions)
        return sorted(names[np.unique(codes[codes >= 0])].tolist())

    @cached_property
    def roads_named(self) -> dict[str, np.ndarray]:
        """For each road any statement names, whether each row of :attr:`statements` names it ("none": no road).

        The dataset's flags, taken at the view's rows, where a regex or a split per row read every ``route_ids``.
        """
        return self.data.selection.statement_names(self._statement_positions)

    @cached_property
    def said_vs_passed(self) -> pd.DataFrame:
        """Each statement shown beside the status recorded on its day, per shown road it names."""
        whole, keep = self._said
        return whole[keep].reset_index(drop=True)

    @cached_property
    def _said(self) -> tuple[pd.DataFrame, np.ndarray]:
        """Said-vs-passed for every statement and road, and which of its rows the view shows."""
        # Worked out once per dataset for every statement and road (a statement's recorded
        # status does not depend on the view), then the view's statements and roads are picked.
        data, intervals = self.data, self.intervals

        def every_statement() -> tuple[pd.DataFrame, np.ndarray]:
            frame = said_vs_passed(data.tables["statements"], intervals, data.tables["events"], ROADS, positions=True)
            return typed(SAID_VS_PASSED, frame), frame["_row"].to_numpy(np.int64)

        whole, rows = data.selection.kept("said_vs_passed", intervals, every_statement)
        # Lookups in flags, where isin sorted both sides: the statements shown, then the roads'
        # rows (each road's flags kept with the table).
        shown = np.zeros(len(data.tables["statements"]), bool)
        shown[self._statement_positions] = True
        keep = shown[rows]
        keep &= np.logical_or.reduce([self._said_column(whole, "route_id") == road for road in self.choice.shown_roads])
        return whole, keep

    def _said_column(self, whole: pd.DataFrame, name: str) -> np.ndarray:
        """One column of the dataset's said-vs-passed as a numpy array (missing: None; dates: datetime64[us]), kept."""

        def column() -> np.ndarray:
            if name == "date":
                return whole[name].to_numpy("datetime64[us]")
            return whole[name].to_numpy(object, na_value=None)

        return self.data.selection.kept(f"said_vs_passed column {name}", whole, column)

    def said_columns(self, *names: str) -> dict[str, np.ndarray]:
        """Columns of :attr:`said_vs_passed` as numpy arrays, taken from the dataset's without the table.

        For the figures, which read five columns of every row: a take of the whole table's
        rows cost more than drawing them. Missing values are None; ``date`` is datetime64[us].
        """
        whole, at = self._said[0], self._said_positions
        return {name: self._said_column(whole, name)[at] for name in names}

    @cached_property
    def _said_positions(self) -> np.ndarray:
        """The positions in the dataset's said-vs-passed of :attr:`said_vs_passed`' rows."""
        return np.flatnonzero(self._said[1])

    def _positions(self, name: str) -> tuple[pd.DataFrame, np.ndarray] | None:
        """The dataset-wide table the view's table ``name`` is taken from, and its rows' positions there.

        None for tables worked out for the view itself (status intervals).
        """
        tables = self.data.tables
        if name == "events":
            return tables["events"], self._event_positions
        if name == "statements":
            return tables["statements"], self._statement_positions
        if name == "said_vs_passed":
            return self._said[0], self._said_positions
        if name == "sources":
            return tables["sources"], self._source_positions
        return None

    def in_words(
        self, name: str, make: Callable[[pd.DataFrame], pd.DataFrame], part=slice(None), arrow: bool = False
    ) -> pd.DataFrame | pa.Table:
        """``make`` of the rows ``part`` (a slice, mask or positions) of the view's table ``name``.

        With ``make`` a :func:`functools.partial` of a function that words each row on its
        own (those of :mod:`routestatus.page_tables`), the words are kept for the dataset
        (:class:`routestatus.worded.Worded`), per function and arguments (compared by
        identity), so a rerun over rows worded before only takes them; without a search among
        the arguments, the whole table is also worded once in the background, so any later
        page is a take. Any other ``make``, and tables worked out per view, are called on the rows.
        With ``arrow``, the rows come as an Arrow table where the words are kept in one
        (:meth:`routestatus.worded.Worded.arrow_rows`), else as a frame. The status
        intervals go to ``make`` as their columns of Python values, before typing (see
        :func:`routestatus.page_tables.intervals_arrow`): a page of them is worded from
        those, and typing the frame cost more than wording its rows (1 ms a rerun, at any size).
        """
        if name == "status_intervals":
            return make({column: _part(values, part) for column, values in self._interval_values.items()})
        located = self._positions(name)
        if located is None or not isinstance(make, partial):
            return make(getattr(self, name).iloc[part])
        whole, positions = located
        basis = (*make.args, *make.keywords.values())
        kind = f"words:{name}:{make.func.__module__}.{make.func.__qualname__}"
        # Words made for one search are not worded whole ahead (each new search would cost that
        # again), and are kept apart from the words without one, which a new search leaves in place.
        ahead = not any(isinstance(b, Query) for b in basis)
        kind += "" if ahead else ":searched"
        worded = self.data.selection.kept(kind, basis, lambda: Worded(whole, make, prepare=ahead))
        if arrow:
            table = worded.arrow_rows(positions[part])
            if table is not None:
                return table
        return worded.rows(positions[part])

    def table(self, name: str) -> pd.DataFrame:
        """One export table (``events``, ``statements``, ``sources``, ``status_intervals``) in its declared columns.

        Events and statements have the codebook's columns, then the readable ones of
        :data:`routestatus.exportcolumns.EXPORT_FIELDS` worked out for the rows of the view.
        """
        return export_frame(self.data, name, getattr(self, name))

    def positions(self, name: str) -> np.ndarray | None:
        """Where the rows of :meth:`table` ``name`` are in the dataset's own table; None for tables made per view.

        For ``events``, ``statements`` and ``sources``: ``table(name)`` is then
        :func:`export_frame` of the dataset's table at these positions.
        """
        located = self._positions(name) if name in ("events", "statements", "sources") else None
        return None if located is None else located[1]


class _Evidence:
    """Per road, the positions in the events table of each status interval's evidence, laid end to end.

    The intervals of a range are a run of the record's, found by binary search (as
    ``status.clip`` finds them), so the events behind them are a slice: working out the
    set of their ids and looking each up cost Sources & method 0.3 ms a rerun at 100,000 events.
    """

    def __init__(self, intervals: dict[str, list], selection) -> None:
        self._roads = {}
        for road, ivs in intervals.items():
            lists = [selection.event_positions(iv.evidence) for iv in ivs]
            offsets = np.cumsum([0] + [len(x) for x in lists])
            flat = np.concatenate(lists) if lists else np.zeros(0, np.int64)
            self._roads[road] = ([iv.start for iv in ivs], [iv.end for iv in ivs], offsets, flat)

    def positions(self, road: str, lo: dt.date, hi: dt.date) -> np.ndarray:
        """The positions of the events behind ``road``'s intervals that overlap [lo, hi] (repeats possible)."""
        if road not in self._roads:
            return np.zeros(0, np.int64)
        starts, ends, offsets, flat = self._roads[road]
        first, last = bisect.bisect_left(ends, lo), bisect.bisect_right(starts, hi)
        return flat[offsets[first] : offsets[max(first, last)]]


def _part(values: list, part) -> list:
    """The items ``part`` (a slice, a mask or positions) of a list."""
    if isinstance(part, slice):
        return values[part]
    at = np.asarray(part)
    return [values[i] for i in (np.flatnonzero(at) if at.dtype == bool else at).tolist()]


def export_frame(data: Dataset, name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of the table ``name`` as exported: the declared columns (:func:`table_schema`), export-only ones made."""
    if name in EXPORT_FIELDS:
        frame = frame.assign(**export_columns(data, name, frame))
    return frame[table_schema(data, name).columns].reset_index(drop=True)


DERIVED = {t.name: t for t in (INTERVALS, SAID_VS_PASSED)}


def export_schema(schema: Schema, name: str) -> Table:
    """The declared columns of one export table, from the data contract: the codebook's, then any export-only ones."""
    if name in DERIVED:
        return DERIVED[name]
    table = schema.tables[name]
    return dataclasses.replace(table, fields=table.fields + EXPORT_FIELDS.get(name, ()))


def table_schema(data: Dataset, name: str) -> Table:
    """The declared columns of one export table of a loaded dataset (see :func:`export_schema`)."""
    return export_schema(data.schema, name)
