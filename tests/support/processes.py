"""Processes in tests (and bench/): Python code in a fresh interpreter, a free port, waiting
until a server answers, and the processes a server started (from /proc, Linux)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import httpx

from tests.support.harness import api
from tests.support.paths import ROOT


def run_python(
    code: str, *, check: bool = True, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter from the repository root (the test process has
    imported everything already, so what a module loads is only seen in a new one)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=check,
        env=None if env is None else dict(env),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    """Until the server answers its health check. No deadline: a loaded machine may take its
    time to start a server, and one that never comes up makes pytest's timeout fail the test;
    one that exits fails it at once."""
    async with api(base) as client:
        while True:
            assert process.poll() is None, "the server process exited"
            try:
                if (await client.get("/api/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)


def _parents() -> dict[int, int]:
    """pid -> parent pid of every live process (zombies, ended but not reaped, left out)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended while we looked
        state, ppid = text.rsplit(")", 1)[1].split()[:2]
        if state != "Z":
            parents[int(stat.parent.name)] = int(ppid)
    return parents


def children(pid: int) -> dict[int, str]:
    """The live processes whose parent is `pid`: pid -> command line."""
    return {child: _cmdline(child) for child, ppid in _parents().items() if ppid == pid}


def descendants(pid: int) -> dict[int, str]:
    """Every live process below `pid` (children, their children, ...): pid -> command line.

    Read from /proc, so it sees the fork server's workers too, whose parent is not `pid`.
    """
    parents = _parents()
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                found[child] = _cmdline(child)
                frontier.append(child)
    return found


def worker_processes(server_pid: int) -> list[int]:
    """The worker processes of a Crosscheck server: the children of its fork server."""
    servers = [p for p, cmd in children(server_pid).items() if "multiprocessing.forkserver" in cmd]
    return [worker for fork_server in servers for worker in children(fork_server)]


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pids: Iterable[int]) -> list[int]:
    """The processes among `pids` that still run (a zombie does not)."""
    living = []
    for pid in pids:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.append(pid)
    return living
