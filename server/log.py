"""Each audit's append-only event log, and the cursors that transports read it with.

`EventLog.append()` is synchronous on purpose: it checks the numbering, persists (SQLite commit) and
then fans the frame out to live subscribers with no `await` in between, so every subscriber sees
the events in seq order and a frame is never sent before it is stored. Progress frames are
connection frames: fanned out, never stored, and the first to be dropped.

A `Follower` is a cursor: it subscribes first, then reads the stored events after the client's
cursor, then tails live frames, dropping any seq it has already yielded. It ends after
`audit_finished`. Its live buffer is bounded: when full, progress frames are dropped; when it is
full of log events the follower raises `FollowerTooSlow` and the transport closes the client,
who resumes with its last seq. A slow client therefore never slows the audit or other clients.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from server.events import ConnectionFrame, FrameModel, LogEventModel

TERMINAL_TYPE = "audit_finished"


@dataclass(frozen=True, slots=True)
class Wire:
    """A frame serialised once and shared by every connection (WS text, SSE data)."""

    type: str
    text: str
    seq: int | None = None

    @property
    def droppable(self) -> bool:
        return self.seq is None

    @property
    def terminal(self) -> bool:
        return self.type == TERMINAL_TYPE


class EventSink(Protocol):
    """What the orchestrator reports to; it knows nothing of storage or transports."""

    async def emit(self, event: FrameModel) -> None: ...


class EventStore(Protocol):
    def append_event(
        self,
        audit_id: str,
        seq: int,
        event_type: str,
        body: str,
        state: str | None = None,
        finished_at: str | None = None,
        findings: dict[str, Any] | None = None,
    ) -> None: ...

    def read_events(self, audit_id: str, after: int = 0) -> list[tuple[int, str, str]]: ...

    def last_event(self, audit_id: str) -> tuple[int, str] | None: ...

    def has_audit(self, audit_id: str) -> bool: ...


class FollowerTooSlow(Exception):
    """A client's buffer filled with events it has not read; it must reconnect with its cursor."""


class FollowerClosed(Exception):
    """The server is shutting down; the client should reconnect with its cursor."""


class LogClosed(RuntimeError):
    """An append after the terminal event: a bug in the writer."""


class Subscription:
    """A bounded live buffer for one connection."""

    def __init__(self, capacity: int) -> None:
        self.capacity = max(1, capacity)
        self._frames: deque[Wire] = deque()
        self._ready = asyncio.Event()
        # Set once the buffer overflowed: a sender stuck in a slow send can race on it.
        self.overflow = asyncio.Event()
        self.overflowed = False
        self.closed = False
        self.dropped = 0

    def offer(self, wire: Wire) -> None:
        if self.overflowed:
            return
        if len(self._frames) >= self.capacity:
            if wire.droppable:
                self.dropped += 1
                return
            if not self._evict_droppable():
                self.overflowed = True
                self._frames.clear()
                self._ready.set()
                self.overflow.set()
                return
        self._frames.append(wire)
        self._ready.set()

    def _evict_droppable(self) -> bool:
        for index, queued in enumerate(self._frames):
            if queued.droppable:
                del self._frames[index]
                self.dropped += 1
                return True
        return False

    def close(self) -> None:
        self.closed = True
        self._ready.set()

    async def get(self) -> Wire:
        while not self._frames:
            self._raise_if_ended()
            self._ready.clear()
            await self._ready.wait()
        self._raise_if_ended()
        return self._frames.popleft()

    def _raise_if_ended(self) -> None:
        if self.overflowed:
            raise FollowerTooSlow
        if self.closed:
            raise FollowerClosed


