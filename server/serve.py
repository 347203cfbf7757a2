"""Runs the app under uvicorn, closing streams with 1001 before uvicorn's own shutdown.

uvicorn's shutdown closes WebSockets with 1012 and only then runs the lifespan shutdown, so
`GracefulServer` first signals the app (streams close with 1001, clients resume with `after`)
and waits briefly for those connections to finish.

The default agents compute in worker processes (server/workers.py); agents run in
threads (injected agents, `--agent-workers 0`) keep the GIL for up to the switch interval (5 ms
by default) each time the event loop asks for it. `build_server` lowers the interval to 1 ms so
frames keep flowing either way (process-wide, which is why it lives here, not in create_app).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
from collections.abc import Mapping

import uvicorn
from fastapi import FastAPI

from server.agents.base import Agent
from server.app import create_app, going_away
from server.runtime import Runtime
from server.settings import Settings

DRAIN_TIMEOUT_S = 2.0
GIL_SWITCH_INTERVAL_S = 0.001
GRACEFUL_SHUTDOWN_S = 5


class GracefulServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.crosscheck_app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        runtime: Runtime = self.crosscheck_app.state.runtime
        await going_away(runtime)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(runtime.idle.wait(), DRAIN_TIMEOUT_S)
        await super().shutdown(sockets)


def build_server(
    settings: Settings, agents: Mapping[str, Agent] | None = None, log_level: str = "info"
) -> GracefulServer:
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = create_app(settings, agents)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        ws="websockets-sansio",
        lifespan="on",
        log_level=log_level,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    return GracefulServer(config, app)
