"""create_app(settings, agents): the one place the server's objects are built and wired.

The lifespan opens the store and finishes audits a previous process left running (recovery);
on shutdown it stops every running audit as `interrupted` and closes the store. Streams are
closed with 1001 *before* that, by `serve.GracefulServer`, because uvicorn closes WebSockets
itself (with 1012) before the lifespan shutdown runs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from fastapi import FastAPI

from server.agents.base import Agent
from server.agents.registry import default_agents
from server.log import EventLog
from server.orchestrator import Orchestrator
from server.recovery import recover
from server.runtime import Runtime
from server.settings import Settings
from server.store import Store
from server.transports import problems, rest, site, sse, ws
from server.transports.limits import BodyLimit

logger = logging.getLogger(__name__)


def create_app(settings: Settings, agents: Mapping[str, Agent] | None = None) -> FastAPI:
    store = Store(settings.data_dir)
    log = EventLog(store, settings.queue_size)
    orchestrator = Orchestrator(
        agents if agents is not None else default_agents(),
        log,
        agent_timeout_s=settings.agent_timeout_s,
        progress_per_s=settings.progress_per_s,
        max_running=settings.max_running_audits,
    )
    runtime = Runtime(settings=settings, store=store, log=log, orchestrator=orchestrator)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store.open()
        recover(log, store.unfinished_audits(), list(orchestrator.agents))
        try:
            yield
        finally:
            await going_away(runtime)
            await orchestrator.shutdown()
            store.close()

    app = FastAPI(
        title="Crosscheck",
        summary="A co-auditor for financial statements: four agents, streamed live.",
        version="1",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    problems.install(app)
    app.include_router(rest.router)
    app.include_router(sse.router)
    app.include_router(ws.router)
    app.include_router(site.router)
    site.mount(app)
    return app


async def going_away(runtime: Runtime) -> None:
    """Tell every stream to end: WebSockets close 1001, SSE responses end; audits keep going."""
    runtime.going_away.set()
    runtime.log.close_followers()
