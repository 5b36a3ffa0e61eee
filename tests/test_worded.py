"""Tables worded once per dataset, in kept blocks or whole, are the tables worded anew for each view.

``View.in_words`` takes a page's words from ``routestatus.worded``'s blocks, or from the
whole table worded in the background; for many random views on the curated data and on
generated data (with small blocks, so pages span several and blocks are dropped and worded
again), every page of every table must equal the table function called on that page's rows.
"""

import datetime as dt
import random
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from routestatus import worded
from routestatus.accessmap import hover_lines
from routestatus.page_tables import event_list, events_table, said_table, statement_list, statements_table
from routestatus.statement_lines import statement_lines
from routestatus.status import ROADS, build_intervals
from routestatus.view import View, parse
from routestatus.worded import Worded


def _views(data, n, seed):
    rng = random.Random(seed)
    intervals = build_intervals(data.tables["events"])
    base = View.default(data, intervals)
    lo, hi = base.choice.start, base.choice.end
    for _ in range(n):
        a = lo + dt.timedelta(rng.randrange((hi - lo).days + 1))
        b = min(hi, a + dt.timedelta(rng.choice([0, 6, 30, 400, 2000])))
        query = {"from": a.isoformat(), "to": b.isoformat()}
        if rng.random() < 0.3:
            query["roads"] = rng.choice(ROADS)
        if rng.random() < 0.2:
            query["q"] = rng.choice(["Lachin", "road", "humanitarian"])
        yield rng, View(data, intervals, parse(query, base.options)[0], base.options)


def _tables(data):
    sources, verdicts = data.tables["sources"], data.quote_checks.verdicts
    return [
        ("events", partial(event_list, places=data.tables["places"])),
        ("events", partial(events_table, sources=sources)),
        ("statements", partial(statement_list, sources=sources, verdicts=verdicts)),
        ("statements", partial(statements_table, sources=sources, verdicts=verdicts)),
        ("statements", partial(statement_lines, sources=sources, verdicts=verdicts)),
        ("said_vs_passed", partial(said_table, sources=sources)),
        ("events", hover_lines),  # the map marks' hover lines, kept by the map itself
    ]


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_kept_words_are_the_words_of_the_rows(which, data, generated, monkeypatch):
    dataset = data if which == "curated" else generated
    monkeypatch.setattr(worded, "BLOCK", 16)
    monkeypatch.setattr(worded, "KEPT_BLOCKS", 8)
    monkeypatch.setattr(worded, "PREPARED_MAX_ROWS", 0)  # the blocks alone; the whole is tested below
    for rng, view in _views(dataset, 25, seed=9):
        for name, make in _tables(dataset):
            rows = getattr(view, name)
            first = rng.randrange(max(len(rows), 1))
            some = np.random.default_rng(first).random(len(rows)) < 0.3
            parts = [slice(None), slice(first, first + 40), slice(0), some]
            for part in parts:
                expected = make(rows.iloc[part])
                got = view.in_words(name, make, part)
                pd.testing.assert_frame_equal(
                    got, expected, check_dtype=True, obj=f"{name} {getattr(make, 'func', make).__name__}"
                )


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_words_of_the_whole_table_worded_ahead_are_the_words_of_the_rows(which, data, generated, monkeypatch):
    dataset = data if which == "curated" else generated
    monkeypatch.setattr(worded, "BLOCK", 16)  # so the curated tables are worded ahead too
    for rng, view in _views(dataset, 12, seed=5):
        for name, make in _tables(dataset):
            whole, positions = view._positions(name)
            kept = Worded(whole, make)
            assert kept.wait(60), f"{name} {getattr(make, 'func', make).__name__} was not worded ahead"
            first = rng.randrange(max(len(positions), 1))
            some = np.random.default_rng(first).random(len(positions)) < 0.3
            for part in (slice(None), slice(first, first + 40), slice(0), some):
                expected = make(whole.iloc[positions[part]]).reset_index(drop=True)
                pd.testing.assert_frame_equal(
                    kept.rows(positions[part]), expected, obj=f"{name} {getattr(make, 'func', make).__name__}"
                )


