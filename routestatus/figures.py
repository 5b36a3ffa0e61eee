"""Plotly figures built from plain data; no Streamlit here."""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from routestatus.labels import (
    ROAD_LABELS,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_PATTERNS,
    show_date,
)
from routestatus.status import ROADS, Interval
from routestatus.textsafe import plot_text

MAP_CENTER = {"lat": 39.72, "lon": 46.62}
MAP_ZOOM = 8.2
OFFLINE_STYLE = "white-bg"


def alignment_on(routes: gpd.GeoDataFrame, route_id: str, day: dt.date) -> pd.Series | None:
    """The alignment of ``route_id`` in use on ``day``, else its earliest one."""
    rows = routes[routes["route_id"] == route_id].sort_values("valid_from")
    if rows.empty:
        return None
    iso = day.isoformat()
    valid_to = rows["valid_to"].fillna("9999-12-31")
    current = rows[(rows["valid_from"] <= iso) & (valid_to >= iso)]
    return (current if not current.empty else rows).iloc[0]


def _line(geom) -> tuple[list[float], list[float]]:
    lon, lat = zip(*geom.coords, strict=True)
    return list(lon), list(lat)


HOVER_EVENTS = 5  # events listed in a place's hover text; the rest are counted


def _hover_lines(rows: pd.DataFrame) -> list[str]:
    """One line per event: id, date at its precision, summary as plain text."""
    return [
        f"{i} {show_date(d, p)}: {plot_text(t)}"
        for i, d, p, t in zip(
            rows["event_id"], rows["date_start"], rows["date_precision"], rows["summary"], strict=True
        )
    ]


def place_marks(events: pd.DataFrame, places: gpd.GeoDataFrame) -> pd.DataFrame:
    """One marker per place with events: its position, the count, and the latest events in words.

    One marker per place rather than per event keeps the map the same size whatever the
    number of events (events at one place would sit on top of each other anyway). Only the
    few events named in a hover are turned into text, so the cost does not grow with them.
    """
    xy = pd.DataFrame({"place_id": places["place_id"], "lon": places.geometry.x, "lat": places.geometry.y})
    located = events[events["place_id"].isin(xy["place_id"])]
    counts = located["place_id"].value_counts()
    latest = located.groupby("place_id").tail(HOVER_EVENTS)  # events come in date order
    lines: dict[str, list[str]] = {}
    for place_id, line in zip(latest["place_id"], _hover_lines(latest), strict=True):
        lines.setdefault(place_id, []).insert(0, line)  # latest first
    rows = []
    for place_id, n in counts.items():
        more = int(n) - len(lines[place_id])
        tail = [f"… and {more} earlier event(s) here in the range"] if more else []
        rows.append({"place_id": place_id, "n": int(n), "hover": "<br>".join(lines[place_id] + tail)})
    marks = pd.DataFrame(rows, columns=["place_id", "n", "hover"])
    return marks.merge(xy, on="place_id").sort_values("place_id", ignore_index=True)


