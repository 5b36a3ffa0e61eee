"""Tables in a page's words, worked out a block of rows at a time and kept for the dataset.

Wording a page of a table (dates at their precision, roads and types in words, links) is
the same for a row whatever the view it is shown in, yet it was done anew on every rerun:
2 to 6 ms a table even for 40 rows, most of it pandas' cost per call, not per row. A
:class:`Worded` keeps the words of the rows it has worded, in blocks of :data:`BLOCK`
consecutive rows of the whole table, so a new range over rows seen before costs a take;
rows not yet worded are worded together, in one call. At most :data:`KEPT_BLOCKS` blocks
are kept per table (the least recently used go first), so memory stays bounded at any size.

A new range still words the rows it has not met: at 100,000 events that was most of the
project's own time in a rerun of the Map, the Timeline or the Statements page (7 to 20 ms,
pandas' cost per call again). So a table of up to :data:`PREPARED_MAX_ROWS` rows is also
worded whole once, in a background thread started when the script run that first showed
it is over (:func:`start_queued`; events at 100,000: 0.4 s of one core, about 50 MiB
kept); from then on every page of it is a slice or a take. Until that is done, pages are
worded by block as above.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

BLOCK = 128  # rows per kept block: a page of 500 rows words at most 2 blocks' worth more
KEPT_BLOCKS = 512  # per table: 65,536 rows
# Tables up to this many rows are worded whole in the background: with the words of the
# 100,000 events at about 50 MiB, a larger table is left to the blocks, whose memory is bounded.
PREPARED_MAX_ROWS = 200_000


# Tables waiting to be worded whole (weakly held: a table no page keeps is not worded).
_QUEUE: list[weakref.ref] = []
_QUEUE_LOCK = threading.Lock()


def start_queued() -> int:
    """Start the background wording of every table queued since the last call; how many were started.

    Called when a script run of the dashboard is over, so that wording never competes with
    drawing the page that asked for it.
    """
    with _QUEUE_LOCK:
        queued = [ref() for ref in _QUEUE]
        _QUEUE.clear()
    started = [w for w in queued if w is not None]
    for w in started:
        w._start()  # noqa: SLF001  (the queue is this module's own)
    return len(started)


def queue(job: Worded | Later) -> None:
    """Queue ``job`` for :func:`start_queued`: weakly held, so a job no one keeps is never started."""
    with _QUEUE_LOCK:
        _QUEUE.append(weakref.ref(job))


def _thread(target: Callable[[], None], name: str) -> threading.Thread:
    """``target`` started in a thread of its own.

    Not a daemon: a process that ends waits for the work under way (under a second at
    100,000 events). A daemon thread still inside pandas or Arrow when the interpreter shuts
    down makes it abort ("PyGILState_Release ... finalizing").
    """
    thread = threading.Thread(target=target, name=name, daemon=False)
    thread.start()
    return thread


class Later:
    """Other work kept per dataset that a page can do without for one run, queued as the tables are.

    ``make()`` runs once, in a thread started by :func:`start_queued` (or :meth:`start`);
    ``made`` is its result, None until then or if it failed (the page then goes on without it).
    """

    def __init__(self, make: Callable[[], object], name: str) -> None:
        self._make, self._name, self.made, self.thread = make, name, None, None
        self._lock = threading.Lock()

    def _start(self) -> None:
        with self._lock:
            if self.thread is None:
                self.thread = _thread(self._run, self._name)

    def _run(self) -> None:
        try:
            self.made = self._make()
        except Exception:  # noqa: BLE001  (see the class: the page goes on without it)
            return

    def now(self) -> object:
        """``made``, made here and now if the thread has not made it yet (a page that cannot do without it)."""
        if self.made is None:
            self.made = self._make()
        return self.made


def _dequeue(worded: Worded) -> None:
    """Take ``worded`` off the queue, if it is on it."""
    with _QUEUE_LOCK:
        _QUEUE[:] = [ref for ref in _QUEUE if ref() is not worded]


class Worded:
    """``make(whole.iloc[positions])`` for any positions, from words kept per block of rows.

    ``make`` must word each row on its own (a row's words do not depend on the other rows
    passed), as every table of :mod:`routestatus.page_tables` does. Shared by every
    session on the dataset, so the kept frames are never changed in place.
    """

    def __init__(self, whole: pd.DataFrame, make: Callable[[pd.DataFrame], pd.DataFrame], prepare: bool = True) -> None:
        self._whole, self._make = whole, make
        self._blocks: OrderedDict[int, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()  # each session reruns on its own thread
        self._all: pd.DataFrame | None = None  # every row's words, once the background wording is done
        self._preparing: threading.Thread | None = None
        self._none: pd.DataFrame | None = None  # the words of no rows
        self._arrow: pa.Table | None = None  # every row's words in Arrow (once worded whole, or of one block)
        self._listed: dict[str, np.ndarray] = {}  # columns of the whole words as arrays (whole_column)
        self._ahead = prepare and BLOCK < len(whole) <= PREPARED_MAX_ROWS
        if self._ahead:
            # Queued, not started: the page that first shows the table is drawn without the
            # wording beside it (at 100,000 events that cost the first start 7 %), and
            # start_queued() starts it once the script run is over.
            queue(self)

    def _start(self) -> None:
        with self._lock:
            if self._preparing is None:
                self._preparing = _thread(self._prepare, "routestatus-words")

    def _prepare(self) -> None:
        """Word every row in one call (outside the lock, so pages are worded by block meanwhile), then keep it."""
        try:
            words = self._make(self._whole)
        except Exception:  # noqa: BLE001  (the pages word by block as before, and say any error there)
            return
        words.index = pd.RangeIndex(len(words))
        try:
            arrow = _as_arrow(words)
        except (pa.ArrowException, TypeError, ValueError):  # a column Arrow cannot hold: frames only
            arrow = None
        with self._lock:
            self._all, self._arrow = words, arrow
            self._blocks.clear()  # every row is in the whole now

    def wait(self, timeout: float | None = None) -> bool:
        """Word the whole table now if it is queued, and wait for that to end; whether every row's words are kept."""
        if self._ahead:
            _dequeue(self)
            self._start()
        if self._preparing is not None:
            self._preparing.join(timeout)
        return self._all is not None

    def whole_rows(self, positions: np.ndarray) -> pd.DataFrame | None:
        """:meth:`rows` once the whole table is worded (or it is one block); None until then (nothing is worded here).

        For words needed at rows scattered over the table (the latest events of each of the
        map's marks), where wording the block of each would word most of the table at once.
        """
        if self._all is None:
            # A table of one block is never worded ahead: the block, worded once and kept, is all of it.
            return self.rows(positions) if len(self._whole) <= BLOCK else None
        return self.rows(positions)

    def whole_column(self, name: str, positions: np.ndarray) -> list | None:
        """``whole_rows(positions)[name].tolist()``: once the table is worded whole, from that column kept as an array.

        For the Map's marks, which read one column of rows scattered over the table: a take of
        the frame and its column cost 0.5 ms a rerun at 100,000 events, the array's take a tenth.
        """
        if self._all is None:
            rows = self.whole_rows(positions)
            return None if rows is None else rows[name].tolist()
        column = self._listed.get(name)
        if column is None:
            # The column's own values (as tolist gives them), kept beside the words; never changed.
            column = self._listed[name] = np.array(self._all[name].tolist(), dtype=object)
        return column[np.asarray(positions, np.int64)].tolist()

    def arrow_rows(self, positions: np.ndarray) -> pa.Table | None:
        """:meth:`rows` as an Arrow table, once the whole table is worded (or it is one block); else None.

        The same columns and values as :meth:`rows` gives, as ``st.dataframe`` would convert
        them (no index: the pages hide it).
        """
        table = self._arrow
        if table is None:
            if self._all is not None or len(self._whole) > BLOCK:
                return None  # worded whole without Arrow, or not yet
            try:
                table = _as_arrow(self.rows(np.arange(len(self._whole))))  # the one block, kept
            except (pa.ArrowException, TypeError, ValueError):
                return None
            with self._lock:
                self._arrow = table
        at = np.asarray(positions, np.int64)
        if _one_run(at):
            return table.slice(int(at[0]), len(at))  # no copy
        return table.take(at)

    def rows(self, positions: np.ndarray) -> pd.DataFrame:
        """The rows at ``positions`` (in that order) in words, with a fresh 0..n-1 index."""
        positions = np.asarray(positions, np.int64)
        if not len(positions):
            # No rows still has the table's columns; worded once (1 to 2 ms a call for the same frame).
            if self._none is None:
                self._none = self._make(self._whole.iloc[:0]).reset_index(drop=True)
            return self._none.iloc[:0]
        whole = self._all
        if whole is not None:
            return _taken(whole, positions)
        numbers = np.unique(positions // BLOCK).tolist()
        with self._lock:
            missing = [b for b in numbers if b not in self._blocks]
            fresh = self._word(missing)
            parts = []
            for b in numbers:
                self._blocks.move_to_end(b)
                parts.append(self._blocks[b])
            while len(self._blocks) > max(KEPT_BLOCKS, len(numbers)):
                self._blocks.popitem(last=False)
        # Where each position's row is in the blocks laid end to end.
        lengths = np.fromiter((len(p) for p in parts), np.int64, len(parts))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        at = starts[np.searchsorted(numbers, positions // BLOCK)] + positions % BLOCK
        if len(missing) == len(numbers):
            frame = fresh  # every block was just worded, in this order: no need to join them again
        else:
            frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        return _taken(frame, at)

    def _word(self, missing: list[int]) -> pd.DataFrame | None:
        """Word the blocks numbered ``missing`` in one call of ``make``, keep them, and return them joined."""
        if not missing:
            return None
        n = len(self._whole)
        sizes = [min((b + 1) * BLOCK, n) - b * BLOCK for b in missing]
        if missing[-1] - missing[0] == len(missing) - 1:
            # Consecutive blocks (the usual page): a slice of the table, which copies nothing;
            # a take copies every column, though the words need only a few.
            rows = self._whole.iloc[missing[0] * BLOCK : missing[0] * BLOCK + sum(sizes)]
        else:
            rows = self._whole.iloc[
                np.concatenate([np.arange(b * BLOCK, b * BLOCK + k) for b, k in zip(missing, sizes, strict=True)])
            ]
        worded = self._make(rows)
        worded.index = pd.RangeIndex(len(worded))
        first = 0
        for b, k in zip(missing, sizes, strict=True):
            block = worded.iloc[first : first + k]
            block.index = pd.RangeIndex(k)
            self._blocks[b] = block
            first += k
        return worded


def _one_run(at: np.ndarray) -> bool:
    """Whether the positions ``at`` are one run of consecutive rows (so a slice, not a take, gives them)."""
    return bool(len(at)) and at[-1] - at[0] + 1 == len(at) and (len(at) < 2 or bool((np.diff(at) == 1).all()))


def _as_arrow(words: pd.DataFrame) -> pa.Table:
    """Words as the Arrow table ``st.dataframe`` makes of them, without the index."""
    # In this thread alone: Arrow's pool of threads refuses work once the interpreter has begun
    # to shut down, and a process that ends while the words are made would print its error.
    return pa.Table.from_pandas(words, preserve_index=False, nthreads=1)


def _taken(frame: pd.DataFrame, at: np.ndarray) -> pd.DataFrame:
    """The rows of ``frame`` at positions ``at`` (not empty), as a new frame with a 0..n-1 index."""
    if _one_run(at):
        out = frame.iloc[int(at[0]) : int(at[-1]) + 1]  # a slice, no copy
    else:
        out = frame.iloc[at]
    out.index = pd.RangeIndex(len(out))  # a new frame object: the kept one keeps its index
    return out
