"""Every figure's JSON and every table's CSV for a few views, as SHA-256 hashes.

``tests/fixtures/outputs.json`` holds these hashes as the code made them before the
selection indexes and the figure building were made faster; ``test_outputs.py`` checks
that the pages still draw and download exactly the same bytes for the same choice.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import plotly.io as pio

from routestatus.accessmap import access_map
from routestatus.figures import said_passed_figures, statements_chart, timeline_figure
from routestatus.labels import EVENT_SYMBOLS
from routestatus.load import load_dataset
from routestatus.paths import Root
from routestatus.snapshot import TABLES, table_csv
from routestatus.status import build_intervals
from routestatus.view import View, parse

# A view per kind of choice: the whole record, a range with an as-of day and one road, a
# search with a range, a month of the blockade by type, and an organisation's statements.
CHOICES = {
    "default": {},
    "asof_one_road": {"from": "2022-12-01", "to": "2023-09-30", "asof": "2023-06-20", "roads": "lachin"},
    "search_range": {"from": "2021-01-01", "to": "2023-12-31", "q": "Laçın road"},
    "types": {"from": "2022-12-10", "to": "2023-01-15", "types": "protest_blockade,checkpoint,humanitarian_passage"},
    "short_range": {"from": "2023-09-18", "to": "2023-09-24"},
    "organisation": {"orgs": "Government of Azerbaijan"},
}


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def figures(view: View) -> dict[str, str]:
    """The JSON of each figure the pages draw for ``view``, as ``st.plotly_chart`` sends it.

    Drawn as the pages draw them: the map's and the timeline's marks from the labels of the
    view's events (no column), their texts from the events table (``View.events_with``),
    their roads, types and places from the dataset's codes.
    """
    data, choice = view.data, view.choice
    whole = data.tables["events"]
    out = {}
    if data.map_layers is not None:
        statuses = {road: card.interval for road, card in view.cards.items()}
        fig = access_map(
            data.map_layers,
            choice.shown_roads,
            statuses,
            choice.day,
            view.events_with(),
            whole,
            "English",
            EVENT_SYMBOLS,
            data.selection,
            texts=whole,
        )
        out["access_map"] = fig
    out["strip"] = timeline_figure(view.clipped, view.events.iloc[:0], choice.day)
    marked = view.events_with()
    out["timeline"] = timeline_figure(
        view.clipped, marked, choice.day, texts=whole, selection=data.selection, record=view.event_filter
    )
    out["statements_chart"] = statements_chart(view.statements, (choice.start, choice.end))
    out |= {f"said_passed_{road}": fig for road, fig in said_passed_figures(view).items()}
    return {name: pio.to_json(fig.to_dict(), validate=False) for name, fig in out.items()}


def outputs(root: Path) -> dict[str, dict[str, str]]:
    """Hashes of every figure and table per view in :data:`CHOICES`, for the data under ``root``.

    With plotly's own default template, as a process that has not drawn a Streamlit chart
    has it (Streamlit sets its own template once it has; the hashes were made without).
    """
    before = pio.templates.default
    pio.templates.default = "plotly"
    try:
        return _outputs(root)
    finally:
        pio.templates.default = before


def _outputs(root: Path) -> dict[str, dict[str, str]]:
    data = load_dataset(Root(root))
    intervals = build_intervals(data.tables["events"])
    base = View.default(data, intervals)
    result = {}
    for name, query in CHOICES.items():
        choice, _ = parse(query, base.options)
        view = View(data, intervals, choice, base.options)
        hashes = {f"figure:{k}": _hash(v.encode()) for k, v in figures(view).items()}
        hashes |= {f"table:{t}": _hash(table_csv(view, t)) for t in TABLES}
        result[name] = hashes
    return result
