"""One problem found in the project's files, printed as one line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """A fault at ``file:line:column``: what was found (``value``) and what was expected.

    ``line`` is the physical line in the file (1-based; 0 when the whole file is at fault).
    ``column`` is a column name for CSV, a property path for GeoJSON, or a character
    position for plain text.
    """

    file: str
    line: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: found {_show(self.value)}; expected {self.expected}"


def _show(value: str, limit: int = 80) -> str:
    """Quote a value for a one-line message: escapes control characters, cuts long text."""
    text = value.encode("unicode_escape").decode("ascii") if not value.isprintable() else value
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text) if value or text else "(blank)"
