"""Showing text from the data as text.

Quotes, summaries and titles come from the wider world. Streamlit renders Markdown (but
not raw HTML) in ``st.markdown`` and similar calls, so every character Markdown could read
as syntax is escaped, and links are only ever built from ``http``/``https`` URLs. Plotly
reads a few HTML tags (``<b>``, ``<a href>``, ``<br>``) in hover text, so data text bound
for a figure has ``&``, ``<`` and ``>`` turned into entities, which plotly shows as the
characters themselves.
"""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def md_escape(text: object) -> str:
    """Escape ``text`` so Markdown shows it literally (line breaks kept as breaks)."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return escaped.replace("\n", "  \n")


def safe_url(url: object) -> str | None:
    """The URL if it is http(s), else None (so ``javascript:`` and the like never become links)."""
    if isinstance(url, str) and re.match(r"https?://\S+$", url.strip()):
        return url.strip()
    return None


def plot_text(text: object) -> str:
    """``text`` for a plotly hover or label: shown as written, never read as a tag."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return html.escape(str(text), quote=False)
