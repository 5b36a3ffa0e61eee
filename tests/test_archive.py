"""`archive` against a local HTTP server on 127.0.0.1 serving fixture pages; nothing leaves the machine."""

import csv
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from routestatus.cli import main
from routestatus.quotes import quote_in_text
from routestatus.validate import validate

FIXTURES = Path(__file__).parent / "fixtures" / "archive"
SOURCE = "icrc-consensus-2023-07"  # statements S032 and S074 quote it; not archived in the curated data
STATEMENTS = ("S032", "S074")
OTHER = "1lurer-2023-08-21"  # a second unarchived source
HUGE = 6_000_000  # over the default cap of 5 MB


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output quiet
        pass

    def _send(self, status, ctype, body, length=True):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        self.server.seen.append((self.path, self.headers.get("User-Agent", "")))
        page = self.path
        if page == "/article":
            self._send(200, "text/html; charset=utf-8", (FIXTURES / "article.html").read_bytes())
        elif page == "/changed":
            self._send(200, "text/html; charset=utf-8", (FIXTURES / "changed.html").read_bytes())
        elif page == "/moved":
            self.send_response(301)
            self.send_header("Location", "/article")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif page == "/to-ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/article.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif page == "/report.pdf":
            self._send(200, "application/pdf", (FIXTURES / "report.pdf").read_bytes())
        elif page == "/empty":
            self._send(200, "text/html", b"")
        elif page in ("/huge", "/huge-stream"):
            # /huge says its size up front; /huge-stream does not, so the cap must stop the reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if page == "/huge":
                self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            block = b"<p>" + b"x" * 996 + b"</p>"
            try:
                for _ in range(HUGE // len(block)):
                    self.wfile.write(block)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should
        elif page == "/trickle":
            # Headers at once, then the body a few bytes at a time: each wait is short, the whole is not.
            body = (FIXTURES / "article.html").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for i in range(0, len(body), 200):
                    self.wfile.write(body[i : i + 200])
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif page == "/slow":
            time.sleep(1.5)
            try:
                self._send(200, "text/html", (FIXTURES / "article.html").read_bytes())
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._send(404, "text/html", b"<html><body><p>Not found</p></body></html>")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.daemon_threads = True
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """A proxy set in the environment must not be asked for 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def set_url(root, source_id, url):
    """Point one source of the copy at ``url``, changing only that URL's bytes."""
    path = root.data / "sources.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(source_id + ","))
    old = lines[index].split(",")[3]
    assert old.startswith("http")
    lines[index] = lines[index].replace("," + old + ",", "," + url + ",", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return index


def run(root, *args):
    return main(["--root", str(root.path), "archive", *args])


def source_row(root, source_id):
    with open(root.data / "sources.csv", encoding="utf-8", newline="") as f:
        return next(r for r in csv.DictReader(f) if r["source_id"] == source_id)


def snapshot(root):
    """The bytes of every file the command may write."""
    files = [root.data / "sources.csv", root.data / "anchors.json", *sorted(root.seeds.iterdir())]
    return {p.name: p.read_bytes() for p in files}


def anchors_line(root, missing):
    """The line `anchor` prints, counted from the copy's own tables."""
    with open(root.data / "sources.csv", encoding="utf-8", newline="") as f:
        archived = {r["source_id"] for r in csv.DictReader(f) if r["archived_copy"]}
    with open(root.data / "statements.csv", encoding="utf-8", newline="") as f:
        wanted = sum(1 for r in csv.DictReader(f) if r["source_id"] in archived)
    return f"wrote data/anchors.json: {wanted - missing} anchors for {wanted} statements with an archived source"


def seed_file(url):
    return f"seeds/001_{hashlib.sha256(url.encode()).hexdigest()[:16]}.txt"


def test_fixture_article_holds_the_quotes_and_the_changed_page_loses_one():
    with open(Path(__file__).parent.parent / "data" / "statements.csv", encoding="utf-8", newline="") as f:
        quotes = {r["statement_id"]: r["quote"] for r in csv.DictReader(f) if r["source_id"] == SOURCE}
    assert sorted(quotes) == list(STATEMENTS)
    article = (FIXTURES / "article.html").read_text(encoding="utf-8")
    changed = (FIXTURES / "changed.html").read_text(encoding="utf-8")
    assert all(quote_in_text(q, article) for q in quotes.values())
    assert not quote_in_text(quotes["S032"], changed) and quote_in_text(quotes["S074"], changed)


def test_archives_the_article_fills_the_row_and_reanchors(root, server, capsys):
    base, httpd = server
    url = f"{base}/article"
    line_index = set_url(root, SOURCE, url)
    before = (root.data / "sources.csv").read_bytes().split(b"\n")

    assert run(root, SOURCE) == 0
    copy = seed_file(url)
    raw = (root.path / copy).read_bytes()
    text = raw.decode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{SOURCE}: archived to {copy} ({len(text)} characters, sha256 {digest})",
        f"  S032: quote found in {copy}",
        f"  S074: quote found in {copy}",
        anchors_line(root, missing=0),
    ]
    # the main text only: the article's paragraphs, not the menu or the footer
    assert "evacuate 24 sick patients" in text and "Cookie settings" not in text and "Contact" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")

    row = source_row(root, SOURCE)
    assert row["archived_copy"] == copy and row["sha256"] == digest
    after = (root.data / "sources.csv").read_bytes().split(b"\n")
    assert len(after) == len(before)
    assert [b for i, b in enumerate(after) if i != line_index] == [b for i, b in enumerate(before) if i != line_index]
    assert after[line_index] == before[line_index].replace(b",,,", f",{copy},{digest},".encode(), 1)

    anchored = {a["statement_id"]: a for a in json.loads((root.data / "anchors.json").read_text())["anchors"]}
    assert set(STATEMENTS) <= set(anchored)
    assert anchored["S032"]["source"] == {"source_id": SOURCE, "archived_copy": copy, "sha256": digest}
    report = validate(root)
    assert report.ok, report.lines()
    assert main(["--root", str(root.path), "verify"]) == 0
    assert any(ua.startswith("routestatus/") for _, ua in httpd.seen)


def test_never_overwrites_without_force(root, server, capsys):
    base, _ = server
    set_url(root, SOURCE, f"{base}/article")
    assert run(root, SOURCE) == 0
    copy = source_row(root, SOURCE)["archived_copy"]
    capsys.readouterr()
    kept = snapshot(root)

    assert run(root, SOURCE) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{SOURCE}: refused: already archived as {copy}; use --force to replace it"
    ]
    assert snapshot(root) == kept

    # the curated seed, too, is safe without --force
    assert run(root, "asbarez-us-eu-aghdam-route-2023-09") == 1
    assert "refused: already archived as seeds/000_6dd4dc6e34bed8c8.txt" in capsys.readouterr().out
    assert snapshot(root) == kept


