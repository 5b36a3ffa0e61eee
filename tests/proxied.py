"""Replicas of the dashboard behind a real nginx, for the proxy tests (tests/test_proxy.py).

The replicas are ``python dashboard.py`` started by tests/serving.py with the settings of
deploy/replica.env and one shared cookie secret; nginx runs the site of
deploy/nginx/routestatus.conf.in as deploy/team.py starts it for ``make serve-team``, on a free
loopback port, with a password file made by ``openssl passwd -apr1`` as docs/serving.md says.
A client here does what a browser tab does through the proxy: it loads the page with its
credentials, keeps the affinity cookie it is given, and opens the WebSocket with both.

nginx's access log names the replica that answered each request, which is how a test tells
where a session lives.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import shutil
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from deploy import team
from tests.serving import Server, open_session, start_server

REQUIRE_PROXY = os.environ.get("ROUTESTATUS_REQUIRE_PROXY") == "1"
USER = "reporter"


def what_is_missing() -> str | None:
    """Why the proxy tests cannot run here, or None when they can."""
    missing = []
    if shutil.which(team.NGINX) is None:
        missing.append(f"no nginx at {team.NGINX} (install it: apt-get install nginx, or set NGINX_PATH)")
    if shutil.which("openssl") is None:
        missing.append("no openssl to make the password file (apt-get install openssl)")
    return "; ".join(missing) or None


def make_password_file(path: Path, user: str, password: str) -> Path:
    """A password file with one user, made with ``openssl passwd -apr1`` as docs/serving.md says."""
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", "-stdin"], input=password, capture_output=True, text=True, check=True
    ).stdout.strip()
    path.write_text(f"{user}:{hashed}\n", encoding="utf-8")
    return path


# One line of the access log (log_format routestatus in the site template).
_LINE = re.compile(
    r'^(?P<addr>\S+) (?P<user>\S+) \[[^\]]+\] "(?P<method>\S+) (?P<path>\S+)[^"]*" (?P<status>\d+) \S+ \S+ '
    r"upstream=(?P<upstream>\S+(?:, \S+)*) affinity=(?P<key>\S+)$"
)


@dataclass(frozen=True)
class Logged:
    """One request as nginx logged it."""

    user: str
    method: str
    path: str
    status: int
    upstream: str  # "127.0.0.1:PORT", "-" when no replica was asked, or a list when one failed first
    key: str

    @property
    def replica_port(self) -> int | None:
        """The port of the replica that finally answered, or None."""
        last = self.upstream.split(",")[-1].strip()
        return int(last.rsplit(":", 1)[1]) if ":" in last else None


@dataclass
class Proxied:
    """Replicas, the nginx in front of them, and the one user allowed in."""

    replicas: list[Server]
    nginx: team.Nginx
    password: str
    logs: Path
    root: Path

    @property
    def port(self) -> int:
        """The proxy's port: what a reader's browser connects to."""
        return self.nginx.port

    @property
    def base(self) -> str:
        """The proxy's address."""
        return f"http://127.0.0.1:{self.port}/"

    def authorization(self, password: str | None = None) -> str:
        """The ``Authorization`` header of the user, with ``password`` (default: the right one)."""
        pair = f"{USER}:{self.password if password is None else password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def replica(self, port: int) -> Server:
        """The replica listening on ``port``."""
        return next(r for r in self.replicas if r.port == port)

    def log(self) -> list[Logged]:
        """Every request nginx has logged so far (a WebSocket is logged when it closes)."""
        text = self.nginx.access_log.read_text(encoding="utf-8", errors="replace")
        found = []
        for line in text.splitlines():
            m = _LINE.match(line)
            assert m, f"an access log line in an unexpected form: {line!r}"
            found.append(Logged(m["user"], m["method"], m["path"], int(m["status"]), m["upstream"], m["key"]))
        return found

    def replica_logs(self) -> str:
        """What each replica printed, for a failing assertion's message."""
        return "\n".join(f"=== replica {r.port} ===\n{r.log_tail(20)}" for r in self.replicas)

    def stop(self) -> None:
        """Stop nginx and every replica, each by its own process id."""
        self.nginx.stop()
        for replica in self.replicas:
            replica.stop()
        self.nginx.remove()


def start_proxied(tmp: Path, root: Path, replicas: int = 2) -> Proxied:
    """Start ``replicas`` replicas on ``root``'s data and nginx in front, all on free loopback ports."""
    logs = tmp / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    env = team.replica_environment(secret, root)
    started: list[Server] = []
    try:
        for _ in range(replicas):
            started.append(start_server(root, logs, env=env))
        password = secrets.token_urlsafe(12)
        htpasswd = make_password_file(tmp / "htpasswd", USER, password)
        nginx = team.start_nginx([s.port for s in started], team_port(), htpasswd)
    except BaseException:
        for server in started:
            server.stop()
        raise
    return Proxied(started, nginx, password, logs, root)


def team_port() -> int:
    """A free port on 127.0.0.1 for nginx."""
    from tests.serving import _free_port

    return _free_port()


@dataclass
class Answer:
    """An HTTP answer from the proxy."""

    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        """A header's value (the names are matched without regard to case)."""
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


def get(proxied: Proxied, path: str = "", headers: dict[str, str] | None = None) -> Answer:
    """GET ``path`` through the proxy with ``headers``; an error status is an answer too."""
    request = urllib.request.Request(proxied.base + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, dict(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers.items()), error.read())


@dataclass
class Tab:
    """A reader's tab through the proxy: its credentials and its affinity cookie."""

    proxied: Proxied
    cookie: str = ""  # the value of the affinity cookie, once the proxy gave it
    pages: list[Answer] = field(default_factory=list)

    def headers(self) -> dict[str, str]:
        """What the browser sends with each request: credentials, cookie, and its page's origin."""
        sent = {"Authorization": self.proxied.authorization(), "Origin": self.proxied.base.rstrip("/")}
        if self.cookie:
            sent["Cookie"] = f"{team.AFFINITY_COOKIE}={self.cookie}"
        return sent

    def load(self, path: str = "") -> Answer:
        """Load the page, as the address bar does, and keep the affinity cookie it sets."""
        answer = get(self.proxied, path, self.headers())
        given = answer.header("Set-Cookie")
        if given:
            jar = SimpleCookie()
            jar.load(given)
            if team.AFFINITY_COOKIE in jar:
                self.cookie = jar[team.AFFINITY_COOKIE].value
        self.pages.append(answer)
        return answer

    def session(self):
        """The tab's WebSocket session through the proxy (an async context manager)."""
        return open_session(self.proxied, self.headers())


def skip_or_fail_without_proxy() -> None:
    """Skip the calling test when nginx is missing, or fail it when the proxy is required."""
    missing = what_is_missing()
    if missing is None:
        return
    if REQUIRE_PROXY:
        pytest.fail(f"ROUTESTATUS_REQUIRE_PROXY=1 but {missing}", pytrace=False)
    pytest.skip(f"no reverse proxy to test: {missing}")
