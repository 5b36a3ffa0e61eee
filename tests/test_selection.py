"""Selection on the dataset's arrays keeps exactly the rows the filters' rules keep.

``routestatus.filters`` states the rules on frames; ``routestatus.selection`` applies them
to arrays kept per dataset. For many random choices (ranges, roads, types, a search) on
the curated data and on generated data with month-precision and multi-day events, the
rows, their order and their index labels must be the same.
"""

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from routestatus.filters import filter_events, filter_statements
from routestatus.status import ROADS, build_intervals
from routestatus.view import View, parse


def _choices(data, n, seed):
    rng = random.Random(seed)
    intervals = build_intervals(data.tables["events"])
    base = View.default(data, intervals)
    lo, hi = base.choice.start, base.choice.end
    types = list(base.options.values["event_types"])
    for _ in range(n):
        a = lo + dt.timedelta(rng.randrange((hi - lo).days + 1))
        b = min(hi, a + dt.timedelta(rng.choice([0, 1, 6, 30, 400, 2000])))
        query = {"from": a.isoformat(), "to": b.isoformat()}
        if rng.random() < 0.3:
            query["roads"] = rng.choice(ROADS)
        if rng.random() < 0.3:
            query["types"] = ",".join(rng.sample(types, 3))
        if rng.random() < 0.2:
            query["q"] = rng.choice(["Lachin", "road", "Stepanakert closed", "humanitarian"])
        yield View(data, intervals, parse(query, base.options)[0], base.options)


