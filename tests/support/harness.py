"""A real server on a loopback port, agents whose timing the test controls, validating clients.

- `LiveServer` runs `serve.build_server(...)` (uvicorn + the 1001 shutdown) in a thread with its
  own event loop, on a socket bound to 127.0.0.1:0.
- `ScriptedAgent` waits on `Gate`s that the test opens from its own loop; it can complete,
  crash, hang (until timeout or cancel), report progress or return a very large result.
- Every JSON body and every frame goes through tests/frames.py: an invalid one fails the test.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from server.agents.base import AuditInputs, Progress
from server.runtime import Runtime
from server.serve import GracefulServer, build_server
from server.settings import Settings
from tests.support.frames import assert_valid_body, assert_valid_frame
from tests.support.results import AGENTS, result_for

STATEMENT_MD = (
    b"# Statement of financial position\n\n"
    b"| Item | 2024 | 2023 |\n|---|---|---|\n"
    b"| Cash | 10 | 8 |\n| Receivables | 5 | 4 |\n| Total assets | 15 | 12 |\n"
)


# -- agents --------------------------------------------------------------------------------


class Gate:
    """Opened from any thread; awaited inside the server's loop. `opened_ns` is when it opened
    (`time.perf_counter_ns`, one clock for every process on the machine: bench/ reads it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.opened_ns: int | None = None
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    def open(self) -> int:
        with self._lock:
            if self.opened_ns is None:
                self.opened_ns = time.perf_counter_ns()
            waiters, self._waiters = self._waiters, []
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)
        return self.opened_ns

    async def wait(self) -> None:
        with self._lock:
            if self.opened_ns is not None:
                return
            event = asyncio.Event()
            self._waiters.append((asyncio.get_running_loop(), event))
        await event.wait()


@dataclass
class ScriptedAgent:
    """An agent whose every step the test controls."""

    name: str
    behaviour: str = "complete"  # complete | crash | hang | cpu
    gate: Gate | None = None
    findings: int = 0
    padding: int = 0
    progress_steps: int = 0
    cpu_s: float = 0.0
    started: threading.Event = field(default_factory=threading.Event)
    calls: int = 0

    async def __call__(self, inputs: AuditInputs, progress: Progress | None = None) -> Any:
        self.calls += 1
        self.started.set()
        assert inputs.document.tables, "the orchestrator passes the parsed document"
        for step in range(self.progress_steps):
            if progress is not None:
                progress(step, self.progress_steps, f"step {step}")
            await asyncio.sleep(0.005)
        if self.gate is not None:
            await self.gate.wait()
        if self.behaviour == "crash":
            raise ZeroDivisionError("secret internal detail /srv/app.py line 42")
        if self.behaviour == "hang":
            await asyncio.Event().wait()
        if self.behaviour == "cpu":
            # Like a real agent: all of its work, building the result included, in a thread.
            return await asyncio.to_thread(self._compute)
        return result_for(self.name, self.findings, self.padding)

    def _compute(self) -> Any:
        _burn(self.cpu_s)
        return result_for(self.name, self.findings, self.padding)


def _burn(seconds: float) -> int:
    """Pure-Python CPU work holding the GIL, like a heavy agent."""
    deadline = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < deadline:
        for i in range(2000):
            total += i * i
    return total


def agents(**overrides: ScriptedAgent) -> dict[str, ScriptedAgent]:
    """The four agents, completing at once unless overridden."""
    team = {name: ScriptedAgent(name) for name in AGENTS}
    team.update(overrides)
    return team


# -- server --------------------------------------------------------------------------------


