"""Each audit's two append-only logs, and the cursors that transports read them with.

One implementation, `Log`, serves both: the audit's event log (`EventLog`: audit_started ...
audit_finished, which ends it) and its review log (`ReviewLog`: decisions, sign-off, the drafts
comparison, which never ends). They differ only in where they are stored and whether a terminal
event exists; numbering, fan-out, bounded followers and replay are the same code.

`Log.append()` is synchronous on purpose: it checks the numbering, persists (SQLite commit) and
then fans the frame out to live subscribers with no `await` in between, so every subscriber sees
the events in seq order and a frame is never sent before it is stored. Progress frames are
connection frames: fanned out, never stored, and the first to be dropped.

A `Follower` is a cursor: it subscribes first, then reads the stored events after the client's
cursor, then tails live frames, dropping any seq it has already yielded. It ends after the log's
terminal event (`audit_finished`); a follower of a log without one (the review log) runs until
it is closed. Deleting an audit ends its followers with `FollowerGone`. Its live buffer is bounded: when full, progress frames are dropped; when it is
full of log events the follower raises `FollowerTooSlow` and the transport closes the client,
who resumes with its last seq. A slow client therefore never slows the audit or other clients.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from generated.models import AuditSignedOff, DecisionRecorded, DraftsCompared
from server.events import ConnectionFrame, FrameModel, LogEventModel

TERMINAL_TYPE = "audit_finished"
ReviewEventModel = DecisionRecorded | AuditSignedOff | DraftsCompared
StoredEvent = LogEventModel | ReviewEventModel


@dataclass(frozen=True, slots=True)
class Wire:
    """A frame serialised once and shared by every connection (WS text, SSE data)."""

    type: str
    text: str
    seq: int | None = None
    terminal: bool = False  # the last event its log will ever have

    @property
    def droppable(self) -> bool:
        return self.seq is None


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


class ReviewStore(Protocol):
    def append_review_event(self, audit_id: str, seq: int, event_type: str, body: str) -> None: ...

    def read_review_events(self, audit_id: str, after: int = 0) -> list[tuple[int, str, str]]: ...

    def last_review_event(self, audit_id: str) -> tuple[int, str] | None: ...

    def has_audit(self, audit_id: str) -> bool: ...


class FollowerTooSlow(Exception):
    """A client's buffer filled with events it has not read; it must reconnect with its cursor."""


class FollowerClosed(Exception):
    """The server is shutting down; the client should reconnect with its cursor."""


class FollowerGone(Exception):
    """The audit was deleted while the client followed it; there is nothing to resume."""


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
        self.gone = False
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

    def close(self, gone: bool = False) -> None:
        self.closed = True
        self.gone = self.gone or gone
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
        if self.gone:
            raise FollowerGone
        if self.closed:
            raise FollowerClosed


