"""The access map: both roads on the as-of day, the sites that constrained them, and labels.

Drawn with plotly's ``scattergeo`` (SVG) rather than ``scattermap`` (WebGL): text on a
WebGL map needs glyphs from a font server, while SVG text uses the browser's own fonts, so
every place, site and country is labelled without hovering and nothing leaves the machine.
SVG lines also take a dash pattern, so a road's status is drawn twice: by colour and by
pattern (:data:`STATUS_DASHES`), never by colour alone.

The built-in land, coast and country layers of ``scattergeo`` are all switched off (they
would be fetched from a CDN); the base map is the bundled Natural Earth boundaries layer.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from routestatus.labels import ROAD_LABELS, STATUS_COLOURS, STATUS_LABELS, show_dates, type_label
from routestatus.maplayers import MapLayers
from routestatus.plotspec import figure, ready, trace
from routestatus.selection import event_codes
from routestatus.status import Interval
from routestatus.textsafe import plot_text
from routestatus.worded import Worded

# The region both roads run through, with room for Goris and Aghdam; the map opens on it.
LON_RANGE = (46.15, 47.15)
LAT_RANGE = (39.40, 40.10)
HEIGHT = 780  # the map and, below it, the legend (two or three rows wide, a dozen on a phone)

# The status as a line pattern too (plotly's dash names), so it survives greyscale and colour blindness.
STATUS_DASHES = {
    "open": "solid",
    "restricted": "dash",
    "humanitarian_only": "dashdot",
    "closed": "dot",
    "outbound_only": "longdash",
    "unknown": "longdashdot",
}

# Place kinds: a symbol each, named in the legend. Settlements are one layer; the rest are
# the sites where passage was controlled or stopped. A kind not listed is drawn as a circle.
SETTLEMENTS = ("city", "town", "village")
KIND_SYMBOLS = {
    "city": "circle",
    "town": "circle",
    "village": "circle-open",
    "checkpoint": "square-x",
    "blockade_site": "x",
    "crossing": "diamond",
    "bridge": "hourglass",
    "staging_area": "triangle-up",
    "peacekeeper_post": "star",
    "junction": "diamond-open",
    "waypoint": "circle-dot",
}
KIND_WORDS = {
    "checkpoint": "Checkpoint",
    "blockade_site": "Blockade site",
    "crossing": "Crossing point",
    "bridge": "Bridge",
    "staging_area": "Staging area",
    "peacekeeper_post": "Peacekeeper post",
    "junction": "Junction",
    "waypoint": "Waypoint",
}

# Where each kind's label sits beside its symbol: settlements' labels go above right, so a
# site at or near a village (the Kornidzor staging area, the Hakari checkpoint) is labelled
# on another side and the two do not print over each other.
KIND_TEXT_POSITION = {"staging_area": "middle left", "blockade_site": "middle right", "junction": "middle left"}
SITE_TEXT_POSITION = "bottom right"

NAME_LANGUAGES = {"English": "name_en", "Armenian": "name_hy", "Azerbaijani": "name_az", "Russian": "name_ru"}
SCALE_KM = 10
HOVER_SUMMARY = 140  # characters of a summary in a mark's hover; the record has it whole
HOVER_WIDTH = 60  # characters per hover line: plotly does not wrap hover text itself
HOVER_KEPT = 50_000  # summaries kept worded for the marks' hovers (a few MB at most)
EVENT_SYMBOL_FALLBACK = "circle"


def wrapped(text: str, width: int = HOVER_WIDTH) -> str:
    """Plain text for a plotly hover, escaped, broken at spaces into lines of about ``width`` characters.

    A greedy break at spaces is all a hover needs, at a tenth of ``textwrap``'s cost.
    """
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(plot_text(x) for x in lines)


def shortened(text: str, limit: int = HOVER_SUMMARY) -> str:
    """``text`` cut at a word near ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


@functools.lru_cache(maxsize=HOVER_KEPT)
def hover_summary(summary: str) -> str:
    """A summary as a mark's hover gives it: shortened, escaped, wrapped.

    Kept per summary: the same events are shown again as the range moves, and wrapping
    was most of the time the marks took.
    """
    return wrapped(shortened(summary))


