"""Agents' progress on its way to the log: thread-safe, rate-limited, monotonic, never late.

Agents call their progress callback from any thread (a worker's relay thread, a thread pool);
`ProgressRelay.callback` checks the rate limit and that `done` only increases, then hands the
item to the event loop, where `pump` emits `agent_progress` frames to the sink. Frames of an
agent that already finished are dropped, so progress never follows an agent's result.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time

from server.events import EventSink, agent_progress
from server.progress import Progress

_Item = tuple[str, int, int | None, str | None]


class ProgressRelay:
    """Progress of one audit's agents, from any thread to the audit's event sink."""

    def __init__(self, audit_id: str, sink: EventSink, per_second: float) -> None:
        self.audit_id = audit_id
        self._sink = sink
        self._interval = 1.0 / per_second if per_second > 0 else 0.0
        self._queue: asyncio.Queue[_Item] = asyncio.Queue()
        self.finished: set[str] = set()

    def callback(self, agent: str) -> Progress:
        """The callback handed to one agent (call it on the event loop's thread)."""
        loop = asyncio.get_running_loop()
        lock = threading.Lock()
        last_at = -math.inf
        last_done = -1

        def progress(done: int, total: int | None = None, message: str | None = None) -> None:
            nonlocal last_at, last_done
            now = time.monotonic()
            with lock:
                if done < last_done or now - last_at < self._interval:
                    return
                last_at, last_done = now, done
            try:
                loop.call_soon_threadsafe(self._queue.put_nowait, (agent, done, total, message))
            except RuntimeError:  # the loop has closed: nobody is listening any more
                return

        return progress

    async def pump(self) -> None:
        """Emit queued progress until cancelled (the audit's agents have all finished)."""
        while True:
            agent, done, total, message = await self._queue.get()
            if agent in self.finished:
                continue
            await self._sink.emit(agent_progress(self.audit_id, agent, done, total, message))
