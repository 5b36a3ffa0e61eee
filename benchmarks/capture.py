"""The same-output floor's input: what a page of the dashboard sent, for each date range, saved to a file.

``capture(root, page, ranges, out)`` runs the dashboard's ``page`` in AppTest on the data
under ``root``, sets each range of ``ranges`` in turn and keeps every delta message the
run sent (elements and blocks, with their positions), plus the content the two heavy kinds
are made from: each plotly chart's figure (as a dict) and each table's rows (as a
DataFrame). ``floor_same.py`` replays them, so a page and its floor send the same elements
with the same content, and the floor does none of the project's work.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pickle
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
DASHBOARD = HERE.parent / "dashboard.py"


@contextmanager
def kept_messages() -> Iterator[list]:
    """While open, the ForwardMsgs of each AppTest run are kept in the yielded list (the last run's)."""
    from streamlit.testing.v1 import local_script_runner

    real = local_script_runner.parse_tree_from_messages
    last: list = []

    def parse(messages):
        last[:] = list(messages)
        return real(messages)

    local_script_runner.parse_tree_from_messages = parse
    try:
        yield last
    finally:
        local_script_runner.parse_tree_from_messages = real


def _content(msg) -> tuple[str, object] | None:
    """For a chart or a table, what the floor builds it from: the figure dict, or the rows."""
    import pyarrow as pa

    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "plotly_chart":
        return "figure", json.loads(element.plotly_chart.spec)
    if kind == "dataframe":
        proto = element.dataframe
        data = proto.arrow_data.data or proto.lazy_data.initial_chunk.data
        if data:
            return "table", pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pandas()
    return None


def capture(
    root: Path,
    page: str | None,
    ranges: Sequence[tuple[dt.date, dt.date]],
    out: Path,
    q: str = "",
    asof: dt.date | None = None,
) -> Path:
    """Run ``page`` (None: the default page) once per range and save what each run sent to ``out``."""
    from streamlit.testing.v1 import AppTest

    saved = os.environ.get("ROUTESTATUS_ROOT")
    os.environ["ROUTESTATUS_ROOT"] = str(root)
    runs = []
    try:
        with kept_messages() as last:
            at = AppTest.from_file(str(DASHBOARD), default_timeout=600).run()
            if page:
                at.switch_page(page).run()
            if q:
                at.text_input(key="flt_q").set_value(q).run()
            if asof:
                at.date_input(key="flt_asof").set_value(asof).run()
            for lo, hi in ranges:
                at.date_input(key="flt_range").set_value((lo, hi)).run()
                if at.exception:
                    raise RuntimeError(f"the page raised on {lo}–{hi}: {at.exception[0].value}")
                deltas = [m for m in last if m.WhichOneof("type") == "delta"]
                runs.append(
                    {
                        "range": (lo, hi),
                        "messages": [m.SerializeToString() for m in deltas],
                        "content": {i: c for i, m in enumerate(deltas) if (c := _content(m)) is not None},
                    }
                )
    finally:
        if saved is None:
            os.environ.pop("ROUTESTATUS_ROOT", None)
        else:
            os.environ["ROUTESTATUS_ROOT"] = saved
    out.write_bytes(pickle.dumps({"page": page, "q": q, "runs": runs}, protocol=pickle.HIGHEST_PROTOCOL))
    return out
