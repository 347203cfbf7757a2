"""create_app(settings, agents): the one place the server's objects are built and wired.

Start-up serves first and warms up after. The lifespan opens the databases, finishes audits a
previous process left running (recovery), creates the worker pool, which starts no process yet,
and compares finished drafts that have no comparison yet (server/review/drafts.py); the server
then answers at once. Priming runs in the background (`_prime`): the worker processes start
(forked from a fork server that imported and warmed the agents once, see
server/audits/preload.py), the server process loads the agents' reference data, and every agent
runs once on the first bundled sample, so later audits pay no one-off costs. An audit that
arrives meanwhile is not refused: its jobs wait for the first worker.

On shutdown the lifespan stops every running audit as `interrupted`, closes the databases and
ends the worker processes. Streams (both the audit and the review streams) are closed with 1001
*before* that, by `serve.GracefulServer`, because uvicorn closes WebSockets itself (with 1012)
before the lifespan shutdown runs.
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
from server.workers import current_pool, offload, start_workers, stop_workers

logger = logging.getLogger(__name__)


PRELOAD = ("server.audits.preload",)


async def _prime(agents: Mapping[str, Agent], default: bool) -> None:
    """Start the workers, load reference data and run every agent once (in the background).

    A fresh worker pays one-off costs on its first job (lazy imports, caches); measured with a
    probe task, that first audit stalled the event loop for 100-170 ms, later ones for 15-40 ms.
    The default agents' data is loaded in the server process too: the external agent reads the
    ECB history's date there, and parsing it holds the GIL.
    """
    pool = current_pool()
    if pool is not None:
        await asyncio.to_thread(pool.start)
    if not default:
        return  # agents a test or benchmark brought: they are theirs to run
    await asyncio.to_thread(warm_up)
    entry = list_samples()[0]
    names = [entry["document"], entry.get("prior_year")]
    docs = [
        await offload(read_document, sample_path(n).read_bytes(), n) if n else None for n in names
    ]
    assert docs[0] is not None
    inputs = AuditInputs(document=docs[0], prior_year=docs[1])
    await asyncio.gather(*(agent(inputs) for agent in agents.values()))
    # What start-up made (modules, reference data) lives as long as the process: move it out
    # of the collector's sight so a full collection, which stops the loop, stays short.
    gc.collect()
    gc.freeze()
    logger.info("workers ready and agents warm")


async def _prime_quietly(agents: Mapping[str, Agent], default: bool) -> None:
    try:
        await _prime(agents, default)
    except asyncio.CancelledError:
        raise
    except Exception:
        # Priming is an optimisation: a failure here must not stop the server; the first
        # audit will pay the one-off costs (and report any real error as its own).
        logger.exception("priming the agents failed; the first audit will be slower")


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
        audits.open()
        await asyncio.to_thread(documents.open)
        recover(log, audits.unfinished_audits(), list(orchestrator.agents))
        await asyncio.to_thread(
            start_workers, settings.agent_workers, PRELOAD if agents is None else ()
        )
        runtime.drafts.resume()
        priming = asyncio.create_task(_prime_quietly(orchestrator.agents, agents is None))
        app.state.priming = priming
        try:
            yield
        finally:
            priming.cancel()
            await asyncio.gather(priming, return_exceptions=True)
            await going_away(runtime)
            await orchestrator.shutdown()
            await runtime.drafts.shutdown()
            audits.close()
            await asyncio.to_thread(stop_workers)

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
