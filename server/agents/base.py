"""What an agent is, to the orchestrator.

An agent is a plain async callable: it receives the parsed inputs and an optional progress
callback and returns its typed result (a generated pydantic model). It never emits lifecycle
events, never touches storage or transports, and raises instead of returning an empty result.
CPU-heavy work goes through `server.workers.offload` (worker processes in the server, a
thread elsewhere) so the event loop keeps serving frames.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from generated.models import (
    DisclosureResult,
    ExternalResult,
    LogicResult,
    NumericResult,
)
from server.ingest.document import Document

AgentResultModel = NumericResult | LogicResult | DisclosureResult | ExternalResult

# progress(done, total=None, message=None): advisory, called from any thread; the orchestrator
# rate-limits it and makes `done` monotonic.
Progress = Callable[[int, int | None, str | None], None]


@dataclass(slots=True)
class AuditInputs:
    """Everything an audit reads: the report, and the optional prior year and memos."""

    document: Document
    prior_year: Document | None = None
    memos: list[Document] = field(default_factory=list)


class Agent(Protocol):
    def __call__(
        self, inputs: AuditInputs, progress: Progress | None = None
    ) -> Awaitable[AgentResultModel]: ...


def finding_id(agent: str, *parts: object) -> str:
    """A stable finding id: the same document yields the same ids on every run."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:12]
    return f"{agent}-{digest}"


def no_progress(done: int, total: int | None = None, message: str | None = None) -> None:
    """The progress callback used when nobody listens."""