class Log(ABC):
    """One kind of log for all audits: numbered, persisted, then fanned out in memory.

    Subclasses say where events are stored (`_write`, `_read`, `_last`) and which event type,
    if any, ends a log (`terminal_type`).
    """

    terminal_type: str | None = None

    def __init__(self, queue_size: int) -> None:
        self.queue_size = queue_size
        self._last_seq: dict[str, int] = {}
        self._finished: set[str] = set()
        self._subscribers: dict[str, set[Subscription]] = {}

    # -- storage (per kind of log) -------------------------------------------------------

    @abstractmethod
    def _write(self, audit_id: str, event: StoredEvent, wire: Wire) -> None: ...

    @abstractmethod
    def _read(self, audit_id: str, after: int) -> list[tuple[int, str, str]]: ...

    @abstractmethod
    def _last(self, audit_id: str) -> tuple[int, str] | None: ...

    @abstractmethod
    def exists(self, audit_id: str) -> bool:
        """Whether the audit was created (its log may still be empty) and not deleted."""

    # -- writing ---------------------------------------------------------------------------

    def append(self, event: StoredEvent) -> Wire:
        audit_id = event.audit_id if isinstance(event.audit_id, str) else str(event.audit_id)
        expected = self.last_seq(audit_id) + 1
        if audit_id in self._finished:
            raise LogClosed(
                f"Audit {audit_id!r} already has {self.terminal_type}; emit nothing after the "
                "terminal event."
            )
        if event.seq != expected:
            raise RuntimeError(
                f"Audit {audit_id!r} expects seq {expected}, got {event.seq}: build events with "
                "one builder per audit, started after the log's last_seq."
            )
        wire = Wire(
            type=event.type,
            text=event.model_dump_json(),
            seq=event.seq,
            terminal=event.type == self.terminal_type,
        )
        self._write(audit_id, event, wire)
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

    def last_seq(self, audit_id: str) -> int:
        cached = self._last_seq.get(audit_id)
        if cached is not None:
            return cached
        last = self._last(audit_id)
        seq = last[0] if last else 0
        if last and last[1] == self.terminal_type:
            self._finished.add(audit_id)
        self._last_seq[audit_id] = seq
        return seq

    def is_finished(self, audit_id: str) -> bool:
        self.last_seq(audit_id)
        return audit_id in self._finished

    def read(self, audit_id: str, after: int = 0) -> list[Wire]:
        return [
            Wire(type=kind, text=body, seq=seq, terminal=kind == self.terminal_type)
            for seq, kind, body in self._read(audit_id, after)
        ]

    def follow(self, audit_id: str, after: int = 0) -> Follower:
        return Follower(self, audit_id, after)

    def forget(self, audit_id: str) -> None:
        """A deleted audit: drop its cached state and end its followers (`FollowerGone`)."""
        self._last_seq.pop(audit_id, None)
        self._finished.discard(audit_id)
        for subscription in self._subscribers.get(audit_id, ()):
            subscription.close(gone=True)

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


class EventLog(Log):
    """The audits' event logs, in the audit database; `audit_finished` ends each.

    Writing an event also records what it changes in the audit's record (state, finish time,
    finding totals), in the same transaction.
    """

    terminal_type = TERMINAL_TYPE

    def __init__(self, store: EventStore, queue_size: int) -> None:
        super().__init__(queue_size)
        self._store = store

    async def emit(self, event: FrameModel) -> None:
        """The orchestrator's EventSink: log events are appended, connection frames published."""
        if event.type == "agent_progress" or event.type == "heartbeat":
            self.publish(event)  # type: ignore[arg-type]
        else:
            self.append(event)  # type: ignore[arg-type]

    def _write(self, audit_id: str, event: StoredEvent, wire: Wire) -> None:
        state, finished_at, findings = _state_change(event)  # type: ignore[arg-type]
        self._store.append_event(
            audit_id, wire.seq or 0, event.type, wire.text, state, finished_at, findings
        )

    def _read(self, audit_id: str, after: int) -> list[tuple[int, str, str]]:
        return self._store.read_events(audit_id, after)

    def _last(self, audit_id: str) -> tuple[int, str] | None:
        return self._store.last_event(audit_id)

    def exists(self, audit_id: str) -> bool:
        return self._store.has_audit(audit_id)


class ReviewLog(Log):
    """The audits' review logs (decisions, sign-off, drafts comparison): never terminated.

    A review can go on at any time, so followers tail it until they are closed.
    """

    def __init__(self, store: ReviewStore, queue_size: int) -> None:
        super().__init__(queue_size)
        self._store = store

    def _write(self, audit_id: str, event: StoredEvent, wire: Wire) -> None:
        self._store.append_review_event(audit_id, wire.seq or 0, event.type, wire.text)

    def _read(self, audit_id: str, after: int) -> list[tuple[int, str, str]]:
        return self._store.read_review_events(audit_id, after)

    def _last(self, audit_id: str) -> tuple[int, str] | None:
        return self._store.last_review_event(audit_id)

    def exists(self, audit_id: str) -> bool:
        return self._store.has_audit(audit_id)


class Follower:
    """Replay after `after`, then live frames, without gaps or duplicates; ends after the terminal.

    Use as a context manager so the live subscription is always removed.
    """

    def __init__(self, log: Log, audit_id: str, after: int) -> None:
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
            if self._subscription.gone:
                raise FollowerGone
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
