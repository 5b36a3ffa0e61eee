"""The disk cache of loaded datasets: a hit equals a fresh load, and any change or fault misses."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from routestatus import diskcache
from routestatus.diskcache import CACHE_ENV, KEEP, SUFFIX, cache_dir, load_cached
from routestatus.load import Dataset, load_dataset
from routestatus.paths import Root, resolve_root
from routestatus.problems import Problem
from routestatus.validate import validate


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    """An empty cache folder of this test's own."""
    path = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(path))
    return path


@pytest.fixture
def loads(monkeypatch) -> list[Path]:
    """The roots the cache had to load the normal way, in order."""
    seen: list[Path] = []

    def counted(root: Root) -> Dataset:
        seen.append(root.path)
        return load_dataset(root)

    monkeypatch.setattr(diskcache, "load_dataset", counted)
    return seen


def entries(folder: Path) -> list[Path]:
    diskcache.settle()  # entries are written in the background
    return sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []


def assert_same(got: Dataset, fresh: Dataset) -> None:
    assert got.tables.keys() == fresh.tables.keys()
    for name, frame in fresh.tables.items():
        pd.testing.assert_frame_equal(got.tables[name], frame, check_dtype=True, check_exact=True)
    assert got.report.lines() == fresh.report.lines()
    assert got.report.rows == fresh.report.rows
    assert got.fingerprint == fresh.fingerprint
    assert (got.schema, got.version, got.counts) == (fresh.schema, fresh.version, fresh.counts)
    assert got.geo_files == fresh.geo_files
    assert got.quote_checks == fresh.quote_checks
    assert got.map_layers is not None and fresh.map_layers is not None
    assert got.map_layers.courses == fresh.map_layers.courses
    assert (got.map_layers.basemap_lon, got.map_layers.countries) == (
        fresh.map_layers.basemap_lon,
        fresh.map_layers.countries,
    )
    pd.testing.assert_frame_equal(got.map_layers.places, fresh.map_layers.places, check_exact=True)


def test_a_second_load_comes_from_the_cache_and_equals_a_fresh_one(root, folder, loads):
    first = load_cached(root)
    assert len(entries(folder)) == 1
    second = load_cached(root)
    assert loads == [root.path]  # the second came from disk
    fresh = load_dataset(root)
    assert_same(second, fresh)
    assert_same(first, fresh)
    # Worked out again on first use, as after a fresh load (nothing of it was stored).
    assert "search" not in second.__dict__ and "selection" not in second.__dict__
    assert list(second.search.haystacks("events")) == list(fresh.search.haystacks("events"))


def test_a_cached_report_says_exactly_what_validate_says(root, folder, loads):
    text = (root.data / "events.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[3] = lines[3].replace(",", ",  ", 1)  # a cell with leading spaces
    (root.data / "events.csv").write_text("\n".join(lines), encoding="utf-8")
    (root.seeds / "stray.txt").write_text("cited by nothing\n", encoding="utf-8")
    expected = validate(root).lines()
    assert len(expected) >= 2
    load_cached(root)
    cached = load_cached(root)
    assert len(loads) == 1
    assert cached.report.lines() == expected


def test_any_edit_to_a_data_file_misses(root, folder, loads):
    load_cached(root)
    with open(root.data / "README.md", "a", encoding="utf-8") as f:
        f.write("\n")
    edited = load_cached(root)
    assert len(loads) == 2
    assert edited.fingerprint == load_dataset(root).fingerprint
    assert len(entries(folder)) == 2


def test_another_code_version_misses(root, folder, loads, monkeypatch):
    load_cached(root)
    monkeypatch.setattr(diskcache, "code_version", lambda: "another version")
    load_cached(root)
    load_cached(root)
    assert len(loads) == 2


def test_the_code_version_covers_the_package_and_the_libraries():
    diskcache.code_version.cache_clear()
    try:
        assert len(diskcache.code_version()) == 64
        assert diskcache.code_version() == diskcache.code_version()
    finally:
        diskcache.code_version.cache_clear()
    assert {"pandas", "numpy", "pyarrow", "geopandas", "shapely", "pyogrio"} <= set(diskcache.LIBRARIES)


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "garbage"])
def test_a_damaged_entry_is_ignored_and_written_again(root, folder, loads, damage):
    load_cached(root)
    (path,) = entries(folder)
    raw = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "flipped":
        middle = len(raw) // 2
        path.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0xFF]) + raw[middle + 1 :])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(b"not a cache entry at all")
    again = load_cached(root)
    assert len(loads) == 2
    assert_same(again, load_dataset(root))
    diskcache.settle()
    assert path.read_bytes() == raw  # written again, whole
    load_cached(root)
    assert len(loads) == 2


