"""No process outlives `crosscheck serve`, however it ends, and its semaphores are released.

A real server process with worker processes (forked from a fork server, next to
multiprocessing's resource tracker) is stopped mid-audit by Ctrl-C (SIGINT to the whole process
group, as a terminal sends it), by SIGTERM (`kill PID`) and by SIGKILL (no chance to clean up).
Each time every process it started must end. After a clean stop nothing may be left for the
resource tracker to reclaim (its "leaked semaphore" warning) and no process may print a
traceback; after SIGKILL the tracker reclaims what the server held, which is its job.

Nothing here has a deadline: a process that never ends makes pytest's timeout fail the test,
and the captured output names the processes it was waiting for.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.harness import api
from tests.support.paths import ROOT
from tests.support.processes import (
    alive,
    children,
    descendants,
    free_port,
    wait_healthy,
    worker_processes,
)

WORKERS = 2
CROSSCHECK = Path(sys.executable).parent / "crosscheck"


def _kinds(processes: dict[int, str]) -> list[str]:
    names = {"multiprocessing.forkserver": "fork server", "resource_tracker": "resource tracker"}
    return sorted(
        next((n for k, n in names.items() if k in cmd), cmd) for cmd in processes.values()
    )


async def _until_all_ended(family: dict[int, str]) -> None:
    left = alive(family)
    print(f"waiting for {len(left)} processes to end: {[family[p][:80] for p in left]}")
    while left:
        await asyncio.sleep(0.02)
        left = alive(family)


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm", "sigkill"])
async def test_no_process_outlives_the_server(stop: str, tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(CROSSCHECK), "serve", "--port", str(port), "--data-dir", str(tmp_path / "data")]
            + ["--agent-workers", str(WORKERS)],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives it
        )
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_healthy(base, process)
        while len(worker_processes(process.pid)) < WORKERS:  # they start after it answers
            await asyncio.sleep(0.02)
        async with api(base) as client:  # an audit in flight: workers are busy when it stops
            created = await client.post("/api/v1/audits", data={"sample": "fanmilk-2024"})
            assert created.status_code == 202
        assert _kinds(children(process.pid)) == ["fork server", "resource tracker"]
        family = descendants(process.pid)
        assert len(family) == WORKERS + 2 and len(worker_processes(process.pid)) == WORKERS
        if stop == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM if stop == "sigterm" else signal.SIGKILL)
        code = await asyncio.to_thread(process.wait)
        await _until_all_ended(family)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = log.read_text(errors="replace")
    if stop == "sigkill":
        assert code == -signal.SIGKILL
        return
    # uvicorn ends by re-raising the signal it shut down on, after a clean shutdown.
    assert code in (0, 128 + signal.SIGINT, -signal.SIGINT, -signal.SIGTERM), text
    assert "Application shutdown complete" in text
    assert "leaked semaphore" not in text and "resource_tracker" not in text, text
    assert "Traceback" not in text, text