def map_figure(
    routes: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    boundaries: gpd.GeoDataFrame | None,
    statuses: dict[str, Interval],
    day: dt.date,
    events: pd.DataFrame,
    style: str = OFFLINE_STYLE,
) -> go.Figure:
    """Both roads coloured by their status on ``day``, places, and markers for ``events``.

    One line trace per road (the alignment in use on ``day``), named with the road and the
    status in words; former alignments as thin grey lines; the base map is the bundled
    boundaries layer on the ``white-bg`` style, so nothing is fetched.
    """
    fig = go.Figure()
    for road in ROADS:
        current = alignment_on(routes, road, day)
        for _, row in routes[routes["route_id"] == road].iterrows():
            if current is not None and row["alignment_id"] == current["alignment_id"]:
                continue
            lon, lat = _line(row.geometry)
            fig.add_trace(
                go.Scattermap(
                    lon=lon,
                    lat=lat,
                    mode="lines",
                    line={"width": 2, "color": "#BBBBBB"},
                    name=f"{ROAD_LABELS[road]}: other course ({row['alignment_id']})",
                    hovertext=f"{plot_text(row['name'])} (in use {row['valid_from']} – {row['valid_to'] or 'end'})",
                    hoverinfo="text",
                    meta={"kind": "former", "route_id": road},
                )
            )
    for road in ROADS:
        current = alignment_on(routes, road, day)
        if current is None:
            continue
        status = statuses[road].status
        lon, lat = _line(current.geometry)
        fig.add_trace(
            go.Scattermap(
                lon=lon,
                lat=lat,
                mode="lines",
                line={"width": 6, "color": STATUS_COLOURS[status]},
                name=f"{ROAD_LABELS[road]}: {STATUS_LABELS[status]}",
                hovertext=f"{ROAD_LABELS[road]} on {day}: {STATUS_LABELS[status]}<br>{plot_text(current['name'])}",
                hoverinfo="text",
                meta={
                    "kind": "road",
                    "route_id": road,
                    "status": status,
                    "alignment_id": current["alignment_id"],
                },
            )
        )
    fig.add_trace(
        go.Scattermap(
            lon=places.geometry.x,
            lat=places.geometry.y,
            mode="markers",
            marker={"size": 8, "color": "#333333"},
            name="Places",
            hovertext=[
                "<br>".join(
                    [plot_text(p.name_en)] + [f"{k}: {plot_text(getattr(p, f'name_{k}'))}" for k in ("hy", "az", "ru")]
                )
                for p in places.itertuples()
            ],
            hoverinfo="text",
            meta={"kind": "places"},
        )
    )
    marks = place_marks(events, places)
    if not marks.empty:
        fig.add_trace(
            go.Scattermap(
                lon=marks["lon"],
                lat=marks["lat"],
                mode="markers",
                # Area grows with the count, within bounds that keep every place visible.
                marker={"size": (10 + 4 * marks["n"] ** 0.5).clip(upper=40), "color": "#0072B2", "opacity": 0.6},
                name=f"Events at a mapped place ({int(marks['n'].sum())})",
                hovertext=marks["hover"],
                hoverinfo="text",
                meta={"kind": "events"},
            )
        )
    layers = []
    if boundaries is not None:
        layers = [
            {
                "source": json.loads(boundaries.to_json()),
                "type": "line",
                "color": "#888888",
                "line": {"width": 1},
            }
        ]
    fig.update_layout(
        map={"style": style, "center": MAP_CENTER, "zoom": MAP_ZOOM, "layers": layers},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=560,
        legend={"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.85)"},
    )
    return fig


DAY_MARKS_MAX = 400  # beyond this many marked days, events are marked by week instead