def event_lines(events: pd.DataFrame, rows, summary: Callable[[str], str]) -> list[str]:
    """One line per event at positions ``rows``: id, date at its precision, ``summary`` of its summary.

    Only the four columns a line needs, at those rows (a take of the whole frame copies every column).
    """
    part = events[["event_id", "date_start", "date_precision", "summary"]].iloc[rows]
    days = show_dates(part["date_start"], part["date_precision"])
    return [
        f"{e} {d}: {summary(t)}"
        for e, d, t in zip(part["event_id"].tolist(), days, part["summary"].tolist(), strict=True)
    ]


def hover_lines(rows: pd.DataFrame) -> pd.DataFrame:
    """The events' lines in a mark's hover, as a table (``line``) of one row per event.

    Each summary wrapped anew, not through :func:`hover_summary`'s cache: worded for a whole
    table at once, the lines would only push the summaries kept for other views out of it.
    """
    return pd.DataFrame({"line": event_lines(rows, slice(None), lambda t: wrapped(shortened(t)))})


def short_name(name: str) -> str:
    """The first of a place's names as a label (``Lachin / Berdzor`` → ``Lachin``)."""
    return str(name).split(" / ")[0].split(" (")[0].strip()


def site_label(name: str, settlements) -> str:
    """A site's label: its first name, or its whole name when that first name is a settlement's (Kornidzor)."""
    short = short_name(name)
    return str(name) if short in {short_name(s) for s in settlements} else short


def _line(lon, lat, width: float, colour: str, dash: str, name: str, meta: dict, hover: str | None) -> dict:
    return trace(
        "scattergeo",
        lon=list(lon),
        lat=list(lat),
        mode="lines",
        line={"width": width, "color": colour, "dash": dash},
        name=name,
        hovertext=hover,
        hoverinfo="text" if hover else "skip",
        showlegend=hover is not None,
        meta=meta,
    )


def _scale_bar(km: int = SCALE_KM) -> dict:
    """A bar ``km`` long near the map's upper left corner, drawn in map coordinates (true at any zoom)."""
    lat = LAT_RANGE[0] + 0.93 * (LAT_RANGE[1] - LAT_RANGE[0])
    lon0 = LON_RANGE[0] + 0.04 * (LON_RANGE[1] - LON_RANGE[0])
    lon1 = lon0 + km / (111.32 * math.cos(math.radians(lat)))  # km per degree of longitude at that latitude
    tick = 0.008
    return trace(
        "scattergeo",
        lon=[lon0, lon0, lon0, lon1, lon1, lon1],
        lat=[lat + tick, lat - tick, lat, lat, lat + tick, lat - tick],
        mode="lines",
        line={"width": 2, "color": "#222222", "dash": "solid"},
        name=f"Scale: {km} km",
        hoverinfo="skip",
        showlegend=False,
        meta={"kind": "scale", "km": km},
    )


def _scale_label(km: int = SCALE_KM) -> dict:
    lat = LAT_RANGE[0] + 0.93 * (LAT_RANGE[1] - LAT_RANGE[0])
    lon0 = LON_RANGE[0] + 0.04 * (LON_RANGE[1] - LON_RANGE[0])
    lon1 = lon0 + km / (111.32 * math.cos(math.radians(lat)))
    return trace(
        "scattergeo",
        lon=[(lon0 + lon1) / 2],
        lat=[lat + 0.012],
        mode="text",
        text=[f"{km} km"],
        textfont={"size": 11, "color": "#222222"},
        textposition="top center",
        hoverinfo="skip",
        showlegend=False,
        meta={"kind": "scale_label"},
    )


def active_sites(
    places: pd.DataFrame, events: pd.DataFrame, day: dt.date, selection=None, sites: frozenset[str] | None = None
) -> set[str]:
    """Sites (places not settlements) where an event on or before ``day`` left passage not open.

    A site is active from the first event there that sets a status other than ``open``, or
    that sets none (a checkpoint put up, a sit-in begun), until an event there reopens it.
    ``events`` are all events (retracted ones are left out); the latest one at each site on
    or before the day decides. With ``selection`` (the dataset's
    :class:`routestatus.selection.Selection` of ``events``) each site's history is looked up
    instead of filtering every event again: the same answer, without a scan per rerun.
    ``sites``, the places' site ids, saves working them out again.
    """
    sites = _site_ids(places) if sites is None else sites
    if selection is not None:
        latest = {site: selection.latest_status(site, day) for site in sites}
        return {site for site, (any_event, status) in latest.items() if any_event and status != "open"}
    live = events[~events["retracted"].fillna(False).astype(bool)]
    at = live[live["place_id"].isin(sites) & (live["date_start"] <= pd.Timestamp(day))]
    latest = at.sort_values(["date_start", "event_id"]).groupby("place_id").tail(1)
    return set(latest.loc[~latest["status_after"].fillna("").eq("open"), "place_id"])


