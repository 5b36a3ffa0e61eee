"""The reader's choice in the session: read from the link once, changed by the widgets, written back to the link.

The choice (:class:`routestatus.view.Choice`) is kept under one session key of its own,
not only in the widgets' keys: Streamlit forgets a widget's value when the widget is not
drawn in a run (the organisation filter lives on one page) or is drawn from another
script (an address file in ``pages/`` hands over to ``dashboard.py``). Each run sets every
widget from the choice before drawing it; a change by the reader reaches the choice
through the widget's callback, which runs before the script does.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from routestatus.citation import VERSION_KEY, version_notice
from routestatus.filters import PRECISION_RULE
from routestatus.labels import ROAD_LABELS, type_label
from routestatus.status import ROADS
from routestatus.view import MAX_VALUE_LENGTH, Choice, Notice, Options, parse, refit, search_text

CHOICE, OPTIONS, NOTICES = "choice", "choice_options", "choice_notices"
PARTIAL = "flt_range_partial"  # a range picked half-way: one day chosen so far

# Widget key -> the link keys its value covers; a notice about one of those goes once the
# reader changes the widget.
COVERS = {
    "flt_q": ("q",),
    "flt_range": ("from", "to", "asof"),
    "flt_asof": ("asof",),
    "flt_roads": ("roads",),
    "flt_types": ("types",),
    "st_orgs": ("orgs",),
    "st_speakers": ("speakers",),
}
LISTS = {"flt_roads": "roads", "flt_types": "event_types", "st_orgs": "organisations", "st_speakers": "speakers"}


def current_choice(options: Options, data=None) -> Choice:
    """This session's choice: from the link on its first run, then as kept, fitted to the data as it is now.

    With ``data``, a link made for another dataset version (its ``v=``) gets a notice on the first run.
    """
    state = st.session_state
    if CHOICE not in state:
        choice, notices = parse(st.query_params.to_dict(), options)
        version = version_notice(st.query_params.get(VERSION_KEY), data) if data is not None else None
        state[NOTICES] = notices + ([version] if version else [])
    else:
        choice, notices = refit(state[CHOICE], options, state.get(OPTIONS))
        if notices:
            state[NOTICES] = [n for n in state[NOTICES] if "from" not in n.keys] + notices
    state[CHOICE], state[OPTIONS] = choice, options
    return choice


def _changed(key: str) -> None:
    """A widget's callback: the reader's new value into the choice."""
    state = st.session_state
    value, choice, options = state[key], state[CHOICE], state[OPTIONS]
    if key == "flt_range":
        days = tuple(value or ())
        if len(days) == 1:  # half-way through picking: keep the day, run to the record's end meanwhile
            state[PARTIAL] = days
            choice = dataclasses.replace(choice, start=days[0], end=options.bounds[1])
        elif len(days) == 2:
            state.pop(PARTIAL, None)
            choice = dataclasses.replace(choice, start=days[0], end=days[1])
    elif key == "flt_asof":
        choice = dataclasses.replace(choice, asof=value)
    elif key == "flt_q":
        typed: list[Notice] = []
        choice = dataclasses.replace(choice, q=search_text(value, typed, whose="Your"))
    else:
        choice = dataclasses.replace(choice, **{LISTS[key]: tuple(value)})
    state[CHOICE] = choice.fit(options)
    state[NOTICES] = [n for n in state.get(NOTICES, []) if not set(n.keys) & set(COVERS[key])]
    if key == "flt_q":
        state[NOTICES] += typed


def bound(key: str) -> dict:
    """Set widget ``key`` from the choice and return the arguments that tie it back (``key``, ``on_change``)."""
    choice = st.session_state[CHOICE]
    if key == "flt_range":
        value = st.session_state.get(PARTIAL) or (choice.start, choice.end)
    elif key == "flt_asof":
        value = choice.day
    elif key == "flt_roads":
        value = list(choice.shown_roads)
    elif key == "flt_q":
        value = choice.q
    else:
        value = list(getattr(choice, LISTS[key]))
    st.session_state[key] = value
    return {"key": key, "on_change": _changed, "args": (key,)}


def sidebar(choice: Choice, options: Options) -> None:
    """The search box, the notices and the shared widgets: range, status day, roads, event types."""
    lo, hi = options.bounds
    st.text_input(
        "Search",
        placeholder="e.g. Hakari bridge, ICJ, Berdzor",
        max_chars=MAX_VALUE_LENGTH,
        help="Keeps the events and statements that hold every word, on every page and in every download. "
        "Case, accents and quote marks are ignored; a place is found by any of its names in English, "
        "Armenian, Azerbaijani or Russian. Press Enter to search.",
        icon=":material/search:",
        **bound("flt_q"),
    )
    for notice in st.session_state.get(NOTICES, []):
        st.warning(str(notice), icon=":material/info:" if notice.note else ":material/link_off:")
    st.date_input("Date range", min_value=lo, max_value=hi, format="YYYY-MM-DD", **bound("flt_range"))
    st.date_input(
        "Status on",
        min_value=choice.start,
        max_value=choice.end,
        format="YYYY-MM-DD",
        help="The day whose status the map, the status cards and the timeline's marker show. "
        "It follows the end of the range until you pick another day.",
        **bound("flt_asof"),
    )
    st.multiselect("Roads", ROADS, format_func=ROAD_LABELS.get, placeholder="Both roads", **bound("flt_roads"))
    st.multiselect(
        "Event types",
        options.values["event_types"],
        format_func=type_label,
        placeholder="All event types",
        **bound("flt_types"),
    )
    st.caption(PRECISION_RULE)
