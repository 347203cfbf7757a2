"""What an agent is, to the orchestrator.

An agent is a plain async callable: it receives the parsed inputs and an optional progress
callback and returns its typed result (a generated pydantic model). It never emits lifecycle
events, never touches storage or transports, and raises instead of returning an empty result.
CPU-heavy work goes through `server.workers.offload` (worker processes in the server, a
thread elsewhere) so the event loop keeps serving frames.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Protocol

from server.ingest.document import Document
from server.progress import Progress, no_progress
from server.results import AgentResultModel


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


__all__ = ["Agent", "AgentResultModel", "AuditInputs", "Progress", "finding_id", "no_progress"]
