"""Smoke test of benchmarks/browser.py: one run in headless Chromium records every figure, offline.

Gated like the end-to-end tests: skipped when there is no Chromium or Playwright, unless
``ROUTESTATUS_REQUIRE_BROWSER=1`` turns the missing browser into a failure. No timing is
asserted, only that each figure was measured on both sides.
"""

import importlib.util
import math
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
PROJECT = BENCH.parent


def _load():
    """benchmarks/browser.py by path (the folder is scripts, not an installed package)."""
    if "bench_browser" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_browser", BENCH / "browser.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up by name
        spec.loader.exec_module(module)
    return sys.modules["bench_browser"]


browser = _load()
try:
    browser.chromium_path()
    MISSING = None
except browser.BrowserMissing as error:
    MISSING = str(error)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        MISSING is not None and os.environ.get("ROUTESTATUS_REQUIRE_BROWSER") != "1",
        reason=f"no browser to drive: {MISSING}",
    ),
]


def test_one_curated_run_records_every_figure_and_fetches_nothing_offsite():
    # The project's own data is the curated size; one timed run per figure, no warm-up.
    # In a thread of its own: the end-to-end tests' Playwright session, open for the whole
    # run, keeps an event loop on this thread, and Playwright's sync API refuses to start a
    # second one where a loop is running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        figures = pool.submit(browser.measure_browser, PROJECT, "curated", repeat=1, warmups=0).result()
    names = [f["figure"] for f in figures]
    assert names == [
        "browser_date_to_settled.map",
        "browser_date_to_settled.timeline",
        "browser_date_to_settled.statements",
        "browser_link_to_map",
    ]
    for figure in figures:
        assert figure["size"] == "curated" and figure["unit"] == "s"
        for side in ("project", "baseline"):
            samples = figure[side]
            assert len(samples) == 1, (figure["figure"], side, samples)
            assert all(math.isfinite(s) and 0 < s < 120 for s in samples), (figure["figure"], side, samples)
        assert figure["details"]["offsite"] == 0, figure["details"]["offsite_urls"]
        assert figure["details"]["page_errors"] == []
        assert figure["details"]["ratio_of_medians"] > 0
    for figure in figures[:3]:
        assert figure["details"]["early_runs"] == [0, 0]  # no run started before the commit was timed


def _capture(ranges, out: Path) -> Path:
    """The Map captured by benchmarks/capture.py over ``ranges``, in a child process."""
    spec = importlib.util.spec_from_file_location("bench_capture", BENCH / "capture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.capture_many(PROJECT, [{"page": "map", "ranges": ranges, "out": out}])[0]


def _map_against(capture: Path) -> list[dict]:
    floors = {"map": (BENCH / "floor_same.py", {"FLOOR_CAPTURE": str(capture)})}
    with ThreadPoolExecutor(max_workers=1) as pool:  # as in the test above
        return pool.submit(
            browser.measure_browser, PROJECT, "curated", repeat=1, floors=floors, pages=("map",), warmups=0
        ).result()


def test_the_same_output_floor_is_served_for_every_range_typed_and_linked(tmp_path):
    # What make bench does: the floor replays what the Map drew for each range the browser
    # types and links to (the link's ?from=&to= read on the floor's first run).
    steps = browser.plan(PROJECT, 1, ("map",), warmups=0)
    figures = _map_against(_capture(steps.ranges("map"), tmp_path / "map.pkl"))
    assert [f["figure"] for f in figures] == ["browser_date_to_settled.map", "browser_link_to_map"]
    for figure in figures:
        assert len(figure["project"]) == len(figure["baseline"]) == 1, figure
        assert figure["details"]["page_errors"] == []