def test_force_replaces_and_reports_a_quote_the_page_no_longer_holds(root, server, capsys):
    base, _ = server
    set_url(root, SOURCE, f"{base}/article")
    assert run(root, SOURCE) == 0
    copy = source_row(root, SOURCE)["archived_copy"]
    capsys.readouterr()

    set_url(root, SOURCE, f"{base}/changed")
    assert run(root, "--force", SOURCE) == 1
    raw = (root.path / copy).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    assert capsys.readouterr().out.splitlines() == [
        f"{SOURCE}: archived to {copy} ({len(raw.decode())} characters, sha256 {digest})",
        f"  S032: quote NOT found in {copy}; the page no longer holds it",
        f"  S074: quote found in {copy}",
        anchors_line(root, missing=1),
    ]
    assert sorted(p.name for p in root.seeds.iterdir()) == ["000_6dd4dc6e34bed8c8.txt", copy.removeprefix("seeds/")]
    assert source_row(root, SOURCE)["sha256"] == digest
    # validate does not accept it silently either
    report = validate(root)
    assert not report.ok
    assert any("statements.csv" in line and ":quote:" in line for line in report.lines())


def test_a_page_without_the_quote_is_reported(root, server, capsys):
    base, _ = server
    url = f"{base}/changed"
    set_url(root, SOURCE, url)
    assert run(root, SOURCE) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{SOURCE}: archived to {seed_file(url)} (")
    assert out[1:3] == [
        f"  S032: quote NOT found in {seed_file(url)}; the page no longer holds it",
        f"  S074: quote found in {seed_file(url)}",
    ]


def test_follows_a_redirect_and_reports_the_final_url(root, server, capsys):
    base, _ = server
    url = f"{base}/moved"
    set_url(root, SOURCE, url)
    assert run(root, SOURCE) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"{SOURCE}: archived to {seed_file(url)} (")
    assert first.endswith(f"; redirected to {base}/article")
    assert validate(root).ok


