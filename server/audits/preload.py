"""What every worker process starts with: importing this module loads and warms the agents.

The worker pool's fork server (server/workers.py) imports this module once; every worker is a
fork of it and starts with the agents imported, their reference data loaded (`warm_up`) and
their first-run costs paid (one audit of the first bundled sample, run here): a fresh worker
spent 100-170 ms more on its first audit than on later ones. A fork server can only preload
modules by name, hence the side effects of importing this one.

The audit runs with no worker pool, so `offload` uses short-lived threads; `asyncio.run` joins
them before returning, and the fork server forks only from a single-threaded process. Nothing
here may raise: the fork server would die with it and no worker could start, so a failure is
logged and the workers start cold instead.

Ctrl-C in a terminal sends SIGINT to the whole process group, fork server and workers included.
The server decides when they stop, so importing this module ignores SIGINT first: in the fork
server (which the import would otherwise end mid-preload) and so in every worker from the
instant it is forked (the fork server hands its children the handlers it had after preloading).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal

from server.agents.base import AuditInputs
from server.agents.registry import default_agents, warm_up
from server.ingest.reader import read_document
from server.samples import list_samples, sample_path

logger = logging.getLogger(__name__)


def prime() -> None:
    """Load every agent's data and run each once on the first bundled sample (blocking)."""
    warm_up()
    entry = list_samples()[0]
    prior = entry.get("prior_year")
    inputs = AuditInputs(
        document=read_document(sample_path(entry["document"]).read_bytes(), entry["document"]),
        prior_year=read_document(sample_path(prior).read_bytes(), prior) if prior else None,
    )

    async def run_all() -> None:
        await asyncio.gather(*(agent(inputs) for agent in default_agents().values()))

    asyncio.run(run_all())


signal.signal(signal.SIGINT, signal.SIG_IGN)
try:
    prime()
except Exception:  # never let it reach the fork server: see the module docstring
    logger.exception("warming up the worker processes failed; workers start cold")
# What was loaded lives as long as the workers: keep it out of the collector's sight, so
# collections stay short and do not write to (and so copy) the pages the workers share.
gc.freeze()
