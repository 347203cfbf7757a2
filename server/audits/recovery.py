"""Start-up recovery: audits that were running when the process stopped are finished now.

Each gets `agent_failed` (`interrupted`) for every agent that had started and not finished,
then `audit_finished` with status `failed` and error `interrupted`. Durations run up to the last
event recorded before the stop (the best estimate of when the process died). Everything
already recorded stays as it was and remains replayable.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from generated.models import AgentOutcome, AgentState, AuditStatus, ErrorCode
from server.errors import Interrupted
from server.events import EventBuilder, outcome, parse_ts, summary
from server.log import EventLog

logger = logging.getLogger(__name__)


def recover(log: EventLog, audit_ids: list[str], agent_names: list[str]) -> int:
    """Finish every listed (unfinished) audit as interrupted; returns how many were finished."""
    for audit_id in audit_ids:
        _finish_interrupted(log, audit_id, agent_names)
    if audit_ids:
        logger.warning("marked %d interrupted audit(s) as failed", len(audit_ids))
    return len(audit_ids)


def _finish_interrupted(log: EventLog, audit_id: str, agent_names: list[str]) -> None:
    events: list[dict[str, Any]] = [json.loads(w.text) for w in log.read(audit_id)]
    builder = EventBuilder(audit_id, after=log.last_seq(audit_id))
    names = list(agent_names)
    states: dict[str, AgentOutcome] = {}
    started_at: dict[str, str] = {}
    audit_started: str | None = None
    for event in events:
        kind, agent = event["type"], str(event.get("agent"))
        if kind == "audit_started":
            audit_started = event["ts"]
            names = list(event["agents"])
        elif kind == "agent_started":
            started_at[agent] = event["ts"]
            states[agent] = outcome(agent, AgentState.running)
        elif kind == "agent_completed":
            states[agent] = outcome(
                agent, AgentState.completed, (f["severity"] for f in event["result"]["findings"])
            )
        elif kind == "agent_failed":
            states[agent] = outcome(
                agent, AgentState.failed, error_code=ErrorCode(event["error"]["code"])
            )
    stopped = events[-1]["ts"] if events else None
    interrupted = Interrupted()
    for name, state in list(states.items()):
        if state.state is AgentState.running:
            duration = _ms_between(started_at[name], stopped)
            log.append(builder.agent_failed(name, duration, interrupted.to_info()))
            states[name] = outcome(name, AgentState.failed, error_code=ErrorCode.interrupted)
    final = [states.get(name) or outcome(name, AgentState.pending) for name in names]
    log.append(
        builder.audit_finished(
            AuditStatus.failed,
            _ms_between(audit_started, stopped),
            summary(final),
            interrupted.to_info(),
        )
    )


def _ms_between(start: str | None, end: str | None) -> int:
    if start is None or end is None:
        return 0
    return max(0, int((parse_ts(end) - parse_ts(start)).total_seconds() * 1000))
