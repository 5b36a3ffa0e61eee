"""How many readers a replica serves: rerun times through nginx at 10, 40 and 80 sessions.

Starts two replicas and nginx as ``make serve-team`` does (deploy/team.py), then, for each
number of sessions, opens that many tabs through the proxy with the WebSocket client of the
tests (tests/serving.py), each with its own link, and has every tab change page a few times
(Map, Timeline, Statements, Sources & method, in turn, as the sidebar's links do). A rerun's
time is from the request to the script's end, as the tab receives it.

Two loads: ``burst``, every tab rerunning again as soon as its last rerun ends (all readers
clicking at once, the worst case), and ``paced``, each tab pausing a random 0–THINK s
between reruns (readers reading between clicks). Memory is each replica's resident set
with the sessions open. The figures are for the machine it runs on; docs/serving.md gives
those of the project's 2-core machine.

    .venv/bin/python deploy/measure.py [--sessions 10,40,80] [--reruns 4] [--think 10] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:  # run as a script: the project's packages by their names
    sys.path.insert(0, str(PROJECT))

from deploy import team  # noqa: E402
from tests.serving import open_session  # noqa: E402

PAGES = ["", "status-timeline", "road-statements", "method"]
ROADS = ("lachin", "aghdam_askeran")


def _rss_kib(pid: int) -> tuple[int, int]:
    """A process's resident set and its peak, in KiB (from /proc)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def _view(i: int) -> dict[str, str]:
    """Tab ``i``'s own link: a range of its own, one road or both."""
    start = dt.date(2020, 11, 11) + dt.timedelta(days=(37 * i) % 1200)
    end = start + dt.timedelta(days=30 + (11 * i) % 300)
    query = {"from": str(start), "to": str(end)}
    if i % 3:
        query["roads"] = ROADS[i % 2]
    return query


class Proxy:
    """What the client needs of the proxy: its port."""

    def __init__(self, port: int) -> None:
        self.port = port


def _load_page(port: int, authorization: str) -> str:
    """The page through the proxy, as the address bar loads it; returns the affinity cookie."""
    import urllib.request
    from http.cookies import SimpleCookie

    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Authorization": authorization})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        jar = SimpleCookie()
        jar.load(response.headers.get("Set-Cookie", ""))
        return jar[team.AFFINITY_COOKIE].value


