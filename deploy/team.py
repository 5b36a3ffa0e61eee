"""Serve routestatus to a team: several Streamlit replicas on 127.0.0.1 behind nginx.

``python deploy/team.py serve`` (what ``make serve-team`` runs) starts the replicas and an nginx
of its own in the foreground and stops them all on Ctrl-C. ``python deploy/team.py site``
prints the nginx site for Debian's nginx package. Both fill in the one template,
``deploy/nginx/routestatus.conf.in``; every replica takes its settings from
``deploy/replica.env`` and the shared cookie secret from the environment. The proxy tests
(tests/test_proxy.py) run this same code. See docs/serving.md.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html.parser
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
PROJECT = DEPLOY.parent
TEMPLATE = DEPLOY / "nginx" / "routestatus.conf.in"
REPLICA_ENV = DEPLOY / "replica.env"
LOCAL = DEPLOY / "local"
SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
SECRET_FILE = LOCAL / "cookie-secret"
HTPASSWD = LOCAL / "htpasswd"
AFFINITY_COOKIE = "routestatus_replica"
NGINX = os.environ.get("NGINX_PATH") or "/usr/sbin/nginx"
START_TIMEOUT = 90  # seconds for a replica to answer its health check on a busy 2-core machine


def _shown(path: Path) -> str:
    """``path`` as typed from the project folder, where ``make serve-team`` runs."""
    path = path.absolute()
    return str(path.relative_to(PROJECT)) if path.is_relative_to(PROJECT) else str(path)


def make_password_command(path: Path = HTPASSWD) -> str:
    """The command that adds a user (named as the login, with a password typed twice) to ``path``.

    ``openssl passwd -apr1`` writes the same Apache MD5 hash as ``htpasswd`` from
    apache2-utils, which nginx reads; openssl is on every Debian machine.
    """
    return f'printf \'%s:%s\\n\' "$(id -un)" "$(openssl passwd -apr1)" >> {_shown(path)}'


def make_secret_command(path: Path = SECRET_FILE) -> str:
    """The command that writes a new random cookie secret to ``path``."""
    return f"(umask 077 && openssl rand -hex 32 > {_shown(path)})"


class Refused(Exception):
    """A reason not to start, worded for the person who typed the command."""


# --- the configuration ------------------------------------------------------------------------


class _InlineScripts(html.parser.HTMLParser):
    """Collects the text of every ``<script>`` without a ``src``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not dict(attrs).get("src"):
            self._inside = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.scripts[-1] += data


def inline_script_hashes(index_html: Path | None = None) -> list[str]:
    """CSP source expressions (``'sha256-…'``) for the inline scripts of Streamlit's index.html.

    Streamlit's page carries one small inline script. Allowing it by its hash, taken from the
    installed Streamlit, keeps ``'unsafe-inline'`` out of ``script-src``; a Streamlit upgrade
    that changes the script needs the site rendered again (the proxy tests would fail first).
    """
    if index_html is None:
        import streamlit

        index_html = Path(streamlit.__file__).parent / "static" / "index.html"
    parser = _InlineScripts()
    parser.feed(index_html.read_text(encoding="utf-8"))
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'"
        for s in parser.scripts
    ]


def content_security_policy(index_html: Path | None = None) -> str:
    """The Content-Security-Policy the dashboard works under: its own origin only.

    Each source beyond ``'self'`` is one the page was seen to need in headless Chromium (a
    violation is reported without it): the inline script of Streamlit's index.html, by its
    hash; WebAssembly compilation; inline ``<style>`` elements, which Streamlit's front end
    adds as it draws; ``data:`` images and fonts. ``connect-src 'self'`` covers the WebSocket
    to this same origin. ``frame-ancestors 'none'`` forbids framing by any site.
    """
    # 'wasm-unsafe-eval' lets the page compile WebAssembly (Streamlit's bundles for protobuf
    # and the Plotly chart do; Chromium reports a violation without it). It does not allow
    # eval() of JavaScript.
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *inline_script_hashes(index_html)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


# The TLS part of the Debian site. The certificate paths are placeholders: put your own there
# (your CA's, or certbot's under /etc/letsencrypt/live/<name>/).
TLS = """\
    ssl_certificate     /etc/ssl/certs/routestatus.crt;      # placeholder: your certificate chain
    ssl_certificate_key /etc/ssl/private/routestatus.key;    # placeholder: its private key
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers off;
    ssl_session_timeout 1d;
    ssl_session_cache shared:routestatus:10m;
"""
HSTS = '    add_header Strict-Transport-Security "max-age=31536000" always;\n'
REDIRECT = """\
# Plain HTTP only redirects to HTTPS: a password must never cross the network in clear.
server {
    listen 80;
    listen [::]:80;
    server_name @SERVER_NAME@;
    return 301 https://$host$request_uri;
}
"""


