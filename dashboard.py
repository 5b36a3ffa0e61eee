"""Entry point: page config, the cached data load, the reader's view, navigation.

Start it with ``python dashboard.py`` (what ``make run`` does; any ``streamlit run`` options
may follow) or with ``streamlit run dashboard.py``.
"""

import sys

import streamlit as st
from streamlit import runtime


def _serve() -> None:
    """Start the Streamlit server on this file, as ``streamlit run dashboard.py`` would.

    Before the first request, Streamlit is told this app declares its own pages: with a
    folder called ``pages/`` beside the entry script it would otherwise serve the first
    request of a fresh server as a legacy multipage app, and a link to any address but the
    known ones would open on a "Page not found" dialog.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", __file__, *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__" and not runtime.exists():  # plain `python dashboard.py`
    _serve()

from routestatus.contenthash import begin  # noqa: E402  (the standard library alone)
from routestatus.paths import resolve_root  # noqa: E402

# The data's files are hashed on the other core while the libraries below are imported.
begin(resolve_root())

from pages.app.dataset import load  # noqa: E402  (after the server check above)
from pages.app.navigation import declare_pages  # noqa: E402
from pages.app.record import from_link, record_query, show_record  # noqa: E402
from pages.app.sidebar import current_choice, sidebar  # noqa: E402
from pages.app.widgets import (  # noqa: E402
    cite_box,
    labelled_controls,
    problems_panel,
    search_summary,
    snapshot_button,
)
from routestatus.citation import link_query  # noqa: E402
from routestatus.load import fingerprint  # noqa: E402
from routestatus.view import View  # noqa: E402
from routestatus.worded import start_queued  # noqa: E402

# An emoji icon is drawn in the browser; a Material icon as the tab icon would be fetched
# from Google's font server, and nothing here may leave the machine.
st.set_page_config(page_title="routestatus: Lachin corridor and Aghdam–Askeran road", page_icon="🛣️", layout="wide")

labelled_controls()
root = resolve_root()
data, intervals, options = load(str(root.path), fingerprint(root))
choice = current_choice(options, data) if options is not None else None
view = View(data, intervals, choice, options)
st.session_state["view"] = view
if choice is not None:
    with st.sidebar:
        sidebar(choice, options)
    from_link(data)  # an open record (?event=, ?statement=) is kept in the link beside the view
    # The view, the dataset version it shows (v=) and any open record.
    st.query_params.from_dict({**link_query(view), **record_query()})
    with st.sidebar:
        snapshot_button(view)
        cite_box(view)

page = declare_pages()
if choice is None and page.title != "Sources & method":
    # Without events no page but Sources & method can be drawn; say why here instead.
    st.title(page.title)
    st.error("The data could not be loaded, so this page cannot be drawn. Sources & method lists every problem.")
    problems_panel(data.report)
else:
    try:
        if choice is not None:
            search_summary(view)
        if not show_record(view, page):  # an open record takes the place of the page
            page.run()
    finally:
        # The tables this run showed for the first time are worded whole from here on, in the
        # background, once the page is drawn (st.stop() and reruns end a run through here too).
        start_queued()
