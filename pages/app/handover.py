"""What every address file at the top of ``pages/`` does: run the real entry, ``dashboard.py``.

Streamlit treats a folder called ``pages/`` beside the entry script as a legacy multipage
app until the entry declares its pages. On a server started with ``streamlit run
dashboard.py`` the first request after a start is served that legacy way: the file in
``pages/`` named like the address runs in place of ``dashboard.py``. The files at the top
of ``pages/`` are therefore one per address a reader may type (each page's address and
file name); each hands over to ``dashboard.py``, which loads the data, draws the sidebar
and runs the page that address means. ``python dashboard.py`` (what ``make run`` uses)
turns the legacy path off before the first request, so there these files never run.
"""

import builtins
from pathlib import Path
from types import CodeType

ENTRY = Path(__file__).resolve().parent.parent.parent / "dashboard.py"

# dashboard.py compiled, by its (modification time, size): ``runpy.run_path`` read and compiled
# it again on every rerun (about 0.7 ms), where Streamlit keeps its entry script compiled.
_COMPILED: dict[tuple[int, int], CodeType] = {}


def run_dashboard() -> None:
    """Run ``dashboard.py`` as the script of this run, in a fresh ``__main__`` namespace (as ``runpy.run_path``)."""
    stat = ENTRY.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    code = _COMPILED.get(key)
    if code is None:
        _COMPILED.clear()  # an edited entry replaces the old one
        code = _COMPILED[key] = compile(ENTRY.read_bytes(), str(ENTRY), "exec", dont_inherit=True)
    exec(code, {"__name__": "__main__", "__file__": str(ENTRY), "__builtins__": builtins, "__spec__": None})
