"""Runs audits: admits them, starts each in a task it owns, cancels and shuts them down.

It knows nothing about WebSockets, HTTP or storage: inputs come through a `load` callable and
everything an audit does is reported through `EventSink.emit`. The pieces live beside it:
`admission` (how many may run), `execution` (one audit's agents and lifecycle events) and
`progress` (agents' progress, rate-limited, to the sink).

`cancel()` stops the running agents (`agent_failed` with `cancelled`) and finishes the audit
`cancelled`; repeating it is harmless. Shutdown uses the same path with `interrupted`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from generated.models import AuditFinished, ErrorCode
from server.agents.base import Agent
from server.audits.admission import Admission, Reservation
from server.audits.execution import AuditRun, Execution, LoadInputs
from server.events import EventSink

__all__ = ["LoadInputs", "Orchestrator", "Reservation"]


class Orchestrator:
    def __init__(
        self,
        agents: Mapping[str, Agent],
        sink: EventSink,
        *,
        agent_timeout_s: float,
        progress_per_s: float,
        max_running: int,
    ) -> None:
        if not agents:
            raise ValueError(
                "Orchestrator needs at least one agent; see server/agents/registry.py."
            )
        self.agents = dict(agents)
        self._sink = sink
        self.agent_timeout_s = agent_timeout_s
        self.progress_per_s = progress_per_s
        self.admission = Admission(max_running)
        self._runs: dict[str, AuditRun] = {}

    @property
    def max_running(self) -> int:
        return self.admission.max_running

    @property
    def running(self) -> int:
        return len(self._runs)

    def is_running(self, audit_id: str) -> bool:
        return audit_id in self._runs

    def reserve(self) -> Reservation:
        """Claim a place before doing slow work (storing uploads); raises TooManyAudits."""
        return self.admission.reserve()

    def start(
        self, audit_id: str, load: LoadInputs, reservation: Reservation
    ) -> asyncio.Task[AuditFinished]:
        """Run the audit in a task this orchestrator owns (awaited by `shutdown`)."""
        if not reservation.active:
            raise RuntimeError("Reservation already used or released: call reserve() per audit.")
        reservation.release()
        run = self._register(audit_id)
        run.task = asyncio.create_task(self._execute(run, load), name=f"audit-{audit_id}")
        return run.task

    async def run(self, audit_id: str, load: LoadInputs) -> AuditFinished:
        """Run the audit in the current task (for the CLI and tests); cancellable like start()."""
        run = self._register(audit_id)
        run.task = asyncio.current_task()  # type: ignore[assignment]
        return await self._execute(run, load)

    async def cancel(self, audit_id: str, code: ErrorCode = ErrorCode.cancelled) -> bool:
        """Stop the audit and wait until its audit_finished is in the log. False if not running."""
        run = self._runs.get(audit_id)
        if run is None:
            return False
        run.cancel(code)
        if run.task is not None and run.task is not asyncio.current_task():
            await asyncio.wait({run.task})
        return True

    async def shutdown(self) -> None:
        """Finish every running audit as interrupted and wait for their terminal events."""
        runs = list(self._runs.values())
        for run in runs:
            run.cancel(ErrorCode.interrupted)
        tasks = {
            r.task for r in runs if r.task is not None and r.task is not asyncio.current_task()
        }
        if tasks:
            await asyncio.wait(tasks)

    def _register(self, audit_id: str) -> AuditRun:
        if audit_id in self._runs:
            raise RuntimeError(f"Audit {audit_id!r} is already running; start each audit once.")
        run = AuditRun(audit_id)
        self._runs[audit_id] = run
        self.admission.running += 1
        return run

    async def _execute(self, run: AuditRun, load: LoadInputs) -> AuditFinished:
        execution = Execution(
            run, self.agents, self._sink, load, self.agent_timeout_s, self.progress_per_s
        )
        try:
            return await execution.run()
        finally:
            # Only now: until the terminal event is in the log, the audit counts as running.
            self._runs.pop(run.audit_id, None)
            self.admission.running -= 1
