"""CPU-heavy agents run off the event loop: frames keep flowing while they compute.

No duration is measured (how long the loop stalls is a figure of bench/streaming/overhead.py).
Instead every agent computes, pure CPU, until the client has received three heartbeats sent
*while all four were computing*: heartbeats come from the event loop, so if an agent's work ran
on it (or starved it), they would stop, the agents would compute for ever and pytest's timeout
would fail the test. It runs with the agents in threads of the server process (sharing its GIL,
`agent_workers=0`) and in worker processes, as production runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from server.transports import codes
from tests.support.harness import api, create_audit, read_until_closed, ws_connect
from tests.support.results import AGENTS
from tests.support.worker_agents import Step, offloaded_team

HEARTBEATS_WHILE_COMPUTING = 3


@pytest.mark.parametrize("workers", [0, 4], ids=["threads", "worker-processes"])
async def test_heartbeats_keep_flowing_while_every_agent_computes(
    start_server, tmp_path: Path, workers: int
) -> None:
    release = tmp_path / "release"
    team = offloaded_team(**{name: Step(busy_until=release) for name in AGENTS})
    server = start_server(team, agent_workers=workers, heartbeat_s=0.05)
    seen: list[int] = []

    def all_busy() -> bool:
        return all((tmp_path / f"{name}.busy").exists() for name in AGENTS)

    def count(frame: dict[str, object]) -> bool:
        if frame["type"] == "heartbeat" and all_busy():
            seen.append(1)
            if len(seen) == HEARTBEATS_WHILE_COMPUTING:
                release.touch()  # only now may the agents finish
        return frame["type"] == "audit_finished"

    async with api(server) as client:
        audit_id = await create_audit(client)
        async with ws_connect(f"{server.ws_base}/ws/audit/{audit_id}") as ws:
            stream = await read_until_closed(ws, until=count)
            rest = await read_until_closed(ws)
    assert rest.close_code == codes.WS_1000_NORMAL
    assert stream.frames[-1]["status"] == "completed"
    assert len(seen) >= HEARTBEATS_WHILE_COMPUTING
    assert {f["agent"] for f in stream.of_type("agent_completed")} == set(AGENTS)
