"""The package's own promises: it never imports Streamlit."""

import subprocess
import sys


def test_the_package_never_imports_streamlit():
    """Importing every module of the package, in a fresh interpreter, leaves Streamlit unloaded."""
    code = (
        "import importlib, pkgutil, sys, routestatus\n"
        "for m in pkgutil.iter_modules(routestatus.__path__):\n"
        "    if m.name != '__main__': importlib.import_module('routestatus.' + m.name)\n"
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
