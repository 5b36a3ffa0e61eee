"""Adding reviewed statements to ``data/``: next ids, validation first, every file written whole.

The review page (``pages/app/add_statements.py``) is drawn only when the dashboard is started for
curating (``make curate``, or ``ROUTESTATUS_CURATE=1``), so a shared read-only deployment never writes.
The steps, none of which touches ``data/`` until the last:

1. The accepted candidate rows become ``statements.csv`` rows with the next ids (``S`` and the next
   number), the chosen ``source_id``, and the curator's edits; a new source becomes a ``sources.csv`` row.
2. If the article text is to be archived, it becomes a new file under ``seeds/`` and the source row
   gets its ``archived_copy`` and ``sha256``.
3. Every file that would change is written, with ``data/anchors.json`` rebuilt as
   ``python -m routestatus anchor`` would (so the quotes are anchored in the archived text), into a
   copy of the data folder, and :func:`routestatus.validate.validate` checks that copy. Any problem
   is returned, one line each naming file, line and column, and nothing is written.
4. Only then the files are replaced, each by writing a temporary file beside it, flushing it to disk
   and renaming it over the old one (:func:`write_whole`), so a reader or a crash sees the old file
   or the new one, never a part. The order (archived text, sources, statements, anchors) means that
   a crash between two renames leaves at worst anchors out of step, which ``validate`` reports and
   ``python -m routestatus anchor`` mends; any error during the renames puts the replaced files back.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from routestatus import anchors
from routestatus.archive import Refused, _archived_bytes, seed_name
from routestatus.csvfile import read_csv
from routestatus.extract import STATEMENT_COLUMNS, candidates_frame, extract
from routestatus.paths import Root
from routestatus.schema import load_schema
from routestatus.validate import validate

SOURCE_FIELDS = ("source_id", "title", "publisher", "url", "published", "kind", "notes")
# The columns the curator may change on the review page; the rest come from the text and the source.
EDITABLE = ("speaker", "role", "organisation", "route_ids", "claim", "date", "date_precision", "date_basis", "notes")
# Shown beside them, read-only: how sure the extractor is and why, and the passage itself.
REVIEW = ("candidate", "confidence", "speaker_basis", "quote", "carried_by", "review_notes", "already_present")


def review_table(text: str, published: dt.date | None, source_id: str, statements: pd.DataFrame) -> pd.DataFrame:
    """The candidates of ``text`` for review, weakest first, numbered in text order in ``candidate``.

    Extraction notes move to ``review_notes``; ``notes`` starts with the agency that carried the words, if any,
    since that is a caveat the statements table keeps.
    """
    frame = candidates_frame(extract(text, published=published, source_id=source_id, existing=statements))
    frame = frame.rename(columns={"notes": "review_notes"})
    frame["notes"] = [f"quoted via {c}" if c else "" for c in frame["carried_by"]]
    frame.insert(0, "candidate", range(1, len(frame) + 1))
    return frame.sort_values(["confidence", "candidate"], kind="stable").reset_index(drop=True)


def existing_statements(root: Root) -> pd.DataFrame:
    """``statements.csv`` as text columns (for ``already_present``); an empty frame if it cannot be read."""
    try:
        return pd.read_csv(root.data / "statements.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError):
        return pd.DataFrame(columns=list(STATEMENT_COLUMNS))


def choices(root: Root) -> dict[str, tuple[str, ...]]:
    """The allowed values the review page offers: claims, date precisions, kinds of source, and source ids."""
    schema = load_schema(root.datapackage)
    try:
        ids = tuple(s["source_id"] for s in _table_rows(root, "sources"))
    except Refused:
        ids = ()
    return {
        "claim": schema.enum("statements", "claim"),
        "date_precision": schema.enum("statements", "date_precision"),
        "kind": schema.enum("sources", "kind"),
        "source_id": ids,
    }


def source_row(root: Root, source_id: str) -> dict[str, str] | None:
    """The ``sources.csv`` row of ``source_id``, or None."""
    try:
        return next((s for s in _table_rows(root, "sources") if s["source_id"] == source_id), None)
    except Refused:
        return None


def passage(text: str, start: int, end: int, context: int = 300) -> tuple[str, str, str]:
    """(before, passage, after): the quote at ``text[start:end]`` and up to ``context`` characters each side.

    The context stops at a paragraph break or a space, so no word is cut.
    """
    lo = max(0, start - context)
    lo = max(text.rfind("\n\n", lo, start) + 2 if "\n\n" in text[lo:start] else lo, 0)
    if lo and text[lo - 1] not in " \n":
        lo = text.find(" ", lo, start) + 1 or lo
    hi = min(len(text), end + context)
    if (brk := text.find("\n\n", end, hi)) != -1:
        hi = brk
    elif hi < len(text) and (space := text.rfind(" ", end, hi)) != -1:
        hi = space
    return ("…" if lo else "") + text[lo:start], text[start:end], text[end:hi] + ("…" if hi < len(text) else "")


def next_id(ids: Iterable[str]) -> str:
    """The id after the highest ``S``-number in ``ids`` (three digits at least, as in statements.csv)."""
    numbers = [int(i[1:]) for i in ids if re.fullmatch(r"S\d+", i)]
    return f"S{max(numbers, default=0) + 1:03d}"


def statement_rows(accepted: pd.DataFrame | list[dict], source_id: str, first_id: str) -> list[dict[str, str]]:
    """``statements.csv`` rows for the accepted candidates, numbered from ``first_id``."""
    records = accepted.to_dict("records") if isinstance(accepted, pd.DataFrame) else list(accepted)
    number = int(first_id[1:])
    rows = []
    for k, rec in enumerate(records):
        row = {c: _text(rec.get(c, "")) for c in STATEMENT_COLUMNS}
        row.update(statement_id=f"S{number + k:03d}", source_id=source_id)
        row["quoted_via"] = row["quoted_via"] or "secondary"
        row["retracted"] = row["retracted"] or "false"
        row["language"] = row["language"] or "en"
        rows.append(row)
    return rows


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


@dataclass
class Outcome:
    """What :func:`add_statements` did: the problems that stopped it, or the ids and files written."""

    problems: list[str] = field(default_factory=list)
    statement_ids: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # paths under the root

    @property
    def ok(self) -> bool:
        """True when the rows were written."""
        return not self.problems


def _csv_bytes(path: Path, columns: list[str], rows: list[dict[str, str]]) -> bytes:
    """The file's bytes with ``rows`` appended: RFC 4180, LF, quoting only where needed."""
    text = path.read_bytes().decode("utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([[r.get(c, "") for c in columns] for r in rows])
    return (text + buf.getvalue()).encode("utf-8")


def _table_rows(root: Root, table: str) -> list[dict[str, str]]:
    spec = load_schema(root.datapackage).tables[table]
    path = root.data / spec.path
    read = read_csv(path, root.rel(path), spec.columns)
    if not read.usable:
        raise Refused("; ".join(str(p) for p in read.problems[:3]) or f"{root.rel(path)} cannot be read")
    return [r.values for r in read.rows]


def add_statements(
    root: Root,
    accepted: pd.DataFrame | list[dict],
    *,
    source_id: str = "",
    new_source: Mapping[str, str] | None = None,
    archive_text: str | None = None,
    before_rename: Callable[[Path], None] | None = None,
) -> Outcome:
    """Validate and write the accepted rows (and a new source row); see the module docstring.

    ``source_id`` names an existing source, or ``new_source`` gives the fields of a new one.
    ``archive_text``, when given, is stored as the source's archived copy (if it has none yet).
    ``before_rename`` is called before each file is renamed into place (tests use it to interrupt a write).
    """
    try:
        return _add(root, accepted, source_id, new_source, archive_text, before_rename)
    except Refused as err:
        return Outcome(problems=[str(err)])


def _add(root, accepted, source_id, new_source, archive_text, before_rename) -> Outcome:
    schema = load_schema(root.datapackage)
    statements_path = root.data / schema.tables["statements"].path
    sources_path = root.data / schema.tables["sources"].path
    anchors_path = root.data / anchors.ANCHORS_FILE
    statements = _table_rows(root, "statements")
    sources = _table_rows(root, "sources")
    if len(accepted) == 0:
        return Outcome(problems=["no candidate is marked accept: nothing to write"])
    changed: dict[Path, bytes] = {}
    if new_source is not None:
        row = {c: _text(new_source.get(c, "")) for c in schema.tables["sources"].columns}
        source_id = row["source_id"]
        if not source_id:
            return Outcome(
                problems=["new source: source_id is blank; expected a short id such as publisher-2023-09-12"]
            )
        sources_bytes = _csv_bytes(sources_path, schema.tables["sources"].columns, [row])
        sources = [*sources, row]
    else:
        sources_bytes = sources_path.read_bytes()
        if source_id not in {s["source_id"] for s in sources}:
            return Outcome(problems=[f"source_id {source_id!r} is not in data/sources.csv; choose one or add a source"])
    source = next(s for s in sources if s["source_id"] == source_id)
    if archive_text is not None and not source["archived_copy"]:
        raw = archive_text.replace("\r\n", "\n").removeprefix("\ufeff").encode("utf-8")
        copy = f"seeds/{seed_name(root.seeds, source['url'] or source_id)}"
        digest = hashlib.sha256(raw).hexdigest()
        changed[root.path / copy] = raw
        staged_sources = Path(tempfile.mkstemp(suffix=".csv")[1])
        try:
            staged_sources.write_bytes(sources_bytes)
            sources_bytes = _archived_bytes(staged_sources, schema.tables["sources"].columns, source_id, copy, digest)
        finally:
            staged_sources.unlink(missing_ok=True)
        source.update(archived_copy=copy, sha256=digest)
    if sources_bytes != sources_path.read_bytes():
        changed[sources_path] = sources_bytes
    rows = statement_rows(accepted, source_id, next_id(s["statement_id"] for s in statements))
    changed[statements_path] = _csv_bytes(statements_path, schema.tables["statements"].columns, rows)
    with tempfile.TemporaryDirectory(prefix="routestatus-curate-") as tmp:
        staging = Root(Path(tmp) / "root")
        for folder in ("data", "geo", "seeds"):
            if (root.path / folder).is_dir():
                shutil.copytree(root.path / folder, staging.path / folder)
        for path, data in changed.items():
            target = staging.path / path.relative_to(root.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        # The anchors are rebuilt from the staged tables, so new quotes of an archived source are anchored.
        found = anchors.build_anchors([*statements, *rows], sources, staging.path)
        anchors_bytes = anchors.anchors_json(found).encode("utf-8")
        (staging.data / anchors.ANCHORS_FILE).write_bytes(anchors_bytes)
        report = validate(staging)
    if not report.ok:
        return Outcome(problems=report.lines())
    if not anchors_path.is_file() or anchors_bytes != anchors_path.read_bytes():
        changed[anchors_path] = anchors_bytes
    write_whole(changed, before_rename=before_rename)
    return Outcome(statement_ids=[r["statement_id"] for r in rows], written=[root.rel(p) for p in changed])


def _temp_beside(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file in ``path``'s folder, flushed to disk; return its path."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_whole(files: Mapping[Path, bytes], *, before_rename: Callable[[Path], None] | None = None) -> None:
    """Replace each file by its new bytes so that it is always whole: the old content or the new one.

    Every new content is first written to a temporary file beside its target and flushed; then each is
    renamed over its target in order (a rename within a folder is atomic). If anything fails before all
    renames are done, the files already replaced get their old bytes back the same way, new files are
    removed, and the error is raised again.
    """
    old = {p: (p.read_bytes() if p.exists() else None) for p in files}
    temps: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            temps[path] = _temp_beside(path, data)
        for path in files:
            if before_rename is not None:
                before_rename(path)
            os.replace(temps.pop(path), path)
            done.append(path)
    except BaseException:
        for path in reversed(done):
            if old[path] is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(_temp_beside(path, old[path]), path)
        raise
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
