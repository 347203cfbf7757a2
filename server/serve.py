"""Runs the app under uvicorn, closing streams with 1001 before uvicorn's own shutdown.

uvicorn's shutdown closes WebSockets with 1012 and only then runs the lifespan shutdown, so
`GracefulServer` first signals the app (streams close with 1001, clients resume with `after`)
and waits briefly for those connections to finish.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Mapping

import uvicorn
from fastapi import FastAPI

from server.agents.base import Agent
from server.app import create_app, going_away
from server.runtime import Runtime
from server.settings import Settings

DRAIN_TIMEOUT_S = 2.0
GRACEFUL_SHUTDOWN_S = 5


class GracefulServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.crosscheck_app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        runtime: Runtime = self.crosscheck_app.state.runtime
        await going_away(runtime)
        deadline = time.monotonic() + DRAIN_TIMEOUT_S
        while runtime.connections and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await super().shutdown(sockets)


def build_server(
    settings: Settings, agents: Mapping[str, Agent] | None = None, log_level: str = "info"
) -> GracefulServer:
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
