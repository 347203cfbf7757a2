"""Agent work in worker processes, as the server runs it: results, progress and failures cross
the process boundary; the four agents compute at once, each in its own process."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server import workers as offload
from server.agents.base import Progress
from server.transports import codes
from tests.support.harness import (
    api,
    create_audit,
    read_until_closed,
    wait_finished,
    ws_connect,
    ws_stream,
)
from tests.support.processes import alive
from tests.support.results import AGENTS
from tests.support.worker_agents import Step, offloaded_team, pid_of

WORKERS = 4


def _count_to(n: int, progress: Progress) -> tuple[int, int]:
    for i in range(1, n + 1):
        progress(i, n, f"step {i}")
    return os.getpid(), n


def _die() -> None:
    os._exit(3)


def _say_pid(path: Path) -> None:
    """Write this process's id to `path` in one step (a reader never sees an empty file)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(str(os.getpid()))
    partial.rename(path)


def _spin(started: Path) -> None:
    _say_pid(started)
    while True:
        sum(range(10_000))


def _flood(started: Path, progress: Progress) -> None:
    """Progress without end, in items large enough that the worker's queue writer is nearly
    always in the middle of one (holding the queue's write lock)."""
    _say_pid(started)
    message = "x" * 200_000
    while True:
        progress(0, None, message)


async def _until(condition: Any) -> None:
    """Wait for a condition (pytest's timeout bounds the wait; nothing here is timed)."""
    while not condition():
        await asyncio.sleep(0.01)


@pytest.fixture
def workers() -> Iterator[None]:
    offload.start_workers(1)
    try:
        yield
    finally:
        offload.stop_workers()


async def test_work_runs_in_another_process_and_progress_comes_back(workers: None) -> None:
    seen: list[tuple[int, int | None, str | None]] = []
    pid, n = await offload.offload(
        _count_to, 5, progress=lambda d, t=None, m=None: seen.append((d, t, m))
    )
    assert pid != os.getpid() and n == 5
    assert seen == [(i, 5, f"step {i}") for i in range(1, 6)]


async def test_a_dead_worker_becomes_an_error_and_the_pool_recovers(workers: None) -> None:
    with pytest.raises(RuntimeError, match="worker process stopped"):
        await offload.offload(_die)
    pid, _ = await offload.offload(_count_to, 1, progress=lambda *a: None)
    assert pid != os.getpid()


async def test_without_workers_work_runs_in_a_thread() -> None:
    pid, n = await offload.offload(_count_to, 2, progress=lambda *a: None)
    assert pid == os.getpid() and n == 2


async def test_stopping_the_pool_ends_a_worker_mid_job(tmp_path: Path) -> None:
    pool = offload.start_workers(1)
    assert pool is not None
    started = tmp_path / "started"
    job = asyncio.create_task(offload.offload(_spin, started))
    while not started.exists():
        await asyncio.sleep(0.01)
    worker = int(started.read_text())
    assert pool.pids() == [worker]
    await asyncio.to_thread(offload.stop_workers)
    assert pool.pids() == [] and alive([worker]) == []
    with pytest.raises((RuntimeError, asyncio.CancelledError)):
        await job


async def test_progress_still_arrives_after_a_worker_died_writing_it(tmp_path: Path) -> None:
    """A worker killed while it held its queue's write lock would silence every later job's
    progress: the new workers get a queue of their own."""
    offload.start_workers(1)
    try:
        started = tmp_path / "started"
        flooding = asyncio.create_task(offload.offload(_flood, started, progress=lambda *a: None))
        await _until(started.exists)
        await asyncio.sleep(0.2)  # let the worker be well into its flood of progress
        os.kill(int(started.read_text()), 9)  # as the kernel's out-of-memory killer would
        with pytest.raises(RuntimeError, match="worker process stopped"):
            await flooding
        seen: list[tuple[int, int | None, str | None]] = []
        pid, n = await offload.offload(
            _count_to, 5, progress=lambda d, t=None, m=None: seen.append((d, t, m))
        )
        assert n == 5 and seen == [(i, 5, f"step {i}") for i in range(1, 6)]
    finally:
        offload.stop_workers()


