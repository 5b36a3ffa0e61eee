"""The content hash of ``data/``, ``geo/`` and ``seeds/``: the dataset version and the cache key.

Imports nothing but the standard library, so the dashboard can begin hashing the files
(:func:`begin`) on the other core before it imports pandas and the rest: hashing and
reading files let go of the GIL, and the imports hold it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from routestatus.paths import Root


def _files(root: Root) -> list[tuple[str, int, int]]:
    """Every file under data/, geo/ and seeds/ as (path, size, modification time), in path order.

    Walked with ``os.scandir``, whose entries carry what ``stat`` says: ``Path.rglob`` and a
    ``stat`` per file cost every rerun 0.3 ms on the curated data. Each folder's files in the
    order ``sorted`` gives their paths, component by component.
    """
    out = []
    for folder in (root.data, root.geo, root.seeds):
        found: list[tuple[list[str], str, int, int]] = []
        pending = [str(folder)]
        while pending:
            try:
                entries = os.scandir(pending.pop())
            except OSError:
                continue  # no such folder (or not one): nothing of it is read
            with entries:
                for entry in entries:
                    if entry.is_dir():
                        pending.append(entry.path)
                    elif entry.is_file():
                        s = entry.stat()
                        found.append((entry.path.split(os.sep), entry.path, s.st_size, s.st_mtime_ns))
        out += [(path, size, mtime) for _, path, size, mtime in sorted(found)]
    return out


# Content hashes by the files' (name, size, modification time): a rerun that finds every
# file as it was skips reading them again. Any write changes the time, so an edit is seen.
_HASHES: dict[tuple, str] = {}
# Hashes being worked out by begin(), by the same stamp, and the roots begun.
_PENDING: dict[tuple, threading.Thread] = {}
_BEGUN: set[Path] = set()
_LOCK = threading.Lock()


def _hash(root: Root, stamp: tuple) -> str:
    digest = hashlib.sha256()
    for name, _, _ in stamp:
        path = Path(name)
        digest.update(root.rel(path).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    found = digest.hexdigest()
    with _LOCK:
        if len(_HASHES) > 32:
            _HASHES.clear()
        _HASHES[stamp] = found
    return found


def fingerprint(root: Root) -> str:
    """SHA-256 over the names and bytes of every file in data/, geo/ and seeds/.

    Used as the cache key and the dataset version: any edit changes it, so an edited
    CSV is picked up on the next rerun without a restart.
    """
    stamp = tuple(_files(root))
    with _LOCK:
        found, pending = _HASHES.get(stamp), _PENDING.get(stamp)
    if found is not None:
        return found
    if pending is not None:
        pending.join()  # begun already: the same files, hashed in the background
        with _LOCK:
            found = _HASHES.get(stamp)
        if found is not None:
            return found
    return _hash(root, stamp)


def begin(root: Root) -> None:
    """Start working out ``fingerprint(root)`` in a thread, the first time a process asks for this root.

    A first start of 100,000 events spends 50 ms reading and hashing its 35 MB, which this
    does beside the imports that follow. Later calls do nothing: reruns hash only edited files.
    """
    with _LOCK:
        if root.path in _BEGUN:
            return
        _BEGUN.add(root.path)
    stamp = tuple(_files(root))

    def run() -> None:
        try:
            _hash(root, stamp)
        except OSError:
            pass  # a file gone meanwhile: fingerprint() reads what is there and says so
        finally:
            with _LOCK:
                _PENDING.pop(stamp, None)

    thread = threading.Thread(target=run, name="routestatus-content-hash", daemon=True)
    with _LOCK:
        _PENDING[stamp] = thread
    thread.start()
