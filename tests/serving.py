"""The real dashboard served by ``streamlit run``, for tests that need the server itself.

``start_server`` launches ``streamlit run dashboard.py`` on a free port of 127.0.0.1 with its
data read from a given folder and waits for ``/_stcore/health``. ``open_session`` talks to it
the way a browser tab does, over Streamlit's WebSocket with its own protobuf messages, which
lets a test hold many real sessions at once without the cost of a browser per session.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SERVER_START_TIMEOUT = 90  # seconds; a cold start on a slow machine imports pandas, plotly, geopandas
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Server:
    """A running ``streamlit run dashboard.py`` reading its data from ``root``."""

    root: Path
    port: int
    process: subprocess.Popen
    stdout: Path
    stderr: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str = "", **query: str) -> str:
        return self.base + path + (f"?{urlencode(query)}" if query else "")

    def stderr_text(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        """The end of what the server printed (Streamlit prints a script's traceback on stdout), uncoloured."""
        out = _ANSI.sub("", self.stdout.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(out.splitlines()[-lines:]) + "\n--- stderr ---\n" + self.stderr_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# How the server is started: as `make run` does (python dashboard.py), or by Streamlit's own
# command, which a reader may also type.
LAUNCHERS = {
    "make run": [sys.executable, "dashboard.py"],
    "streamlit run": [sys.executable, "-m", "streamlit", "run", "dashboard.py"],
}


def start_server(root: Path, logs: Path, launcher: str = "make run", env: dict[str, str] | None = None) -> Server:
    """Start the dashboard on ``root``'s data, logging to ``logs``; fail the test if it does not come up.

    ``env``, when given, is the server's whole environment (``ROUTESTATUS_ROOT`` is still set
    to ``root``), e.g. a replica's from deploy/replica.env.
    """
    port = _free_port()
    stdout, stderr = logs / f"streamlit-{port}.out", logs / f"streamlit-{port}.err"
    command = [
        *LAUNCHERS[launcher],
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    # cwd is the project, so its .streamlit/config.toml applies whatever folder the data comes from.
    env = {**(os.environ if env is None else env), "ROUTESTATUS_ROOT": str(root)}
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=out, stderr=err)
    server = Server(root, port, process, stdout, stderr)
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"streamlit exited with status {process.returncode} before it served {server.base}; "
                f"its output:\n{server.log_tail()}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(server.base + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(
                f"streamlit did not answer {server.base}_stcore/health within {SERVER_START_TIMEOUT} s; "
                f"its output:\n{server.log_tail()}",
                pytrace=False,
            )
        time.sleep(0.2)


# --- a session over the WebSocket -----------------------------------------------------------


@dataclass
class Run:
    """What one script run sent to its session: the elements worth reading, and how it ended."""

    headings: list[str] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)  # label -> value (the first of each label)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (format, body): error, warning, info, ...
    exceptions: list[str] = field(default_factory=list)
    query_string: str = ""
    finished: str = ""  # the ScriptFinishedStatus name


class Session:
    """One browser tab's conversation with the server, without the browser.

    A tab opens ``/_stcore/stream`` with the ``streamlit`` subprotocol and asks for a run with
    its address's page and query string; the server answers with the run's elements and a
    ``script_finished`` message. Only what the tests read is decoded.
    """

    def __init__(self, socket_) -> None:
        self.socket = socket_
        self.session_id = ""

    async def run(self, page: str = "", **query: str) -> Run:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        ask = BackMsg()
        ask.rerun_script.query_string = urlencode(query)
        ask.rerun_script.page_name = page
        await self.socket.send(ask.SerializeToString())
        run = Run()
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self.socket.recv())
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id or self.session_id
            elif kind == "page_info_changed":
                run.query_string = message.page_info_changed.query_string
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                _read_element(message.delta.new_element, run)
            elif kind == "script_finished":
                run.finished = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
                if message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return run


def _read_element(element, run: Run) -> None:
    kind = element.WhichOneof("type")
    if kind == "heading":
        run.headings.append(element.heading.body)
    elif kind == "metric":
        run.metrics.setdefault(element.metric.label, element.metric.body)
    elif kind == "alert":
        run.alerts.append((element.alert.Format.Name(element.alert.format), element.alert.body))
    elif kind == "exception":
        run.exceptions.append(f"{element.exception.type}: {element.exception.message}")


@contextlib.asynccontextmanager
async def open_session(server: Server, headers: dict[str, str] | None = None):
    """A new session on ``server``, as a new browser tab would open one (an async context manager).

    ``server`` is anything with a ``port`` on 127.0.0.1 (a reverse proxy too); ``headers`` are
    sent with the WebSocket's opening request, as a browser sends its cookies and credentials.
    """
    import websockets

    address = f"ws://127.0.0.1:{server.port}/_stcore/stream"
    extra = {}
    if headers:
        # websockets 14 made the new client the default and renamed the argument.
        new_client = int(websockets.__version__.split(".")[0]) >= 14
        extra["additional_headers" if new_client else "extra_headers"] = headers
    async with websockets.connect(address, subprotocols=["streamlit"], max_size=None, **extra) as socket_:
        yield Session(socket_)
