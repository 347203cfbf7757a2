"""The benchmark's clients, in their own process: WebSocket and SSE readers, idle holders and
uploaders. The parent talks to the process through a pipe (`ClientProcess.run(job)`).

The module imports nothing from `server`, so the spawned process starts quickly and carries
none of the server's memory. A frame counts as received once `json.loads` has parsed it; its
receive time is `time.perf_counter_ns()` (CLOCK_MONOTONIC, the same clock as the server's stamp).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import resource
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any
from urllib.parse import urlsplit

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

Key = tuple[Any, ...]
CONNECT_AT_ONCE = 64  # handshakes in flight; more only fills the server's accept backlog


def frame_key(audit_id: str, frame_type: str, seq: Any, agent: Any, done: Any) -> Key | None:
    """What identifies a frame on both sides: (audit, seq) for log events, (audit, agent, done)
    for progress (done only increases per agent); heartbeats are not measured."""
    if seq is not None:
        return (audit_id, seq)
    if frame_type == "agent_progress":
        return (audit_id, str(agent), done)
    return None


def key_of_frame(frame: dict[str, Any]) -> Key | None:
    return frame_key(
        frame["audit_id"], frame["type"], frame.get("seq"), frame.get("agent"), frame.get("done")
    )


class ClientProcess:
    """One spawned process that runs client jobs for the parent, one job at a time."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_main, args=(child,), name="bench-clients")

    def __enter__(self) -> ClientProcess:
        self._process.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process.is_alive():
            with contextlib.suppress(BrokenPipeError, OSError):
                self._conn.send({"op": "quit"})
            self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)

    def run(
        self,
        job: dict[str, Any],
        on_ready: Callable[[dict[str, Any]], None] | None = None,
        timeout: float = 600,
    ) -> dict[str, Any]:
        """Send a job; call `on_ready` when the clients are connected; return the result."""
        self._conn.send(job)
        deadline = time.monotonic() + timeout
        while True:
            if not self._conn.poll(max(0.0, deadline - time.monotonic())):
                raise TimeoutError(f"client job {job['op']} gave no answer in {timeout:g} s")
            message: dict[str, Any] = self._conn.recv()
            if message["status"] == "ready":
                if on_ready is not None:
                    on_ready(message)
                continue
            if message["status"] == "error":
                raise RuntimeError(f"client job {job['op']} failed: {message['error']}")
            return message

    def release(self) -> None:
        """Let a `hold` job close its idle connections."""
        self._conn.send({"op": "release"})


def _main(conn: Connection) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    while True:
        job = conn.recv()
        if job["op"] == "quit":
            return
        cpu = time.process_time()
        try:
            result = asyncio.run(_JOBS[job["op"]](job, conn))
            result["cpu_s"] = time.process_time() - cpu
        except Exception as exc:  # report to the parent, which raises; keep serving jobs
            conn.send({"status": "error", "error": f"{type(exc).__name__}: {exc}"})
            continue
        result["status"] = "done"
        conn.send(result)


# -- streams ---------------------------------------------------------------------------------


class _Ready:
    """Tells the parent once every connection is open (or failed)."""

    def __init__(self, conn: Connection, expected: int) -> None:
        self.conn = conn
        self.expected = expected
        self.opened = 0
        self.failed = 0

    def count(self, ok: bool) -> None:
        if ok:
            self.opened += 1
        else:
            self.failed += 1
        if self.opened + self.failed == self.expected:
            self.conn.send({"status": "ready", "opened": self.opened, "failed": self.failed})


async def _stream(job: dict[str, Any], conn: Connection) -> dict[str, Any]:
    """Open every URL, then read each until the server ends it; record (key, time) per frame."""
    urls: list[str] = job["urls"]
    compression = "deflate" if job.get("compression", True) else None

    async def read_ws(
        url: str, gate: asyncio.Semaphore, ready: _Ready, records: list[tuple[Key, int]]
    ) -> int | None:
        return await _read_ws(url, gate, ready, records, compression)

    reader = read_ws if job["kind"] == "ws" else _read_sse
    ready = _Ready(conn, len(urls))
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)
    records: list[list[tuple[Key, int]]] = [[] for _ in urls]
    closes: list[int | None] = [None] * len(urls)
    errors: list[str] = []

    async def one(index: int) -> None:
        try:
            closes[index] = await reader(urls[index], gate, ready, records[index])
        except (OSError, ConnectionClosed, InvalidHandshake, asyncio.IncompleteReadError) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")

    async with asyncio.timeout(job["timeout_s"]):
        await asyncio.gather(*(one(i) for i in range(len(urls))))
    return {"records": records, "closes": closes, "errors": errors[:5], "error_count": len(errors)}