MARK_EVENTS_SHOWN = 3  # events written out in a mark's hover, latest first; the rest are counted
MARK_IDS = 20  # a mark for more events than this carries its place and type, not every id


def _event_marks(
    events: pd.DataFrame, layers: MapLayers, symbols: dict[str, str], texts: pd.DataFrame | None = None, selection=None
) -> list[dict]:
    """One trace per event type: a mark at each place with events of that type, sized by their number.

    Marks of different types at one place are set a little apart around it, so none hides
    another. The marks are found on arrays (each event's type and place as codes, sorted
    once), and only the few events a mark writes out, or whose ids it carries, are read as
    text: a range of 50,000 events costs a sort, not a grouping of frames. With ``texts``
    and ``selection`` (the dataset's :class:`routestatus.selection.Selection`), ``events``
    needs no column at all: types and places are the dataset's codes, ids are read in ``texts``.
    """
    # Each place's position, kept for the layers: a frame indexed anew cost more than the marks.
    xy = _kept(layers, ("xy",), lambda: _positions(layers.places))
    by_position = selection if texts is not None else None  # rows labelled by position only with texts
    type_codes, types = event_codes(events, "event_type", by_position)
    place_codes, place_ids = event_codes(events, "place_id", by_position)
    # Where each row's id is read: the events table by label, or the rows themselves.
    if by_position is not None:
        ids, labels = texts["event_id"], events.index.to_numpy()
    else:
        ids, labels = events["event_id"], np.arange(len(events))
    if not len(place_ids) or not len(types):  # no event in view has a place, or a type
        return []
    placed = np.asarray([p in xy for p in place_ids], bool)
    rows = np.flatnonzero((type_codes >= 0) & (place_codes >= 0) & placed[np.maximum(place_codes, 0)])
    if not len(rows):
        return []
    # Marks in the order of (type, place) as text, each mark's events in date order (stable sort).
    type_rank = np.argsort(np.argsort(np.asarray(types, object)))
    place_rank = np.argsort(np.argsort(np.asarray(place_ids, object)))
    key = type_rank[type_codes[rows]] * len(place_ids) + place_rank[place_codes[rows]]
    if len(types) * len(place_ids) <= np.iinfo(np.uint16).max:
        # numpy sorts integers of 16 bits by radix, stably, in one pass: a fifth of the time of
        # sorting them as 64-bit numbers (3 ms for 60,000 events), and the sorted keys are a take.
        key = key.astype(np.uint16)
    by_key = np.argsort(key, kind="stable")
    order = rows[by_key]
    sorted_key = key[by_key]
    starts = np.concatenate([[0], np.flatnonzero(np.diff(sorted_key)) + 1])
    ends = np.append(starts[1:], len(order))
    counts = ends - starts
    # The events written out: the latest few of each mark; and the ids of the marks with few events.
    shown = np.concatenate([order[max(s, e - MARK_EVENTS_SHOWN) : e] for s, e in zip(starts, ends, strict=True)])
    few = counts <= MARK_IDS
    carried = np.concatenate([order[s:e] for s, e, f in zip(starts, ends, few, strict=True) if f] or [rows[:0]])
    if by_position is not None:  # the ids as an array made once per dataset: a take of the column cost 0.5 ms
        every = by_position.kept("event ids", texts, lambda: np.array(ids.tolist(), dtype=object))
        carried_ids = every[labels[carried]].tolist()
    else:
        carried_ids = ids.iloc[labels[carried]].tolist()
    # Where each mark's lines and ids begin in those lists, which hold the marks' runs in mark order.
    shown_counts = np.minimum(counts, MARK_EVENTS_SHOWN)
    shown_from = (np.cumsum(shown_counts) - shown_counts).tolist()
    ids_from = (np.cumsum(np.where(few, counts, 0)) - np.where(few, counts, 0)).tolist()
    # Each event's line: from the lines worded whole ahead for the dataset (routestatus.worded)
    # once they are, since a new range's marks write out events no range showed before and
    # wrapping their summaries was a third of the marks' time at 100,000 events. Until then,
    # the shown rows alone: they are scattered over the table, and wording the block of
    # each worded most of it on the first start (0.09 s at 10,000 events).
    lines = None
    if by_position is not None:
        kept = by_position.kept("words:map_hover", texts, lambda: Worded(texts, hover_lines))
        lines = kept.whole_column("line", labels[shown])
    if lines is None:
        source, at = (texts, events.index[shown]) if texts is not None else (events, shown)
        lines = event_lines(source, at, hover_summary)
    mark_type = type_codes[order[starts]]
    mark_place = place_codes[order[starts]]
    lon = np.array([xy.get(p, (np.nan, np.nan))[0] for p in place_ids], float)
    lat = np.array([xy.get(p, (np.nan, np.nan))[1] for p in place_ids], float)
    kinds = sorted(set(mark_type.tolist()), key=lambda c: type_rank[c])
    traces = []
    for i, code in enumerate(kinds):
        event_type = types[code]
        marks = np.flatnonzero(mark_type == code)
        angle = 2 * math.pi * i / len(kinds)
        dlon, dlat = 0.012 * math.cos(angle), 0.009 * math.sin(angle)
        label = plot_text(type_label(event_type))
        n = counts[marks]
        at = mark_place[marks]
        hover, custom = [], []
        for m, count, place in zip(marks.tolist(), n.tolist(), at.tolist(), strict=True):
            first, k = shown_from[m], min(count, MARK_EVENTS_SHOWN)
            written = "<br>".join(reversed(lines[first : first + k]))  # the latest first
            more = count - k
            hover.append(f"<b>{label}</b> ({count})<br>{written}" + (f"<br>… and {more} earlier" if more else ""))
            # The ids themselves while few; past that, the place and type, which stand for them.
            ids = ";".join(carried_ids[ids_from[m] : ids_from[m] + count]) if count <= MARK_IDS else None
            custom.append(ids or f"{place_ids[place]}|{event_type}")
        traces.append(
            trace(
                "scattergeo",
                lon=(lon[at] + dlon).tolist(),
                lat=(lat[at] + dlat).tolist(),
                mode="markers",
                marker={
                    "symbol": symbols.get(event_type, EVENT_SYMBOL_FALLBACK),
                    "size": np.minimum(9 + 3 * n**0.5, 26).tolist(),
                    "color": "#0072B2",
                    "line": {"width": 1, "color": "#FFFFFF"},
                },
                name=f"Event: {type_label(event_type)}",
                hovertext=hover,
                hoverinfo="text",
                customdata=custom,
                legendgroup="events",
                legendgrouptitle={"text": "Events in the range (by type)"} if i == 0 else None,
                meta={"kind": "events", "event_type": event_type},
            )
        )
    return traces


