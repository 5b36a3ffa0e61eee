"""The Performance doc's results table, written from ``benchmarks/results.json``.

``python benchmarks/report.py [results.json] [docs/performance.md]`` replaces the text
between ``<!-- results:start -->`` and ``<!-- results:end -->`` in the doc with one table
(every figure at every size, beside its target) and, under it, one line per missed target
saying what bounds it (:data:`BOUNDS`). ``make bench`` runs it after ``run.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
DOC = HERE.parent / "docs" / "performance.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"

# What bounds each figure that misses its target, by the figure's name up to its first dot.
# The profiles behind these sentences are in docs/performance.md, "Where the time goes".
BOUNDS = {
    "warm_rerun_same": "the project's own work per rerun, a few milliseconds against floors of 8-45 ms (on "
    "Statements at 10,000 events: the two said-vs-passed figures, 1.8-3.3 ms; the statements chart, 1.1-2.5 ms; the "
    "voices table, 1.1-1.4 ms; selecting the statements in view, 0.5-1.5 ms; wording the tables' pages, about 2 ms; "
    "elsewhere the Timeline's figure, 2.0-2.9 ms, and the Map's marks, 1.1-3.7 ms), 34-36 % of a Statements rerun "
    "under the profiler against 62-64 % in Streamlit's commands; each cell moves by about 0.1 from one run to the "
    "next, and range by range every page is at 1.28x or less; see Where the time goes",
    "warm_rerun": "as for the same-output floor, and today's floor draws 4 elements where a page draws 28-150",
    "cold_start": "importing the pages' libraries and the first run of the page; the data comes from the disk cache",
    "cold_start_first": "at 100,000 events, reading and checking new data once (validate, 0.33-0.35 s in a new "
    "process: Arrow's parse from the files' bytes and the checks of distinct values, unique cells and foreign keys "
    "in Arrow), then the typed frames in date order (0.14-0.15 s); the floor reads one file and checks nothing; see "
    "Where the time goes",
    "peak_memory": "the loaded dataset's typed frames and the selection arrays kept for it, beside the floor's "
    "one frame",
    "memory_20_sessions": "each session's view and the elements AppTest keeps for it",
    "snapshot_zip": "at curated size, fixed costs per snapshot against 10-11 ms for to_csv: GDAL writing three "
    "GeoPackage layers (23 ms; it opens the file anew for each layer, about 6 ms a layer, more than 2x to_csv by "
    "itself), building the GIS layers (11 ms), the two tables made per view and their CSVs (9 ms), the GeoJSON "
    "(5 ms), then the README, manifest and zip; the CSVs alone are snapshot_table_csv",
    "snapshot_table_csv": "at curated size, working out the view's tables and Arrow's fixed cost per call",
}


def _show(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "KiB":
        return f"{value / 1024:.0f} MiB"
    if unit == "B":
        return f"{value / 1e6:.2f} MB" if value >= 1e6 else f"{value / 1000:.1f} kB"
    return f"{value:g}"


def _cell(figure: dict) -> str:
    project = (figure.get("project") or {}).get("median")
    baseline = (figure.get("baseline") or {}).get("median")
    text = _show(project, figure["unit"])
    if baseline is not None:
        text += f" (floor {_show(baseline, figure['unit'])}"
        if figure.get("ratio") is not None:
            text += f", {figure['ratio']:.2f}×"
        text += ")"
    if figure.get("met") is True:
        text += " ✓"
    elif figure.get("met") is False:
        text += " ✗"
    return text


def render(results: dict) -> str:
    """The table and the missed-target lines, as Markdown."""
    sizes = results["sizes"]
    by_name: dict[str, dict[str, dict]] = {}
    for figure in results["figures"]:
        by_name.setdefault(figure["figure"], {})[figure["size"]] = figure
    names = [n for n in by_name if not n.split(".")[0].endswith("bytes")]
    head = "| figure | " + " | ".join(sizes) + " | target |"
    lines = [head, "|" + "---|" * (len(sizes) + 2)]
    for name in names:
        cells = [_cell(by_name[name][s]) if s in by_name[name] else "–" for s in sizes]
        targets = sorted({f["target"] for f in by_name[name].values() if f.get("target")})
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {' / '.join(targets) or '–'} |")
    machine = results["machine"]
    lines += [
        "",
        f"Run of {results['timestamp_utc']} at commit {str(results['project'].get('commit'))[:10]}"
        f"{' (working tree modified)' if results['project'].get('modified') else ''}: {machine['cpu_count']} CPUs, "
        f"load average {machine.get('load_average_at_start')} at the start and "
        f"{machine.get('load_average_at_end')} at the end; {results['seconds_total']:.0f} s in all. "
        "Each cell: the project's median (the floor's median, the ratio); ✓ or ✗ against the target.",
        "",
    ]
    missed = [
        (name, size)
        for name, per_size in by_name.items()
        for size, figure in per_size.items()
        if figure.get("met") is False
    ]
    if missed:
        lines.append("Missed targets, and what bounds them:")
        lines.append("")
        for prefix in dict.fromkeys(n.split(".")[0] for n, _ in missed):
            which = []
            for name in dict.fromkeys(n for n, _ in missed if n.split(".")[0] == prefix):
                at = ", ".join(s for n, s in missed if n == name)
                which.append(f"{name.partition('.')[2] or name} ({at})")
            lines.append(f"- `{prefix}`: {'; '.join(which)}. Bound: {BOUNDS.get(prefix, 'see Where the time goes')}.")
    return "\n".join(lines) + "\n"


def update(doc: Path = DOC, results_path: Path = RESULTS) -> None:
    """Replace the results section of ``doc`` with the table rendered from ``results_path``."""
    text = doc.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{doc} has no {START} … {END} section")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    table = render(json.loads(results_path.read_text(encoding="utf-8")))
    doc.write_text(f"{before}{START}\n{table}{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    update(*(args[1:2] or [DOC]), *(args[:1] or [RESULTS]))
