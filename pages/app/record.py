"""The record view: one event or one statement, opened by a link (``?event=E025``, ``?statement=S031``).

The record takes the place of the page's body on whichever page's address the link names
(the root opens it over the Map), so a record link works from every page. It is kept in the
session under :data:`RECORD` and written back into the link beside the view's keys on every
run (``dashboard.py``), so a copied address opens it again; a run whose link no longer
names it (the reader went to another page, or pressed "Back") closes it. A link naming
both an event and a statement opens the event. An id that is no record's, or a retracted
record's, leaves a notice and the page is drawn as usual. What the view holds is worked
out in :mod:`routestatus.record`.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode, urlsplit

import pandas as pd
import streamlit as st

from pages.app.widgets import RECORD_COLUMN, problems_panel
from routestatus.citation import cite, dataset_version
from routestatus.figures import place_figure
from routestatus.labels import ROAD_LABELS, STATUS_LABELS
from routestatus.record import KINDS, Record, asked, build, lookup
from routestatus.textsafe import md_escape

RECORD, RECORD_NOTICE, RECORD_ALSO = "record", "record_notice", "record_also"


def from_link(data) -> None:
    """Take the record this run's link names into the session (or close it when the link names none).

    Called before the link is rewritten. A refused value leaves a notice for the page and
    is not written back.
    """
    state = st.session_state
    ask = asked(st.query_params.to_dict())
    state.pop(RECORD_ALSO, None)
    if ask is None:
        state.pop(RECORD, None)
        return
    record_id, notice = lookup(data, ask.kind, ask.value)
    if record_id is None:
        state.pop(RECORD, None)
        state[RECORD_NOTICE] = notice
        return
    state[RECORD] = (ask.kind, record_id)
    if ask.also:
        state[RECORD_ALSO] = ask.also


def record_query() -> dict[str, str]:
    """The link keys of the open record (``{"event": "E025"}``), or none."""
    open_record = st.session_state.get(RECORD)
    return {open_record[0]: open_record[1]} if open_record else {}


def _close() -> None:
    """The "Back" button: forget the record and take its key out of the link, before the rerun reads it."""
    st.session_state.pop(RECORD, None)
    for kind in KINDS:
        if kind in st.query_params:
            del st.query_params[kind]


def show_record(view, page) -> bool:
    """Draw the open record in place of ``page``; False (and any notice shown) when there is none to draw.

    A hidden page (an old address passing the reader on) is always run: it carries the
    record's key on to the page meant.
    """
    if page.visibility == "hidden":
        return False
    state = st.session_state
    if notice := state.pop(RECORD_NOTICE, None):
        st.warning(md_escape(notice), icon=":material/link_off:")
    if RECORD not in state:
        return False
    kind, record_id = state[RECORD]
    st.button(f"Back to {page.title}", icon=":material/arrow_back:", on_click=_close, key="record_back")
    table = f"data/{KINDS[kind][0]}.csv"
    if not problems_panel(view.data.report, (table, "data/sources.csv", "data/places.csv")):
        return True
    _draw(build(view.data, view.intervals, kind, record_id), view)
    return True


def _href(url: str) -> str:
    """A URL as a Markdown link target: in angle brackets, which keep it whole whatever it holds."""
    return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"


def _status(iv) -> str:
    words = STATUS_LABELS.get(iv.status, iv.status)
    return f"{words} (set by {iv.evidence[-1]})" if iv.evidence and iv.status != "unknown" else words


def _draw(record: Record, view) -> None:
    st.title(md_escape(record.heading))
    for kind, value in st.session_state.get(RECORD_ALSO, ()):
        st.info(
            f"The link also names a {kind} ({md_escape(value[:40])}); a link opens one record at a time, "
            "the event first. The statement opens from its own link.",
            icon=":material/info:",
        )

    st.markdown("\n".join(f"- **{label}:** {md_escape(value)}" for label, value in record.fields))
    if record.kind == "statement":
        st.markdown(f"**Quote check:** {md_escape(record.quote_check)}")

    st.subheader(f"Sources ({len(record.sources)})")
    for s in record.sources:
        if s.missing:
            st.markdown(f"- {md_escape(s.source_id)}: not in sources.csv (Sources & method lists the problem)")
            continue
        links = " · ".join(
            [f"[open the page]({_href(s.url)})", f"[Internet Archive copy]({_href(s.wayback)})"] if s.url else []
        )
        kept = f" · a copy is kept here ({md_escape(s.archived_copy)})" if s.archived_copy else ""
        st.markdown(
            f"**{md_escape(s.title)}**  \n{md_escape(s.publisher)}, "
            f"{md_escape(s.published) if s.published else 'no publication date shown'} · {md_escape(s.kind)} · "
            f"{md_escape(s.source_id)}  \n{links or 'no http(s) link'}{kept}"
        )

    st.subheader("Status of each road around it")
    rows = []
    for r in record.roads:
        row = {
            "road": ROAD_LABELS[r.route_id],
            "about this record": "yes" if r.concerned else "no",
            f"day before ({r.day_before})": _status(r.before),
            f"that day ({r.day})": _status(r.on),
            f"day after ({r.day_after})": _status(r.after),
        }
        if record.kind == "statement":
            row["claim against that day"] = r.comparison or "not about this road"
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="record_roads")
    if record.roads and record.roads[0].day_after - record.roads[0].day > dt.timedelta(days=1):
        st.caption("The event lasted more than a day: the day after is the day after its last day.")

    other = "statements about" if record.kind == "event" else "events on"
    st.subheader(f"The {other} the same road within three days ({len(record.nearby)})")
    if record.nearby:
        near = pd.DataFrame(
            [
                {
                    "record": n.link,
                    "id": n.record_id,
                    "date": n.date,
                    "roads": n.roads,
                    "who / type": n.who,
                    "text": n.text,
                }
                for n in record.nearby
            ]
        )
        st.dataframe(near, hide_index=True, key="record_nearby", column_config={"record": RECORD_COLUMN})
    elif not any(r.concerned for r in record.roads):
        st.caption(f"This {record.kind} is about no road, so none is matched.")
    else:
        st.caption("None in the record.")

    if record.kind == "event":
        st.subheader("Place")
        if record.place is None:
            missing = f" ({md_escape(record.place_missing)} is not in places.csv)" if record.place_missing else ""
            st.caption(f"This event is not tied to a mapped place{missing}.")
        else:
            p = record.place
            names = " · ".join(f"{language}: {md_escape(name)}" for language, name in p.names if name)
            where = f"{p.lat:.5f}, {p.lon:.5f}" if p.lat is not None and p.lon is not None else "no coordinates"
            st.markdown(f"{names}  \n{md_escape(p.kind)} at {where} (latitude, longitude)")
            if view.data.map_layers is not None:
                fig = place_figure(view.data.map_layers, p.place_id, p.names[0][1], record.roads[0].day)
                st.plotly_chart(fig, key="record_map", config={"displaylogo": False})
                st.caption("Roads on their course in use that day, schematic. Base map: Natural Earth; no tiles.")

    st.subheader("Cite")
    version = dataset_version(view.data)
    base = (st.context.url or "").split("?")[0]
    if base and not urlsplit(base).path:
        base += "/"  # http://host:port/?event=…, the dashboard's root
    link = f"{base}?{urlencode({record.kind: record.record_id, 'v': version}, quote_via=quote)}"
    retrieved = dt.datetime.now(dt.UTC).date()
    st.code(cite(f"{record.kind} {record.record_id}", version, retrieved, link), language=None, wrap_lines=True)