def selected_records(selection, events: pd.DataFrame | Callable[[], pd.DataFrame]) -> list[str]:
    """The event ids behind the marks the reader clicked on the map (``st.plotly_chart``'s selection).

    An event mark carries its events' ids, or ``place|type`` when it stands for many; a
    place or site carries its place id, which stands for the events in the range at that
    place. Ids not in ``events`` are dropped. ``events`` (``event_id``, ``event_type`` and
    ``place_id`` of the events in range) may be a function that makes them, called only
    after a click.
    """
    points = ((selection or {}).get("selection") or {}).get("points") or []
    if not points:  # every rerun without a click: nothing to work out
        return []
    if callable(events):
        events = events()
    shown = list(events["event_id"])
    by_place = events.groupby("place_id")["event_id"].agg(list).to_dict() if not events.empty else {}
    chosen: list[str] = []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list):  # plotly hands customdata back as a list when it is one per point
            data = data[0] if data else None
        if not isinstance(data, str):
            continue
        if "|" in data:  # a mark for many events: its place and event type
            place, event_type = data.split("|", 1)
            ids = list(events.loc[events["place_id"].eq(place) & events["event_type"].eq(event_type), "event_id"])
        elif data.startswith("E") and data[1:2].isdigit():
            ids = data.split(";")
        else:  # a place or a site
            ids = by_place.get(data, [])
        chosen += [i for i in ids if i in shown and i not in chosen]
    return chosen


