"""Run the dashboard under AppTest as ``make run`` serves it: declaring its own pages, never as a legacy app.

A script with a ``pages/`` folder beside it is taken by Streamlit for a legacy multipage app
until a run calls ``st.navigation``; then it never is again. ``python dashboard.py`` (what
``make run`` does) settles it before the first request (see dashboard.py), so no run of a
served dashboard is a legacy one. AppTest instead resets the flag before every run, so
each rerun it times would first make a page object for every file in ``pages/`` and declare
them, work no served rerun does (about a millisecond). Here the flag is set as served after
AppTest resets it. The floors have no ``pages/`` folder: for them nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


def apply() -> Callable[[], None]:
    """Set the flag as served after every reset from now on; returns what undoes it."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def served(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = served

    def undo() -> None:
        PagesManager.__init__ = original

    return undo


@contextmanager
def as_served() -> Iterator[None]:
    """:func:`apply` for the length of a ``with`` block."""
    undo = apply()
    try:
        yield
    finally:
        undo()
