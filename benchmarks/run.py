"""Benchmarks of the dashboard, each figure measured beside a plain Streamlit floor.

For every data size (the curated data, or N synthetic events from ``generate.py``):

1. warm rerun after a date-range change, per page, against ``baseline_app.py`` sending as
   many table rows and map points as that page sends;
2. bytes the script sends per rerun (all elements; the plotly figures; the dataframes);
3. cold start: process start to the first complete run of the default page, and the peak
   memory of that process;
4. snapshot export of the whole range against plain ``DataFrame.to_csv`` of the same frames;
5. ``validate`` on the whole data folder.

``benchmarks/README.md`` says what each figure means and how far to trust it. Usage::

    python benchmarks/run.py [--sizes curated,10000,100000] [--repeat 5] [--out benchmarks/results.json]
"""

from __future__ import annotations

import argparse
import base64
import compileall
import datetime as dt
import gc
import importlib.util
import json
import logging
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DASHBOARD = PROJECT / "dashboard.py"
BASELINE = HERE / "baseline_app.py"
DEFAULT_OUT = HERE / "results.json"
DEFAULT_SIZES = ("curated", "10000", "100000")
PAGES = {
    "map": None,  # the default page: no switch needed
    "timeline": "pages/app/timeline.py",
    "statements": "pages/app/statements.py",
    "sources": "pages/app/sources.py",
}
# Pages measured again with a search on: a place name (found by any of its four names, a
# regular expression per row) and a plain word, which both the curated and generated data hold.
SEARCHED = {
    "timeline_search": ("pages/app/timeline.py", "Laçın road", None),
    # The Map with a search on and the as-of day set inside every range timed (ranges.py).
    "map_search_asof": (None, "Lachin", "asof"),
}
FLOOR_SAME = HERE / "floor_same.py"
# The second range of the alternation; the first is the whole record (the default view).
NARROW = (dt.date(2022, 12, 1), dt.date(2023, 9, 30))
RUN_TIMEOUT = 600.0  # seconds AppTest waits for one script run
DEFAULT_BUDGET = 60.0  # seconds of timed runs after which a figure stops repeating
LARGE = 100_000  # sizes from here on are held to the large-data targets
MB = 1_000_000

FIGURES = (
    *(f"warm_rerun.{p}" for p in (*PAGES, *SEARCHED)),
    *(f"warm_rerun_same.{p}" for p in (*PAGES, *SEARCHED)),
    *(f"warm_rerun_repeat.{p}" for p in (*PAGES, *SEARCHED)),
    *(f"harness_cost.{p}" for p in (*PAGES, *SEARCHED)),
    *(f"bytes_per_rerun.{p}" for p in (*PAGES, *SEARCHED)),
    *(f"plotly_bytes.{p}" for p in (*PAGES, *SEARCHED)),
    *(f"dataframe_bytes.{p}" for p in (*PAGES, *SEARCHED)),
    "search_new_query",
    "cold_start",
    "cold_start_first",
    "peak_memory",
    "memory_20_sessions",
    "snapshot_zip",
    "snapshot_table_csv",
    "validate",
    "browser_date_to_settled.map",
    "browser_date_to_settled.timeline",
    "browser_date_to_settled.statements",
    "browser_link_to_map",
)

# Runs in a fresh interpreter: time from its first statement to the end of the first run, and
# peak memory. ru_maxrss of a child started from a large parent starts at the parent's size
# (Linux keeps the old address space's high-water mark across exec), so the peak is read
# from /proc/self/status (VmHWM: this address space only) where there is one.
COLD_START = """
import time
started = time.perf_counter()
import json, resource, sys
from streamlit.testing.v1 import AppTest
sys.path.insert(0, "benchmarks")
import served; served.apply()  # the dashboard's runs as make run serves them (benchmarks/served.py)
at = AppTest.from_file(sys.argv[1], default_timeout=float(sys.argv[2])).run()
elapsed = time.perf_counter() - started
maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    with open("/proc/self/status") as f:
        hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    hwm = None
out = {"seconds": elapsed, "peak_kib": hwm or maxrss, "ru_maxrss_kib": maxrss, "vmhwm_kib": hwm}
print(json.dumps({**out, "errors": [e.value for e in at.exception]}))
"""