def access_map(
    layers: MapLayers,
    roads: tuple[str, ...],
    statuses: dict[str, Interval],
    day: dt.date,
    events: pd.DataFrame,
    all_events: pd.DataFrame,
    language: str = "English",
    event_symbols: dict[str, str] | None = None,
    selection=None,
    texts: pd.DataFrame | None = None,
) -> go.Figure:
    """The access map on ``day``: each chosen road by its status in colour and pattern, sites, places, events.

    ``events`` are the events of the view (marked by type at their place); ``all_events``
    decide which sites are active on ``day`` (see :func:`active_sites`). Places and sites
    are labelled in ``language`` (English, Armenian, Azerbaijani or Russian). ``selection``,
    the dataset's :class:`routestatus.selection.Selection`, saves scanning ``all_events``.
    ``events`` needs only ``event_id``, ``event_type`` and ``place_id`` when ``texts`` is
    the table its rows are labelled in by position (as :meth:`routestatus.view.View.events_with`
    gives them): the dates and summaries a mark writes out are read there, for those rows alone;
    with ``selection`` too, it needs no column (see :func:`_event_marks`).
    """
    traces = list(_kept(layers, ("base",), lambda: _base_traces(layers)))
    current = {road: layers.course_on(road, day) for road in roads}
    for course in layers.courses:
        if course.route_id not in roads or course is current[course.route_id]:
            continue
        in_use = f"in use {course.valid_from} – {course.valid_to or 'end'}"
        traces.append(
            _line(
                course.lon,
                course.lat,
                2.5,
                "#BBBBBB",
                "solid",
                f"{ROAD_LABELS[course.route_id]}: other course",
                {"kind": "former", "route_id": course.route_id, "alignment_id": course.alignment_id},
                f"{wrapped(course.name)}<br>({in_use}; not in use on {day})",
            )
        )
    for road in roads:
        course = current[road]
        if course is None:
            continue
        status = statuses[road].status
        traces.append(
            _line(
                course.lon,
                course.lat,
                5,
                STATUS_COLOURS[status],
                STATUS_DASHES[status],
                f"{ROAD_LABELS[road]}: {STATUS_LABELS[status]}",
                {
                    "kind": "road",
                    "route_id": road,
                    "status": status,
                    "dash": STATUS_DASHES[status],
                    "alignment_id": course.alignment_id,
                },
                f"<b>{ROAD_LABELS[road]} on {day}: {STATUS_LABELS[status]}</b><br>{wrapped(course.name)}",
            )
        )
    sites = _kept(layers, ("sites",), lambda: frozenset(_site_ids(layers.places)))
    active = frozenset(active_sites(layers.places, all_events, day, selection, sites))
    # The same few sets of marks on every rerun: kept per language and active sites.
    traces += _kept(layers, ("places", language, active), lambda: _place_traces(layers, language, active))
    traces += _event_marks(events, layers, event_symbols or {}, texts, selection)
    traces.append(_scale_bar())
    traces.append(_scale_label())
    return figure(traces, _layout(pio.templates.default))


def _place_traces(layers: MapLayers, language: str, active: frozenset[str]) -> list[dict]:
    """The towns and villages, then the sites by kind, black where ``active``, labelled in ``language``."""
    # Everything but which sites are active is made once per language: a new range's day
    # often has a new set of active sites, and making the traces anew cost 6-7 ms.
    settled, kinds = _kept(layers, ("place parts", language), lambda: _place_parts(layers, language))
    traces = [settled]
    for base, ids, hovers in kinds:
        on = [p in active for p in ids]
        site = dict(base)
        # Grey, not black, says "not active"; the hover says it in words.
        site["marker"] = {**base["marker"], "color": ["#000000" if a else "#9A9A9A" for a in on]}
        site["hovertext"] = [
            h + ("<br><b>active on this day</b>" if a else "<br>not active on this day")
            for h, a in zip(hovers, on, strict=True)
        ]
        site["meta"] = {**base["meta"], "active": [p for p, a in zip(ids, on, strict=True) if a]}
        traces.append(site)
    return traces


