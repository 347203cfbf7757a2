"""Runs the app under uvicorn, closing streams with 1001 before uvicorn's own shutdown.

uvicorn's shutdown closes WebSockets with 1012 and only then runs the lifespan shutdown, so
`GracefulServer` first signals the app (streams close with 1001, clients resume with `after`)
and waits briefly for those connections to finish.

The default agents compute in worker processes (server/workers.py); agents run in
threads (injected agents, `--agent-workers 0`) keep the GIL for up to the switch interval (5 ms
by default) each time the event loop asks for it. `build_server` lowers the interval to 1 ms so
frames keep flowing either way (process-wide, which is why it lives here, not in create_app).

`on_ready` is called once the server answers: `GracefulServer` asks its own `/api/health`
after uvicorn started listening, so the URL `crosscheck serve` prints is one that works.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
from collections.abc import Callable, Mapping

import httpx
import uvicorn
from fastapi import FastAPI

from server.agents.base import Agent
from server.app import create_app, going_away
from server.runtime import Runtime
from server.settings import Settings

DRAIN_TIMEOUT_S = 2.0
HEALTH_POLL_S = 0.02
HEALTH_TIMEOUT_S = 2.0
GIL_SWITCH_INTERVAL_S = 0.001
GRACEFUL_SHUTDOWN_S = 5


class GracefulServer(uvicorn.Server):
    def __init__(
        self, config: uvicorn.Config, app: FastAPI, on_ready: Callable[[], None] | None = None
    ) -> None:
        super().__init__(config)
        self.crosscheck_app = app
        self.on_ready = on_ready
        self._announcing: asyncio.Task[None] | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self.on_ready is not None:
            self._announcing = asyncio.create_task(self._announce(self._health_url(sockets)))

    def _health_url(self, sockets: list[socket.socket] | None) -> str:
        if sockets:
            host, port = sockets[0].getsockname()[:2]
        else:
            host, port = self.config.host, self.config.port
        if host in ("0.0.0.0", "::", ""):  # listening everywhere: ask over loopback
            host = "127.0.0.1" if host != "::" else "::1"
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/api/health"

    async def _announce(self, url: str) -> None:
        """Calls `on_ready` once the server's own health check answers 200."""
        async with httpx.AsyncClient(timeout=HEALTH_TIMEOUT_S) as client:
            while not self.should_exit:
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(url)).status_code == 200:
                        assert self.on_ready is not None
                        self.on_ready()
                        return
                await asyncio.sleep(HEALTH_POLL_S)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        runtime: Runtime = self.crosscheck_app.state.runtime
        await going_away(runtime)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(runtime.idle.wait(), DRAIN_TIMEOUT_S)
        await super().shutdown(sockets)


def build_server(
    settings: Settings,
    agents: Mapping[str, Agent] | None = None,
    log_level: str = "info",
    on_ready: Callable[[], None] | None = None,
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
    return GracefulServer(config, app, on_ready)