def _searched(view, name):
    table, query = view.data.tables[name], view.search
    return table[view.data.search.mask(name, query)] if query.active else table


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_views_keep_the_rows_the_filters_keep(which, data, generated):
    dataset = data if which == "curated" else generated
    rows = dataset.selection.events
    if which == "generated":  # retracted rows in among the rest, and the binary search still used
        assert not rows.live.all() and rows.sorted
    for view in _choices(dataset, 60, seed=7):
        pd.testing.assert_frame_equal(view.events, filter_events(_searched(view, "events"), view.choice))
        pd.testing.assert_frame_equal(
            view.statements_in_range, filter_statements(_searched(view, "statements"), view.choice)
        )


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_the_sources_of_a_view_are_those_its_rows_cite(which, data, generated):
    dataset = data if which == "curated" else generated
    for view in _choices(dataset, 30, seed=11):
        all_events = dataset.tables["events"]
        evidence = view.status_intervals["evidence_event_ids"].dropna().str.split(";").explode()
        alignments = dataset.tables["alignments"]
        lists = pd.concat(
            [
                view.events["source_ids"],
                all_events.loc[all_events["event_id"].isin(evidence), "source_ids"],
                alignments.loc[alignments["route_id"].isin(view.choice.shown_roads), "source_ids"],
            ]
        )
        cited = set(view.statements["source_id"].dropna()) | {s for c in lists.dropna() for s in c.split(";")}
        sources = dataset.tables["sources"]
        want = sources[sources["source_id"].isin(list(cited))].sort_values("source_id")
        pd.testing.assert_frame_equal(view.sources, want)


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_said_vs_passed_taken_from_the_whole_is_the_views_own(which, data, generated):
    # The view picks its rows from a table of every statement made once per dataset; it must
    # equal the table worked out from the view's own statements, cell for cell and in order.
    from routestatus.saidpassed import said_vs_passed
    from routestatus.typedframes import typed
    from routestatus.view import SAID_VS_PASSED

    dataset = data if which == "curated" else generated
    for view in _choices(dataset, 30, seed=11):
        own = said_vs_passed(view.statements, view.intervals, dataset.tables["events"], view.choice.shown_roads)
        pd.testing.assert_frame_equal(view.said_vs_passed, typed(SAID_VS_PASSED, own))


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_status_intervals_are_typed_as_their_csv_read_back(which, data, generated):
    from routestatus.typedframes import typed
    from routestatus.view import INTERVALS

    dataset = data if which == "curated" else generated
    for view in _choices(dataset, 30, seed=11):
        rows = [
            (road, iv.status, iv.start.isoformat(), iv.end.isoformat(), str((iv.end - iv.start).days + 1),
             iv.precision, ";".join(iv.evidence))
            for road in view.choice.shown_roads
            for iv in view.clipped[road]
        ]  # fmt: skip
        text = pd.DataFrame(rows, columns=INTERVALS.columns, dtype="string")
        pd.testing.assert_frame_equal(view.status_intervals, typed(INTERVALS, text))


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_a_few_columns_of_the_events_are_those_of_the_whole_rows(which, data, generated):
    dataset = data if which == "curated" else generated
    columns = ["event_id", "event_type", "place_id"]
    for view in _choices(dataset, 40, seed=13):
        few = view.events_with(*columns)
        assert view.count("events") == len(few) == len(view.events)
        assert view.count("statements") == len(view.statements)
        pd.testing.assert_frame_equal(few, view.events[columns])
        # Labelled by position in the events table, which the map and timeline read texts by.
        pd.testing.assert_frame_equal(dataset.tables["events"].iloc[few.index], view.events)


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_timeline_marks_from_kept_hover_lines_are_those_worded_anew(which, data, generated, monkeypatch):
    # The kept lines are shared by every view of the dataset; a small cap makes them start
    # again part way through, which must not change a mark either.
    from routestatus import figures

    monkeypatch.setattr(figures._HoverLines, "KEPT_LINES", 40)
    dataset = {"curated": data, "generated": generated}[which]
    events = dataset.tables["events"]
    for view in _choices(dataset, 25, seed=11):
        marked = view.events_with("event_id", "date_start", "route_id", "event_type")
        if marked.empty:
            continue
        since = view.choice.start
        # With the selection, the rows' labels are all the marks read (the Timeline passes no column).
        kept, _ = figures.event_marks(view.events_with(), since, texts=events, selection=dataset.selection)
        anew, _ = figures.event_marks(marked, since, texts=events)  # no selection: nothing kept
        pd.testing.assert_frame_equal(kept, anew)


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_timeline_marks_between_a_ranges_ends_read_from_the_record_are_those_made_from_its_rows(
    which, data, generated, monkeypatch
):
    from routestatus import figures

    monkeypatch.setattr(figures, "RECORD_ROWS", 0)  # the record's marks for every range, however short
    monkeypatch.setattr(figures._RecordMarks, "KEPT", 100)  # every choice below kept at once
    dataset = {"curated": data, "generated": generated}[which]
    events = dataset.tables["events"]
    read = []
    record_marks = figures._RecordMarks.marks

    def counted(self, *args):
        made = record_marks(self, *args)
        read.append(made is not None)
        return made

    monkeypatch.setattr(figures._RecordMarks, "marks", counted)
    views = list(_choices(dataset, 60, seed=12))
    for view in views:  # each choice's record marks queued, the rows marked as they are meanwhile
        if len(view.events_with()) and view.event_filter is not None:
            figures.mark_columns(view.events_with(), view.choice.start, events, dataset.selection, view.event_filter)
    assert not any(read)
    dataset.selection.kept("record marks", events, lambda: None).wait()
    read.clear()
    for view in views:
        marked = view.events_with()
        shown = [iv for road in view.choice.shown_roads for iv in view.clipped[road]]
        if not len(marked) or not shown or view.event_filter is None:  # rows with no column: not .empty
            continue
        since = min(iv.start for iv in shown)  # as timeline_figure passes it
        kept, unit = figures.mark_columns(marked, since, events, dataset.selection, view.event_filter)
        anew, unit_anew = figures.mark_columns(marked, since, events, dataset.selection)
        assert unit == unit_anew
        assert list(kept) == list(anew)
        for name, column in anew.items():
            assert type(kept[name]) is type(column), name
            if isinstance(column, np.ndarray):
                assert kept[name].dtype == column.dtype, name
                np.testing.assert_array_equal(kept[name], column, err_msg=name)
            else:
                assert kept[name] == column, name
    # Most ranges span more than their first and last day or week: the record was read for them.
    assert sum(read) > len(read) / 2 > 5


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_timeline_bands_from_kept_words_are_those_made_anew(which, data, generated, monkeypatch):
    import plotly.io as pio

    from routestatus import figures

    dataset = {"curated": data, "generated": generated}[which]

    def spec(view):
        fig = figures.timeline_figure(view.clipped, view.events.iloc[:0], view.choice.day)
        return pio.to_json(fig.to_dict(), validate=False)

    views = list(_choices(dataset, 30, seed=13))
    kept = [spec(v) for v in views + views]  # the second time round, every band inside a range is kept
    for cap in (10**6, 3):  # never starting again, and starting again on nearly every call
        monkeypatch.setattr(figures, "_BAR_WORDS", figures._BarWords())
        monkeypatch.setattr(figures._BarWords, "KEPT", cap)
        assert kept == [spec(v) for v in views + views]
    # The same intervals again (a view keeps its clipped ones): nothing is made again.
    monkeypatch.setattr(figures._BarWords, "KEPT", 10**6)
    spec(views[-1])
    monkeypatch.setattr(figures, "_bar_words", lambda items: pytest.fail(f"{len(items)} bands' words made again"))
    assert spec(views[-1]) == kept[-1]