def _place_parts(layers: MapLayers, language: str) -> tuple[dict, list[tuple[dict, list[str], list[str]]]]:
    """The towns' trace, and per kind of site its trace with no site active, its place ids and its hovers."""
    column = NAME_LANGUAGES.get(language, "name_en")
    places = layers.places
    settled = places[places["kind"].isin(SETTLEMENTS)]
    towns = trace(
        "scattergeo",
        lon=settled["lon"],
        lat=settled["lat"],
        mode="markers+text",
        marker={"size": 7, "color": "#333333", "symbol": [KIND_SYMBOLS[k] for k in settled["kind"]]},
        text=[plot_text(short_name(n)) for n in settled[column]],
        textposition="top right",
        textfont={"size": 12, "color": "#222222"},
        name="Towns and villages",
        hovertext=settled["hover"],
        hoverinfo="text",
        customdata=settled["place_id"],
        meta={"kind": "places", "language": language},
    )
    kinds = []
    sites = places[~places["kind"].isin(SETTLEMENTS)]
    for kind, part in sites.groupby("kind", sort=True):
        hovers = part["hover"].tolist()
        base = trace(
            "scattergeo",
            lon=part["lon"],
            lat=part["lat"],
            mode="markers+text",
            marker={
                "symbol": KIND_SYMBOLS.get(kind, "circle"),
                "size": 13,
                "color": [],  # filled in per day (_place_traces)
                "line": {"width": 1.5, "color": "#000000"},
            },
            text=[plot_text(site_label(n, settled[column])) for n in part[column]],
            textposition=KIND_TEXT_POSITION.get(kind, SITE_TEXT_POSITION),
            textfont={"size": 12, "color": "#000000"},
            name=KIND_WORDS.get(kind, str(kind).replace("_", " ").capitalize()),
            hovertext=list(hovers),  # filled in per day
            hoverinfo="text",
            customdata=part["place_id"],
            legendgroup="sites",
            legendgrouptitle={"text": "Sites (black: active on the day)"},
            meta={"kind": "sites", "site_kind": kind, "active": []},
        )
        kinds.append((base, part["place_id"].tolist(), hovers))
    return towns, kinds


def _base_traces(layers: MapLayers) -> list[dict]:
    """The borders and the countries' names: the same on every map of these layers."""
    borders = ready(
        _line(layers.basemap_lon, layers.basemap_lat, 1, "#888888", "solid", "Borders", {"kind": "basemap"}, None)
    )
    countries = trace(
        "scattergeo",
        lon=[c[1] for c in layers.countries],
        lat=[c[2] for c in layers.countries],
        mode="text",
        text=[c[0].upper() for c in layers.countries],
        textfont={"size": 13, "color": "#9A9A9A"},
        hoverinfo="skip",
        showlegend=False,
        meta={"kind": "countries"},
    )
    return [borders, countries]


def _positions(places: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Each place's (lon, lat) by id (ids are unique in checked layers; of two rows the first is kept)."""
    out: dict[str, tuple[float, float]] = {}
    for pid, lon, lat in zip(places["place_id"].tolist(), places["lon"].tolist(), places["lat"].tolist(), strict=True):
        out.setdefault(pid, (lon, lat))
    return out


def _site_ids(places: pd.DataFrame) -> set[str]:
    """The places that are sites (not settlements)."""
    return set(places.loc[~places["kind"].isin(SETTLEMENTS), "place_id"])


# Parts of the map that depend only on the layers and a few choices, kept per layers object
# (compared by identity, so a session never gets another dataset's): traces are plain dicts
# that figure() and plotly only ever copy. Entries of other layers (data loaded anew) are
# dropped when a new one is made, so none of an older dataset's is kept alive.
_KEPT: dict[tuple, tuple[MapLayers, object]] = {}
KEPT_MAX = 64  # entries; past this the store starts again (languages x active sets seen)


def _kept(layers: MapLayers, key: tuple, make):
    """``make()``, kept for ``layers`` and ``key``."""
    full = (id(layers), *key)
    hit = _KEPT.get(full)
    if hit is not None and hit[0] is layers:
        return hit[1]
    full_store = len(_KEPT) >= KEPT_MAX
    for other, (owner, _) in list(_KEPT.items()):  # a copy: other sessions' threads add entries too
        if full_store or owner is not layers:
            _KEPT.pop(other, None)
    value = make()
    _KEPT[full] = (layers, value)
    return value


@functools.cache
def _layout(template: str) -> go.Figure:
    """The map's layout, the same on every day and view (a figure with no traces; never changed once made).

    Kept per plotly default ``template``, which Streamlit sets to its own once it has drawn a chart.
    """
    fig = go.Figure()
    fig.update_geos(
        visible=False,  # no built-in land, coast or country layers: they would be fetched from a CDN
        projection_type="mercator",
        lonaxis_range=list(LON_RANGE),
        lataxis_range=list(LAT_RANGE),
        center={"lon": sum(LON_RANGE) / 2, "lat": sum(LAT_RANGE) / 2},
        bgcolor="#FFFFFF",
    )
    fig.update_layout(
        height=HEIGHT,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        # Below the map, in rows: inside it, the legend would cover the roads on a phone.
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "font": {"size": 12}},
        hoverlabel={"align": "left"},
        dragmode="pan",
    )
    return fig
