"""Server processes in tests: a free port, and waiting until a started server answers."""

from __future__ import annotations

import asyncio
import socket
import subprocess

import httpx

from tests.support.harness import api


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    async with api(base) as client:
        for _ in range(300):
            assert process.poll() is None, "the server process exited"
            try:
                if (await client.get("/api/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("the server process did not come up")
