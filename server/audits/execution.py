"""One audit from start to its terminal event: every agent in its own task, lifecycle reported.

- the inputs are loaded (parsed) first; a document that cannot be read finishes the audit
  `failed`/`invalid_document` before any agent starts;
- an agent's exception becomes `agent_failed` (`crashed`, traceback logged with the audit id,
  never sent), its time limit `timeout`, and the other agents carry on;
- `audit_finished` is emitted exactly once, last, from a `finally`;
- a cancelled run stops its agents (`agent_failed` with `cancelled` or `interrupted`) and
  finishes `cancelled` or `failed`/`interrupted`.

Deliberate divergence: a timed-out agent that computes in a worker cannot be killed mid-job; its
job finishes in the background and its result is ignored. The audit does not wait for it.
"""

from __future__ import annotations

import asyncio
import logging
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
from server.agents.base import Agent, AuditInputs
from server.audits.describe import document_info, inputs_info
from server.audits.progress import ProgressRelay
from server.errors import (
    AgentCancelled,
    AgentCrashed,
    AgentTimeout,
    CrosscheckError,
    DocumentError,
    Interrupted,
)
from server.events import EventBuilder, EventSink, outcome, status_of, summary
from server.results import AgentResultModel

logger = logging.getLogger(__name__)

LoadInputs = Callable[[], Awaitable[AuditInputs]]


@dataclass(eq=False)
class AuditRun:
    """A running audit: its task, and why it is being stopped, if it is."""

    audit_id: str
    cancel_code: ErrorCode | None = None
    finishing: bool = False
    task: asyncio.Task[AuditFinished] | None = None

    def cancel(self, code: ErrorCode = ErrorCode.cancelled) -> None:
        if self.cancel_code is not None or self.finishing:
            return
        self.cancel_code = code
        if self.task is not None:
            self.task.cancel()


@dataclass(eq=False)
class Execution:
    """Runs the agents of one audit and reports to `sink`; `run()` returns the terminal event."""

    run_state: AuditRun
    agents: Mapping[str, Agent]
    sink: EventSink
    load: LoadInputs
    agent_timeout_s: float
    progress_per_s: float
    outcomes: dict[str, AgentOutcome] = field(default_factory=dict)

    async def run(self) -> AuditFinished:
        state = self.run_state
        builder = EventBuilder(state.audit_id)
        relay = ProgressRelay(state.audit_id, self.sink, self.progress_per_s)
        started = time.monotonic()
        self.outcomes = {name: outcome(name, AgentState.pending) for name in self.agents}
        error: ErrorInfo | None = None
        failed = reraise = False
        try:
            inputs = await self.load()
            await self.sink.emit(
                builder.audit_started(
                    list(self.agents), document_info(inputs.document), inputs_info(inputs)
                )
            )
            async with asyncio.TaskGroup() as group:
                pump = group.create_task(relay.pump())
                agent_tasks = [
                    group.create_task(self._run_agent(builder, relay, name, agent, inputs))
                    for name, agent in self.agents.items()
                ]
                await asyncio.wait(agent_tasks)
                pump.cancel()
        except asyncio.CancelledError:
            if state.cancel_code is None:
                # Cancelled from outside (the event loop is going away): finish, then re-raise.
                state.cancel_code, reraise = ErrorCode.interrupted, True
            else:
                _uncancel()
        except DocumentError as exc:
            failed, error = True, exc.to_info()
        except Exception:
            logger.exception("audit %s failed outside its agents", state.audit_id)
            failed, error = True, CrosscheckError().to_info()
        finally:
            state.finishing = True
            final = list(self.outcomes.values())
            if state.cancel_code is ErrorCode.cancelled:
                status = AuditStatus.cancelled
            elif state.cancel_code is ErrorCode.interrupted:
                status, error = AuditStatus.failed, Interrupted().to_info()
            elif failed:
                status = AuditStatus.failed
            else:
                status = status_of(final, cancelled=False)
            finished = builder.audit_finished(status, _ms_since(started), summary(final), error)
            await self.sink.emit(finished)
        if reraise:
            raise asyncio.CancelledError
        return finished

    async def _run_agent(
        self,
        builder: EventBuilder,
        relay: ProgressRelay,
        name: str,
        agent: Agent,
        inputs: AuditInputs,
    ) -> None:
        await self.sink.emit(builder.agent_started(name))
        self.outcomes[name] = outcome(name, AgentState.running)
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.agent_timeout_s):
                result = await agent(inputs, relay.callback(name))
            _check_result(name, result)
        except asyncio.CancelledError:
            code = self.run_state.cancel_code or ErrorCode.interrupted
            stopped = AgentCancelled() if code is ErrorCode.cancelled else Interrupted()
            self._fail_quietly(relay, name, stopped)
            await self.sink.emit(builder.agent_failed(name, _ms_since(started), stopped.to_info()))
            raise
        except TimeoutError:
            error = AgentTimeout(f"The {name} agent ran out of time ({self.agent_timeout_s:g} s).")
            await self._fail(builder, relay, name, started, error)
        except CrosscheckError as exc:
            await self._fail(builder, relay, name, started, exc)
        except Exception:
            logger.exception("agent %s crashed in audit %s", name, self.run_state.audit_id)
            await self._fail(builder, relay, name, started, AgentCrashed())
        else:
            relay.finished.add(name)
            self.outcomes[name] = outcome(
                name, AgentState.completed, (f.severity for f in result.findings)
            )
            await self.sink.emit(builder.agent_completed(name, _ms_since(started), result))

    async def _fail(
        self,
        builder: EventBuilder,
        relay: ProgressRelay,
        name: str,
        started: float,
        error: CrosscheckError,
    ) -> None:
        self._fail_quietly(relay, name, error)
        await self.sink.emit(builder.agent_failed(name, _ms_since(started), error.to_info()))

    def _fail_quietly(self, relay: ProgressRelay, name: str, error: CrosscheckError) -> None:
        relay.finished.add(name)
        self.outcomes[name] = outcome(name, AgentState.failed, error_code=error.code)


def _check_result(name: str, result: AgentResultModel) -> None:
    if getattr(result, "agent", None) != name:
        raise TypeError(f"agent {name!r} returned {type(result).__name__}, not its own result")


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _uncancel() -> None:
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()
