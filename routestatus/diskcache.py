"""A disk cache of loaded datasets, so a new process need not read and check unchanged data again.

An entry is keyed by the content fingerprint of ``data/``, ``geo/`` and ``seeds/`` and by a
code version: the bytes of this package's modules and the versions of Python and of the
libraries whose objects it holds. Any edit to a file, to the code or to a library therefore
misses, and the data is loaded and checked afresh.

The folder is ``$ROUTESTATUS_CACHE_DIR`` if set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/routestatus``, else ``~/.cache/routestatus``. Only the few newest entries
are kept. The cache can never fail a load: an entry that cannot be read, or a folder that
cannot be written, is passed over and the data is loaded the normal way.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import threading
import time
from dataclasses import fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from routestatus.anchors import ANCHORS_FILE, read_anchors
from routestatus.load import Dataset, fingerprint, load_dataset
from routestatus.paths import Root

CACHE_ENV = "ROUTESTATUS_CACHE_DIR"
OFF = "off"
KEEP = 4  # entries kept: a few datasets or code versions side by side, never more
LIBRARIES = ("pandas", "numpy", "pyarrow", "geopandas", "shapely", "pyogrio")
SUFFIX = ".dataset"
# The first bytes of an entry; a change of layout changes it. The SHA-256 of the payload
# follows, so a truncated or damaged file is recognised before it is unpickled.
MAGIC = b"routestatus-dataset-1\n"
_DIGEST = 32
# A temporary file left by a process killed while writing is removed after this long.
_STALE_SECONDS = 3600


def cache_dir() -> Path | None:
    """The cache folder, or None when ``$ROUTESTATUS_CACHE_DIR`` is ``off``."""
    chosen = os.environ.get(CACHE_ENV, "")
    if chosen.strip().lower() == OFF:
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "routestatus"


@lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 over this package's ``.py`` files and the versions of Python and the data libraries."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    digest.update(sys.version.encode())
    for name in LIBRARIES:
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            found = "-"
        digest.update(f"\0{name}={found}".encode())
    return digest.hexdigest()


def entry_key(content_hash: str) -> str:
    """The key of the entry for data with ``content_hash`` read by this code."""
    return hashlib.sha256(f"{content_hash}\0{code_version()}".encode()).hexdigest()


def load_cached(root: Root, content_hash: str | None = None) -> Dataset:
    """:func:`~routestatus.load.load_dataset` of ``root``, from the disk cache when it holds this content.

    ``content_hash`` is ``fingerprint(root)`` if the caller has it already. A miss loads the
    data the normal way and stores it for the next process, when it can be reused as is.
    """
    folder = cache_dir()
    if folder is None:
        return load_dataset(root)
    settle()  # an entry this process is still writing is read once it is whole
    content_hash = content_hash or fingerprint(root)
    key = entry_key(content_hash)
    path = folder / f"{key}{SUFFIX}"
    cached = _read(path, key)
    if cached is not None and cached.fingerprint == content_hash:
        return cached
    data = load_dataset(root)
    # Stored only if the files did not change while they were read (the fingerprint the
    # loader took at the end is the key's) and the load came from those files alone.
    if data.fingerprint == content_hash and reusable(root, data):
        _write(folder, path, key, data, wait=False)
    return data


# Entries being written in the background, and the lock that guards the list.
_WRITING: list[threading.Thread] = []
_WRITING_LOCK = threading.Lock()


def settle() -> None:
    """Wait until every entry this process began writing is in place (or given up)."""
    with _WRITING_LOCK:
        pending = list(_WRITING)
    for thread in pending:
        thread.join()


def reusable(root: Root, data: Dataset) -> bool:
    """True when ``data`` depends on nothing but the fingerprinted files, so a later load would equal it.

    Not so after an internal error of ``validate`` (it may have been passing, such as a file
    unreadable for a moment), when the map layers were not read though nothing was reported
    against them, or when a source's archived copy or an anchor lies outside the folders the
    fingerprint covers.
    """
    if any(p.file == "(validate)" for p in data.report.problems):
        return False
    if data.map_layers is None and data.counts and not data.report.touching(("geo/",)):
        return False
    copies = set()
    if "sources" in data.tables and "archived_copy" in data.tables["sources"]:
        copies |= set(data.tables["sources"]["archived_copy"].dropna())
    try:
        copies |= {a.archived_copy for a in read_anchors(root.data / ANCHORS_FILE)}
    except ValueError:
        pass  # an unreadable anchors file is reported by validate and read by nothing else
    try:
        inside = [folder.resolve() for folder in (root.data, root.geo, root.seeds)]
        return all(any((root.path / c).resolve().is_relative_to(f) for f in inside) for c in copies)
    except (OSError, ValueError):  # a path the system cannot even resolve
        return False


def _read(path: Path, key: str) -> Dataset | None:
    """The dataset stored at ``path`` under ``key``, or None if there is none or it cannot be used."""
    # Any fault at all (no file, no permission, a truncated or damaged file, an entry made by
    # other code) means only that this load is not served from the cache: the data is then
    # read and checked the normal way, so the cache can slow a load but never fail one.
    try:
        raw = path.read_bytes()
        head = MAGIC + key.encode()
        digest, payload = raw[len(head) : len(head) + _DIGEST], raw[len(head) + _DIGEST :]
        if not raw.startswith(head) or hashlib.sha256(payload).digest() != digest:
            return None
        # Unpickling runs code named in the file, so only the user's own cache folder is read,
        # and only an entry whose checksum matches.
        values = pickle.loads(payload)
        data = Dataset(**values)
    except Exception:
        return None
    try:
        os.utime(path)  # the newest use is kept longest
    except OSError:
        pass
    return data


def _write(folder: Path, path: Path, key: str, data: Dataset, wait: bool = True) -> None:
    """Store ``data`` at ``path``, atomically, then drop all but the newest entries.

    The data is pickled before this returns, so what is stored is the dataset as it was
    loaded. With ``wait`` false the rest (the checksum, the file, the pruning: 0.15 s for
    100,000 events, and none of it holding the GIL for long) is done in a thread while the
    first page is drawn; the thread is not a daemon, so a process that ends at once still
    finishes the entry.
    """
    # Only the dataclass fields are stored: a cached_property (the search index holds a lock)
    # is worked out again on first use, as after a fresh load.
    values = {f.name: getattr(data, f.name) for f in fields(Dataset)}
    try:
        payload = pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return  # an object that will not pickle: the next load loads it the normal way
    if wait:
        _store(folder, path, key, payload)
        return
    thread = threading.Thread(target=_store, args=(folder, path, key, payload), name="routestatus-cache-write")
    with _WRITING_LOCK:
        _WRITING[:] = [t for t in _WRITING if t.is_alive()]
        _WRITING.append(thread)
    thread.start()


def _store(folder: Path, path: Path, key: str, payload: bytes) -> None:
    """Write an entry's bytes beside ``path`` and rename them over it; give up quietly on any fault."""
    temp = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Written in full beside the entry, then renamed over it: a reader in another process
        # sees the old entry or the new one, never half of one.
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", suffix=SUFFIX, delete=False) as f:
            temp = Path(f.name)
            f.write(MAGIC + key.encode() + hashlib.sha256(payload).digest())
            f.write(payload)
        os.replace(temp, path)
        temp = None
        _prune(folder, path)
    except Exception:
        # A full disk or a read-only folder: this load already has its data, and the next
        # one loads it the normal way.
        if temp is not None:
            temp.unlink(missing_ok=True)


def _prune(folder: Path, written: Path) -> None:
    """Keep ``written`` and the newest used entries, :data:`KEEP` in all; remove a killed writer's temporary files."""
    entries = []
    now = time.time()
    for path in folder.iterdir():
        try:
            stat = path.stat()
            if path.name.startswith(".tmp-") and path.name.endswith(SUFFIX):
                if now - stat.st_mtime > _STALE_SECONDS:
                    path.unlink(missing_ok=True)
            elif path.name.endswith(SUFFIX) and path != written:
                entries.append((stat.st_mtime_ns, path))
        except OSError:
            continue  # removed by another process meanwhile
    # File times are coarse (a few milliseconds), so the entry just written is kept by name.
    for _, path in sorted(entries, reverse=True)[KEEP - 1 :]:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
