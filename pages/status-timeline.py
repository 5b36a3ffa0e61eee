# On the first run of a fresh server, Streamlit still treats a folder called pages/ as a
# legacy multipage app and runs the file named like the address asked for, before
# dashboard.py has declared the real pages. This file bears one of those addresses and
# hands over to dashboard.py, which sets up the data and filters and runs the real page;
# without it, a shared link opened first after a restart shows "Page not found".
import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent.parent / "dashboard.py"), run_name="__main__")
