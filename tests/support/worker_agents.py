"""Agents that compute the way the real ones do: their work goes through `server.workers.offload`,
so in a server with `agent_workers >= 1` it runs in a worker process, and the result, the
progress and any exception cross the process boundary like a real agent's.

The work is `job(name, step)`: module-level and driven by a picklable `Step`, since it travels
to another process. It can report progress, crash, end its worker process abruptly, run until
cancelled or timed out, compute until the test lets it finish, and meet the other agents at a
barrier (files in a folder: every agent waits until all have arrived, which only works if they
run at the same time). Each result
records the process id it was computed in, in a count of its summary (`pid_of` reads it back),
so tests can tell where it ran.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generated.models import CheckTally, DisclosureResult, LogicResult, NumericResult
from server.agents.base import AgentResultModel, AuditInputs, Progress
from server.workers import offload
from tests.support.results import AGENTS, result_for

PID_CHECK = "worker-pid"


@dataclass(frozen=True)
class Step:
    behaviour: str = "complete"  # complete | crash | die | spin
    progress_steps: int = 0
    barrier: Path | None = None  # meet every agent named in `party` here before finishing
    party: tuple[str, ...] = AGENTS
    busy_until: Path | None = None  # compute (pure CPU) until this file exists


def job(name: str, step: Step, progress: Progress) -> AgentResultModel:
    """Runs in a worker process (or a thread when the server has no workers)."""
    for done in range(1, step.progress_steps + 1):
        progress(done, step.progress_steps, f"step {done}")
    if step.barrier is not None:
        _meet(step.barrier, name, step.party)
    if step.busy_until is not None:
        (step.busy_until.parent / f"{name}.busy").touch()
        while not step.busy_until.exists():
            sum(range(10_000))
    if step.behaviour == "crash":
        raise ZeroDivisionError("secret internal detail /srv/app.py line 42")
    if step.behaviour == "die":
        os._exit(9)  # as if the worker were killed mid-job (out of memory, a segfault)
    if step.behaviour == "spin":
        while True:  # pure CPU until the process is told to stop: a hung agent
            sum(range(10_000))
    return with_pid(name, os.getpid())


def _meet(folder: Path, name: str, party: tuple[str, ...]) -> None:
    """Arrive, then wait until every member of the party has arrived (no deadline: a party
    that cannot meet, because its members run one after another, hangs until pytest's timeout
    ends the test)."""
    (folder / name).touch()
    while not all((folder / member).exists() for member in party):
        time.sleep(0.005)


def with_pid(name: str, pid: int) -> AgentResultModel:
    """A valid result of `name` that records the process it was computed in."""
    result = result_for(name)
    summary: Any = result.summary
    if isinstance(result, NumericResult | LogicResult):
        summary.by_check = [CheckTally(check=PID_CHECK, run=pid, failed=0)]
    elif isinstance(result, DisclosureResult):
        summary.requirements_checked = pid
    else:
        summary.claims_found = pid
    return result


def pid_of(result: dict[str, Any]) -> int:
    """The process a result (as received in an `agent_completed` frame) was computed in."""
    summary = result["summary"]
    if result["agent"] in ("numeric", "logic"):
        return int(next(t["run"] for t in summary["by_check"] if t["check"] == PID_CHECK))
    if result["agent"] == "disclosure":
        return int(summary["requirements_checked"])
    return int(summary["claims_found"])


@dataclass
class OffloadedAgent:
    """An agent whose whole work is one offloaded job, like numeric, logic and disclosure."""

    name: str
    step: Step = Step()

    async def __call__(self, inputs: AuditInputs, progress: Progress | None = None) -> Any:
        assert inputs.document.tables, "the orchestrator passes the parsed document"
        return await offload(job, self.name, self.step, progress=progress or _ignore)


def _ignore(done: int, total: int | None = None, message: str | None = None) -> None:
    """A progress callback that drops what it is told."""


def offloaded_team(**steps: Step) -> dict[str, OffloadedAgent]:
    """The four agents as offloaded jobs, completing at once unless given another step."""
    return {name: OffloadedAgent(name, steps.get(name, Step())) for name in AGENTS}
