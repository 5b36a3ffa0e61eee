"""What a page of the dashboard draws, recorded so that ``floor_same.py`` can draw it again.

The same-output floor is a plain Streamlit script that draws the same elements with the
same content as a page of the dashboard, precomputed and loaded from a file, with none of
the project's logic: whatever the page takes beyond it is the project's own cost. This
module makes that file. It runs the page with AppTest over a list of date ranges and,
after each run, turns every element of the tree into the public ``st`` call that draws it
again: markdown, captions, headings, metrics, alerts, code, HTML, plotly charts (the spec
JSON), dataframes (the Arrow bytes, the column configuration and any cell styles),
download and link buttons, and the widgets (type, label, key, options and value), inside
the same blocks (sidebar, columns, bordered containers, expanders). An element of any
other type stops the capture with its name: a floor that left an element out would
flatter the project.

Captures run in a child process (``capture_many``), so the project's caches in the timed
process stay cold for the ranges it will time.

    capture(root, "map", ranges, Path("map.pkl"), q="Laçın road", asof=date(2023, 6, 20))
    python benchmarks/capture.py --root DIR --page map --ranges 2021-01-01:2021-06-30 --out map.pkl

The file is a pickle of ``{"page", "q", "asof", "initial": (start, end), "runs": {(start,
end): tree}}``; ``initial`` is the view before any range is set (the whole record).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DASHBOARD = PROJECT / "dashboard.py"
PAGES = {
    "map": None,  # the default page: no switch needed
    "timeline": "pages/app/timeline.py",
    "statements": "pages/app/statements.py",
    "sources": "pages/app/sources.py",
}
RUN_TIMEOUT = 600.0
FORMAT = 1  # the file format's version, checked by floor_same.py


class Unsupported(RuntimeError):
    """An element the floor cannot draw again with the public API."""


def _key(proto) -> str | None:
    """The user key of an element (None without one)."""
    from streamlit.runtime.state.common import user_key_from_element_id

    element_id = getattr(proto, "id", "")
    return user_key_from_element_id(element_id) if element_id else None


def _visibility(proto) -> str:
    if not proto.HasField("label_visibility"):
        return "visible"
    message = proto.label_visibility
    return type(message).LabelVisibilityOptions.Name(message.value).lower()


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _media_size(url: str) -> int:
    """The size of a file AppTest's media manager holds (a download button's data)."""
    from streamlit.runtime import Runtime

    storage = Runtime.instance().media_file_mgr._storage
    file_id = url.rsplit("/", 1)[-1].split(".", 1)[0]
    return len(storage.get_file(file_id).content)


def _widget(node) -> dict[str, Any]:
    """A widget: its type, label, key, options and value, so the floor's has the same id and state."""
    p = node.proto
    kw: dict[str, Any] = {"label": p.label, "key": _key(p), "help": p.help or None}
    kw["label_visibility"] = _visibility(p)
    kw["disabled"] = p.disabled
    t = node.type
    value = node.value
    if t == "date_input":
        kw |= {"min_value": _day(p.min), "max_value": _day(p.max), "format": p.format}
        value = tuple(value) if p.is_range else value
    elif t == "text_input":
        kw |= {"placeholder": p.placeholder or None, "max_chars": p.max_chars or None, "icon": p.icon or None}
    elif t == "multiselect":
        kw |= {"options": list(p.options), "placeholder": p.placeholder or None}
        kw |= {"max_selections": p.max_selections or None, "accept_new_options": p.accept_new_options}
        # What the script set through the key (sent as raw_values); AppTest's value can lag behind it.
        value = list(p.raw_values) if p.set_value else list(value)
    elif t == "button_group":
        from streamlit.proto.ButtonGroup_pb2 import ButtonGroup

        style = ButtonGroup.Style.Name(p.style).lower()
        if style not in ("segmented_control", "pills"):
            raise Unsupported(f"button_group of style {style}")
        t = style
        multi = p.click_mode == ButtonGroup.MULTI_SELECT
        options = [o.content for o in p.options]
        default = [options[i] for i in p.default]
        kw |= {"options": options, "selection_mode": "multi" if multi else "single"}
        kw["default"] = default if multi else (default[0] if default else None)
    elif t == "number_input":
        kw |= {"min_value": p.min if p.has_min else None, "max_value": p.max if p.has_max else None}
        kw |= {"step": p.step, "format": p.format or None, "placeholder": p.placeholder or None}
        if p.data_type == p.INT:
            kw |= {k: None if kw[k] is None else int(kw[k]) for k in ("min_value", "max_value", "step")}
    else:
        raise Unsupported(f"widget {t}")
    return {"call": t, "kwargs": kw, "value": value}


def _dataframe(p) -> dict[str, Any]:
    config = json.loads(p.columns or "{}")
    index = config.pop("_index", {})
    styles = p.arrow_data.styler.styles if p.arrow_data.HasField("styler") else ""
    if p.HasField("lazy_data"):
        raise Unsupported("dataframe sent lazily (over 150,000 rows)")
    kw = {"hide_index": bool(index.get("hidden")), "column_config": config or None, "key": _key(p)}
    if p.column_order:
        kw["column_order"] = list(p.column_order)
    return {"call": "dataframe", "arrow": bytes(p.arrow_data.data), "styles": styles, "kwargs": kw}