def render_site(
    ports: list[int],
    *,
    htpasswd: str,
    access_log: str,
    listen: str | None = None,
    server_name: str = "_",
    tls: bool = True,
    index_html: Path | None = None,
) -> str:
    """The nginx site (for the http {} block) in front of replicas on 127.0.0.1 at ``ports``.

    With ``tls`` (the Debian site) it listens on 443 with certificate placeholders, sends
    HSTS and redirects port 80; without (a local trial on loopback) it listens on ``listen``.
    """
    if not ports:
        raise ValueError("at least one replica port")
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)
    if tls:
        listen_lines = "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;"
    else:
        listen_lines = f"    listen {listen or '127.0.0.1:8080'};"
    fields = {
        "@UPSTREAM_SERVERS@": servers,
        "@REDIRECT_SERVER@": REDIRECT if tls else "",
        "@LISTEN@": listen_lines,
        "@TLS@": TLS if tls else "",
        "@HSTS@": HSTS if tls else "",
        "@COOKIE_SECURE@": "; Secure" if tls else "",
        "@CSP@": content_security_policy(index_html),
        "@HTPASSWD@": htpasswd,
        "@ACCESS_LOG@": access_log,
        "@SERVER_NAME@": server_name,
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in fields.items():
        text = text.replace(name, value)
    left = [w for w in text.split() if w.startswith("@") and w.endswith("@") and len(w) > 2]
    if left:
        raise ValueError(f"template fields left unfilled: {', '.join(left)}")
    return text


def render_standalone(prefix: Path, ports: list[int], listen: str, htpasswd: Path) -> str:
    """A whole nginx.conf for an nginx of its own, on a high port, whose files all live in ``prefix``.

    The same site as :func:`render_site` without TLS, wrapped in the few main-level settings
    an nginx started with ``-p prefix -c prefix/nginx.conf`` needs: its pid file, logs and
    temporary folders under ``prefix``, never the system service's.
    """
    site = render_site(ports, htpasswd=str(htpasswd), access_log=str(prefix / "access.log"), listen=listen, tls=False)
    # Started as root, nginx runs its workers as another user, which must read the password file.
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {name}_temp_path {prefix / 'temp' / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} notice;\n"
        "events {\n    worker_connections 1024;\n}\n"
        "http {\n"
        f"{temp}\n"
        "    server_tokens off;\n"
        f"{site}"
        "}\n"
    )


def replica_settings(path: Path = REPLICA_ENV) -> dict[str, str]:
    """The variables of ``deploy/replica.env`` (KEY=VALUE lines; # starts a comment)."""
    settings = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{path}:{number}: expected KEY=VALUE, got {line!r}")
        settings[key.strip()] = value.strip()
    return settings


