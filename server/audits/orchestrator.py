"""Runs the agents of one audit concurrently and reports their lifecycle to an event sink.

It knows nothing about WebSockets, HTTP or storage: it reads the inputs through a `load`
callable and reports through `EventSink.emit`. Agents are plain async callables; they never
emit lifecycle events, the orchestrator does it for them:

- every agent runs in its own task; an exception becomes `agent_failed` (`crashed`, traceback
  logged with the audit id, never sent), the per-agent time limit becomes `timeout`, and the
  other agents carry on;
- `audit_finished` is emitted exactly once, last, from a `finally`;
- progress callbacks may come from any thread; they are rate-limited per agent, `done` is
  made monotonic, and frames for an agent that already finished are dropped;
- `cancel()` stops the running agents (`agent_failed` with `cancelled`) and finishes the audit
  `cancelled`; repeating it is harmless. Shutdown uses the same path with `interrupted`.

Deliberate divergence: a timed-out agent that computes in a worker thread cannot be killed
(Python threads cannot be interrupted); its thread finishes in the background and its result is
ignored. The audit does not wait for it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from generated.models import (
    AgentOutcome,
    AgentState,
    AuditFinished,
    AuditStatus,
    ErrorCode,
    ErrorInfo,
)
from server.agents.base import Agent, AgentResultModel, AuditInputs, Progress
from server.errors import (
    AgentCancelled,
    AgentCrashed,
    AgentTimeout,
    CrosscheckError,
    DocumentError,
    Interrupted,
)
from server.events import (
    EventBuilder,
    agent_progress,
    document_info,
    inputs_info,
    outcome,
    status_of,
    summary,
)
from server.log import EventSink

logger = logging.getLogger(__name__)

LoadInputs = Callable[[], Awaitable[AuditInputs]]


class TooManyAudits(Exception):
    """The configured number of audits is already running."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} audits are already running; try again shortly.")
        self.limit = limit


class Reservation:
    """A place among the running audits, held between admission and start."""

    def __init__(self, orchestrator: Orchestrator) -> None:
        self._orchestrator = orchestrator
        self.active = True

    def release(self) -> None:
        if self.active:
            self.active = False
            self._orchestrator._reserved -= 1