def event_marks(events: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Event markers for the timeline: one per lane and day (or week, when there are many days).

    Returns the marks (lane label, x date, count, hover text) and the unit used ("day" or
    "week"), so the figure's size depends on the range, not on the number of events.
    ``events`` are in ``filter_events``' order (date, then id).
    """
    cols = events[["event_id", "date_start", "date_precision", "summary", "route_id"]]
    lanes = [
        cols[cols["route_id"].eq(lane) | (cols["route_id"].eq("both") & (lane in ROADS))].assign(lane=lane)
        for lane in (*ROADS, "none")
    ]
    rows = pd.concat(lanes, ignore_index=True)
    unit = "day" if rows["date_start"].nunique() <= DAY_MARKS_MAX else "week"
    x = rows["date_start"]
    if unit == "week":
        x = x - pd.to_timedelta(x.dt.weekday, unit="D")
    # Within a group rows keep their order, which is date then id (``filter_events``' order).
    groups = rows.assign(x=x).groupby(["lane", "x"], sort=True)
    counts = groups.size()
    head = groups.head(HOVER_EVENTS)
    named: dict[tuple, list[str]] = {}
    single: dict[tuple, str] = {}
    for key, event_id, line in zip(
        zip(head["lane"], head["x"], strict=True), head["event_id"], _hover_lines(head), strict=True
    ):
        named.setdefault(key, []).append(event_id)
        single[key] = line
    marks = []
    for (lane, when), n in counts.items():
        if n == 1:
            text = single[(lane, when)]
        else:
            label = when.date().isoformat() if unit == "day" else f"week of {when.date().isoformat()}"
            shown = ", ".join(named[(lane, when)]) + (", …" if n > HOVER_EVENTS else "")
            text = f"{label}: {n} events ({shown})"
        marks.append({"lane": ROAD_LABELS[lane], "x": when, "n": int(n), "hover": text})
    return pd.DataFrame(marks, columns=["lane", "x", "n", "hover"]), unit


def timeline_figure(intervals: dict[str, list[Interval]], events: pd.DataFrame) -> go.Figure:
    """Per-road status bands (colour, fill pattern and label) with the events marked on them.

    One bar trace per status holds all of that status's intervals, so the figure grows with
    the number of statuses, not of intervals.
    """
    fig = go.Figure()
    by_status: dict[str, list[tuple[str, Interval]]] = {}
    for road in ROADS:
        for iv in intervals.get(road, []):
            by_status.setdefault(iv.status, []).append((road, iv))
    for status, items in by_status.items():
        starts = [pd.Timestamp(iv.start) for _, iv in items]
        fig.add_trace(
            go.Bar(
                y=[ROAD_LABELS[road] for road, _ in items],
                base=starts,
                x=[
                    (pd.Timestamp(iv.end) + pd.Timedelta(days=1) - s).total_seconds() * 1000
                    for (_, iv), s in zip(items, starts, strict=True)
                ],
                orientation="h",
                name=STATUS_LABELS[status],
                marker={"color": STATUS_COLOURS[status], "pattern": {"shape": STATUS_PATTERNS[status]}},
                text=STATUS_LABELS[status],
                textposition="inside",
                insidetextanchor="middle",
                hovertext=[
                    f"{ROAD_LABELS[road]}: {STATUS_LABELS[iv.status]}, "
                    f"{show_date(iv.start, iv.precision)} – {iv.end} {' '.join(iv.evidence)}"
                    for road, iv in items
                ],
                hoverinfo="text",
                meta={"status": status, "route_ids": [road for road, _ in items]},
            )
        )
    marks, unit = event_marks(events)
    if not marks.empty:
        fig.add_trace(
            go.Scatter(
                x=marks["x"],
                y=marks["lane"],
                mode="markers",
                marker={
                    "symbol": "diamond",
                    "size": (11 + 2 * marks["n"] ** 0.5).clip(upper=24),
                    "color": "#000000",
                    "line": {"color": "white", "width": 1},
                },
                name="Events" if unit == "day" else "Events (by week)",
                hovertext=marks["hover"],
                hoverinfo="text",
                meta={"kind": "events", "unit": unit},
            )
        )
    fig.update_layout(
        barmode="overlay",
        xaxis={"type": "date"},
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={
            "categoryorder": "array",
            "categoryarray": [ROAD_LABELS[r] for r in reversed(ROADS)] + [ROAD_LABELS["none"]],
        },
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def statements_chart(statements: pd.DataFrame) -> go.Figure:
    """Statements per organisation per road per month (stacked bars, one panel per road)."""
    frame = pd.DataFrame(
        {
            "road": statements["route_ids"].fillna("none").str.split(";"),
            "month": statements["date"].dt.strftime("%Y-%m"),
            "organisation": statements["organisation"],
        }
    ).explode("road")
    frame["road"] = frame["road"].map(lambda r: ROAD_LABELS.get(r, r))
    fig = go.Figure()
    counts = frame.groupby(["organisation", "road", "month"]).size().reset_index(name="n")
    for org, part in counts.groupby("organisation"):
        fig.add_trace(go.Bar(x=part["month"] + " · " + part["road"], y=part["n"], name=plot_text(org)))
    fig.update_layout(
        barmode="stack",
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"type": "category", "categoryorder": "category ascending"},
    )
    return fig
