"""create_app(settings, agents): the one place the server's objects are built and wired.

With the default agents, the lifespan first loads their reference data, starts the worker
processes their CPU work runs in (server/workers.py) and runs them once (`_prime`), so
no audit pays one-off costs while clients wait for frames. It then opens the databases and finishes audits a previous process left running
(recovery) and compares finished drafts that have no comparison yet (server/review/drafts.py);
on shutdown it stops every running audit as `interrupted` and closes them. Streams (both the
audit and the review streams) are
closed with 1001 *before* that, by `serve.GracefulServer`, because uvicorn closes WebSockets
itself (with 1012) before the lifespan shutdown runs.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from fastapi import FastAPI

from server.agents.base import Agent, AuditInputs
from server.agents.registry import default_agents, warm_up
from server.audits.orchestrator import Orchestrator
from server.audits.recovery import recover
from server.ingest.reader import read_document
from server.log import EventLog, ReviewLog
from server.review.desk import ReviewDesk
from server.review.drafts import DraftComparer
from server.runtime import Runtime
from server.samples import list_samples, sample_path
from server.settings import Settings
from server.storage import AuditDatabase, DocumentDatabase
from server.transports import exports, problems, rest, review, site, sse, ws
from server.transports.limits import BodyLimit
from server.workers import start_workers, stop_workers

logger = logging.getLogger(__name__)


async def _prime(agents: Mapping[str, Agent]) -> None:
    """Run every agent once on the first bundled sample before serving.

    A fresh worker process pays one-off costs on its first job (lazy imports, caches); measured
    with a probe task, that first audit stalled the event loop for 100-170 ms, later ones for
    15-40 ms. Paying it here, before any client is connected, keeps every audit's frames prompt.
    """
    entry = list_samples()[0]
    names = [entry["document"], entry.get("prior_year")]
    docs = [
        await asyncio.to_thread(read_document, sample_path(n).read_bytes(), n) if n else None
        for n in names
    ]
    assert docs[0] is not None
    inputs = AuditInputs(document=docs[0], prior_year=docs[1])
    await asyncio.gather(*(agent(inputs) for agent in agents.values()))


def create_app(settings: Settings, agents: Mapping[str, Agent] | None = None) -> FastAPI:
    audits = AuditDatabase(settings.data_dir)
    documents = DocumentDatabase(settings.data_dir)
    log = EventLog(audits, settings.queue_size)
    orchestrator = Orchestrator(
        agents if agents is not None else default_agents(),
        log,
        agent_timeout_s=settings.agent_timeout_s,
        progress_per_s=settings.progress_per_s,
        max_running=settings.max_running_audits,
    )
    review_log = ReviewLog(audits, settings.queue_size)
    desk = ReviewDesk(log, review_log)
    runtime = Runtime(
        settings=settings,
        audits=audits,
        documents=documents,
        log=log,
        orchestrator=orchestrator,
        review_log=review_log,
        review=desk,
        drafts=DraftComparer(desk, audits, documents),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if agents is None:
            await asyncio.to_thread(warm_up)
        await asyncio.to_thread(start_workers, settings.agent_workers, warm_up)
        if agents is None:
            await _prime(orchestrator.agents)
        # What start-up made (modules, reference data) lives as long as the process: move it out
        # of the collector's sight so a full collection, which stops the loop, stays short.
        gc.collect()
        gc.freeze()
        audits.open()
        await asyncio.to_thread(documents.open)
        recover(log, audits.unfinished_audits(), list(orchestrator.agents))
        runtime.drafts.resume()
        try:
            yield
        finally:
            await going_away(runtime)
            await orchestrator.shutdown()
            await runtime.drafts.shutdown()
            audits.close()
            stop_workers()

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
    app.include_router(review.router)
    app.include_router(exports.router)
    app.include_router(sse.router)
    app.include_router(ws.router)
    app.include_router(site.router)
    site.mount(app)
    return app


async def going_away(runtime: Runtime) -> None:
    """Tell every stream to end: WebSockets close 1001, SSE responses end; audits keep going."""
    runtime.going_away.set()
    runtime.log.close_followers()
    runtime.review_log.close_followers()
