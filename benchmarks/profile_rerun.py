"""Where a warm rerun of one page spends its time: cProfile of AppTest reruns, project code first.

Generates the data (or uses ``--root``), runs the dashboard once, switches to the page, then
profiles ``--runs`` reruns that each set a date range never set before, as ``run.py`` times
its headline figure (seeded ranges, after one warm-up range, with one script cache, so
compiling is not counted); ``--repeat`` alternates two ranges instead, as its repeated-view
figure does. AppTest runs the script in its own thread, so the profiler is switched on
inside that thread.

    python benchmarks/profile_rerun.py --events 100000 --page timeline
    python benchmarks/profile_rerun.py --root /tmp/rs-100k --page all --top 20 --everything
    python benchmarks/profile_rerun.py --events curated --page all --split --runs 8

``--split`` prints, per page, the share of the reruns' time spent inside the Streamlit
commands the pages call (every ``st.*`` command goes through Streamlit's
``gather_metrics`` wrapper, whose outermost calls are summed, serialization included),
the share in the rest of the script (the project's code and the pandas, numpy and plotly
calls it makes), and the share outside the script (Streamlit running it).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402  (a sibling script, found through the line above)
from ranges import new_ranges  # noqa: E402
from run import ASOF, NARROW, PAGES, SEARCHED, one_script_cache  # noqa: E402
from run import _checked as checked  # noqa: E402
from run import _prepare as prepare  # noqa: E402
from served import as_served  # noqa: E402

# Entries from the project's own files: the routestatus package, the pages and dashboard.py.
OWN = re.escape(str(PROJECT)) + r"/(routestatus|pages)/|dashboard\.py"


def profile_page(root: Path, page: str, runs: int, repeat: bool = False) -> tuple[pstats.Stats, list[float]]:
    """Profile ``runs`` date-range reruns of ``page`` (one of run.py's pages, searched ones included)."""
    from streamlit.logger import get_logger
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    get_logger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: record.levelno >= logging.ERROR
    )
    path, q, asof = SEARCHED[page] if page in SEARCHED else (PAGES[page], "", None)
    profiler = cProfile.Profile()
    active = False
    original = LocalScriptRunner._run_script_thread

    def profiled(self):
        if active:
            profiler.enable()
        try:
            original(self)
        finally:
            if active:
                profiler.disable()

    os.environ["ROUTESTATUS_ROOT"] = str(root)
    LocalScriptRunner._run_script_thread = profiled
    try:
        with as_served(), one_script_cache():
            at = checked(AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=600).run())
            whole = tuple(at.date_input(key="flt_range").value)
            day = min(max(ASOF, whole[0]), whole[1]) if asof else None
            prepare(at, path, q, day)  # the page, the search and the as-of day, as run.py sets them
            # As the benchmark's timed runs meet them: with the tables shown so far worded whole
            # (routestatus/worded.py), which the dashboard does in the background after a run.
            for thread in threading.enumerate():
                if thread.name == "routestatus-words":
                    thread.join()
            if repeat:
                chosen = [NARROW if i % 2 == 0 else whole for i in range(runs)]
            else:
                # Seeded apart from run.py's own labels: ranges this process has not set, one warm-up first.
                fresh = new_ranges(whole, runs + 1, f"profile:{page}", containing=day, avoid=(whole, NARROW))
                checked(at.date_input(key="flt_range").set_value(fresh[0]).run())
                chosen = fresh[1:]
            times = []
            active = True
            for dates in chosen:
                started = time.perf_counter()
                checked(at.date_input(key="flt_range").set_value(dates).run())
                times.append(time.perf_counter() - started)
            active = False
    finally:
        LocalScriptRunner._run_script_thread = original
    return pstats.Stats(profiler, stream=io.StringIO()), times


def split(stats: pstats.Stats) -> tuple[float, float, float]:
    """Seconds of the profiled reruns: in all, in the script's code, in Streamlit's commands.

    Commands are counted by their outermost calls only (cProfile's cumulative time of a
    recursive function); what is in all but not in the script is Streamlit running it.
    """
    total = script = commands = 0.0
    for (file, _, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if name == "_run_script_thread" and file.endswith("local_script_runner.py"):
            total += cumulative
        elif name == "code_to_exec" and file.endswith("script_runner.py"):
            script += cumulative  # the script's code, from its first line to its last
        elif name == "wrapped_func" and file.endswith("metrics_util.py"):
            commands += cumulative
    return total, script, commands


def report(stats: pstats.Stats, top: int, everything: bool) -> str:
    """The top entries by cumulative time (the project's own unless ``everything``)."""
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("cumulative")
    if everything:
        stats.print_stats(top)
    else:
        stats.print_stats(OWN, top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", default="100000", help="events to generate, or 'curated' (ignored with --root)")
    parser.add_argument("--root", type=Path, help="an existing data folder (data/, geo/, seeds/)")
    parser.add_argument("--page", default="all", choices=[*PAGES, *SEARCHED, "all"])
    parser.add_argument("--runs", type=int, default=3, help="profiled reruns per page (default 3)")
    parser.add_argument("--repeat", action="store_true", help="alternate two ranges instead of new ones")
    parser.add_argument("--top", type=int, default=15, help="entries to print (default 15)")
    parser.add_argument("--everything", action="store_true", help="rank every function, not only the project's")
    parser.add_argument("--split", action="store_true", help="print only the share in Streamlit's commands per page")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="routestatus-profile-") as tmp:
        root = args.root
        if root is None:
            root = generate(Path(tmp) / "data", args.events if args.events == "curated" else int(args.events))
        for page in [*PAGES, *SEARCHED] if args.page == "all" else [args.page]:
            stats, times = profile_page(root, page, args.runs, args.repeat)
            if args.split:
                total, script, commands = split(stats)
                print(
                    f"{page}: {commands / total:.0%} in Streamlit's commands, {(script - commands) / total:.0%} "
                    f"the project's code and the calls it makes, {(total - script) / total:.0%} Streamlit running "
                    f"the script ({total:.2f} s over {args.runs} reruns under the profiler)"
                )
                continue
            shown = ", ".join(f"{t:.2f}" for t in times)
            print(f"== {page}: {args.runs} reruns under the profiler, {shown} s ==")
            print(report(stats, args.top, args.everything))
    return 0


if __name__ == "__main__":
    sys.exit(main())
