"""Reported status of the two roads into Nagorno-Karabakh: data, checks and figures.

The package never imports Streamlit; the dashboard (``dashboard.py``, ``pages/``) and the
command line sit on top of it. One line per module:

The data and its checks
- ``paths``: where ``data/``, ``geo/`` and ``seeds/`` are (the project, or ``--root``).
- ``schema``: the data contract, read from ``data/datapackage.json``.
- ``csvfile``: strict reading of the curated CSV files, keeping each row's line.
- ``cellcheck``: one cell against its field's type and constraints.
- ``isodate``: the one reading of a typed day, ``YYYY-MM-DD``, and its error words.
- ``problems``: one problem, printed as one line naming file, line and column.
- ``validate``: every check of the three folders.
- ``geocheck``: checks of the GeoJSON layers; ``geobuild`` builds them from the tables.
- ``quotes``: finding a quote in its archived text; ``anchors``: where it sits, and verify.
- ``typedframes``: typed frames from CSV text and back.
- ``contenthash``: the content hash of the three folders (the dataset version), begun early.
- ``load``: everything read and checked into one ``Dataset``.
- ``diskcache``: loaded datasets kept on disk by content and code version, for the next process.

What the reader sees
- ``status``: the status engine, per-road intervals from the events.
- ``filters``: row predicates: which events and statements a choice keeps.
- ``search``: which events and statements hold every word of a query, and where.
- ``view``: the reader's choice and its forms (link, command line, file name, manifest),
  and the ``View`` that works out each table once.
- ``labels``: words, colours and patterns for roads, statuses and event types.
- ``page_tables``: tables worded for the pages.
- ``record``: everything one event's or one statement's own view shows.
- ``accessmap``: the Map page's map; ``figures``: the other plotly figures; ``maplayers``: the
  map's fixed layers.
- ``textsafe``: showing text from the data as text.
- ``codebook``: the status definitions, read from ``data/README.md``.

Exports and tools
- ``export``: the one CSV format of every download; ``snapshot``: the zip and reading it back.
- ``gis``: the view as GIS layers: a GeoPackage and GeoJSON files of roads, status segments, places and events.
- ``citation``: the suggested citation of a view, a table or a record.
- ``exportcolumns``: the readable columns after the codebook's in each exported CSV.
- ``extract``: candidate statement rows from an article.
- ``cli``: ``python -m routestatus …``.
"""

__version__ = "0.1.0"