ALERTS = ("error", "warning", "info", "success")
HEADINGS = {"h1": "title", "h2": "header", "h3": "subheader"}


def _element(node) -> dict[str, Any]:
    """One element as the ``st`` call that draws it again; raises ``Unsupported`` for any other."""
    t, p = node.type, node.proto
    if t in ("markdown", "caption"):
        return {"call": t, "args": [p.body], "kwargs": {"unsafe_allow_html": p.allow_html, "help": p.help or None}}
    if t == "divider":
        return {"call": "divider", "args": [], "kwargs": {}}
    if t in ("title", "header", "subheader"):
        kw: dict[str, Any] = {"help": p.help or None, "anchor": False if p.hide_anchor else (p.anchor or None)}
        if t != "title" and p.divider:
            kw["divider"] = p.divider
        return {"call": HEADINGS[p.tag], "args": [p.body], "kwargs": kw}
    if t == "metric":
        if p.delta or len(getattr(p, "chart_data", ())):
            raise Unsupported("metric with a delta or a chart")
        kw = {"help": p.help or None, "border": p.show_border, "label_visibility": _visibility(p)}
        return {"call": "metric", "args": [p.label, p.body], "kwargs": kw}
    if t in ALERTS:
        if p.title:
            raise Unsupported(f"{t} with a title")
        return {"call": t, "args": [p.body], "kwargs": {"icon": p.icon or None}}
    if t == "code":
        kw = {"language": p.language or None, "line_numbers": p.show_line_numbers, "wrap_lines": p.wrap_lines}
        return {"call": "code", "args": [p.code_text], "kwargs": kw}
    if t == "html":
        return {"call": "html", "args": [p.body], "kwargs": {}}
    if t == "plotly_chart":
        from streamlit.proto.PlotlyChart_pb2 import PlotlyChart

        modes = [PlotlyChart.SelectionMode.Name(m).lower() for m in p.selection_mode]
        kw = {"key": _key(p), "config": json.loads(p.config or "{}"), "theme": "streamlit" if p.theme else None}
        if modes:
            kw |= {"on_select": "rerun", "selection_mode": modes}
        return {"call": "plotly_chart", "spec": p.spec, "kwargs": kw}
    if t == "dataframe":
        return _dataframe(p)
    if t == "download_button":
        size = 0 if p.deferred_file_id else _media_size(p.url)
        kw = {"key": _key(p), "help": p.help or None, "icon": p.icon or None, "disabled": p.disabled}
        kw |= {"type": p.type or "secondary", "on_click": "ignore" if p.ignore_rerun else "rerun"}
        return {
            "call": "download_button",
            "args": [p.label],
            "kwargs": kw,
            "size": size,
            "deferred": bool(p.deferred_file_id),
        }
    if t == "link_button":
        kw = {"help": p.help or None, "icon": p.icon or None, "disabled": p.disabled, "type": p.type or "secondary"}
        return {"call": "link_button", "args": [p.label, p.url], "kwargs": kw}
    if t in ("date_input", "text_input", "multiselect", "button_group", "number_input"):
        return _widget(node)
    raise Unsupported(f"element {t}")


def _block(node) -> dict[str, Any]:
    """A block and its children: columns, a bordered (or plain) container, an expander."""
    from streamlit.testing.v1.element_tree import Block

    children = [_node(c) for c in node.children.values()]
    t = node.type
    if t == "expander":
        return {
            "call": "expander",
            "args": [node.proto.label],
            "kwargs": {"expanded": node.proto.expanded, "icon": node.proto.icon or None},
            "children": children,
        }
    if t == "column":
        return {"call": "column", "weight": node.proto.weight, "children": children}
    if t == "flex_container":
        flex = node.proto.flex_container
        kids = list(node.children.values())
        if kids and all(isinstance(c, Block) and c.type == "column" for c in kids):
            from streamlit.proto.GapSize_pb2 import GapSize

            gap = GapSize.Name(flex.gap_config.gap_size).lower()
            return {
                "call": "columns",
                "kwargs": {"gap": gap if gap != "gap_undefined" else "small"},
                "children": children,
            }
        horizontal = flex.direction == type(flex).Direction.HORIZONTAL
        return {"call": "container", "kwargs": {"border": flex.border, "horizontal": horizontal}, "children": children}
    raise Unsupported(f"block {t}")


def _node(node) -> dict[str, Any]:
    from streamlit.testing.v1.element_tree import Block

    return _block(node) if isinstance(node, Block) else _element(node)


def record(at) -> dict[str, list[dict[str, Any]]]:
    """The tree of the last run, per top-level container (main, sidebar, event)."""
    tree = at._tree
    out: dict[str, list[dict[str, Any]]] = {}
    names = {0: "main", 1: "sidebar", 2: "event", 3: "bottom"}
    for index, block in tree.children.items():
        name = names.get(index)
        if name is None:
            raise Unsupported(f"top-level container {index}")
        out[name] = [_node(c) for c in block.children.values()]
    return out