async def test_four_agents_compute_at_once_in_four_worker_processes(start_server, tmp_path):
    """Each agent waits at a barrier until all four have arrived: queued in fewer processes
    than agents, the first would wait for ever (and pytest's timeout would fail the test)."""
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    team = offloaded_team(**{name: Step(barrier=barrier, progress_steps=3) for name in AGENTS})
    server = start_server(team, agent_workers=WORKERS)
    async with api(server) as client:
        audit_id = await create_audit(client)
        stream = await ws_stream(f"{server.ws_base}/ws/audit/{audit_id}")
    assert stream.close_code == codes.WS_1000_NORMAL
    assert stream.frames[-1]["status"] == "completed"
    results = {f["agent"]: f["result"] for f in stream.of_type("agent_completed")}
    pids = {pid_of(result) for result in results.values()}
    assert len(pids) == 4 and os.getpid() not in pids
    assert sorted(p.name for p in barrier.iterdir()) == sorted(AGENTS)
    for name in AGENTS:  # progress from another process arrives, and before the result
        frames = [f for f in stream.frames if f.get("agent") == name]
        kinds = [f["type"] for f in frames]
        assert kinds.index("agent_completed") > max(
            (i for i, k in enumerate(kinds) if k == "agent_progress"), default=-1
        )


async def test_a_crash_and_a_dead_worker_fail_only_their_agents(start_server):
    team = offloaded_team(logic=Step(behaviour="crash"), disclosure=Step(behaviour="die"))
    server = start_server(team, agent_workers=WORKERS)
    async with api(server) as client:
        first = await create_audit(client)
        stream = await ws_stream(f"{server.ws_base}/ws/audit/{first}")
        # The pool replaced its workers: the next audit runs on new ones.
        team["logic"].step = team["disclosure"].step = Step()
        second = await create_audit(client)
        after = await wait_finished(client, second)
    failed = {f["agent"]: f["error"] for f in stream.of_type("agent_failed")}
    assert failed["logic"]["code"] == "crashed" and "secret" not in failed["logic"]["message"]
    assert failed["disclosure"]["code"] == "crashed"
    completed = {f["agent"] for f in stream.of_type("agent_completed")}
    # A dead worker breaks the jobs running beside it too; whatever failed says so.
    assert completed | set(failed) == set(AGENTS) and "numeric" in completed | set(failed)
    assert stream.frames[-1]["status"] == "completed_with_errors"
    assert after["state"] == "completed"


async def test_a_hung_agent_in_a_worker_times_out_and_the_others_complete(start_server):
    team = offloaded_team(external=Step(behaviour="spin"))
    # The time limit is far above the others' work (milliseconds), so only the hung one meets it.
    server = start_server(team, agent_workers=WORKERS, agent_timeout_s=2.0)
    async with api(server) as client:
        audit_id = await create_audit(client)
        stream = await ws_stream(f"{server.ws_base}/ws/audit/{audit_id}")
    failed = {f["agent"]: f["error"]["code"] for f in stream.of_type("agent_failed")}
    assert failed == {"external": "timeout"}
    assert {f["agent"] for f in stream.of_type("agent_completed")} == {
        "numeric",
        "logic",
        "disclosure",
    }
    assert stream.frames[-1]["status"] == "completed_with_errors"


async def test_cancel_stops_agents_computing_in_workers(start_server):
    team = offloaded_team(logic=Step(behaviour="spin"), external=Step(behaviour="spin"))
    server = start_server(team, agent_workers=WORKERS)
    async with api(server) as client:
        audit_id = await create_audit(client)
        async with ws_connect(f"{server.ws_base}/ws/audit/{audit_id}") as ws:
            completed: set[str] = set()

            def both_completed(frame: dict[str, Any]) -> bool:
                if frame["type"] == "agent_completed":
                    completed.add(frame["agent"])
                return completed == {"numeric", "disclosure"}

            await read_until_closed(ws, until=both_completed)
            cancelled = await client.post(f"/api/v1/audits/{audit_id}/cancel")
            stream = await read_until_closed(ws)
    assert cancelled.status_code == 202
    failed = {f["agent"]: f["error"]["code"] for f in stream.of_type("agent_failed")}
    assert failed == {"logic": "cancelled", "external": "cancelled"}
    assert stream.frames[-1]["status"] == "cancelled"
