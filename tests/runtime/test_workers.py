"""Agent work in worker processes: results and progress come back; a dead worker is a crash."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from server import workers as offload
from server.agents.base import Progress


def _count_to(n: int, progress: Progress) -> tuple[int, int]:
    for i in range(1, n + 1):
        progress(i, n, f"step {i}")
    return os.getpid(), n


def _die() -> None:
    os._exit(3)


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
