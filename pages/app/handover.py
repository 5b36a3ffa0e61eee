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

import runpy
from pathlib import Path

ENTRY = Path(__file__).resolve().parent.parent.parent / "dashboard.py"


def run_dashboard() -> None:
    """Run ``dashboard.py`` as the script of this run."""
    runpy.run_path(str(ENTRY), run_name="__main__")
