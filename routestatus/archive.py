"""Archiving a source page's main text under ``seeds/`` so its quotes can be checked offline.

``python -m routestatus archive SOURCE_ID…`` does, for each source id of ``data/sources.csv``:

1. refuses a URL that is not ``http://`` or ``https://``, and a row that already has an
   ``archived_copy`` unless ``--force`` is given;
2. fetches the URL with ``urllib.request``, following redirects (to http(s) only), within a
   size cap (``--max-bytes``, default 5 MB) and a time cap (``--timeout``, default 20 s, for
   the whole download); refuses an HTTP error, a content type other than HTML, an empty body;
3. keeps the page's main text (``trafilatura``: the article without menus, footers and
   comments) and writes it as UTF-8 to ``seeds/NNN_HHHHHHHHHHHHHHHH.txt``: ``NNN`` is the
   next free three-digit sequence number in ``seeds/``, ``H…`` the first 16 hex digits of
   the SHA-256 of the source's URL as recorded; a forced re-archive keeps the row's file name;
4. fills the row's ``archived_copy`` and ``sha256``, rewriting only that row's lines of
   ``sources.csv`` (every other byte of the file is left as it was);
5. once all sources are done, regenerates ``data/anchors.json`` as ``anchor`` does, and says
   for every statement from an archived source whether its quote is in the new text, by
   the rule ``validate`` applies (:func:`routestatus.quotes.quote_in_text`).

Output: one line per source on standard output, ``<source_id>: archived to seeds/… (N
characters, sha256 …)`` (with ``; redirected to <final URL>`` when the page moved) or
``<source_id>: refused: <why>``, followed by one indented line per statement from that
source. Exit status: 0 when every source was archived and every quote found, 1 when a source
was refused or a quote is not in its new text, 2 on a usage error (an unknown source id).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from routestatus import anchors
from routestatus.csvfile import read_csv
from routestatus.paths import Root, resolve_root
from routestatus.quotes import quote_in_text
from routestatus.schema import load_schema

DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_TIMEOUT = 20.0
USER_AGENT = "routestatus/0.1 (archives cited source pages so quoted passages can be checked offline)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
SCHEMES = ("http", "https")
_CHUNK = 64 * 1024
_SEED_NAME = re.compile(r"^(\d{3,})_[0-9a-f]{16}\.txt$")


class Refused(Exception):
    """A source that cannot be archived; the message says why, in a few words."""


@dataclass(frozen=True)
class Page:
    """A fetched page: where it ended up, its media type and charset, and its bytes."""

    final_url: str
    content_type: str
    charset: str | None
    body: bytes


def check_url(url: str) -> None:
    """Raise :class:`Refused` unless ``url`` is an http(s) URL with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in SCHEMES:
        raise Refused(f"not an http(s) URL: {url}")
    if not parts.hostname:
        raise Refused(f"no host in the URL: {url}")