@dataclass(eq=False)
class AuditRun:
    audit_id: str
    cancel_code: ErrorCode | None = None
    finishing: bool = False
    task: asyncio.Task[AuditFinished] | None = None
    finished_agents: set[str] = field(default_factory=set)
    progress: asyncio.Queue[tuple[str, int, int | None, str | None]] = field(
        default_factory=asyncio.Queue
    )

    def cancel(self, code: ErrorCode = ErrorCode.cancelled) -> None:
        if self.cancel_code is not None or self.finishing:
            return
        self.cancel_code = code
        if self.task is not None:
            self.task.cancel()


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
        self.progress_interval_s = 1.0 / progress_per_s if progress_per_s > 0 else 0.0
        self.max_running = max_running
        self._runs: dict[str, AuditRun] = {}
        self._reserved = 0

    # -- admission and control -------------------------------------------------------------

    @property
    def running(self) -> int:
        return len(self._runs)

    def is_running(self, audit_id: str) -> bool:
        return audit_id in self._runs

    def reserve(self) -> Reservation:
        """Claim a place before doing slow work (storing uploads); raises TooManyAudits."""
        if len(self._runs) + self._reserved >= self.max_running:
            raise TooManyAudits(self.max_running)
        self._reserved += 1
        return Reservation(self)

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
        return run

    # -- one audit -------------------------------------------------------------------------

    async def _execute(self, run: AuditRun, load: LoadInputs) -> AuditFinished:
        builder = EventBuilder(run.audit_id)
        started = time.monotonic()
        outcomes: dict[str, AgentOutcome] = {
            name: outcome(name, AgentState.pending) for name in self.agents
        }
        error: ErrorInfo | None = None
        failed = reraise = False
        try:
            inputs = await load()
            await self._sink.emit(
                builder.audit_started(
                    list(self.agents), document_info(inputs.document), inputs_info(inputs)
                )
            )
            async with asyncio.TaskGroup() as group:
                pump = group.create_task(self._pump_progress(run))
                agent_tasks = [
                    group.create_task(self._run_agent(run, builder, name, agent, inputs, outcomes))
                    for name, agent in self.agents.items()
                ]
                await asyncio.wait(agent_tasks)
                pump.cancel()
        except asyncio.CancelledError:
            if run.cancel_code is None:
                # Cancelled from outside (the event loop is going away): finish, then re-raise.
                run.cancel_code, reraise = ErrorCode.interrupted, True
            else:
                _uncancel()
        except DocumentError as exc:
            failed, error = True, exc.to_info()
        except Exception:
            logger.exception("audit %s failed outside its agents", run.audit_id)
            failed, error = True, CrosscheckError().to_info()
        finally:
            run.finishing = True
            final = list(outcomes.values())
            if run.cancel_code is ErrorCode.cancelled:
                status = AuditStatus.cancelled
            elif run.cancel_code is ErrorCode.interrupted:
                status, error = AuditStatus.failed, Interrupted().to_info()
            elif failed:
                status = AuditStatus.failed
            else:
                status = status_of(final, cancelled=False)
            finished = builder.audit_finished(status, _ms_since(started), summary(final), error)
            try:
                await self._sink.emit(finished)
            finally:
                # Only now: until the terminal event is in the log, the audit counts as running.
                self._runs.pop(run.audit_id, None)
        if reraise:
            raise asyncio.CancelledError
        return finished

    async def _run_agent(
        self,
        run: AuditRun,
        builder: EventBuilder,
        name: str,
        agent: Agent,
        inputs: AuditInputs,
        outcomes: dict[str, AgentOutcome],
    ) -> None:
        await self._sink.emit(builder.agent_started(name))
        outcomes[name] = outcome(name, AgentState.running)
        started = time.monotonic()
        progress = self._progress_callback(run, name)
        try:
            async with asyncio.timeout(self.agent_timeout_s):
                result = await agent(inputs, progress)
            _check_result(name, result)
        except asyncio.CancelledError:
            code = run.cancel_code or ErrorCode.interrupted
            stopped = AgentCancelled() if code is ErrorCode.cancelled else Interrupted()
            self._finish_agent(run, name, outcomes, stopped)
            await self._sink.emit(builder.agent_failed(name, _ms_since(started), stopped.to_info()))
            raise
        except TimeoutError:
            error = AgentTimeout(f"The {name} agent ran out of time ({self.agent_timeout_s:g} s).")
            await self._fail(run, builder, name, outcomes, started, error)
        except CrosscheckError as exc:
            await self._fail(run, builder, name, outcomes, started, exc)
        except Exception:
            logger.exception("agent %s crashed in audit %s", name, run.audit_id)
            await self._fail(run, builder, name, outcomes, started, AgentCrashed())
        else:
            run.finished_agents.add(name)
            outcomes[name] = outcome(
                name, AgentState.completed, (f.severity for f in result.findings)
            )
            await self._sink.emit(builder.agent_completed(name, _ms_since(started), result))

    async def _fail(
        self,
        run: AuditRun,
        builder: EventBuilder,
        name: str,
        outcomes: dict[str, AgentOutcome],
        started: float,
        error: CrosscheckError,
    ) -> None:
        self._finish_agent(run, name, outcomes, error)
        await self._sink.emit(builder.agent_failed(name, _ms_since(started), error.to_info()))

    @staticmethod
    def _finish_agent(
        run: AuditRun, name: str, outcomes: dict[str, AgentOutcome], error: CrosscheckError
    ) -> None:
        run.finished_agents.add(name)
        outcomes[name] = outcome(name, AgentState.failed, error_code=error.code)

    # -- progress --------------------------------------------------------------------------

    def _progress_callback(self, run: AuditRun, name: str) -> Progress:
        """A thread-safe callback: rate-limited, monotonic `done`, handed to the loop."""
        loop = asyncio.get_running_loop()
        lock = threading.Lock()
        last_at = -math.inf
        last_done = -1
        interval = self.progress_interval_s

        def progress(done: int, total: int | None = None, message: str | None = None) -> None:
            nonlocal last_at, last_done
            now = time.monotonic()
            with lock:
                if done < last_done or now - last_at < interval:
                    return
                last_at, last_done = now, done
            item = (name, done, total, message)
            try:
                loop.call_soon_threadsafe(run.progress.put_nowait, item)
            except RuntimeError:  # the loop has closed: nobody is listening any more
                return

        return progress

    async def _pump_progress(self, run: AuditRun) -> None:
        while True:
            name, done, total, message = await run.progress.get()
            if name in run.finished_agents:
                continue
            await self._sink.emit(agent_progress(run.audit_id, name, done, total, message))


def _check_result(name: str, result: AgentResultModel) -> None:
    if getattr(result, "agent", None) != name:
        raise TypeError(f"agent {name!r} returned {type(result).__name__}, not its own result")


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _uncancel() -> None:
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()