class EventLog:
    """The event logs of all audits: persisted in an EventStore, fanned out in memory."""

    def __init__(self, store: EventStore, queue_size: int) -> None:
        self._store = store
        self.queue_size = queue_size
        self._last_seq: dict[str, int] = {}
        self._finished: set[str] = set()
        self._subscribers: dict[str, set[Subscription]] = {}

    # -- writing ---------------------------------------------------------------------------

    async def emit(self, event: FrameModel) -> None:
        if event.type == "agent_progress" or event.type == "heartbeat":
            self.publish(event)  # type: ignore[arg-type]
        else:
            self.append(event)  # type: ignore[arg-type]

    def append(self, event: LogEventModel) -> Wire:
        audit_id = event.audit_id if isinstance(event.audit_id, str) else str(event.audit_id)
        expected = self.last_seq(audit_id) + 1
        if audit_id in self._finished:
            raise LogClosed(
                f"Audit {audit_id!r} already has audit_finished; emit nothing after the terminal event."
            )
        if event.seq != expected:
            raise RuntimeError(
                f"Audit {audit_id!r} expects seq {expected}, got {event.seq}: build events with "
                "one EventBuilder per audit, started after the log's last_seq."
            )
        wire = Wire(type=event.type, text=event.model_dump_json(), seq=event.seq)
        state, finished_at, findings = _state_change(event)
        self._store.append_event(
            audit_id, event.seq, event.type, wire.text, state, finished_at, findings
        )
        self._last_seq[audit_id] = event.seq
        if wire.terminal:
            self._finished.add(audit_id)
        for subscription in list(self._subscribers.get(audit_id, ())):
            subscription.offer(wire)
        return wire

    def publish(self, frame: ConnectionFrame) -> None:
        """Fan a connection frame out to the audit's live clients; nothing is stored."""
        audit_id = frame.audit_id if isinstance(frame.audit_id, str) else str(frame.audit_id)
        subscribers = self._subscribers.get(audit_id)
        if not subscribers:
            return
        wire = Wire(type=frame.type, text=frame.model_dump_json())
        for subscription in list(subscribers):
            subscription.offer(wire)

    # -- reading ---------------------------------------------------------------------------

    def exists(self, audit_id: str) -> bool:
        """Whether the audit was created (its log may still be empty) and not deleted."""
        return self._store.has_audit(audit_id)

    def last_seq(self, audit_id: str) -> int:
        cached = self._last_seq.get(audit_id)
        if cached is not None:
            return cached
        last = self._store.last_event(audit_id)
        seq = last[0] if last else 0
        if last and last[1] == TERMINAL_TYPE:
            self._finished.add(audit_id)
        self._last_seq[audit_id] = seq
        return seq

    def is_finished(self, audit_id: str) -> bool:
        self.last_seq(audit_id)
        return audit_id in self._finished

    def read(self, audit_id: str, after: int = 0) -> list[Wire]:
        return [
            Wire(type=kind, text=body, seq=seq)
            for seq, kind, body in self._store.read_events(audit_id, after)
        ]

    def follow(self, audit_id: str, after: int = 0) -> Follower:
        return Follower(self, audit_id, after)

    def forget(self, audit_id: str) -> None:
        """Drop cached state of a deleted audit."""
        self._last_seq.pop(audit_id, None)
        self._finished.discard(audit_id)

    def _subscribe(self, audit_id: str) -> Subscription:
        subscription = Subscription(self.queue_size)
        self._subscribers.setdefault(audit_id, set()).add(subscription)
        return subscription

    def _unsubscribe(self, audit_id: str, subscription: Subscription) -> None:
        subscribers = self._subscribers.get(audit_id)
        if subscribers is not None:
            subscribers.discard(subscription)
            if not subscribers:
                del self._subscribers[audit_id]

    def close_followers(self) -> None:
        """Shutdown: every follower ends with FollowerClosed (clients resume elsewhere/later)."""
        for subscribers in self._subscribers.values():
            for subscription in subscribers:
                subscription.close()

    def subscriber_count(self, audit_id: str) -> int:
        return len(self._subscribers.get(audit_id, ()))


class Follower:
    """Replay after `after`, then live frames, without gaps or duplicates; ends after the terminal.

    Use as a context manager so the live subscription is always removed.
    """

    def __init__(self, log: EventLog, audit_id: str, after: int) -> None:
        self._log = log
        self.audit_id = audit_id
        self.last_sent = after
        # Subscribe, then read: no await between them, so nothing can slip through the gap.
        self._subscription = log._subscribe(audit_id)
        self._replay: deque[Wire] = deque(log.read(audit_id, after))
        # A client that already holds the terminal event gets nothing more.
        self._done = (
            not self._replay and log.is_finished(audit_id) and after >= log.last_seq(audit_id)
        )

    def __enter__(self) -> Follower:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._log._unsubscribe(self.audit_id, self._subscription)

    def offer(self, wire: Wire) -> None:
        """Queue a connection frame (e.g. a heartbeat) behind the frames already waiting."""
        self._subscription.offer(wire)

    async def wait_overflow(self) -> None:
        """Returns once the live buffer overflowed (even while the sender is stuck sending)."""
        await self._subscription.overflow.wait()

    def __aiter__(self) -> AsyncIterator[Wire]:
        return self

    async def __anext__(self) -> Wire:
        while not self._done:
            if self._subscription.closed:
                raise FollowerClosed
            if self._replay:
                wire = self._replay.popleft()
            else:
                wire = await self._subscription.get()
            if wire.seq is not None:
                if wire.seq <= self.last_sent:
                    continue
                if wire.seq != self.last_sent + 1:
                    # Cannot happen with a synchronous append; refuse to hide a gap if it does.
                    raise RuntimeError(
                        f"Gap in audit {self.audit_id!r}: seq {wire.seq} after {self.last_sent}."
                    )
                self.last_sent = wire.seq
                if wire.terminal:
                    self._done = True
            return wire
        raise StopAsyncIteration


def _state_change(event: LogEventModel) -> tuple[str | None, str | None, dict[str, Any] | None]:
    """What an event changes in the audit record: its state, finish time and finding totals."""
    if event.type == "audit_started":
        return "running", None, None
    if event.type == "audit_finished":
        status = getattr(event.status, "value", event.status)
        findings = event.summary.findings.model_dump(mode="json")
        return str(status), str(event.ts), findings
    return None, None, None
