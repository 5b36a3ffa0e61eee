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
                    hovertext=f"{row['name']} (in use {row['valid_from']} – {row['valid_to'] or 'end'})",
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
                hovertext=f"{ROAD_LABELS[road]} on {day}: {STATUS_LABELS[status]}<br>{current['name']}",
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
                f"{p.name_en}<br>hy: {p.name_hy}<br>az: {p.name_az}<br>ru: {p.name_ru}" for p in places.itertuples()
            ],
            hoverinfo="text",
            meta={"kind": "places"},
        )
    )
    located = events.merge(
        pd.DataFrame({"place_id": places["place_id"], "lon": places.geometry.x, "lat": places.geometry.y}),
        on="place_id",
    )
    if not located.empty:
        fig.add_trace(
            go.Scattermap(
                lon=located["lon"],
                lat=located["lat"],
                mode="markers",
                marker={"size": 14, "color": "#0072B2", "opacity": 0.6},
                name=f"Events ({len(located)})",
                hovertext=[
                    f"{r.event_id} {show_date(r.date_start, r.date_precision)}: {r.summary}"
                    for r in located.itertuples()
                ],
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


def timeline_figure(intervals: dict[str, list[Interval]], events: pd.DataFrame) -> go.Figure:
    """Per-road status bands (colour, fill pattern and label) with the events marked on them."""
    fig = go.Figure()
    seen: set[str] = set()
    for road in ROADS:
        for iv in intervals.get(road, []):
            end = pd.Timestamp(iv.end) + pd.Timedelta(days=1)
            fig.add_trace(
                go.Bar(
                    y=[ROAD_LABELS[road]],
                    base=[pd.Timestamp(iv.start)],
                    x=[(end - pd.Timestamp(iv.start)).total_seconds() * 1000],
                    orientation="h",
                    name=STATUS_LABELS[iv.status],
                    legendgroup=iv.status,
                    showlegend=iv.status not in seen,
                    marker={
                        "color": STATUS_COLOURS[iv.status],
                        "pattern": {"shape": STATUS_PATTERNS[iv.status]},
                    },
                    text=STATUS_LABELS[iv.status],
                    textposition="inside",
                    insidetextanchor="middle",
                    hovertext=f"{ROAD_LABELS[road]}: {STATUS_LABELS[iv.status]}, "
                    f"{show_date(iv.start, iv.precision)} – {iv.end} {' '.join(iv.evidence)}",
                    hoverinfo="text",
                    meta={"route_id": road, "status": iv.status},
                )
            )
            seen.add(iv.status)
    rows = []
    for r in events.itertuples():
        targets = ROADS if r.route_id == "both" else (r.route_id,)
        for t in targets:
            rows.append((ROAD_LABELS[t], r))
    if rows:
        fig.add_trace(
            go.Scatter(
                x=[r.date_start for _, r in rows],
                y=[y for y, _ in rows],
                mode="markers",
                marker={
                    "symbol": "diamond",
                    "size": 11,
                    "color": "#000000",
                    "line": {"color": "white", "width": 1},
                },
                name="Events",
                hovertext=[f"{r.event_id} {show_date(r.date_start, r.date_precision)}: {r.summary}" for _, r in rows],
                hoverinfo="text",
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
    rows = []
    for r in statements.itertuples():
        for road in r.route_ids.split(";") if isinstance(r.route_ids, str) and r.route_ids else ["none"]:
            rows.append(
                {
                    "road": ROAD_LABELS.get(road, road),
                    "month": r.date.strftime("%Y-%m"),
                    "organisation": r.organisation,
                }
            )
    fig = go.Figure()
    frame = pd.DataFrame(rows, columns=["road", "month", "organisation"])
    counts = frame.groupby(["organisation", "road", "month"]).size().reset_index(name="n")
    for org, part in counts.groupby("organisation"):
        fig.add_trace(go.Bar(x=part["month"] + " · " + part["road"], y=part["n"], name=org))
    fig.update_layout(
        barmode="stack",
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"type": "category", "categoryorder": "category ascending"},
    )
    return fig
