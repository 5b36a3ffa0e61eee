"""The figures built from plain trace dictionaries are ones plotly's own validation accepts.

``routestatus.plotspec`` skips plotly's checks of each value for speed; here every figure
of ``tests/outputs.py`` is built again with the checks on, so a property name or value
plotly would refuse still fails a test, and the two give the same figure.
"""

import json

import plotly.io as pio
import pytest
from outputs import CHOICES, figures

from routestatus import plotspec
from routestatus.plotspec import figure, trace
from routestatus.status import build_intervals
from routestatus.view import View, parse


@pytest.fixture
def validating(monkeypatch):
    monkeypatch.setattr(plotspec, "VALIDATE", True)


def _figures(data, query):
    intervals = build_intervals(data.tables["events"])
    base = View.default(data, intervals)
    return figures(View(data, intervals, parse(query, base.options)[0], base.options))


@pytest.mark.parametrize("name", list(CHOICES))
def test_validated_and_plain_figures_are_the_same(data, name, monkeypatch):
    plain = _figures(data, CHOICES[name])
    monkeypatch.setattr(plotspec, "VALIDATE", True)
    checked = _figures(data, CHOICES[name])
    assert plain.keys() == checked.keys()
    for key in plain:
        assert json.loads(plain[key]) == json.loads(checked[key]), key


def test_a_wrong_property_fails_with_validation_on(validating):
    with pytest.raises(ValueError):
        figure([trace("scattergeo", lon=[1.0], lat=[2.0], colour="red")])


def test_the_kept_layout_is_never_changed():
    from plotly import graph_objects as go

    base = go.Figure()
    base.update_layout(height=300, margin={"l": 1})
    fig = figure([trace("scatter", x=[1], y=[2])], base)
    fig.update_layout(height=500, margin={"l": 9})
    assert base.layout.height == 300 and base.layout.margin.l == 1
    spec = json.loads(pio.to_json(fig.to_dict(), validate=False))
    assert spec["layout"]["height"] == 500 and spec["data"][0]["type"] == "scatter"


def _random_choices(n: int, seed: int = 7) -> list[dict[str, str]]:
    """Ranges from a day to the whole record, with and without an as-of day, one road or both."""
    import datetime as dt
    import random

    rng = random.Random(seed)
    lo, span = dt.date(2020, 11, 10), (dt.date(2024, 6, 1) - dt.date(2020, 11, 10)).days
    out = []
    for _ in range(n):
        length = rng.choice((0, 3, 6, 20, 30, 31, 45, 200, span))
        start = lo + dt.timedelta(days=rng.randrange(max(span - length, 1)))
        end = min(start + dt.timedelta(days=length), lo + dt.timedelta(days=span))
        query = {"from": start.isoformat(), "to": end.isoformat()}
        if rng.random() < 0.5:
            query["asof"] = (start + dt.timedelta(days=rng.randrange((end - start).days + 1))).isoformat()
        if rng.random() < 0.3:
            query["roads"] = rng.choice(("lachin", "aghdam_askeran"))
        out.append(query)
    return out


@pytest.mark.parametrize("day_marks_max", [None, 5])
def test_kept_layouts_give_the_bytes_of_layouts_made_anew(data, monkeypatch, day_marks_max):
    # Each figure kind's layout is validated once and reused with new values filled in; the
    # JSON must be byte for byte what a layout made and validated for that figure gives.
    # With few marked days allowed, the longer ranges' marks are by week: a layout kept for
    # marks by day is then filled in for marks by week, and the other way round.
    from routestatus import figures

    if day_marks_max is not None:
        monkeypatch.setattr(figures, "DAY_MARKS_MAX", day_marks_max)
    monkeypatch.setattr(plotspec, "_KEPT", {})
    choices = _random_choices(40)
    plain = [_figures(data, q) for q in choices]
    monkeypatch.setattr(plotspec, "VALIDATE", True)
    for query, figs in zip(choices, plain, strict=True):
        checked = _figures(data, query)
        assert figs.keys() == checked.keys(), query
        for key in figs:
            assert figs[key] == checked[key], (query, key)
    assert len(plotspec._KEPT) < 40 * 4  # layouts were reused, not one per figure


def test_the_maps_strip_is_the_timeline_made_compact(data):
    from routestatus.figures import STRIP_MARGIN, timeline_figure

    for query in _random_choices(12, seed=3):
        intervals = build_intervals(data.tables["events"])
        base = View.default(data, intervals)
        view = View(data, intervals, parse(query, base.options)[0], base.options)
        old = timeline_figure(view.clipped, view.events.iloc[:0], view.choice.day)
        old.update_layout(height=90 + 45 * len(view.clipped), margin=STRIP_MARGIN, showlegend=False)
        new = timeline_figure(view.clipped, view.events.iloc[:0], view.choice.day, compact=True)
        assert pio.to_json(new.to_dict(), validate=False) == pio.to_json(old.to_dict(), validate=False), query


def test_a_plain_figure_is_what_plotly_would_make_and_stays_so():
    import copy

    import numpy as np
    from plotly import graph_objects as go

    traces = [trace("scatter", x=np.arange(5.0), y=np.arange(5.0) * 2, mode="markers", name="a")]
    fig = figure(traces)
    assert isinstance(fig, plotspec.PlainFigure)
    made = go.Figure({"data": [dict(t) for t in traces]}, _validate=False)
    as_json = pio.to_json(made.to_dict(), validate=False)
    # to_dict twice: the same, and the kept arrays are not turned into base64 in place.
    assert pio.to_json(fig.to_dict(), validate=False) == as_json
    assert pio.to_json(fig.to_dict(), validate=False) == as_json
    assert isinstance(traces[0]["x"], np.ndarray)
    # A copy is what a copy of plotly's own figure is; asking for plotly's objects makes them.
    copied = pio.to_json(copy.deepcopy(made).to_dict(), validate=False)
    assert pio.to_json(copy.deepcopy(fig).to_dict(), validate=False) == copied
    assert list(fig.data[0].y) == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert pio.to_json(fig.to_dict(), validate=False) == as_json


def test_typed_arrays_follow_plotlys_own_rules():
    import copy

    import numpy as np
    from _plotly_utils.utils import convert_to_base64

    arrays = [
        np.arange(5),
        np.array([0, 300]),
        np.array([0, 70_000]),
        np.array([0, 2**40]),
        np.array([1, 2], np.uint64),
        np.array([1, 2**33], np.uint64),
        np.array([1.5, 2.5], np.float32),
        np.array([1.5, np.nan]),
        np.array([True, False]),
        np.array(["a", "b"]),
        np.array(["a", None], object),
        np.array(["2023-01-01"], "datetime64[us]"),
        np.zeros(0),
        np.arange(6.0).reshape(2, 3),
    ]
    value = {
        "x": arrays,  # arrays inside a list are not replaced, as in plotly
        "marker": {"size": arrays[0], "color": arrays[9], "line": [{"width": arrays[2]}]},
        "range": arrays[1],  # a key plotly leaves alone
        "more": [{f"a{i}": a} for i, a in enumerate(arrays)],
        "t": ({"y": arrays[3]},),
    }
    theirs = copy.deepcopy(value)
    convert_to_base64(theirs)
    ours = plotspec._for_json(value)
    assert pio.to_json(ours, validate=False) == pio.to_json(theirs, validate=False)
    assert isinstance(value["marker"]["size"], np.ndarray)  # the original is left as it was