class LiveServer:
    """The real app under uvicorn on 127.0.0.1:<free port>, in a background thread.

    `start()` returns once the server accepts connections; there is no deadline (pytest's
    per-test timeout stops a server that never comes up and shows where it hung).
    Also a context manager, as bench/ uses it.
    """

    def __init__(self, settings: Settings, team: Mapping[str, Any] | None = None) -> None:
        self.settings = settings
        self.server: GracefulServer = build_server(
            settings, team if team is not None else agents(), log_level="warning"
        )
        self.loop = asyncio.new_event_loop()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws_base = f"ws://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._run, name="live-server", daemon=True)

    @property
    def runtime(self) -> Runtime:
        found: Runtime = self.server.crosscheck_app.state.runtime
        return found

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self.server.serve(sockets=[self._sock]))
        finally:
            close_loop(self.loop)

    def start(self) -> LiveServer:
        """Start, and return once the server answers and its priming (worker processes
        started, the default agents warm) is over, so tests measure no start-up work."""
        self._thread.start()
        while not self.server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the live server stopped while starting (see its log)")
            time.sleep(0.005)
        self.call(_primed(self.server.crosscheck_app)).result()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self.server.should_exit = True
            self._thread.join()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def call(self, coro: Coroutine[Any, Any, Any]) -> concurrent.futures.Future[Any]:
        """Run a coroutine inside the server's loop (from another thread); its future."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)


async def _primed(app: Any) -> None:
    await asyncio.shield(app.state.priming)


def close_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what is left (sse-starlette's shutdown watcher outlives the server) and close."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.close()


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    defaults: dict[str, Any] = {
        "data_dir": data_dir,
        "heartbeat_s": 0.2,
        # Far above any test agent's work, so a busy machine never turns slowness into a
        # timeout; tests of the time limit set their own.
        "agent_timeout_s": 60.0,
        "sse_retry_ms": 100,
        "agent_workers": 0,  # test agents run on the loop; no worker processes to start
    }
    defaults.update(overrides)
    return Settings(**defaults)


# -- clients -------------------------------------------------------------------------------

BODY_DEFS: list[tuple[str, str, int, str]] = [
    # method, path pattern (segments; * = any), status, $defs name
    ("POST", "/api/v1/audits", 202, "AuditCreated"),
    ("GET", "/api/v1/audits", 200, "AuditList"),
    ("GET", "/api/v1/audits/*", 200, "Snapshot"),
    ("GET", "/api/v1/audits/*/document", 200, "ParsedDocument"),
    ("POST", "/api/v1/audits/*/cancel", 202, "CancelReply"),
    ("GET", "/api/v1/audits/*/review", 200, "ReviewState"),
    ("POST", "/api/v1/audits/*/decisions", 201, "DecisionRecorded"),
    ("POST", "/api/v1/audits/*/sign-off", 201, "AuditSignedOff"),
    ("GET", "/api/v1/samples", 200, "SampleList"),
    ("GET", "/api/health", 200, "Health"),
]


def body_definition(method: str, path: str, status: int) -> str | None:
    if status >= 400:
        return "Problem"
    parts = path.rstrip("/").split("/")
    for m, pattern, code, definition in BODY_DEFS:
        expected = pattern.split("/")
        if (
            m == method
            and code == status
            and len(expected) == len(parts)
            and all(e == "*" or e == p for e, p in zip(expected, parts, strict=True))
        ):
            return definition
    return None


async def _validate_response(response: httpx.Response) -> None:
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        return
    await response.aread()
    definition = body_definition(response.request.method, response.url.path, response.status_code)
    if response.url.path.startswith("/api/"):
        assert response.status_code == 204 or definition is not None, (
            f"no schema for {response.request.method} {response.url.path} {response.status_code}"
        )
    if definition is not None:
        assert_valid_body(definition, response.json())


def api(server: LiveServer | str) -> httpx.AsyncClient:
    """An HTTP client whose every JSON body is validated against schema/v1."""
    base = server if isinstance(server, str) else server.base
    return httpx.AsyncClient(
        base_url=base, timeout=None, event_hooks={"response": [_validate_response]}
    )


async def sse_lines(response: httpx.Response) -> AsyncIterator[str]:
    """The raw lines of an SSE response; every `data:` line is validated as a frame."""
    async for line in response.aiter_lines():
        if line.startswith("data: "):
            receive_frame(line[6:])
        yield line


@dataclass
class Stream:
    frames: list[dict[str, Any]]
    close_code: int | None
    close_reason: str | None

    @property
    def events(self) -> list[dict[str, Any]]:
        """The log events (with seq), without connection frames (heartbeat, progress)."""
        return [f for f in self.frames if "seq" in f]

    @property
    def seqs(self) -> list[int]:
        return [f["seq"] for f in self.events]

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [f for f in self.frames if f["type"] == kind]


async def read_raw_until_closed(ws: ClientConnection) -> tuple[list[str], int | None]:
    """Texts until the server closes, unvalidated (validate them afterwards with receive_frame)."""
    texts: list[str] = []
    try:
        while True:
            message = await ws.recv()
            assert isinstance(message, str), "frames are text"
            texts.append(message)
    except ConnectionClosed:
        pass
    rcvd = ws.protocol.close_rcvd
    return texts, rcvd.code if rcvd else None


def receive_frame(text: str | bytes) -> dict[str, Any]:
    assert isinstance(text, str), "frames are text"
    frame = json.loads(text)
    assert_valid_frame(frame)
    return frame  # type: ignore[no-any-return]


@asynccontextmanager
async def ws_connect(url: str, **kwargs: Any) -> AsyncIterator[ClientConnection]:
    async with connect(url, open_timeout=None, max_size=None, **kwargs) as ws:
        yield ws


async def read_until_closed(
    ws: ClientConnection, until: Callable[[dict[str, Any]], bool] | None = None
) -> Stream:
    """Receive (validating) until the server closes, or until `until(frame)` is true."""
    frames: list[dict[str, Any]] = []
    try:
        while True:
            frame = receive_frame(await ws.recv())
            frames.append(frame)
            if until is not None and until(frame):
                break
    except ConnectionClosed:
        pass
    rcvd = ws.protocol.close_rcvd
    return Stream(frames, rcvd.code if rcvd else None, rcvd.reason if rcvd else None)


def small_buffer_socket(port: int, size: int = 64 * 1024) -> socket.socket:
    """A connected client socket whose receive buffer cannot grow (no autotuning)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, size)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    return sock


