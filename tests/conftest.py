import shutil
from pathlib import Path

import pytest

from routestatus.paths import PROJECT_ROOT, Root


@pytest.fixture
def root(tmp_path: Path) -> Root:
    """A private copy of the project's data/, geo/ and seeds/ that a test may damage."""
    for folder in ("data", "geo", "seeds"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    return Root(tmp_path)