async def _read_ws(
    url: str,
    gate: asyncio.Semaphore,
    ready: _Ready,
    records: list[tuple[Key, int]],
    compression: str | None,
) -> int | None:
    async with gate:
        try:
            ws = await connect(
                url, max_size=None, open_timeout=120, ping_interval=None, compression=compression
            )
        except BaseException:
            ready.count(False)
            raise
    ready.count(True)
    async with ws:
        try:
            async for message in ws:
                frame = json.loads(message)
                now = time.perf_counter_ns()
                key = key_of_frame(frame)
                if key is not None:
                    records.append((key, now))
        except ConnectionClosed:
            pass
    return ws.close_code


async def _read_sse(
    url: str, gate: asyncio.Semaphore, ready: _Ready, records: list[tuple[Key, int]]
) -> int | None:
    """A minimal HTTP/1.1 SSE reader (chunked or not): cheaper per frame than a full client."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    async with gate:
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                "Accept: text/event-stream\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
        except BaseException:
            ready.count(False)
            raise
    status = int(head.split(b" ", 2)[1])
    if status != 200:
        ready.count(False)
        writer.close()
        return status
    ready.count(True)
    chunked = b"transfer-encoding: chunked" in head.lower()
    buffer = b""
    try:
        while True:
            if chunked:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    break
                data = (await reader.readexactly(size + 2))[:-2]
            else:
                data = await reader.read(65536)
                if not data:
                    break
            buffer += data.replace(b"\r\n", b"\n")
            while b"\n\n" in buffer:
                block, buffer = buffer.split(b"\n\n", 1)
                for line in block.split(b"\n"):
                    if line.startswith(b"data: "):
                        frame = json.loads(line[6:])
                        now = time.perf_counter_ns()
                        key = key_of_frame(frame)
                        if key is not None:
                            records.append((key, now))
    finally:
        writer.close()
    return status


# -- idle connections --------------------------------------------------------------------------


async def _hold(job: dict[str, Any], conn: Connection) -> dict[str, Any]:
    """Open idle WebSockets and keep them open until the parent sends `release`."""
    urls: list[str] = job["urls"]
    compression = "deflate" if job.get("compression", True) else None
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)
    sockets = []

    async def one(url: str) -> None:
        async with gate:
            sockets.append(
                await connect(
                    url,
                    max_size=None,
                    open_timeout=120,
                    ping_interval=None,
                    compression=compression,
                )
            )

    async with asyncio.timeout(job["timeout_s"]):
        await asyncio.gather(*(one(url) for url in urls))
    conn.send({"status": "ready", "opened": len(sockets), "failed": len(urls) - len(sockets)})
    message = await asyncio.to_thread(conn.recv)
    if message["op"] != "release":
        raise RuntimeError(f"hold expected release, got {message['op']}")
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return {"opened": len(sockets)}


# -- uploads -----------------------------------------------------------------------------------


async def _upload(job: dict[str, Any], conn: Connection) -> dict[str, Any]:
    """`uploaders` loops: upload a sample's files, follow the audit's WebSocket to its
    `audit_finished`, repeat while time is left (at least once, at most `max_each`)."""
    base: str = job["base"]
    ws_base = "ws" + base[4:]
    sets: list[list[tuple[str, str, bytes]]] = job["files"]  # one file set per sample
    deadline = time.monotonic() + job["duration_s"]
    finished: list[dict[str, Any]] = []
    refused = 0

    async def uploader(client: httpx.AsyncClient, index: int) -> None:
        nonlocal refused
        done = 0
        while done < job["max_each"] and (done == 0 or time.monotonic() < deadline):
            started = time.perf_counter_ns()
            response = await client.post(
                "/api/v1/audits",
                files=[
                    (role, (name, data)) for role, name, data in sets[(index + done) % len(sets)]
                ],
            )
            if response.status_code == 429:
                refused += 1
                await asyncio.sleep(0.05)
                continue
            response.raise_for_status()
            audit_id = response.json()["audit_id"]
            last: dict[str, Any] = {}
            async with connect(f"{ws_base}/ws/audit/{audit_id}", max_size=None) as ws:
                async for message in ws:
                    last = json.loads(message)
            if last.get("type") != "audit_finished":
                raise RuntimeError(f"audit {audit_id} stream ended without audit_finished")
            finished.append(
                {
                    "start_ns": started,
                    "end_ns": time.perf_counter_ns(),
                    "status": last["status"],
                }
            )
            done += 1

    conn.send({"status": "ready", "opened": job["uploaders"], "failed": 0})
    first = time.perf_counter_ns()
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        async with asyncio.timeout(job["duration_s"] + job["grace_s"]):
            await asyncio.gather(*(uploader(client, i) for i in range(job["uploaders"])))
    return {"first_ns": first, "finished": finished, "refused": refused}


_JOBS = {"stream": _stream, "hold": _hold, "upload": _upload}
