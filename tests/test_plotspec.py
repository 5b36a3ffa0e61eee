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