@pytest.mark.parametrize(
    ("page", "options", "why"),
    [
        ("/missing", (), "HTTP 404 Not Found from {base}/missing"),
        ("/huge", (), f"{HUGE} bytes, over the cap of 5000000 bytes"),
        ("/huge-stream", ("--max-bytes", "100000"), "over the cap of 100000 bytes"),
        ("/report.pdf", (), "content type application/pdf, not HTML"),
        ("/empty", (), "the page is empty"),
        ("/slow", ("--timeout", "0.3"), "not downloaded within 0.3 s"),
        ("/trickle", ("--timeout", "0.5"), "not downloaded within 0.5 s"),
        ("/to-ftp", (), "not an http(s) URL: ftp://127.0.0.1/article.html"),
    ],
)
def test_refuses_and_changes_nothing(root, server, capsys, page, options, why):
    base, _ = server
    set_url(root, SOURCE, base + page)
    kept = snapshot(root)
    started = time.monotonic()
    assert run(root, *options, SOURCE) == 1
    assert time.monotonic() - started < 3  # a timeout bounds the whole download, not each wait
    assert capsys.readouterr().out.splitlines() == [f"{SOURCE}: refused: {why.format(base=base)}"]
    assert snapshot(root) == kept


def test_a_sources_file_that_cannot_be_edited_leaves_everything_as_it_was(root, server, capsys):
    base, _ = server
    set_url(root, SOURCE, base + "/article")
    path = root.data / "sources.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    kept = snapshot(root)
    assert run(root, SOURCE) == 1
    assert "not a clean CSV file" in capsys.readouterr().out
    assert snapshot(root) == kept  # no archived text written beside an unchanged sources.csv


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/article.html", "javascript:alert(1)"])
def test_refuses_urls_that_are_not_http(root, server, capsys, url):
    _, httpd = server
    seen = len(httpd.seen)
    set_url(root, SOURCE, url)
    kept = snapshot(root)
    assert run(root, SOURCE) == 1
    assert capsys.readouterr().out.splitlines() == [f"{SOURCE}: refused: not an http(s) URL: {url}"]
    assert snapshot(root) == kept
    assert len(httpd.seen) == seen


def test_one_line_per_source_and_exit_1_when_any_fails(root, server, capsys):
    base, _ = server
    set_url(root, SOURCE, f"{base}/article")
    set_url(root, OTHER, f"{base}/missing")
    assert run(root, OTHER, SOURCE) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{OTHER}: refused: HTTP 404 Not Found from {base}/missing"
    assert out[1].startswith(f"{SOURCE}: archived to seeds/001_")
    assert source_row(root, OTHER)["archived_copy"] == ""
    assert validate(root).ok


def test_sequence_numbers_follow_the_existing_seeds(root, server, capsys):
    base, _ = server
    set_url(root, SOURCE, f"{base}/article")
    set_url(root, OTHER, f"{base}/moved")
    # the other source's page is the same article, which does not hold the other source's quote (S114)
    assert run(root, SOURCE, OTHER) == 1
    assert source_row(root, SOURCE)["archived_copy"].startswith("seeds/001_")
    assert source_row(root, OTHER)["archived_copy"].startswith("seeds/002_")
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == [
        SOURCE,
        "  S032",
        "  S074",
        OTHER,
        "  S114",
        "wrote data/anchors.json",
    ]
    assert (
        out[4] == f"  S114: quote NOT found in {source_row(root, OTHER)['archived_copy']}; the page no longer holds it"
    )


def test_unknown_source_id_is_a_usage_error(root, server, capsys):
    kept = snapshot(root)
    assert run(root, SOURCE, "no-such-source") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown source id(s) in data/sources.csv: no-such-source" in captured.err
    assert snapshot(root) == kept
