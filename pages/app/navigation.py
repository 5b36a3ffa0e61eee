"""The four pages, and what every other address a reader may type leads to.

The Map is the default page, at ``/``. Each page's file name (``/map``, ``/timeline``,
``/statements``, ``/sources``) and the Map's old address (``/road-map``) are hidden pages
that pass the reader on to the page meant, keeping the view. Any other address (``/widgets``
included) passes on to the Map with a short notice, instead of Streamlit's "Page not found"
dialog.

When the dashboard is started for curating (``make curate``, or ``ROUTESTATUS_CURATE=1``) a fifth
page, Add statements (``/add-statements``), is declared; otherwise it does not exist, so a shared
read-only deployment has no page that writes.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pages.app.record import record_query
from routestatus.mode import curating

HERE = Path(__file__).resolve().parent
PAGE_NOTICE = "page_notice"

# Page key -> (file, title, icon, address); the Map's address is "" (the root).
PAGES = {
    "map": ("map.py", "Map", ":material/map:", ""),
    "timeline": ("timeline.py", "Timeline", ":material/timeline:", "status-timeline"),
    "statements": ("statements.py", "Statements", ":material/format_quote:", "road-statements"),
    "sources": ("sources.py", "Sources & method", ":material/menu_book:", "method"),
}
ALIASES = {"map": "map", "road-map": "map", "timeline": "timeline", "statements": "statements", "sources": "sources"}
KNOWN = {address for *_, address in PAGES.values()} | set(ALIASES)
CURATE_PAGE = ("add_statements.py", "Add statements", ":material/note_add:", "add-statements")


def _table() -> dict:
    """The pages of this run: the four, and Add statements when curating is on."""
    return {**PAGES, "add": CURATE_PAGE} if curating() else PAGES


_SESSION_PAGES = "_pages"  # this session's page objects, made on its first run


def _pages() -> tuple[dict, list]:
    """The pages and the hidden pages of the aliases, made once per session.

    Streamlit marks the page it may run on the object itself, so page objects are never
    shared between sessions; within one session they are kept, as making them again (a path
    resolved and a file looked up for each) cost every rerun about a millisecond.
    """
    table = _table()
    kept = st.session_state.get(_SESSION_PAGES)
    if kept is None or kept[0] != table:
        pages = {
            key: st.Page(HERE / file, title=title, icon=icon, url_path=address, default=address == "")
            for key, (file, title, icon, address) in table.items()
        }
        hidden = [
            st.Page(_pass_on(pages[target]), title=pages[target].title, url_path=alias, visibility="hidden")
            for alias, target in ALIASES.items()
        ]
        kept = st.session_state[_SESSION_PAGES] = (table, pages, hidden)
    return kept[1], kept[2]


def _pass_on(page, notice: str | None = None):
    """A hidden page's body: go to ``page`` with the view's link, leaving ``notice`` for it to show."""

    def run() -> None:
        if notice:
            st.session_state[PAGE_NOTICE] = notice
        view = st.session_state["view"]
        query = view.query() if view.choice is not None else {}
        query = {**query, **record_query()}  # an open record goes on with the reader
        st.switch_page(page, query_params=query or None)

    return run


def _asked_for() -> str:
    """The address this run was asked for by name (on a first visit or reload), or ``""``."""
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    if manager is None or getattr(manager, "intended_page_script_hash", None):
        return ""
    return (getattr(manager, "intended_page_name", None) or "").strip("/")


def declare_pages():
    """Declare the pages to Streamlit and return the one to run; show a notice left by a hidden page."""
    pages, aliases = _pages()
    hidden = list(aliases)
    asked = _asked_for().strip()
    # A name Streamlit can take as a page address (one path segment) gets a hidden page of its
    # own that passes on to the Map; a nested one ("a/b") cannot be declared and keeps the dialog.
    known = KNOWN | {address for *_, address in _table().values()}
    if asked not in known and "/" not in asked:
        notice = f"There is no page at /{asked[:60]}; this is the Map. The pages are listed in the sidebar."
        hidden.append(st.Page(_pass_on(pages["map"], notice), title="Map", url_path=asked, visibility="hidden"))
    page = st.navigation([*pages.values(), *hidden])
    if notice := st.session_state.pop(PAGE_NOTICE, None):
        st.info(notice, icon=":material/info:")
    return page
