"""The objects one running server shares between its routers, built by `app.create_app`.

Transports read `Runtime` from `app.state.runtime` (the `runtime()` dependency); only `app.py`
constructs it, so tests swap agents and settings without touching any router.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from server.audits.orchestrator import Orchestrator
from server.log import EventLog, ReviewLog
from server.review.desk import ReviewDesk
from server.review.drafts import DraftComparer
from server.settings import Settings
from server.storage import AuditDatabase, DocumentDatabase


@dataclass(eq=False)
class Runtime:
    settings: Settings
    audits: AuditDatabase
    documents: DocumentDatabase
    log: EventLog
    orchestrator: Orchestrator
    review_log: ReviewLog
    review: ReviewDesk
    drafts: DraftComparer
    # Set when the server begins to shut down: streams close (WebSocket 1001) before audits stop.
    going_away: asyncio.Event = field(default_factory=asyncio.Event)
    connections: int = 0
    # Set while no WebSocket is open, so shutdown can wait for streams to drain without polling.
    idle: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.idle.set()

    def connection_opened(self) -> None:
        self.connections += 1
        self.idle.clear()

    def connection_closed(self) -> None:
        self.connections -= 1
        if self.connections == 0:
            self.idle.set()


def runtime(connection: HTTPConnection) -> Runtime:
    """FastAPI dependency: the Runtime of the app serving this request or WebSocket."""
    found = getattr(connection.app.state, "runtime", None)
    if not isinstance(found, Runtime):
        raise RuntimeError(
            "app.state.runtime is missing: build the app with server.app.create_app()."
        )
    return found


RuntimeDep = Annotated[Runtime, Depends(runtime)]