def test_a_view_words_its_tables_ahead_but_not_those_of_a_search(data, monkeypatch):
    monkeypatch.setattr(worded, "BLOCK", 16)
    made = []
    monkeypatch.setattr(worded.Worded, "__init__", _recording(worded.Worded.__init__, made))
    intervals = build_intervals(data.tables["events"])
    base = View.default(data, intervals)
    sources, verdicts = data.tables["sources"], data.quote_checks.verdicts
    searched = View(data, intervals, parse({"q": "Lachin"}, base.options)[0], base.options)
    for view in (base, searched):
        search = view.search if view.search.active else None
        view.in_words("statements", partial(statement_lines, sources=sources, verdicts=verdicts, search=search))
    # The view without a search made its words (unless another test on this dataset did), worded ahead.
    assert made and made[-1][1] is False and all(prepare for _, prepare in made[:-1])
    # The words without a search are still kept beside those of the search.
    before = len(made)
    again = base.in_words("statements", partial(statement_lines, sources=sources, verdicts=verdicts, search=None))
    assert len(made) == before and len(again) == len(base.statements)


def test_a_table_past_the_limit_is_left_to_the_blocks(monkeypatch):
    monkeypatch.setattr(worded, "BLOCK", 4)
    monkeypatch.setattr(worded, "PREPARED_MAX_ROWS", 39)
    frame = pd.DataFrame({"n": np.arange(40)})
    assert not Worded(frame, lambda rows: rows.reset_index(drop=True)).wait(5)
    kept = Worded(frame.iloc[:39], lambda rows: rows.reset_index(drop=True))
    assert kept.whole_rows(np.array([3, 30])) is None  # not worded whole yet, and nothing worded for it
    assert not kept._blocks
    assert kept.wait(5)
    assert kept.whole_rows(np.array([3, 30]))["n"].tolist() == [3, 30]


