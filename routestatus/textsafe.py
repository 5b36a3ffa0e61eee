"""Showing text from the data as text.

Quotes, summaries and titles come from the wider world. Streamlit renders Markdown (but
not raw HTML) in ``st.markdown`` and similar calls, so every character Markdown could read
as syntax is escaped, and links are only ever built from ``http``/``https`` URLs.
"""

from __future__ import annotations

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
