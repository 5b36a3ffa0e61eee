"""The same-output floor: a plain Streamlit script that sends what a page of the dashboard sent.

It reads a file made by ``capture.py`` (``FLOOR_CAPTURE=<path>``) once, keeps it with
``st.cache_resource``, and on each run replays the next captured run's messages: every
element and block the page sent, in the same places, with the same content. For the two
kinds whose making Streamlit's API does itself, it does that work again on each run, from
content prepared when the file was loaded: each plotly chart's figure is serialized as
``st.plotly_chart`` does (``to_dict``, then ``plotly.io.to_json``), and each table's rows
are serialized to Arrow as ``st.dataframe`` does. None of the project's code runs.

What it leaves out of Streamlit's API work: registering widgets (each widget is sent as a
Markdown element of the same size, see ``_unwidgeted``) and computing element ids (it sends
the captured messages), and styling a table (a page with a search styles its
cells with pandas' Styler; the captured styles are sent as they were). Both are per-element
costs of Streamlit and pandas, not of the project.

Run it with AppTest, or as ``FLOOR_CAPTURE=... streamlit run benchmarks/floor_same.py``.
The runs follow the file's order: the n-th run of a session shows the n-th captured run
(after the last, the first again), so a benchmark sets the same ranges in the same order.
"""

import os
import pickle

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from streamlit.dataframe_util import convert_pandas_df_to_arrow_bytes
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx


def _unwidgeted(msg: ForwardMsg) -> ForwardMsg:
    """A widget's message as a Markdown element of the same size; any other message as it is.

    A widget sent without its command is not registered, and AppTest (which reads every
    widget's value after a run) cannot read it. A placeholder of the same size keeps the
    element count and the bytes sent; what it leaves out, registering the widget, is
    Streamlit's own per-widget cost.
    """
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return msg
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind in ("plotly_chart", "dataframe") or not getattr(getattr(element, kind), "id", ""):
        return msg
    size = getattr(element, kind).ByteSize()
    element.Clear()
    element.markdown.body = "x" * size
    return msg


@st.cache_resource(show_spinner=False)
def load(path: str) -> list[dict]:
    """The captured runs: messages parsed, figures built (validated once, here), rows as frames."""
    with open(path, "rb") as f:
        runs = pickle.load(f)["runs"]
    for run in runs:
        run["messages"] = [_unwidgeted(ForwardMsg.FromString(m)) for m in run["messages"]]
        run["content"] = {
            i: (kind, go.Figure(value) if kind == "figure" else value) for i, (kind, value) in run["content"].items()
        }
    return runs


runs = load(os.environ["FLOOR_CAPTURE"])
turn = st.session_state.get("floor_turn", -1) + 1
st.session_state["floor_turn"] = turn
run = runs[turn % len(runs)]
ctx = get_script_run_ctx()
for i, kept in enumerate(run["messages"]):
    msg = ForwardMsg()
    msg.CopyFrom(kept)
    content = run["content"].get(i)
    if content is not None:
        kind, value = content
        element = msg.delta.new_element
        if kind == "figure":
            element.plotly_chart.spec = pio.to_json(value.to_dict(), validate=False)
        elif element.dataframe.arrow_data.data:
            element.dataframe.arrow_data.data = convert_pandas_df_to_arrow_bytes(value)
        else:
            element.dataframe.lazy_data.initial_chunk.data = convert_pandas_df_to_arrow_bytes(value)
    ctx.enqueue(msg)