async def ws_stream(url: str, **kwargs: Any) -> Stream:
    async with ws_connect(url, **kwargs) as ws:
        return await read_until_closed(ws)


async def sse_stream(
    client: httpx.AsyncClient, path: str, headers: dict[str, str] | None = None
) -> tuple[int, list[dict[str, Any]], list[str | None]]:
    """(status, frames, ids) of a whole SSE response; every data line is validated."""
    frames: list[dict[str, Any]] = []
    ids: list[str | None] = []
    async with client.stream("GET", path, headers=headers) as response:
        if response.status_code != 200:
            await response.aread()
            return response.status_code, frames, ids
        assert response.headers["content-type"].startswith("text/event-stream")
        event: dict[str, str] = {}
        async for line in sse_lines(response):
            if line == "":
                if "data" in event:
                    frame = receive_frame(event["data"])
                    assert frame["type"] == event.get("event")
                    frames.append(frame)
                    ids.append(event.get("id"))
                event = {}
            elif not line.startswith(":"):
                key, _, value = line.partition(": ")
                event[key] = value
    return 200, frames, ids


async def create_audit(client: httpx.AsyncClient, name: str = "statement.md") -> str:
    response = await client.post("/api/v1/audits", files={"document": (name, STATEMENT_MD)})
    assert response.status_code == 202, response.text
    return str(response.json()["audit_id"])


async def wait_for(predicate: Callable[[], bool]) -> None:
    """Until `predicate()` holds. No deadline: pytest's per-test timeout reports a hang."""
    while not predicate():
        await asyncio.sleep(0.01)


async def snapshot(client: httpx.AsyncClient, audit_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/audits/{audit_id}")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


async def wait_finished(client: httpx.AsyncClient, audit_id: str) -> dict[str, Any]:
    """The snapshot once the audit has finished (no deadline, as `wait_for`)."""
    while True:
        snap = await snapshot(client, audit_id)
        if snap["state"] not in ("pending", "running"):
            return snap
        await asyncio.sleep(0.02)


async def wait_for_seq(client: httpx.AsyncClient, audit_id: str, seq: int) -> dict[str, Any]:
    """The snapshot once the audit's log reached `seq` (no deadline, as `wait_for`)."""
    while True:
        snap = await snapshot(client, audit_id)
        if snap["last_seq"] >= seq:
            return snap
        await asyncio.sleep(0.01)
