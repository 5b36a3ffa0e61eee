import shutil
from pathlib import Path

import pytest

from routestatus.load import Dataset, load_dataset
from routestatus.paths import PROJECT_ROOT, Root, resolve_root


@pytest.fixture(scope="session")
def data() -> Dataset:
    """The curated dataset, loaded once for every test module that reads it (none may change it)."""
    loaded = load_dataset(resolve_root())
    assert loaded.report.ok, loaded.report.lines()
    return loaded


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Dataset:
    """3,000 events made by the benchmarks' generator: month-precision and multi-day events, many places."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_generate", PROJECT_ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return load_dataset(Root(module.generate(tmp_path_factory.mktemp("gen") / "data", 3000, seed=3)))


@pytest.fixture
def root(tmp_path: Path) -> Root:
    """A private copy of the project's data/, geo/ and seeds/ that a test may damage."""
    for folder in ("data", "geo", "seeds"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    return Root(tmp_path)


@pytest.fixture(scope="session", autouse=True)
def _private_disk_cache(tmp_path_factory):
    """Every load the tests make caches in a temporary folder, never in the user's own cache."""
    patch = pytest.MonkeyPatch()
    patch.setenv("ROUTESTATUS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    yield
    patch.undo()