async def _level(port: int, authorization: str, sessions: int, reruns: int, think: float, seed: int) -> dict:
    """Open ``sessions`` tabs, time their reruns; return the times and where each tab lived."""
    rng = random.Random(seed)
    cookies = [await asyncio.to_thread(_load_page, port, authorization) for _ in range(sessions)]
    opened = asyncio.Event()
    ready = []
    times: list[float] = []
    firsts: list[float] = []
    failures: list[str] = []

    async def tab(i: int, session) -> None:
        began = time.perf_counter()
        run = await session.run("", **_view(i))
        firsts.append(time.perf_counter() - began)
        if run.finished != "FINISHED_SUCCESSFULLY" or run.exceptions:
            failures.append(f"tab {i} first run: {run.finished} {run.exceptions}")
        ready.append(i)
        if len(ready) == sessions:
            opened.set()
        await opened.wait()  # every tab open before any timed rerun
        for turn in range(reruns):
            if think:
                await asyncio.sleep(rng.uniform(0, think))
            began = time.perf_counter()
            run = await session.run(PAGES[(turn + 1 + i) % len(PAGES)])
            times.append(time.perf_counter() - began)
            if run.finished != "FINISHED_SUCCESSFULLY" or run.exceptions:
                failures.append(f"tab {i} rerun {turn}: {run.finished} {run.exceptions}")

    async with contextlib.AsyncExitStack() as stack:
        # The WebSockets are opened one after another first: opened all at once, while the
        # replicas are busy with the first runs, a handshake can pass the client's timeout.
        opened_sessions = []
        for cookie in cookies:
            headers = {
                "Authorization": authorization,
                "Cookie": f"{team.AFFINITY_COOKIE}={cookie}",
                "Origin": f"http://127.0.0.1:{port}",
            }
            opened_sessions.append(await stack.enter_async_context(open_session(Proxy(port), headers)))
        began = time.perf_counter()
        await asyncio.gather(*(tab(i, s) for i, s in enumerate(opened_sessions)))
    return {
        "times": times,
        "firsts": firsts,
        "failures": failures,
        "cookies": cookies,
        "wall": time.perf_counter() - began,
    }


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    """Run the measurement; print a table and write the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="10,40,80")
    parser.add_argument("--reruns", type=int, default=4)
    parser.add_argument("--think", type=float, default=10.0, help="the paced load's longest pause, s")
    parser.add_argument("--loads", default="burst,paced")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.sessions.split(",")]

    work = Path(tempfile.mkdtemp(prefix="routestatus-measure-"))
    password = secrets.token_urlsafe(12)
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", "-stdin"], input=password, capture_output=True, text=True, check=True
    ).stdout.strip()
    (work / "htpasswd").write_text(f"measure:{hashed}\n", encoding="utf-8")
    import base64

    authorization = "Basic " + base64.b64encode(f"measure:{password}".encode()).decode()
    ports = [team_port() for _ in range(2)]
    replicas = team.start_replicas(ports, secrets.token_hex(32), work)
    nginx = team.start_nginx(ports, team_port(), work / "htpasswd")
    results = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, {platform.system()}, Python {platform.python_version()}",
        "reruns_per_session": args.reruns,
        "think_max_s": args.think,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "replicas_rss_mib_idle": [round(_rss_kib(r.process.pid)[0] / 1024) for r in replicas],
        "levels": [],
    }
    try:
        for load in args.loads.split(","):
            for n in levels:
                before = os.getloadavg()[0]
                try:
                    got = asyncio.run(
                        _level(nginx.port, authorization, n, args.reruns, args.think if load == "paced" else 0, n)
                    )
                except Exception as error:  # a level that fails is reported, and the others still run
                    print(json.dumps({"load": load, "sessions": n, "error": repr(error)}), flush=True)
                    results["levels"].append({"load": load, "sessions": n, "failures": [repr(error)]})
                    continue
                rss = [_rss_kib(r.process.pid) for r in replicas]
                time.sleep(0.5)  # nginx logs a WebSocket once it has closed
                placed = _placement(nginx, got["cookies"], ports)
                row = {
                    "load": load,
                    "sessions": n,
                    "sessions_per_replica": placed,
                    "reruns": len(got["times"]),
                    "median_s": round(statistics.median(got["times"]), 3),
                    "p90_s": round(_quantile(got["times"], 0.9), 3),
                    "max_s": round(max(got["times"]), 3),
                    "first_run_median_s": round(statistics.median(got["firsts"]), 3),
                    "rss_mib": [round(r[0] / 1024) for r in rss],
                    "peak_rss_mib": [round(r[1] / 1024) for r in rss],
                    "load_average_1min": [round(before, 2), round(os.getloadavg()[0], 2)],
                    "failures": got["failures"][:5],
                    "wall_s": round(got["wall"], 1),
                }
                results["levels"].append(row)
                print(json.dumps(row), flush=True)
    finally:
        nginx.stop()
        for replica in replicas:
            team.stop_process(replica.process)
        nginx.remove()
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print()
    print("| load | sessions | per replica | median rerun | p90 | first run (median) | RSS per replica (MiB) |")
    print("|---|---|---|---|---|---|---|")
    for row in results["levels"]:
        if "median_s" not in row:
            print(f"| {row['load']} | {row['sessions']} | failed: {row['failures'][0]} |")
            continue
        print(
            f"| {row['load']} | {row['sessions']} | {' / '.join(map(str, row['sessions_per_replica']))} "
            f"| {row['median_s']:.2f} s | {row['p90_s']:.2f} s | {row['first_run_median_s']:.2f} s "
            f"| {' / '.join(map(str, row['rss_mib']))} |"
        )
    print(f"load average at the start {results['load_average_start']}, at the end {results['load_average_end']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 1 if any(row["failures"] for row in results["levels"]) else 0


def team_port() -> int:
    """A free port on 127.0.0.1."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _placement(nginx: team.Nginx, cookies: list[str], ports: list[int]) -> list[int]:
    """How many of the tabs (by their affinity cookie) each replica served."""
    wanted = set(cookies)
    where: dict[str, str] = {}
    for line in nginx.access_log.read_text(encoding="utf-8").splitlines():
        if "/_stcore/stream" not in line:
            continue
        key = line.rsplit("affinity=", 1)[-1]
        if key in wanted:
            where[key] = line.split("upstream=", 1)[1].split(" affinity=")[0].split(",")[-1].strip()
    return [sum(1 for v in where.values() if v.endswith(f":{p}")) for p in ports]


if __name__ == "__main__":
    sys.exit(main())