def test_codes_among_the_wanted_are_what_isin_gives():
    from routestatus.selection import _among

    rng = np.random.default_rng(3)
    codes = rng.integers(-1, 6, 5000)  # -1: a missing value
    for wanted in ([], [0], [5], [1, 3], list(range(6))):
        np.testing.assert_array_equal(_among(codes, wanted, 6), np.isin(codes, wanted))


def test_the_loaders_date_order_is_pandas_sort_with_missing_days_last_and_ties_kept(generated):
    from routestatus.load import in_date_order

    for name, date, key in (("events", "date_start", "event_id"), ("statements", "date", "statement_id")):
        loaded = generated.tables[name]
        assert in_date_order(loaded, date, key) is loaded  # in order already: no copy
        for seed in range(3):
            shuffled = loaded.sample(frac=1, random_state=seed)
            shuffled.loc[shuffled.index[:7], date] = pd.NaT  # days that did not parse
            shuffled.loc[shuffled.index[7:9], key] = shuffled[key].iloc[9]  # an id given three times
            expected = shuffled.sort_values([date, key], ignore_index=True)
            pd.testing.assert_frame_equal(in_date_order(shuffled, date, key), expected)


def test_event_positions_found_by_a_pass_over_the_ids_are_those_of_the_kept_dict(generated):
    from routestatus.selection import Selection

    tables = dict(generated.tables)
    events = tables["events"].copy()
    # An id given twice (a table that failed its checks) and a missing one: the dict keeps the last row's.
    events.loc[events.index[40], "event_id"] = events["event_id"].iloc[3]
    events.loc[events.index[41], "event_id"] = pd.NA
    tables["events"] = events
    ids = events["event_id"].tolist()
    rng = random.Random(4)
    asks = [[ids[3]], [], ["no such id"], [ids[9], ids[9], None, "E?"]]
    asks += [rng.sample([i for i in ids if isinstance(i, str)], k) for k in (1, 2, 5, 8) for _ in range(5)]
    scanned = Selection(tables)
    passes = [scanned.event_positions(ask) for ask in asks]
    assert scanned._event_position.made is None, "few ids are found without making the dict"
    kept = Selection(tables)
    kept._event_position.now()
    for ask, found in zip(asks, passes, strict=True):
        np.testing.assert_array_equal(found, kept.event_positions(ask), err_msg=str(ask))
        assert found.dtype == np.int64
    assert scanned.event_positions([ids[3]]).tolist() == [40]
    # Many ids at once make the dict in the asking thread.
    many = scanned.event_positions(ids[:50])
    assert scanned._event_position.made is not None
    np.testing.assert_array_equal(many, kept.event_positions(ids[:50]))