def test_the_dashboard_words_whole_the_tables_it_showed_once_its_run_is_over(root, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from routestatus.paths import PROJECT_ROOT

    monkeypatch.setattr(worded, "BLOCK", 16)  # so the curated tables are worded ahead
    monkeypatch.setenv("ROUTESTATUS_ROOT", str(root.path))  # a dataset of its own: no words kept before
    started = []
    start = worded.Worded._start
    monkeypatch.setattr(worded.Worded, "_start", lambda self: (started.append(self), start(self)))
    queued = worded.start_queued
    monkeypatch.setattr(worded, "start_queued", lambda: 0)  # first: queued during the run, not started
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert not started and any(ref() is not None for ref in worded._QUEUE)
    monkeypatch.setattr(worded, "start_queued", queued)
    at.date_input(key="flt_range").set_value((dt.date(2022, 12, 1), dt.date(2023, 9, 30))).run()
    assert not at.exception
    assert started and not worded._QUEUE  # the run's end started them
    assert all(w.wait(60) for w in list(started))


def _recording(init, made):
    def recorded(self, whole, make, prepare=True):
        made.append((len(whole), prepare))
        init(self, whole, make, prepare)

    return recorded


def test_blocks_are_dropped_past_the_limit_and_worded_in_one_call(monkeypatch):
    monkeypatch.setattr(worded, "PREPARED_MAX_ROWS", 0)
    monkeypatch.setattr(worded, "BLOCK", 4)
    monkeypatch.setattr(worded, "KEPT_BLOCKS", 3)
    calls = []

    def make(rows):
        calls.append(len(rows))
        return pd.DataFrame({"twice": rows["n"] * 2}).reset_index(drop=True)

    kept = Worded(pd.DataFrame({"n": np.arange(40)}), make)
    assert kept.rows(np.array([1, 9, 10])).twice.tolist() == [2, 18, 20]
    assert calls == [8]  # blocks 0 and 2 in one call
    assert kept.rows(np.array([2, 3, 8])).twice.tolist() == [4, 6, 16]
    assert calls == [8]  # both blocks were kept
    kept.rows(np.array([20, 30]))  # two more blocks: the least recently used is dropped
    assert len(kept._blocks) == 3
    assert kept.rows(np.array([], np.int64)).empty


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_the_intervals_table_words_roads_statuses_and_days(which, data, generated):
    from routestatus.labels import ROAD_LABELS, STATUS_LABELS
    from routestatus.page_tables import intervals_arrow, intervals_table

    dataset = data if which == "curated" else generated
    for _, view in _views(dataset, 25, seed=4):
        status = view.status_intervals
        for part in (status, status.iloc[1:3], status.iloc[:0]):
            # The words as pandas' own mapping and formatting give them.
            expected = pd.DataFrame(
                {
                    "road": part["route_id"].map(ROAD_LABELS),
                    "status": part["status"].map(STATUS_LABELS),
                    "from": part["date_from"].dt.strftime("%Y-%m-%d"),
                    "to": part["date_to"].dt.strftime("%Y-%m-%d"),
                    "days": part["days"],
                    "start_precision": part["start_precision"],
                    "evidence": part["evidence_event_ids"].fillna(""),
                }
            )
            pd.testing.assert_frame_equal(intervals_table(part), expected)
            # The Timeline's Arrow table of them: what st.dataframe would make of the frame.
            made = pa.Table.from_pandas(intervals_table(part), preserve_index=False).replace_schema_metadata(None)
            assert intervals_arrow(part).equals(made)
        # What the page is given: the columns' values before typing, a page of them at a time.
        last = [len(status) - 1, 0] if len(status) else []  # positions, out of order
        for part in (slice(None), slice(1, 3), slice(0, 0), last, status["days"].to_numpy() > 3):
            made = pa.Table.from_pandas(intervals_table(status.iloc[part]), preserve_index=False)
            assert view.in_words("status_intervals", intervals_arrow, part).equals(made.replace_schema_metadata(None))
        assert view.count("status_intervals") == len(status)


def test_a_process_that_ends_while_words_are_made_waits_for_them_and_exits_cleanly():
    # A daemon thread still in pandas or Arrow as the interpreter shut down made it abort
    # (exit -6, "PyGILState_Release ... finalizing"); the wording thread is not a daemon.
    # Arrow's own pool of threads, used to turn words of several columns into a table,
    # refused work by then, and the thread printed that error as the process ended.
    import subprocess
    import sys

    script = (
        "import numpy as np, pandas as pd\n"
        "from routestatus import worded\n"
        "whole = pd.DataFrame({'n': np.arange(150_000)})\n"
        "make = lambda rows: pd.DataFrame({'s': rows['n'].astype(str) + ' rows', 't': rows['n'].astype(str)})\n"
        "kept = worded.Worded(whole, make)\n"
        "assert worded.start_queued() == 1\n"
        "assert not kept._preparing.daemon\n"
    )
    for _ in range(3):  # the end falls at a different point of the wording each time
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stderr == "", done.stderr[-2000:]


def test_one_column_of_scattered_rows_is_that_column_of_the_rows():
    from routestatus.worded import BLOCK

    whole = pd.DataFrame({"n": np.arange(5 * BLOCK)})
    make = lambda rows: pd.DataFrame({"s": [None if n % 7 == 0 else f"row {n}" for n in rows["n"]], "n": rows["n"]})  # noqa: E731
    positions = np.array([3, 5 * BLOCK - 1, 0, 2 * BLOCK + 1, 3, 7])
    kept = Worded(whole, make, prepare=False)
    assert kept.whole_column("s", positions) is None  # not worded whole: nothing to read
    small = Worded(whole.iloc[:BLOCK], make, prepare=False)  # one block: read from it at once
    assert (
        small.whole_column("s", positions[positions < BLOCK]) == small.rows(positions[positions < BLOCK])["s"].tolist()
    )
    kept = Worded(whole, make)
    assert kept.wait()
    for at in (positions, np.arange(BLOCK, 3 * BLOCK), np.array([], np.int64)):
        assert kept.whole_column("s", at) == kept.whole_rows(at)["s"].tolist()
        assert kept.whole_column("n", at) == kept.whole_rows(at)["n"].tolist()


def test_a_table_of_one_block_gives_its_rows_at_once_and_words_them_once():
    from routestatus.worded import BLOCK

    calls = []

    def make(rows):
        calls.append(len(rows))
        return pd.DataFrame({"n": rows["n"].to_numpy()})

    kept = Worded(pd.DataFrame({"n": range(BLOCK)}), make)
    assert kept.whole_rows(np.array([5, 2]))["n"].tolist() == [5, 2]
    assert kept.whole_rows(np.array([BLOCK - 1]))["n"].tolist() == [BLOCK - 1]
    assert calls == [BLOCK]  # the one block, worded once