def test_an_unwritable_cache_folder_still_loads(root, tmp_path, monkeypatch, loads):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocked / "cache"))
    first = load_cached(root)
    second = load_cached(root)
    assert len(loads) == 2
    assert_same(second, first)


def test_off_turns_the_cache_off(root, tmp_path, monkeypatch, loads):
    monkeypatch.setenv(CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() is None
    load_cached(root)
    load_cached(root)
    assert len(loads) == 2
    assert not (tmp_path / "xdg").exists()


def test_the_default_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "routestatus"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "routestatus"


def test_only_the_newest_entries_are_kept(root, folder, monkeypatch):
    data = load_dataset(root)
    monkeypatch.setattr(diskcache, "load_dataset", lambda root: data)
    for version in range(KEEP + 3):
        monkeypatch.setattr(diskcache, "code_version", lambda v=version: f"version {v}")
        load_cached(root)
        assert len(entries(folder)) == min(version + 1, KEEP)
    # The last ones written are the ones kept.
    kept = {p.name for p in entries(folder)}
    newest = {f"{diskcache.entry_key(data.fingerprint)}{SUFFIX}"}
    assert newest <= kept


def test_a_dataset_with_its_indexes_worked_out_is_stored_without_them(root, folder, loads):
    data = load_dataset(root)
    data.search.haystacks("events")  # the index holds a lock, which could not be pickled
    diskcache._write(folder, folder / f"x{SUFFIX}", "x", data)
    again = diskcache._read(folder / f"x{SUFFIX}", "x")
    assert again is not None and "search" not in again.__dict__
    assert diskcache._read(folder / f"x{SUFFIX}", "y") is None  # another key's entry is not served


def test_a_load_that_depends_on_more_than_its_files_is_not_stored(root, folder):
    data = load_dataset(root)
    assert diskcache.reusable(root, data)
    broken = Dataset(data.tables, validate(root), map_layers=data.map_layers, counts=data.counts)
    broken.report.problems.append(Problem("(validate)", 0, "-", "OSError: busy", "no internal error"))
    assert not diskcache.reusable(root, broken)
    without_map = Dataset(data.tables, data.report, counts=data.counts)
    assert not diskcache.reusable(root, without_map)
    sources = data.tables["sources"].copy()
    sources.loc[0, "archived_copy"] = "../elsewhere.txt"
    outside = Dataset({**data.tables, "sources": sources}, data.report, map_layers=data.map_layers)
    assert not diskcache.reusable(root, outside)


# A start served from the cache draws every page; the GIS libraries must still be absent, and a
# snapshot must still load them. Run in a fresh interpreter, as this one has imported them.
PAGES_FROM_CACHE = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
for page in ("pages/app/map.py", "pages/app/timeline.py", "pages/app/statements.py", "pages/app/sources.py"):
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
heavy = ("geopandas", "pyogrio", "shapely", "pyproj")
print(" ".join(m for m in heavy if m in sys.modules) or "-")
from routestatus.diskcache import load_cached
from routestatus.paths import resolve_root
from routestatus.snapshot import snapshot_zip
from routestatus.status import build_intervals
from routestatus.view import View
data = load_cached(resolve_root())
snapshot_zip(View.default(data, build_intervals(data.tables["events"])))
print(" ".join(m for m in heavy if m in sys.modules) or "-")
"""


def test_a_start_from_the_cache_loads_no_gis_library_until_a_snapshot(folder):
    load_cached(resolve_root())
    dashboard = Path(__file__).resolve().parents[1] / "dashboard.py"
    done = subprocess.run(
        [sys.executable, "-c", PAGES_FROM_CACHE, str(dashboard)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, CACHE_ENV: str(folder)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    before, after = done.stdout.strip().splitlines()[-2:]
    assert before == "-"
    assert after == "geopandas pyogrio shapely pyproj"


WRITE_AND_EXIT = """
import sys
from routestatus.diskcache import load_cached
from routestatus.paths import resolve_root
load_cached(resolve_root())
sys.exit(0)  # at once: the entry's thread must still finish it
"""


def test_an_entry_written_in_the_background_is_whole_when_the_process_ends_at_once(folder):
    done = subprocess.run(
        [sys.executable, "-c", WRITE_AND_EXIT],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, CACHE_ENV: str(folder)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (path,) = entries(folder)
    key = path.name.removesuffix(SUFFIX)
    again = diskcache._read(path, key)
    assert again is not None
    assert_same(again, load_dataset(resolve_root()))
    assert not list(folder.glob(".tmp-*"))