# Twenty sessions in one fresh interpreter, each with its own range, all kept alive (AppTest
# runs one script at a time, so they run in turn); then the process's peak memory.
SESSIONS = """
import datetime as dt, json, sys
from streamlit.testing.v1 import AppTest
sys.path.insert(0, "benchmarks")
import served; served.apply()  # the dashboard's runs as make run serves them (benchmarks/served.py)
sessions = []
for i in range(int(sys.argv[3])):
    at = AppTest.from_file(sys.argv[1], default_timeout=float(sys.argv[2])).run()
    lo, hi = at.date_input(key="flt_range").value
    at.date_input(key="flt_range").set_value((lo + dt.timedelta(days=7 * i), hi)).run()
    sessions.append(at)
with open("/proc/self/status") as f:
    hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
print(json.dumps({"peak_kib": hwm, "errors": [str(e.value) for at in sessions for e in at.exception]}))
"""
SESSION_COUNT = 20


def _sessions_memory(root: Path, size: str, baseline_env: dict[str, str], count: int = SESSION_COUNT) -> Figure:
    """Peak memory of one process serving 20 sessions, each with its own range: the project and the floor."""
    peaks = {}
    for name, app, env in (("project", DASHBOARD, {}), ("baseline", BASELINE, baseline_env)):
        done = subprocess.run(
            [sys.executable, "-c", SESSIONS, str(app), str(RUN_TIMEOUT), str(count)],
            cwd=PROJECT,
            env={**os.environ, "ROUTESTATUS_ROOT": str(root), **env},
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT * 4,
        )
        lines = done.stdout.strip().splitlines()
        if done.returncode or not lines:
            raise RuntimeError(f"{count} sessions of {app.name} failed: {done.stderr[-2000:]}")
        result = json.loads(lines[-1])
        if result["errors"]:
            raise RuntimeError(f"{count} sessions of {app.name} raised: {result['errors'][:3]}")
        peaks[name] = result["peak_kib"]
    return Figure(
        "memory_20_sessions",
        size,
        "KiB",
        [peaks["project"]],
        [peaks["baseline"]],
        ratio_at_most(1.3),
        {"sessions": count},
    )