class _HttpRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs (the standard handler also allows ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        check_url(urljoin(req.full_url, newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = DEFAULT_TIMEOUT) -> Page:
    """Download an HTML page within the caps; raise :class:`Refused` with the reason otherwise.

    ``timeout`` bounds the whole download, headers included, not only each wait on the
    socket: a server that trickles its answer a few bytes at a time is cut off too. The
    download runs in a daemon thread that is abandoned when the time is up.
    """
    check_url(url)
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["page"] = _download(url, max_bytes, timeout)
        except BaseException as err:  # handed to the caller below
            outcome["error"] = err

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise Refused(f"not downloaded within {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["page"]


def _download(url: str, max_bytes: int, timeout: float) -> Page:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9"}
    )
    opener = urllib.request.build_opener(_HttpRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            headers: Message = response.headers
            final_url = response.geturl()
            media = headers.get_content_type()
            if media not in HTML_TYPES:
                raise Refused(f"content type {media}, not HTML")
            length = headers.get("Content-Length")
            if length and length.strip().isdigit() and int(length) > max_bytes:
                raise Refused(f"{int(length)} bytes, over the cap of {max_bytes} bytes")
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise Refused(f"not downloaded within {timeout:g} s")
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise Refused(f"over the cap of {max_bytes} bytes")
                chunks.append(chunk)
            if time.monotonic() > deadline:
                raise Refused(f"not downloaded within {timeout:g} s")
    except urllib.error.HTTPError as err:
        raise Refused(f"HTTP {err.code} {err.reason} from {err.url}") from err
    except urllib.error.URLError as err:
        # A socket timeout and the overall deadline fire at about the same moment; either
        # way the reader is told the same thing, so which one wins the race does not matter.
        if isinstance(err.reason, TimeoutError):
            raise Refused(f"not downloaded within {timeout:g} s") from err
        raise Refused(f"cannot reach {urlsplit(url).hostname}: {err.reason}") from err
    except TimeoutError as err:
        raise Refused(f"not downloaded within {timeout:g} s") from err
    except (OSError, ValueError) as err:  # a dropped connection, a malformed response
        raise Refused(f"download failed: {err}") from err
    body = b"".join(chunks)
    if not body.strip():
        raise Refused("the page is empty")
    return Page(final_url, media, headers.get_content_charset(), body)


def main_text(page: Page) -> str:
    """The page's main text (trafilatura), ending with one line break; raise :class:`Refused` if none."""
    import trafilatura  # imported here, so the other commands do not pay for it

    html: str | bytes = page.body
    if page.charset:
        try:
            html = page.body.decode(page.charset, errors="replace")
        except LookupError:  # an unknown charset name: let the extractor detect the encoding
            html = page.body
    # deduplicate=False: with it on, text already seen in an earlier page of the same run is dropped
    text = trafilatura.extract(html, url=page.final_url, include_comments=False, include_tables=True, deduplicate=False)
    text = (text or "").strip()
    if not text:
        raise Refused("no main text found in the page")
    return text + "\n"


def seed_name(seeds: Path, url: str) -> str:
    """A new file name under ``seeds/``: the next sequence number, then 16 hex digits of the URL's SHA-256."""
    numbers = [int(m.group(1)) for p in seeds.glob("*.txt") if (m := _SEED_NAME.match(p.name))]
    number = max(numbers, default=-1) + 1
    return f"{number:03d}_{hashlib.sha256(url.encode('utf-8')).hexdigest()[:16]}.txt"


def _rows(root: Root, table: str):
    """The table's CsvRead and its path; raises Refused naming the first problem if unusable."""
    spec = load_schema(root.datapackage).tables[table]
    path = root.data / spec.path
    read = read_csv(path, root.rel(path), spec.columns)
    if not read.usable:
        raise Refused(str(read.problems[0]) if read.problems else f"{root.rel(path)} cannot be read")
    return read, path


def _row_csv(header: list[str], values: dict[str, str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([values[c] for c in header])
    return buf.getvalue()


def _archived_bytes(path: Path, columns: list[str], source_id: str, archived_copy: str, digest: str) -> bytes:
    """``sources.csv`` with one row's ``archived_copy`` and ``sha256`` filled, changing no other line.

    Only the physical lines of that row are rewritten (RFC 4180, LF, quoting only where
    needed); every other byte stays as it was. Raises :class:`Refused` if the file is not a
    clean CSV file; nothing is written here.
    """
    read = read_csv(path, path.name, columns)
    text = path.read_bytes().decode("utf-8")
    if not read.usable or "\r" in text or text.startswith("\ufeff"):
        raise Refused(f"{path.name} is not a clean CSV file (run validate); not changed")
    starts = [r.line for r in read.rows]
    index = next(i for i, r in enumerate(read.rows) if r.values["source_id"] == source_id)
    lines = text.split("\n")  # a final line break leaves an empty last item, kept as is
    first = starts[index] - 1
    last = starts[index + 1] - 1 if index + 1 < len(starts) else len(lines) - (1 if text.endswith("\n") else 0)
    values = dict(read.rows[index].values, archived_copy=archived_copy, sha256=digest)
    lines[first:last] = [_row_csv(columns, values).removesuffix("\n")]
    return "\n".join(lines).encode("utf-8")


def archive_one(root: Root, row: dict[str, str], *, force: bool, max_bytes: int, timeout: float) -> tuple[str, str]:
    """Archive one source row; return the archived copy's path under the root and the result line."""
    sid, url, existing = row["source_id"], row["url"], row["archived_copy"]
    check_url(url)
    if existing and not force:
        raise Refused(f"already archived as {existing}; use --force to replace it")
    if existing and not (existing.startswith("seeds/") and existing.endswith(".txt") and "/" not in existing[6:]):
        raise Refused(f"its archived_copy {existing} is not a file directly under seeds/")
    page = fetch(url, max_bytes=max_bytes, timeout=timeout)
    text = main_text(page)
    root.seeds.mkdir(exist_ok=True)
    copy = existing or f"seeds/{seed_name(root.seeds, url)}"
    target = root.path / copy
    if target.exists() and not force:
        raise Refused(f"{copy} already exists; use --force to replace it")
    raw = text.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    spec = load_schema(root.datapackage).tables["sources"]
    # Work out the edited sources.csv first: if it cannot be edited, nothing is written at all.
    sources = root.data / spec.path
    edited = _archived_bytes(sources, spec.columns, sid, copy, digest)
    target.write_bytes(raw)
    sources.write_bytes(edited)
    line = f"{sid}: archived to {copy} ({len(text)} characters, sha256 {digest})"
    if page.final_url != url:
        line += f"; redirected to {page.final_url}"
    return copy, line


def run(args: argparse.Namespace) -> int:
    """Handle ``archive``: archive each source, re-anchor, report; return the exit status."""
    if args.max_bytes <= 0 or args.timeout <= 0:
        print("archive: --max-bytes and --timeout must be positive", file=sys.stderr)
        return 2
    root = resolve_root(getattr(args, "root", None))
    try:
        sources, _ = _rows(root, "sources")
    except Refused as err:
        print(f"archive: {err}", file=sys.stderr)
        return 1
    by_id = {r.values["source_id"]: r.values for r in sources.rows}
    wanted = list(dict.fromkeys(args.source_ids))
    unknown = [s for s in wanted if s not in by_id]
    if unknown:
        print(f"archive: unknown source id(s) in data/sources.csv: {', '.join(unknown)}", file=sys.stderr)
        return 2

    failed = False
    done: dict[str, str] = {}  # source_id -> its new archived copy
    lines: dict[str, str] = {}
    for sid in wanted:
        try:
            done[sid], lines[sid] = archive_one(
                root, by_id[sid], force=args.force, max_bytes=args.max_bytes, timeout=args.timeout
            )
        except Refused as err:
            lines[sid] = f"{sid}: refused: {err}"
            failed = True
        print(lines[sid], flush=True)
        if sid in done:
            try:
                checks = _quote_checks(root, sid, done[sid])
            except Refused as err:
                print(f"archive: quotes not checked: {err}", file=sys.stderr)
                checks, failed = [], True
            for found, check in checks:
                print(check, flush=True)
                failed = failed or not found
    if done:
        try:
            failed = _reanchor(root) or failed
        except Refused as err:
            print(f"archive: data/anchors.json not regenerated: {err}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


def _quote_checks(root: Root, source_id: str, copy: str) -> list[tuple[bool, str]]:
    """Whether each quote of a statement from ``source_id`` is in the new text, and the line saying so."""
    statements, _ = _rows(root, "statements")
    text = (root.path / copy).read_text(encoding="utf-8")
    out = []
    for row in statements.rows:
        v = row.values
        if v["source_id"] != source_id:
            continue
        if quote_in_text(v["quote"], text):
            out.append((True, f"  {v['statement_id']}: quote found in {copy}"))
        else:
            out.append((False, f"  {v['statement_id']}: quote NOT found in {copy}; the page no longer holds it"))
    return out


def _reanchor(root: Root) -> bool:
    """Rewrite ``data/anchors.json`` as ``anchor`` does; True if a statement could not be anchored."""
    statements, _ = _rows(root, "statements")
    sources, _ = _rows(root, "sources")
    st = [r.values for r in statements.rows]
    so = [r.values for r in sources.rows]
    found = anchors.build_anchors(st, so, root.path)
    path = root.data / anchors.ANCHORS_FILE
    path.write_text(anchors.anchors_json(found), encoding="utf-8")
    archived = {s["source_id"] for s in so if s["archived_copy"]}
    wanted = sum(1 for s in st if s["source_id"] in archived)
    print(f"wrote {root.rel(path)}: {len(found)} anchors for {wanted} statements with an archived source")
    return len(found) < wanted


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``archive SOURCE_ID… [--force] [--max-bytes N] [--timeout S]``."""
    parser = subparsers.add_parser(
        "archive",
        help="fetch sources' pages, keep their main text under seeds/, fill archived_copy and sha256, re-anchor",
    )
    parser.add_argument("source_ids", nargs="+", metavar="SOURCE_ID", help="a source_id from data/sources.csv")
    parser.add_argument("--force", action="store_true", help="replace an existing archived copy")
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"refuse a page larger than this (default: {DEFAULT_MAX_BYTES})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on a page not downloaded within this time (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.set_defaults(func=run)
    return parser