def replica_environment(secret: str, root: Path | None = None, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of one replica: ``base`` (this process's), replica.env, the cookie secret, the data root."""
    env = {**(os.environ if base is None else base), **replica_settings(), SECRET_ENV: secret}
    if root is not None:
        env["ROUTESTATUS_ROOT"] = str(root)
    return env


def replica_command(port: int, python: str = sys.executable) -> list[str]:
    """The command of the replica on 127.0.0.1:``port`` (as systemd's ``ExecStart``)."""
    return [python, "dashboard.py", "--server.port", str(port)]


# --- checks before starting ---------------------------------------------------------------


def cookie_secret(path: Path = SECRET_FILE) -> str:
    """The shared secret: ``$STREAMLIT_SERVER_COOKIE_SECRET``, else the first line of ``path``."""
    secret = os.environ.get(SECRET_ENV, "").strip()
    if not secret and path.is_file():
        secret = path.read_text(encoding="utf-8").strip()
    if not secret:
        raise Refused(f"no cookie secret: set {SECRET_ENV}, or make {_shown(path)} with: {make_secret_command(path)}")
    if len(secret) < 32:
        raise Refused(
            f"the cookie secret has {len(secret)} characters, fewer than 32; make a new one with: "
            f"{make_secret_command(path)}"
        )
    return secret


def password_file(path: Path = HTPASSWD) -> Path:
    """The password file, checked to hold at least one ``name:hash`` line and nothing else."""
    if not path.is_file():
        raise Refused(f"no password file at {_shown(path)}; add a user with: {make_password_command(path)}")
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    bad = [ln for ln in lines if not all(part.strip() for part in ln.partition(":")[::2])]
    if not lines or bad:
        raise Refused(f"{_shown(path)} holds no user as name:hash; add one with: {make_password_command(path)}")
    return path


def nginx_binary() -> str:
    """The nginx to run, or a reason to stop."""
    found = shutil.which(NGINX)
    if found is None:
        raise Refused(f"no nginx at {NGINX}; install it with: apt-get install nginx (or set NGINX_PATH)")
    return found


def port_is_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:``port`` yet."""
    with socket.socket() as s:
        # Connections closed a moment ago (TIME_WAIT) do not keep a server from listening.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# --- the processes --------------------------------------------------------------------------


@dataclass
class Nginx:
    """An nginx of its own: config, pid file, logs and temporary files in ``prefix``."""

    prefix: Path
    port: int
    process: subprocess.Popen

    @property
    def access_log(self) -> Path:
        """Its access log: one line per request with the replica that answered."""
        return self.prefix / "access.log"

    @property
    def error_log(self) -> Path:
        """Its error log."""
        return self.prefix / "error.log"

    def stop(self) -> None:
        """Stop this nginx by its own process id (SIGQUIT: finish the requests under way, then exit)."""
        stop_process(self.process, signal.SIGQUIT)

    def remove(self) -> None:
        """Delete its folder (config, copy of the password file, logs); only once it has stopped."""
        if self.process.poll() is not None:
            shutil.rmtree(self.prefix, ignore_errors=True)


def stop_process(process: subprocess.Popen, first: int = signal.SIGTERM, wait: float = 10) -> None:
    """Stop one process by its id: ``first``, then SIGKILL if it has not exited within ``wait`` s."""
    if process.poll() is not None:
        return
    process.send_signal(first)
    try:
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=wait)


def start_nginx(ports: list[int], port: int, htpasswd: Path, listen_host: str = "127.0.0.1") -> Nginx:
    """Start nginx in the foreground (``daemon off``) on ``listen_host:port`` in front of ``ports``.

    Its files live in a new folder of the system's temporary directory (``Nginx.prefix``;
    :meth:`Nginx.remove` deletes it). The password file is copied there: started as root,
    nginx reads it from its workers, which run as ``nobody`` and could not enter a private
    folder such as a test's. The config is checked with ``nginx -t`` first, so a mistake is
    reported as nginx words it.
    """
    binary = nginx_binary()
    prefix = Path(tempfile.mkdtemp(prefix="routestatus-nginx-"))
    (prefix / "temp").mkdir()
    prefix.chmod(0o711)  # enter, not list
    secret = prefix / "htpasswd"
    shutil.copyfile(htpasswd, secret)
    if os.geteuid() == 0:
        shutil.chown(secret, group="nogroup")
    secret.chmod(0o640)
    conf = prefix / "nginx.conf"
    conf.write_text(render_standalone(prefix, ports, f"{listen_host}:{port}", secret), encoding="utf-8")
    command = [binary, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)]
    check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    if check.returncode != 0:
        raise Refused(f"nginx refused its configuration ({conf}): {check.stderr.strip()}")
    with open(prefix / "nginx.out", "wb") as out:
        process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while True:
        if process.poll() is not None:
            raise Refused(f"nginx exited with status {process.returncode}: {_tail(prefix / 'error.log')}")
        try:
            with socket.create_connection((listen_host, port), timeout=1):
                return Nginx(prefix, port, process)
        except OSError:
            if time.monotonic() > deadline:
                stop_process(process)
                raise Refused(f"nginx did not listen on {listen_host}:{port} within 10 s") from None
            time.sleep(0.05)


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return " | ".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class Replica:
    """One ``python dashboard.py`` on 127.0.0.1:``port``."""

    port: int
    process: subprocess.Popen
    log: Path

    def healthy(self) -> bool:
        """Whether it answers ``/_stcore/health`` with 200."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False


def start_replicas(ports: list[int], secret: str, logs: Path, root: Path | None = None) -> list[Replica]:
    """Start one replica per port, all at once, and wait until each is healthy."""
    env = replica_environment(secret, root)
    replicas = []
    for port in ports:
        log = logs / f"replica-{port}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                replica_command(port), cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        replicas.append(Replica(port, process, log))
    deadline = time.monotonic() + START_TIMEOUT
    waiting = list(replicas)
    while waiting:
        for replica in list(waiting):
            if replica.process.poll() is not None:
                for other in replicas:
                    stop_process(other.process)
                raise Refused(f"the replica on port {replica.port} exited: {_tail(replica.log)}")
            if replica.healthy():
                waiting.remove(replica)
        if waiting and time.monotonic() > deadline:
            for other in replicas:
                stop_process(other.process)
            raise Refused(f"replicas on ports {[r.port for r in waiting]} not healthy within {START_TIMEOUT} s")
        time.sleep(0.2)
    return replicas


@dataclass
class Team:
    """Replicas and the nginx in front of them, stopped together."""

    replicas: list[Replica]
    nginx: Nginx
    logs: Path

    def stop(self) -> None:
        """Stop nginx, then each replica, each by its own process id; delete nginx's folder."""
        self.nginx.stop()
        for replica in self.replicas:
            stop_process(replica.process)
        self.nginx.remove()


def serve(replicas: int, port: int, htpasswd: Path = HTPASSWD, secret_file: Path = SECRET_FILE) -> int:
    """``make serve-team``: run the team in the foreground until Ctrl-C or a process dies.

    nginx listens on 127.0.0.1 only: this is plain HTTP, and a password must not cross a
    network in clear (the Debian site, with TLS, is for that).
    """
    secret = cookie_secret(secret_file)
    htpasswd = password_file(htpasswd)
    nginx_binary()
    if replicas < 1:
        raise Refused(f"REPLICAS must be 1 or more, not {replicas}")
    ports = [port + 1 + i for i in range(replicas)]
    busy = [p for p in [port, *ports] if not port_is_free(p)]
    if busy:
        raise Refused(f"port(s) {', '.join(map(str, busy))} already in use on 127.0.0.1; choose another PORT")
    logs = Path(tempfile.mkdtemp(prefix="routestatus-team-"))
    print(f"Starting {replicas} replica(s) on 127.0.0.1:{', '.join(map(str, ports))} (logs in {logs}) …", flush=True)
    started = start_replicas(ports, secret, logs)
    try:
        nginx = start_nginx(ports, port, htpasswd)
    except Refused:
        for replica in started:
            stop_process(replica.process)
        raise
    team = Team(started, nginx, logs)
    print(
        f"routestatus is served at http://127.0.0.1:{port}/ to the users in {_shown(htpasswd)}.\n"
        f"nginx's access log: {nginx.access_log}. Press Ctrl-C to stop the proxy and the replicas.",
        flush=True,
    )

    def on_signal(number, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    # Set here, not left to Python: a process started from a shell's background job inherits
    # SIGINT ignored, and Python then leaves it so. A Ctrl-C sent to the group would stop nginx
    # and the replicas but not this loop, which would report nginx's exit as a fault.
    signal.signal(signal.SIGINT, on_signal)
    status = 0
    try:
        while True:
            dead = [r for r in started if r.process.poll() is not None]
            if nginx.process.poll() is not None:
                print(f"error: nginx exited: {_tail(nginx.error_log)}", file=sys.stderr)
                status = 1
                break
            if dead:
                print(f"error: the replica on port {dead[0].port} exited: {_tail(dead[0].log)}", file=sys.stderr)
                status = 1
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping …", flush=True)
    finally:
        team.stop()
    return status


def main(argv: list[str] | None = None) -> int:
    """Command line: ``serve`` (the foreground team) or ``site`` (print the Debian nginx site)."""
    parser = argparse.ArgumentParser(prog="deploy/team.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("serve", help="start the replicas and nginx on 127.0.0.1:PORT, in the foreground")
    run.add_argument("--replicas", type=int, default=2)
    run.add_argument("--port", type=int, default=8080)
    run.add_argument("--htpasswd", type=Path, default=HTPASSWD, help=f"password file (default {_shown(HTPASSWD)})")
    run.add_argument(
        "--secret-file",
        type=Path,
        default=SECRET_FILE,
        help=f"cookie secret, when {SECRET_ENV} is not set (default {_shown(SECRET_FILE)})",
    )
    site = sub.add_parser("site", help="print the nginx site for Debian's nginx (TLS on 443)")
    site.add_argument("--ports", default="8501,8502", help="the replicas' ports, comma-separated")
    site.add_argument("--server-name", default="routestatus.example.org")
    site.add_argument("--htpasswd", default="/etc/nginx/routestatus.htpasswd")
    site.add_argument("--access-log", default="/var/log/nginx/routestatus.access.log")
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            return serve(args.replicas, args.port, args.htpasswd, args.secret_file)
        ports = [int(p) for p in args.ports.split(",") if p.strip()]
        sys.stdout.write(
            render_site(ports, htpasswd=args.htpasswd, access_log=args.access_log, server_name=args.server_name)
        )
        return 0
    except Refused as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    except ValueError as bad:
        print(f"error: {bad}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
