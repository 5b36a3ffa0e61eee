"""The same-output floor: a plain Streamlit script drawing what a page of the dashboard drew, with the public API.

``FLOOR_CAPTURE=<path>`` names a file made by ``capture.py`` for one page and a list of date
ranges. The file is read once (``st.cache_resource``); there its tables are decoded from
Arrow into pandas frames (or kept as Arrow tables, where the page sent one), its figures
built into ``go.Figure`` objects and its cell styles into frames of CSS, so that no run
repeats that work. Each run reads its own ``flt_range`` date input (a widget like the
project's, with the same key; on a session's first run, a link's ``?from=&to=``, as the
project's links carry the range) and draws the elements recorded for that range with
``st.*`` calls: the same elements in the same blocks, the same widgets (type, label, key,
options, value), the same text, tables (styled as the page styled them), figures and
download buttons. None of the project's code runs, so what a page takes beyond this script
is the project's own cost; what this script takes is Streamlit's (serializing the figures
and tables, registering the widgets, marshalling).

A range that was not captured is an error on the page, never a quiet fallback.

    FLOOR_CAPTURE=/tmp/map.pkl streamlit run benchmarks/floor_same.py
    AppTest.from_file("benchmarks/floor_same.py") with FLOOR_CAPTURE in the environment
"""

import datetime as dt
import io
import json
import os
import pickle
import re

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

FORMAT = 1  # capture.py's file format
CELL = re.compile(r"#T_[^_\s,]+_row(\d+)_col(\d+)")


def _css(frame: pd.DataFrame, styles: str) -> pd.DataFrame:
    """The captured Styler rules as a frame of CSS, one string per cell (what ``Styler.apply`` takes)."""
    css = pd.DataFrame("", index=frame.index, columns=frame.columns)
    for selectors, props in re.findall(r"([^{}]+)\{([^}]*)\}", styles):
        for row, col in CELL.findall(selectors):
            css.iat[int(row), int(col)] = props.strip()
    return css


def _prepare(node: dict) -> dict:
    """A recorded node with what a run draws from made once: frames, figures, CSS, download bytes."""
    node = dict(node)
    call = node["call"]
    if call == "dataframe":
        table = pa.ipc.open_stream(io.BytesIO(node.pop("arrow"))).read_all()
        styles = node.pop("styles")
        if table.schema.pandas_metadata is None and not styles:
            # The page handed st.dataframe an Arrow table (no pandas in its schema): so does this script.
            node["frame"], node["css"] = table, None
        else:
            frame = table.to_pandas()
            node["frame"] = frame
            node["css"] = _css(frame, styles) if styles else None
    elif call == "plotly_chart":
        node["figure"] = go.Figure(json.loads(node.pop("spec")))  # validated once, here
    elif call == "download_button":
        # A deferred download (made when clicked) sends no data on a run; any other sends as many bytes.
        node["data"] = (lambda: b"") if node["deferred"] else b"\0" * node["size"]
    if "children" in node:
        node["children"] = [_prepare(c) for c in node["children"]]
    return node


@st.cache_resource(show_spinner=False)
def load(path: str, mtime: float) -> dict:
    """The capture file, prepared; ``mtime`` is only part of the key, so a new capture is read again."""
    with open(path, "rb") as f:
        body = pickle.load(f)
    if body.get("format") != FORMAT:
        raise RuntimeError(f"{path} is not a capture of format {FORMAT}")
    body["runs"] = {
        key: {box: [_prepare(n) for n in nodes] for box, nodes in tree.items()} for key, tree in body["runs"].items()
    }
    return body


def draw(nodes: list[dict]) -> None:
    """Draw recorded nodes in the current container."""
    for node in nodes:
        call = node["call"]
        if call == "columns":
            weights = [c["weight"] for c in node["children"]]
            for column, child in zip(st.columns(weights, **node["kwargs"]), node["children"], strict=True):
                with column:
                    draw(child["children"])
        elif call in ("container", "expander"):
            with getattr(st, call)(*node.get("args", ()), **node["kwargs"]):
                draw(node["children"])
        elif call == "dataframe":
            data = (
                node["frame"]
                if node["css"] is None
                else node["frame"].style.apply(lambda _, c=node["css"]: c, axis=None)
            )
            st.dataframe(data, **node["kwargs"])
        elif call == "plotly_chart":
            st.plotly_chart(node["figure"], **node["kwargs"])
        elif call == "download_button":
            st.download_button(*node["args"], data=node["data"], **node["kwargs"])
        elif "value" in node:  # a widget
            widget(node)
        else:
            getattr(st, call)(*node["args"], **node["kwargs"])


def widget(node: dict) -> None:
    """A widget with the recorded value, set through its key as the project sets its widgets.

    Never ``flt_range``: the reader (or a benchmark) sets that one.
    """
    kwargs = dict(node["kwargs"])
    key = kwargs.get("key")
    if key is None:
        kwargs["value" if node["call"] != "multiselect" else "default"] = node["value"]
    elif key != "flt_range" and "default" not in kwargs:
        st.session_state[key] = node["value"]
    getattr(st, node["call"])(**kwargs)


def linked(initial: tuple) -> tuple:
    """The range a link asks for (``?from=...&to=...``, as the project's links carry it), else ``initial``.

    Read on a session's first run only, as the project reads its link; the dates as the
    captured ranges' keys (``datetime.date``), so a link opens the run captured for it.
    """
    try:
        return (dt.date.fromisoformat(st.query_params["from"]), dt.date.fromisoformat(st.query_params["to"]))
    except (KeyError, ValueError):
        return initial


path = os.environ["FLOOR_CAPTURE"]
captured = load(path, os.path.getmtime(path))
st.set_page_config(page_title="floor", layout="wide")
chosen = tuple(st.session_state.get("flt_range") or linked(captured["initial"]))
# Written back each run, as the project writes every widget from the reader's choice (so the
# widget sends its value with the same fields as the project's).
st.session_state["flt_range"] = chosen
tree = captured["runs"].get(chosen)
if tree is None:
    st.error(f"No run was captured for the range {chosen}; captured: {sorted(captured['runs'])}")
    st.stop()
with st.sidebar:
    draw(tree.get("sidebar", []))
draw(tree.get("main", []))
draw(tree.get("event", []))  # st.html of styles alone goes to the event container by itself
