"""Where the project's files live.

A *root* is a folder holding ``data/``, ``geo/`` and ``seeds/``. The default root is the
project checkout; ``ROUTESTATUS_ROOT`` (or ``--root`` on the command line) points the
dashboard and the command line at another one, such as a fixture copy used by tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ROOT_ENV = "ROUTESTATUS_ROOT"


@dataclass(frozen=True)
class Root:
    """The three folders the project reads, resolved from one root folder."""

    path: Path

    @property
    def data(self) -> Path:
        """The curated tables."""
        return self.path / "data"

    @property
    def geo(self) -> Path:
        """The map layers."""
        return self.path / "geo"

    @property
    def seeds(self) -> Path:
        """The archived source texts."""
        return self.path / "seeds"

    @property
    def datapackage(self) -> Path:
        """The Frictionless descriptor of the tables."""
        return self.data / "datapackage.json"

    def rel(self, path: Path) -> str:
        """Return ``path`` relative to the root, with forward slashes, for messages."""
        try:
            return path.resolve().relative_to(self.path.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def resolve_root(explicit: str | os.PathLike[str] | None = None) -> Root:
    """Pick the root: an explicit argument, else ``$ROUTESTATUS_ROOT``, else the checkout."""
    chosen = explicit or os.environ.get(ROOT_ENV) or PROJECT_ROOT
    return Root(Path(chosen).resolve())
