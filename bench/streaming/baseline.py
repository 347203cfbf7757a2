"""The baseline: a bare `websockets` server that broadcasts the very frames Crosscheck sent.

It replays a recorded schedule (offset from the gate, channel, frame text): each frame is
stamped, then handed to `websockets.broadcast` for the clients of its channel (one channel per
audit), at the same offset as in the Crosscheck run. Same clients, same process layout, same
frames and sizes, same timing; only the server differs. After the last frame every connection
is closed with 1000, as Crosscheck does after `audit_finished`.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Coroutine, Sequence
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, broadcast, serve

from bench.streaming.clients import Key

Scheduled = tuple[int, str, str, Key]  # offset_ns, channel, text, key


class BroadcastServer:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.ws_base = f"ws://127.0.0.1:{self.port}"
        self.channels: dict[str, set[ServerConnection]] = {}
        self._server: Server | None = None
        self._started = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="bench-baseline", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._serve())
        finally:
            self.loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        async with serve(self._handler, sock=self._sock, max_size=None, ping_interval=None):
            self._started.set()
            await self._stop.wait()

    async def _handler(self, ws: ServerConnection) -> None:
        channel = ws.request.path.strip("/") if ws.request is not None else ""
        members = self.channels.setdefault(channel, set())
        members.add(ws)
        try:
            await ws.wait_closed()
        finally:
            members.discard(ws)

    def __enter__(self) -> BroadcastServer:
        self._thread.start()
        if not self._started.wait(30):
            raise RuntimeError("the baseline server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 600) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def connected(self) -> int:
        return sum(len(members) for members in list(self.channels.values()))

    def wait_connected(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.connected() < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {self.connected()} of {count} baseline clients arrived")
            time.sleep(0.01)

    async def replay(self, schedule: Sequence[Scheduled], stamps: dict[Key, int]) -> int:
        """Broadcast every frame at its offset; returns the start time (ns)."""
        start = time.perf_counter_ns()
        for offset, channel, text, key in schedule:
            delay = (start + offset - time.perf_counter_ns()) / 1e9
            if delay > 0:
                await asyncio.sleep(delay)
            stamps[key] = time.perf_counter_ns()
            broadcast(self.channels.get(channel, ()), text)
        everyone = [ws for members in self.channels.values() for ws in members]
        await asyncio.gather(*(ws.close(1000, "Audit finished.") for ws in everyone))
        return start
