"""Smoke tests of the benchmark harness in benchmarks/: it runs and records every figure (no timing asserted)."""

import datetime as dt
import importlib.util
import json
import math
import sys
from pathlib import Path

from routestatus.paths import Root
from routestatus.validate import validate

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def load(name):
    """A module of benchmarks/ by path (the folder is scripts, not an installed package)."""
    if f"bench_{name}" not in sys.modules:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up by name
        spec.loader.exec_module(module)
    return sys.modules[f"bench_{name}"]


def number(value):
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def test_generated_data_validates(tmp_path):
    root = load("generate").generate(tmp_path / "gen", 2000, seed=1)
    report = validate(Root(root))
    assert report.ok, report.lines()[:10]
    assert report.rows["events"] == 2000
    assert report.rows["statements"] == 200
    again = load("generate").generate(tmp_path / "again", 2000, seed=1)
    assert (again / "data" / "events.csv").read_bytes() == (root / "data" / "events.csv").read_bytes()


def test_run_records_every_figure(tmp_path):
    bench = load("run")
    out = tmp_path / "r.json"
    returned = bench.run(["curated"], repeat=1, out=out, sessions=2, browser=False)
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["figures"] == json.loads(json.dumps(returned["figures"]))
    assert set(results["machine"]) >= {"platform", "cpu_count", "python"}
    assert set(results["versions"]) == {"streamlit", "pandas", "plotly", "geopandas", "numpy"}
    assert results["timestamp_utc"].endswith("Z") and results["command"]
    by_name = {f["figure"]: f for f in results["figures"] if f["size"] == "curated"}
    assert set(by_name) == set(bench.FIGURES) - set(bench.BROWSER_FIGURES)
    for name, figure in by_name.items():
        for side in ("project",) if name == "validate" or name.startswith("harness_cost.") else ("project", "baseline"):
            stats = figure[side]
            assert stats["n"] >= 1, name
            assert all(number(stats[k]) for k in ("median", "min", "max")), (name, side, stats)
        assert figure["target"] is None or isinstance(figure["met"], bool), name
    ratios = ("cold_start", "cold_start_first", "memory_20_sessions", "snapshot_zip", "snapshot_table_csv")
    for name in (*ratios, *(f"warm_rerun{k}.{p}" for k in ("", "_same", "_repeat") for p in bench.PAGES)):
        assert number(by_name[name]["ratio"]), name
    assert by_name["plotly_bytes.map"]["project"]["median"] > 0
    # The same-output floor sent what the page sent: as many elements, and within 2% of its bytes.
    for page in (*bench.PAGES, *bench.SEARCHED):
        for sent in by_name[f"warm_rerun_same.{page}"]["details"]["same_output"]:
            assert sent["floor_elements"] == sent["project_elements"], (page, sent)
            assert abs(sent["floor_bytes"] - sent["project_bytes"]) <= 0.02 * sent["project_bytes"], (page, sent)
    assert by_name["peak_memory"]["project"]["median"] > 0
    assert "warm_rerun.map" in results["table"]
    rendered = load("report").render(results)  # the Performance doc's table, from these results
    assert all(f"`{name}`" in rendered for name in by_name if not name.split(".")[0].endswith("bytes"))


def test_the_same_output_floor_opens_a_linked_range_and_says_when_it_has_no_capture(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    linked, other = (dt.date(2022, 12, 12), dt.date(2023, 9, 19)), (dt.date(2021, 1, 1), dt.date(2021, 6, 30))
    capture = load("capture").capture(BENCH.parent, "map", [linked], tmp_path / "map.pkl")
    monkeypatch.setenv("FLOOR_CAPTURE", str(capture))
    # A link's ?from=&to= picks its captured run on the first run, as the project reads its link;
    # with no capture of it, the floor would say so (below) instead of drawing the page.
    at = AppTest.from_file(str(BENCH / "floor_same.py"), default_timeout=120)
    at.query_params["from"], at.query_params["to"] = linked[0].isoformat(), linked[1].isoformat()
    at.run()
    assert not at.exception and not at.error
    assert tuple(at.date_input(key="flt_range").value) == linked
    # A range without a capture is an error on the page, in the words the browser figures look for.
    at.date_input(key="flt_range").set_value(other).run()
    assert load("browser").UNCAPTURED in at.error[0].value


def test_the_dashboard_run_as_served_draws_what_it_draws_otherwise():
    """AppTest takes the dashboard for a legacy multipage app on every run; served, it is not, and draws the same."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    dashboard = str(BENCH.parent / "dashboard.py")

    def drawn(at):
        kinds = ("title", "subheader", "caption", "markdown", "metric", "success", "info", "warning")
        words = {kind: [e.value for e in getattr(at, kind)] for kind in kinds}
        return words, [frame.value.to_dict() for frame in at.dataframe]

    def run_page(page, legacy):
        seen = []
        original = PagesManager.__init__

        def noted(self, *args, **kwargs):
            original(self, *args, **kwargs)
            seen.append(PagesManager.uses_pages_directory)

        PagesManager.__init__ = noted
        try:
            at = AppTest.from_file(dashboard, default_timeout=120).run()
            at.switch_page(page).run()
            at.date_input(key="flt_range").set_value((dt.date(2022, 12, 1), dt.date(2023, 3, 1))).run()
        finally:
            PagesManager.__init__ = original
        assert not at.exception, [e.value for e in at.exception]
        assert set(seen) == {legacy}  # as AppTest left the flag after its reset, at every run
        return drawn(at)

    for page in ("pages/app/map.py", "pages/app/sources.py"):
        legacy = run_page(page, True)
        with load("served").as_served():
            served = run_page(page, False)
        assert served == legacy