def _sibling(name: str):
    """A module of this folder, loaded by path (works as a script, from pytest and as a package)."""
    full = f"_routestatus_bench_{name}"
    if full not in sys.modules:
        spec = importlib.util.spec_from_file_location(full, HERE / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        spec.loader.exec_module(module)
    return sys.modules[full]


@dataclass(frozen=True)
class Target:
    """A bound on the ratio project/baseline, or on the project's own median."""

    on: str  # "ratio" or "value"
    limit: float
    inclusive: bool = True
    text: str = ""

    def holds(self, value: float | None) -> bool:
        """Whether ``value`` meets the bound (a missing value never does)."""
        if value is None:
            return False
        return value <= self.limit if self.inclusive else value < self.limit


def ratio_at_most(limit: float) -> Target:
    """Project median / baseline median <= ``limit``."""
    return Target("ratio", limit, True, f"ratio <= {limit}")


def bytes_below(limit: float) -> Target:
    """Project median < ``limit`` bytes."""
    return Target("value", limit, False, f"< {limit / MB:g} MB")


@dataclass
class Figure:
    """One benchmark figure at one size: the project's samples, the baseline's, and the target."""

    name: str
    size: str
    unit: str
    project: list[float]
    baseline: list[float] = field(default_factory=list)
    target: Target | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Median of the project over median of the baseline (None without a baseline)."""
        if not self.baseline or not self.project:
            return None
        base = statistics.median(self.baseline)
        return statistics.median(self.project) / base if base else None

    @property
    def met(self) -> bool | None:
        """Whether the target holds (None when the figure has no target at this size)."""
        if self.target is None:
            return None
        value = self.ratio if self.target.on == "ratio" else statistics.median(self.project)
        return self.target.holds(value)

    def to_json(self) -> dict[str, Any]:
        """The figure as results.json records it."""

        def stats(samples: list[float]) -> dict[str, Any] | None:
            if not samples:
                return None
            return {
                "median": statistics.median(samples),
                "min": min(samples),
                "max": max(samples),
                "n": len(samples),
                "samples": samples,
            }

        return {
            "figure": self.name,
            "size": self.size,
            "unit": self.unit,
            "project": stats(self.project),
            "baseline": stats(self.baseline),
            "ratio": self.ratio,
            "target": self.target.text if self.target else None,
            "met": self.met,
            "details": self.details,
        }


@contextmanager
def _env(**values: str | None) -> Iterator[None]:
    """Set (or, for None, remove) environment variables for the duration of a block."""

    def put(pairs: dict[str, str | None]) -> None:
        for k, v in pairs.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    saved = {k: os.environ.get(k) for k in values}
    try:
        put(values)
        yield
    finally:
        put(saved)


@contextmanager
def one_script_cache() -> Iterator[None]:
    """Let AppTest keep compiled scripts between runs, as a server does.

    AppTest makes a new ``ScriptCache`` for every run, so every rerun would read, rewrite
    (Streamlit's "magic") and compile each script again; a server's runtime keeps one cache
    for its lifetime. Without this, warm reruns would count compiling, which grows with the
    length of the scripts, not with the work they do.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    # Both make their own: the pages manager's (app_test) and the script runner's.
    modules = [m for m in (app_test, local_script_runner) if getattr(m, "ScriptCache", None) is ScriptCache]
    shared = ScriptCache()
    for module in modules:
        module.ScriptCache = lambda: shared
    try:
        yield
    finally:
        for module in modules:
            module.ScriptCache = ScriptCache


def _checked(at):
    """The AppTest after a run; raises if the script failed."""
    if at.exception:
        raise RuntimeError("the script raised: " + " | ".join(str(e.value)[:500] for e in at.exception))
    return at


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """The seconds ``action`` takes, and what it returns.

    The garbage of what ran before is collected first, outside the time: a full collection
    of this process's heap (every app and capture it holds) took 45-85 ms, and landed at
    random in one run of the project or of a floor, as timeit's own timing avoids by
    turning the collector off. Here it stays on while the action runs, so the action's own
    garbage is still charged to it.
    """
    gc.collect()
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _spent(samples: list[float], budget: float, repeat: int, label: str, done: int | None = None) -> bool:
    """True when the timed runs so far exceed ``budget`` and runs remain: stop repeating, and say so."""
    done = len(samples) if done is None else done
    if sum(samples) <= budget or done >= repeat:
        return False
    print(f"  {label}: {done} of {repeat} runs, the {budget:.0f} s budget is spent", file=sys.stderr)
    return True


def _points(spec: dict) -> int:
    """Data points in a plotly figure: per trace, the longest of its coordinate arrays."""
    total = 0
    for trace in spec.get("data", []):
        lengths = [0]
        for key in ("x", "y", "lon", "lat"):
            value = trace.get(key)
            if isinstance(value, list):
                lengths.append(len(value))
            elif isinstance(value, dict) and "bdata" in value:  # plotly's base64 typed arrays
                lengths.append(len(base64.b64decode(value["bdata"])) // np.dtype(value.get("dtype", "f8")).itemsize)
        total += max(lengths)
    return total


def payload(at) -> dict[str, int]:
    """What the last run sent: serialized bytes of every element, of the figures and of the tables.

    Also the number of dataframe rows and figure points, so the baseline can send as many.
    """
    out = {"total_bytes": 0, "plotly_bytes": 0, "dataframe_bytes": 0, "rows": 0, "points": 0, "elements": 0}
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        out["total_bytes"] += proto.ByteSize()
        out["elements"] += 1
        if node.type == "plotly_chart":
            out["plotly_bytes"] += len(proto.spec.encode("utf-8"))
            out["points"] += _points(json.loads(proto.spec))
        elif node.type == "dataframe":
            data = proto.arrow_data.data
            if not data and proto.HasField("lazy_data"):
                data = proto.lazy_data.initial_chunk.data
            out["dataframe_bytes"] += len(data)
            out["rows"] += len(node.value)
    return out


ASOF = dt.date(2023, 6, 20)  # the as-of day of the searched Map: inside every range it is timed with


def _prepare(at, path: str | None, q: str, asof: dt.date | None) -> None:
    if path:
        _checked(at.switch_page(path).run())
    if q:
        _checked(at.text_input(key="flt_q").set_value(q).run())
    if asof:
        _checked(at.date_input(key="flt_asof").set_value(asof).run())


def _warm(
    root: Path,
    page: str,
    path: str | None,
    repeat: int,
    budget: float,
    size: str,
    q: str = "",
    asof: str | None = None,
    per_element: float | None = None,
) -> list[Figure]:
    """Warm reruns of one page against both floors: a new range each timed run, then the two ranges alternated.

    The headline (``warm_rerun``, ``warm_rerun_same``) sets a range never set before in the
    process on every timed run, so nothing kept for a view can be reused; the same ranges go
    to today's floor (``baseline_app.py``) and to the same-output floor (``floor_same.py``,
    drawing with Streamlit's API what the page drew for those ranges, captured first in a
    child process by ``capture.py``). ``warm_rerun_repeat``
    alternates two ranges, as a reader going back and forth does.
    """
    from streamlit.testing.v1 import AppTest

    capture = _sibling("capture").capture
    with (
        _env(ROUTESTATUS_ROOT=str(root)),
        _sibling("served").as_served(),
        one_script_cache(),
        tempfile.TemporaryDirectory() as tmp,
    ):
        at = _checked(AppTest.from_file(str(DASHBOARD), default_timeout=RUN_TIMEOUT).run())
        whole = tuple(at.date_input(key="flt_range").value)
        day = min(max(ASOF, whole[0]), whole[1]) if asof else None
        _prepare(at, path, q, day)
        sent = payload(at)
        # Seeded by size and page, so no page meets a range another one set in this process.
        ranges = _sibling("ranges").new_ranges(
            whole, repeat + 1, f"{size}:{page}", containing=day, avoid=(whole, NARROW)
        )
        # In a child process: the project's caches here stay cold for the ranges timed below.
        captured = capture(root, path, ranges, Path(tmp) / "capture.pkl", q=q, asof=day)
        env = {
            "BASELINE_ROWS": str(sent["rows"]),
            "BASELINE_POINTS": str(sent["points"]),
            "FLOOR_CAPTURE": str(captured),
        }
        with _env(**env):
            base = _checked(AppTest.from_file(str(BASELINE), default_timeout=RUN_TIMEOUT).run())
            # The first new range is each app's warm-up; the timed runs follow it.
            same = _checked(AppTest.from_file(str(FLOOR_SAME), default_timeout=RUN_TIMEOUT).run())
            for app in (at, base, same):
                _checked(app.date_input(key="flt_range").set_value(ranges[0]).run())
            project_times: list[float] = []
            baseline_times: list[float] = []
            same_times: list[float] = []
            match: list[dict[str, int]] = []
            for chosen in ranges[1:]:
                seconds, _ = _timed(lambda r=chosen: _checked(at.date_input(key="flt_range").set_value(r).run()))
                project_times.append(seconds)
                seconds, _ = _timed(lambda r=chosen: _checked(same.date_input(key="flt_range").set_value(r).run()))
                same_times.append(seconds)
                seconds, _ = _timed(lambda r=chosen: _checked(base.date_input(key="flt_range").set_value(r).run()))
                baseline_times.append(seconds)
                ours, theirs = payload(at), payload(same)
                match.append(
                    {
                        "project_elements": ours["elements"],
                        "floor_elements": theirs["elements"],
                        "project_bytes": ours["total_bytes"],
                        "floor_bytes": theirs["total_bytes"],
                    }
                )
                if _spent(project_times, budget, repeat, f"{page} at {size}"):
                    break
            # The repeated view: two ranges alternated (a reader going back and forth).
            narrow = (max(NARROW[0], whole[0]), min(NARROW[1], whole[1]))
            if day:
                narrow = (min(narrow[0], day), max(narrow[1], day))
            repeat_project: list[float] = []
            repeat_baseline: list[float] = []
            for i in range(repeat):
                chosen = (narrow, whole)[i % 2]
                seconds, _ = _timed(lambda r=chosen: _checked(at.date_input(key="flt_range").set_value(r).run()))
                repeat_project.append(seconds)
                seconds, _ = _timed(lambda r=chosen: _checked(base.date_input(key="flt_range").set_value(r).run()))
                repeat_baseline.append(seconds)
                if _spent(repeat_project, budget, repeat, f"{page} at {size}, repeated"):
                    break
            if len(repeat_project) % 2:  # back to the whole record for the bytes below
                _checked(at.date_input(key="flt_range").set_value(whole).run())
                _checked(base.date_input(key="flt_range").set_value(whole).run())
            project, baseline = payload(at), payload(base)
    details = {
        "ranges": [[a.isoformat(), b.isoformat()] for a, b in ranges[1:]],
        "warm_up_range": [d.isoformat() for d in ranges[0]],
        "baseline_rows": sent["rows"],
        "baseline_points": sent["points"],
        "same_output": match,
        **({"q": q} if q else {}),
        **({"asof": day.isoformat()} if day else {}),
    }
    large = size.isdigit() and int(size) >= LARGE
    target = ratio_at_most(1.3) if size == "curated" else ratio_at_most(2.0) if large else None
    elements = statistics.median(m["project_elements"] for m in match) if match else 0
    figures = [
        Figure(f"warm_rerun.{page}", size, "s", project_times, baseline_times, target, details),
        Figure(f"warm_rerun_same.{page}", size, "s", project_times, same_times, ratio_at_most(1.3), details),
        Figure(
            f"warm_rerun_repeat.{page}",
            size,
            "s",
            repeat_project,
            repeat_baseline,
            None,
            {"ranges": [[d.isoformat() for d in narrow], [d.isoformat() for d in whole]]},
        ),
        Figure(
            f"harness_cost.{page}",
            size,
            "s",
            [elements * (per_element or 0.0)],
            details={"elements": elements, "seconds_per_element": per_element},
        ),
        Figure(f"bytes_per_rerun.{page}", size, "B", [project["total_bytes"]], [baseline["total_bytes"]]),
        Figure(
            f"plotly_bytes.{page}",
            size,
            "B",
            [project["plotly_bytes"]],
            [baseline["plotly_bytes"]],
            bytes_below(MB) if page == "map" and large else None,
        ),
        Figure(f"dataframe_bytes.{page}", size, "B", [project["dataframe_bytes"]], [baseline["dataframe_bytes"]]),
    ]
    figures[4].details = {"project": project, "baseline": baseline, "range": [d.isoformat() for d in whole]}
    return figures


HARNESS_SCRIPT = """
import os
import streamlit as st
st.date_input("Date range", key="flt_range")
for i in range(int(os.environ["HARNESS_ELEMENTS"])):
    st.markdown(f"Element {i}")
"""


def harness_cost(repeat: int = 5) -> float:
    """AppTest's own cost per element of a rerun (seconds): reruns of N Markdown elements, N = 0, 50, 200.

    AppTest parses every message of a run into its element tree; this is charged to a page
    for each element it draws, on top of what a server would spend. The slope of the median
    rerun time over N is reported beside each warm-rerun figure (``harness_cost``).
    """
    from streamlit.testing.v1 import AppTest

    medians = {}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "harness.py"
        script.write_text(HARNESS_SCRIPT, encoding="utf-8")
        for n in (0, 50, 200):
            with _env(HARNESS_ELEMENTS=str(n)):
                at = _checked(AppTest.from_file(str(script), default_timeout=RUN_TIMEOUT).run())
                times = [_timed(lambda at=at: _checked(at.run()))[0] for _ in range(repeat + 1)][1:]
                medians[n] = statistics.median(times)
    slope = np.polyfit(list(medians), list(medians.values()), 1)[0]
    return max(float(slope), 0.0)


def _cold(app: Path, root: Path, env: dict[str, str]) -> dict[str, Any]:
    """One cold start in a fresh interpreter; its own timing, peak memory and the wall time around it."""
    child_env = {**os.environ, "ROUTESTATUS_ROOT": str(root), **env}
    seconds, done = _timed(
        lambda: subprocess.run(
            [sys.executable, "-c", COLD_START, str(app), str(RUN_TIMEOUT)],
            cwd=PROJECT,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT + 60,
        )
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        raise RuntimeError(f"cold start of {app.name} failed ({done.returncode}): {done.stderr[-2000:]}")
    result = json.loads(lines[-1])
    if result["errors"]:
        raise RuntimeError(f"cold start of {app.name} raised: {result['errors']}")
    result["wall_seconds"] = seconds
    return result


def _cold_starts(root: Path, repeat: int, budget: float, size: str, baseline_env: dict[str, str]) -> list[Figure]:
    project: list[dict] = []
    baseline: list[dict] = []
    first: list[dict] = []
    first_baseline: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="routestatus-cache-") as cache:
        # The dashboard keeps each loaded dataset on disk (routestatus/diskcache.py): the
        # headline is a start with the cache holding this data (the second start of an
        # unchanged dataset, warmed once here); a start with an empty cache is beside it.
        warm = {"ROUTESTATUS_CACHE_DIR": cache}
        _cold(DASHBOARD, root, warm)
        for _ in range(repeat):
            project.append(_cold(DASHBOARD, root, warm))
            baseline.append(_cold(BASELINE, root, baseline_env))
            with tempfile.TemporaryDirectory(prefix="routestatus-empty-") as empty:
                first.append(_cold(DASHBOARD, root, {"ROUTESTATUS_CACHE_DIR": empty}))
            first_baseline.append(_cold(BASELINE, root, baseline_env))
            if _spent([r["seconds"] for r in project + first], budget, repeat, f"cold start at {size}"):
                break
    details = {
        "project_wall_seconds": [r["wall_seconds"] for r in project],
        "baseline_wall_seconds": [r["wall_seconds"] for r in baseline],
        "baseline_env": baseline_env,
        "project_ru_maxrss_kib": [r["ru_maxrss_kib"] for r in project],
        "baseline_ru_maxrss_kib": [r["ru_maxrss_kib"] for r in baseline],
        "peak_source": "VmHWM" if project[0]["vmhwm_kib"] else "ru_maxrss",
    }
    return [
        Figure(
            "cold_start",
            size,
            "s",
            [r["seconds"] for r in project],
            [r["seconds"] for r in baseline],
            ratio_at_most(1.5),
            details,
        ),
        Figure(
            "cold_start_first",
            size,
            "s",
            [r["seconds"] for r in first],
            [r["seconds"] for r in first_baseline],
            ratio_at_most(1.5),
            {"cache": "empty"},
        ),
        Figure(
            "peak_memory",
            size,
            "KiB",
            [r["peak_kib"] for r in project],
            [r["peak_kib"] for r in baseline],
            ratio_at_most(1.3),
            details,
        ),
    ]


def _snapshot(root: Path, repeat: int, budget: float, size: str) -> list[Figure]:
    """The whole range exported by the project and by plain ``to_csv`` of the same frames."""
    from routestatus.load import load_dataset
    from routestatus.paths import Root
    from routestatus.snapshot import TABLES, snapshot_zip, table_csv
    from routestatus.status import build_intervals
    from routestatus.view import View

    data = load_dataset(Root(root))
    if not data.report.ok:
        raise RuntimeError(f"the generated data does not validate: {data.report.lines()[:5]}")
    intervals = build_intervals(data.tables["events"])
    whole = View.default(data, intervals)
    frames = {name: whole.table(name) for name in TABLES}

    def fresh() -> View:
        # A new view each time, as each rerun makes: its tables are worked out again, not reused.
        return View(data, intervals, whole.choice, whole.options)

    zipped: list[float] = []
    tables: list[float] = []
    plain: list[float] = []
    for i in range(repeat):
        seconds, body = _timed(lambda: snapshot_zip(fresh()))
        zipped.append(seconds)
        seconds, files = _timed(lambda: [table_csv(v, name) for v in [fresh()] for name in frames])
        tables.append(seconds)
        seconds, _ = _timed(lambda: [frame.to_csv(index=False).encode("utf-8") for frame in frames.values()])
        plain.append(seconds)
        if _spent(zipped + tables, budget, repeat, f"snapshot at {size}", i + 1):
            break
    details = {
        "rows": {name: len(frame) for name, frame in frames.items()},
        "zip_bytes": len(body),
        "csv_bytes": sum(len(f) for f in files),
    }
    return [
        Figure("snapshot_zip", size, "s", zipped, plain, ratio_at_most(1.5), details),
        Figure("snapshot_table_csv", size, "s", tables, list(plain), ratio_at_most(1.5), details),
    ]


def _search(root: Path, repeat: int, budget: float, size: str) -> list[Figure]:
    """A query not asked before (no kept mask) over the whole record, against pandas' own substring test."""
    from routestatus.load import load_dataset
    from routestatus.paths import Root
    from routestatus.status import build_intervals
    from routestatus.view import View, parse

    data = load_dataset(Root(root))
    intervals = build_intervals(data.tables["events"])
    whole = View.default(data, intervals)
    events, statements = data.tables["events"], data.tables["statements"]
    seconds_first, _ = _timed(lambda: data.search.haystacks("events") is not None)  # folded once per dataset
    project: list[float] = []
    floor: list[float] = []
    for i in range(repeat):
        word = f"affected {i}"  # a new query each run, so no kept mask is reused

        def ours(q=word) -> int:
            view = View(data, intervals, parse({"q": q}, whole.options)[0], whole.options)
            return len(view.events) + len(view.statements)

        def plain(q=word) -> int:
            # The floor: case-insensitive substring tests of each word on the two main text columns.
            keep_e = np.ones(len(events), bool)
            keep_s = np.ones(len(statements), bool)
            for w in q.split():
                keep_e &= events["summary"].str.contains(w, case=False, regex=False).to_numpy(bool)
                keep_s &= statements["quote"].str.contains(w, case=False, regex=False).to_numpy(bool)
            return int(keep_e.sum() + keep_s.sum())

        seconds, _ = _timed(ours)
        project.append(seconds)
        seconds, _ = _timed(plain)
        floor.append(seconds)
        if _spent(project, budget, repeat, f"search at {size}", i + 1):
            break
    details = {"rows": {"events": len(events), "statements": len(statements)}, "fold_once_seconds": seconds_first}
    return [Figure("search_new_query", size, "s", project, floor, None, details)]


def _validate(root: Path, repeat: int, budget: float, size: str) -> list[Figure]:
    from routestatus.paths import Root
    from routestatus.validate import validate

    times: list[float] = []
    for _ in range(repeat):
        seconds, report = _timed(lambda: validate(Root(root)))
        if not report.ok:
            raise RuntimeError(f"validate found problems: {report.lines()[:5]}")
        times.append(seconds)
        if _spent(times, budget, repeat, f"validate at {size}"):
            break
    return [Figure("validate", size, "s", times, details={"rows": report.rows})]


def _errors_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR


def _quiet_streamlit() -> None:
    """Silence two warnings AppTest and cache clearing print outside a server; errors still show.

    A filter, not a level: Streamlit resets its loggers' levels when it reads its config.
    """
    from streamlit.logger import get_logger

    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.caching.cache_data_api"):
        logger = get_logger(name)
        if _errors_only not in logger.filters:
            logger.addFilter(_errors_only)


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def measure(
    root: Path, size: str, repeat: int, budget: float = DEFAULT_BUDGET, sessions: int = SESSION_COUNT
) -> list[Figure]:
    """Every figure for the data folder ``root`` (labelled ``size``)."""
    figures: list[Figure] = []
    per_element = harness_cost()
    for page, path in PAGES.items():
        print(f"  warm reruns: {page}", file=sys.stderr)
        figures += _warm(root, page, path, repeat, budget, size, per_element=per_element)
    for page, (path, q, asof) in SEARCHED.items():
        print(f"  warm reruns: {page}", file=sys.stderr)
        figures += _warm(root, page, path, repeat, budget, size, q, asof, per_element=per_element)
    _clear_caches()
    map_sent = next(f for f in figures if f.name == "bytes_per_rerun.map").details["project"]
    baseline_env = {"BASELINE_ROWS": str(map_sent["rows"]), "BASELINE_POINTS": str(map_sent["points"])}
    print("  cold starts", file=sys.stderr)
    figures += _cold_starts(root, repeat, budget, size, baseline_env)
    print("  memory with 20 sessions", file=sys.stderr)
    figures.append(_sessions_memory(root, size, baseline_env, sessions))
    print("  snapshot export", file=sys.stderr)
    figures += _snapshot(root, repeat, budget, size)
    print("  search", file=sys.stderr)
    figures += _search(root, repeat, budget, size)
    print("  validate", file=sys.stderr)
    figures += _validate(root, repeat, budget, size)
    order = {name: i for i, name in enumerate(FIGURES)}
    return sorted(figures, key=lambda f: order[f.name])


BROWSER_FIGURES = (
    "browser_date_to_settled.map",
    "browser_date_to_settled.timeline",
    "browser_date_to_settled.statements",
    "browser_link_to_map",
)


def _browser(root: Path, size: str, repeat: int) -> list[Figure]:
    """What the reader feels, in headless Chromium (``browser.py``), beside the same-output floor of each page.

    Each page's floor is ``floor_same.py`` serving what that page drew for every range the
    browser will type (and, for the Map, link to), captured first in a child process by
    ``capture.py``, as the AppTest figures' floors are: the browser then draws the same
    elements with the same content on both sides, so what is left is the project's.
    """
    module = _sibling("browser")
    try:
        module.chromium_path()
    except module.BrowserMissing as missing:
        print(f"  browser figures skipped: {missing}", file=sys.stderr)
        return []
    steps = module.plan(root, repeat)
    print("  browser: capturing the floors", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="bench-floors-") as tmp:
        jobs = [
            {"page": page, "ranges": steps.ranges(page), "out": Path(tmp) / f"{page}.pkl"}
            for page in ("map", "timeline", "statements")
        ]
        captured = _sibling("capture").capture_many(root, jobs)
        floors = {
            job["page"]: (FLOOR_SAME, {"FLOOR_CAPTURE": str(path)}) for job, path in zip(jobs, captured, strict=True)
        }
        print("  browser", file=sys.stderr)
        measured = module.measure_browser(root, size, repeat, floors)
    return [
        Figure(
            m["figure"], size, m.get("unit", "s"), list(m["project"]), list(m["baseline"]), None, m.get("details", {})
        )
        for m in measured
    ]


def _machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_at_start": _load_average(),
    }


def _load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages: other work on the machine skews every timing."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _revision() -> dict[str, Any]:
    """The project's git commit and whether the working tree differs from it (None outside git)."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": git("rev-parse", "HEAD"), "modified": None if status is None else bool(status)}


def _versions() -> dict[str, str]:
    return {name: version(name) for name in ("streamlit", "pandas", "plotly", "geopandas", "numpy")}


def _show(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "KiB":
        return f"{value / 1024:.0f} MiB"
    if value >= MB:
        return f"{value / MB:.2f} MB"
    return f"{value / 1000:.1f} kB" if value >= 1000 else f"{value:.0f} B"


def table(figures: list[Figure]) -> str:
    """The figures as one plain-text table with aligned columns."""
    head = ("figure", "size", "project median", "baseline median", "ratio", "spread (min-max)", "target", "met?")
    rows = [head]
    for f in figures:
        project = statistics.median(f.project) if f.project else None
        baseline = statistics.median(f.baseline) if f.baseline else None
        spread = "-"
        if len(f.project) > 1:
            spread = f"{_show(min(f.project), f.unit)} - {_show(max(f.project), f.unit)} (n={len(f.project)})"
        met = {True: "yes", False: "NO", None: "-"}[f.met]
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}"
        target = f.target.text if f.target else "-"
        rows.append((f.name, f.size, _show(project, f.unit), _show(baseline, f.unit), ratio, spread, target, met))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _compiled() -> None:
    """The project's modules compiled to bytecode before anything is timed.

    A user's Python writes each module's bytecode on its first import and reads it on every
    later start; where ``PYTHONDONTWRITEBYTECODE`` is set it never does, and each cold start
    would compile the package from source (50 ms), which the floor, all library code, never
    pays. ``make run`` compiles them the same way.
    """
    for folder in ("routestatus", "pages"):
        compileall.compile_dir(PROJECT / folder, quiet=1)


def run(
    sizes: list[str] | tuple[str, ...] = DEFAULT_SIZES,
    repeat: int = 5,
    out: Path | str | None = DEFAULT_OUT,
    budget: float = DEFAULT_BUDGET,
    command: str | None = None,
    sessions: int = SESSION_COUNT,
    browser: bool = True,
) -> dict[str, Any]:
    """Measure every figure at every size; write ``out`` (unless None) and return the results.

    ``sessions`` is how many sessions share one process for ``memory_20_sessions`` (the
    test suite's smoke run uses fewer). ``browser`` adds the headless-Chromium figures of
    ``browser.py`` at the curated size and from 100,000 events (skipped, and said, without
    Chromium).
    """
    _quiet_streamlit()
    _compiled()
    generate = _sibling("generate").generate
    started = time.perf_counter()
    results: dict[str, Any] = {
        "machine": _machine(),
        "versions": _versions(),
        "project": _revision(),
        "timestamp_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command or f"run(sizes={list(sizes)!r}, repeat={repeat}, out={str(out)!r}, budget={budget})",
        "sizes": [str(s) for s in sizes],
        "repeat": repeat,
        "budget_seconds": budget,
        "seconds_per_size": {},
        "figures": [],
    }
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="routestatus-bench-") as tmp:
        for size in (str(s) for s in sizes):
            size_started = time.perf_counter()
            print(f"size {size}: generating", file=sys.stderr)
            root = generate(Path(tmp) / f"size-{size}", size if size == "curated" else int(size))
            figures += measure(root, size, repeat, budget, sessions)
            if browser and (size == "curated" or int(size) >= LARGE):
                figures += _browser(root, size, min(repeat, 3))
            shutil.rmtree(root)
            _clear_caches()
            results["seconds_per_size"][size] = round(time.perf_counter() - size_started, 1)
            print(f"size {size}: {results['seconds_per_size'][size]} s", file=sys.stderr)
    results["seconds_total"] = round(time.perf_counter() - started, 1)
    results["machine"]["load_average_at_end"] = _load_average()
    results["figures"] = [f.to_json() for f in figures]
    results["table"] = table(figures)
    if out is not None:
        Path(out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


def main(argv: list[str] | None = None) -> int:
    """Command line; prints the table to stdout (progress goes to stderr)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(DEFAULT_SIZES), help="comma-separated: curated and/or event counts")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure (default 5)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write results.json")
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET,
        help="stop repeating a figure once its timed runs took this many seconds (default 60; one run always)",
    )
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    bad = [s for s in sizes if s != "curated" and not s.isdigit()]
    if bad or args.repeat < 1:
        parser.error(f"sizes must be 'curated' or event counts (got {bad}); --repeat at least 1")
    command = " ".join(["python", "benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    results = run(sizes, args.repeat, args.out, args.budget, command)
    print(results["table"])
    load = (results["machine"]["load_average_at_start"], results["machine"]["load_average_at_end"])
    print(f"\n{results['seconds_total']} s in all; per size: {results['seconds_per_size']}; written to {args.out}")
    print(f"load average (1, 5, 15 min) at start {load[0]}, at end {load[1]}; {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
