"""The zip writer lays out the same bytes as zipfile, and a snapshot's zip is zipfile's."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import zipfile

import pytest

from routestatus import ziparchive
from routestatus.load import load_dataset
from routestatus.paths import PROJECT_ROOT, Root
from routestatus.snapshot import snapshot_zip
from routestatus.status import build_intervals
from routestatus.view import View
from routestatus.ziparchive import Archive, zip_info

WHEN = dt.datetime(2023, 9, 19, 13, 47, 59, tzinfo=dt.UTC)


def _zipfile_bytes(files: dict[str, bytes], when: dt.datetime, level: int = 1) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, body in files.items():
            zf.writestr(zip_info(name, when), body, compresslevel=level)
    return buffer.getvalue()


def _archive_bytes(files: dict[str, bytes], when: dt.datetime, level: int = 1) -> bytes:
    with Archive(when, level=level) as archive:
        for name, body in files.items():
            archive.add(name, body)
        for name, body in files.items():
            assert archive.sha256(name) == hashlib.sha256(body).hexdigest()
        return archive.zip(list(files))


def _files() -> dict[str, bytes]:
    rng = random.Random(16)
    words = ["Lachin", "Լաչին", "Laçın", "Лачин", "checkpoint", "2023-09-19", "\r\n", ","]
    return {
        "empty.txt": b"",
        "one.csv": b"x",
        # Text deflates; random bytes do not (the stored-size path of deflate).
        "events.csv": " ".join(rng.choice(words) for _ in range(200_000)).encode("utf-8"),
        "noise.bin": rng.randbytes(300_000),
        "Ասկերան.geojson": b'{"type": "FeatureCollection", "features": []}\n',
        "dir/manifest.json": b"{}\n",
    }


@pytest.mark.parametrize("level", [1, 6])
def test_same_bytes_as_zipfile(level):
    files = _files()
    assert _archive_bytes(files, WHEN, level) == _zipfile_bytes(files, WHEN, level)
    # Another order and another time: the headers, offsets and dates follow.
    turned = dict(reversed(files.items()))
    when = dt.datetime(1999, 12, 31, 23, 0, 1, tzinfo=dt.UTC)
    assert _archive_bytes(turned, when, level) == _zipfile_bytes(turned, when, level)
    with zipfile.ZipFile(io.BytesIO(_archive_bytes(files, WHEN, level))) as zf:
        assert zf.testzip() is None
        assert {name: zf.read(name) for name in zf.namelist()} == files


def test_large_archive_left_to_zipfile(monkeypatch):
    # An archive that would need ZIP64 records is written by zipfile itself.
    monkeypatch.setattr(ziparchive, "_LIMIT", 1000)
    called = []
    real = Archive._zipfile
    monkeypatch.setattr(Archive, "_zipfile", lambda self, order: called.append(order) or real(self, order))
    files = _files()
    assert _archive_bytes(files, WHEN) == _zipfile_bytes(files, WHEN)
    assert called == [list(files)]


def test_failure_while_making_files_ends_the_workers():
    with pytest.raises(RuntimeError), Archive(WHEN) as archive:
        archive.add("a.csv", b"a" * 100_000)
        raise RuntimeError("a file could not be made")
    assert archive._pool._shutdown


def test_snapshot_zip_is_what_zipfile_writes():
    # Read back and written again by zipfile in the same order: the very same bytes, so the
    # downloads are those zipfile made before the writer moved here.
    data = load_dataset(Root(PROJECT_ROOT))
    view = View.default(data, build_intervals(data.tables["events"]))
    raw = snapshot_zip(view, WHEN)
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        files = {info.filename: zf.read(info) for info in zf.infolist()}
    assert list(files)[:2] == ["manifest.json", "README.md"]
    assert raw == _zipfile_bytes(files, WHEN)
