"""Refresh the README's screenshots: serve the app, open each page in headless Chromium.

Needs Debian's ``chromium`` (/usr/bin/chromium) and the ``browser`` extra (Playwright for
Python; no browser is downloaded). Run from the project root:
``.venv/bin/python docs/screenshots.py``.
"""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"map": "", "timeline": "status-timeline", "statements": "road-statements", "sources": "method"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for name, path in PAGES.items():
                page.goto(base + path)
                page.wait_for_selector("h1", timeout=30_000)
                page.wait_for_timeout(3_000)  # let the figures draw
                page.screenshot(path=ROOT / "docs" / f"{name}.png")
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