def _checked(at):
    if at.exception:
        raise RuntimeError("the page raised: " + " | ".join(str(e.value)[:500] for e in at.exception))
    return at


def page_path(page: str | None) -> str | None:
    """The script to switch to for ``page``: a page's name (map, timeline, ...), its file, or None (the Map)."""
    if page is None or page in PAGES.values():
        return page
    if page not in PAGES:
        raise ValueError(f"no page {page!r}; the pages are {', '.join(PAGES)}")
    return PAGES[page]


def _capture_one(job: dict[str, Any]) -> Path:
    """Run one page over its ranges with AppTest and write the capture file."""
    from streamlit.testing.v1 import AppTest

    at = _checked(AppTest.from_file(str(DASHBOARD), default_timeout=RUN_TIMEOUT).run())
    path = page_path(job["page"])
    if path:
        _checked(at.switch_page(path).run())
    if job.get("q"):
        _checked(at.text_input(key="flt_q").set_value(job["q"]).run())
    asof = _day(job["asof"]) if job.get("asof") else None
    if asof is not None:
        _checked(at.date_input(key="flt_asof").set_value(asof).run())
    initial = tuple(at.date_input(key="flt_range").value)
    runs = {initial: record(at)}
    for start, end in job["ranges"]:
        chosen = (_day(start), _day(end))
        _checked(at.date_input(key="flt_range").set_value(chosen).run())
        if asof is not None and at.date_input(key="flt_asof").value != asof:
            raise RuntimeError(f"the as-of day {asof} did not hold in the range {chosen}")
        runs[chosen] = record(at)
    out = Path(job["out"])
    body = {
        "format": FORMAT,
        "page": job["page"],
        "q": job.get("q", ""),
        "asof": asof,
        "initial": initial,
        "runs": runs,
    }
    out.write_bytes(pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL))
    return out


def capture_many(root: Path, jobs: list[dict[str, Any]], timeout: float = 1800.0) -> list[Path]:
    """Capture several pages in one child process (one data load); each job is a ``capture`` call's arguments.

    A job is ``{"page", "ranges": [(start, end), ...], "out", "q", "asof"}``.
    """
    plain = [
        {
            "page": j["page"],
            "ranges": [[a.isoformat(), b.isoformat()] for a, b in j["ranges"]],
            "out": str(j["out"]),
            "q": j.get("q") or "",
            "asof": j["asof"].isoformat() if j.get("asof") else None,
        }
        for j in jobs
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(plain, f)
    try:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--jobs", f.name],
            cwd=PROJECT,
            env={**os.environ, "ROUTESTATUS_ROOT": str(root)},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    finally:
        os.unlink(f.name)
    if done.returncode:
        raise RuntimeError(f"capture failed ({done.returncode}): {done.stderr[-3000:]}")
    return [Path(j["out"]) for j in plain]


def capture(
    root: Path,
    page: str | None,
    ranges: list[tuple[dt.date, dt.date]],
    out: Path,
    q: str = "",
    asof: dt.date | None = None,
) -> Path:
    """Capture ``page`` (map, timeline, statements, sources, or a page's file; None is the Map) over ``ranges``.

    With ``q`` the search is typed first; with ``asof`` the status day is set (every range
    must hold it). Returns ``out``, the file to give ``floor_same.py`` as ``FLOOR_CAPTURE``.
    """
    return capture_many(root, [{"page": page, "ranges": ranges, "out": out, "q": q, "asof": asof}])[0]


def _quiet() -> None:
    import logging

    from streamlit.logger import get_logger

    logger = get_logger("streamlit.runtime.scriptrunner_utils.script_run_context")
    logger.addFilter(lambda record: record.levelno >= logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--jobs FILE`` (as ``capture_many`` writes it) or one page's arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=Path, help="a JSON list of jobs")
    parser.add_argument("--root", type=Path, help="the data folder (default: $ROUTESTATUS_ROOT or the project's)")
    parser.add_argument("--page", default="map", help="map, timeline, statements or sources")
    parser.add_argument("--ranges", default="", help="START:END,START:END,... (ISO dates)")
    parser.add_argument("--q", default="")
    parser.add_argument("--asof", default=None)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.root:
        os.environ["ROUTESTATUS_ROOT"] = str(args.root.resolve())
    sys.path.insert(0, str(PROJECT))  # the pages import the project's package and pages/
    _quiet()
    # As the timed process runs the pages: as make run serves them (served.py).
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import served

    served.apply()
    if args.jobs:
        jobs = json.loads(args.jobs.read_text(encoding="utf-8"))
    else:
        if not args.out:
            parser.error("--out is needed without --jobs")
        ranges = [r.split(":") for r in args.ranges.split(",") if r]
        jobs = [{"page": args.page, "ranges": ranges, "out": str(args.out), "q": args.q, "asof": args.asof}]
    for job in jobs:
        print(f"captured {_capture_one(job)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
