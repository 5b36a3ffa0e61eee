"""Zip archives with each file deflated in a worker thread while the next one is being made.

A snapshot's files are made one after another (the CSVs, then the GIS layers, then the
README and the manifest, which lists every other file's SHA-256), and deflating them was a
third of a snapshot's time at 100,000 events. zlib and hashlib release the GIL on large
buffers, so each file is deflated and hashed in a worker as soon as it exists, on the other
core, while the main thread makes the next file.

The archive is laid out here rather than by :mod:`zipfile`, which deflates inside
``writestr`` on the calling thread. The bytes are exactly those of
``zipfile.ZipFile(buffer, "w").writestr(info, body, compresslevel=level)`` for each file in
turn (``tests/test_ziparchive.py`` holds them equal): the same deflate calls, and the same
local headers, central directory and end record for an archive without ZIP64 extensions.
An archive that would need them (a file or the whole over 2 GiB) is written by
:mod:`zipfile` itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import zipfile
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

# zipfile's own record layouts, and its defaults for a new ZipInfo.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20
_SYSTEM = zipfile.ZipInfo("x").create_system
_FILE_MODE = 0o644 << 16
# zipfile turns on ZIP64 for a file whose size times 1.05 passes this limit.
_LIMIT = zipfile.ZIP64_LIMIT


@dataclass(frozen=True)
class _Packed:
    crc: int
    deflated: bytes
    sha256: str


def _pack(body: bytes, level: int) -> _Packed:
    # compress() then flush(), once each, as zipfile's writer calls them for writestr.
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    deflated = compressor.compress(body) + compressor.flush()
    return _Packed(zlib.crc32(body), deflated, hashlib.sha256(body).hexdigest())


def zip_info(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    """The ``ZipInfo`` every file of an archive gets: deflated, read-write for its owner, dated ``when``."""
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = _FILE_MODE
    return info


class Archive:
    """Files added one by one, deflated in the background, written out as one zip.

    Use as a context manager, so the worker threads end even when making a file fails::

        with Archive(when) as archive:
            archive.add("a.csv", body)
            archive.sha256("a.csv")
            zip_bytes = archive.zip(["a.csv"])
    """

    def __init__(self, when: dt.datetime, level: int = 1, workers: int = 2) -> None:
        self.when = when
        self.level = level
        self._bodies: dict[str, bytes] = {}
        self._packed: dict[str, Future[_Packed]] = {}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="deflate")

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def add(self, name: str, body: bytes) -> None:
        """Start deflating and hashing ``body``, stored as ``name``; returns at once."""
        self._bodies[name] = body
        self._packed[name] = self._pool.submit(_pack, body, self.level)

    def sha256(self, name: str) -> str:
        """The SHA-256 (hex) of the file added as ``name``, once its worker has it."""
        return self._packed[name].result().sha256

    def zip(self, order: list[str]) -> bytes:
        """The zip bytes holding the files named in ``order``, in that order."""
        if sum(len(self._bodies[name]) for name in order) * 1.05 > _LIMIT:
            return self._zipfile(order)
        when = self.when.timetuple()[:6]
        dosdate = (when[0] - 1980) << 9 | when[1] << 5 | when[2]
        dostime = when[3] << 11 | when[4] << 5 | (when[5] // 2)
        out: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for name in order:
            packed = self._packed[name].result()
            size = len(self._bodies[name])
            filename, flags = _encoded(name)
            header = _LOCAL.pack(
                b"PK\003\004", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, dostime, dosdate,
                packed.crc, len(packed.deflated), size, len(filename), 0,
            )  # fmt: skip
            record = _CENTRAL.pack(
                b"PK\001\002", _VERSION, _SYSTEM, _VERSION, 0, flags, zipfile.ZIP_DEFLATED, dostime, dosdate,
                packed.crc, len(packed.deflated), size, len(filename), 0, 0, 0, 0, _FILE_MODE, offset,
            )  # fmt: skip
            central.append(record + filename)
            out += (header, filename, packed.deflated)
            offset += len(header) + len(filename) + len(packed.deflated)
        directory = b"".join(central)
        if offset + len(directory) > _LIMIT:
            return self._zipfile(order)
        end = _END.pack(b"PK\005\006", 0, 0, len(order), len(order), len(directory), offset, 0)
        return b"".join([*out, directory, end])

    def _zipfile(self, order: list[str]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for name in order:
                zf.writestr(zip_info(name, self.when), self._bodies[name], compresslevel=self.level)
        return buffer.getvalue()


def _encoded(name: str) -> tuple[bytes, int]:
    # As zipfile does: ASCII names as they are, others in UTF-8 with the UTF-8 flag set.
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), 0x800
