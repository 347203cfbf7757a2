"""Builds every frame from the generated models, so nothing on the wire is a hand-made dict.

`EventBuilder` numbers one audit's log events: `seq` starts after the last stored event (1 for a
new audit) and only ever increases by one. The log checks the numbering again on append, so a
bug here fails loudly instead of leaving a gap.  Connection frames (`agent_progress`,
`heartbeat`) carry no `seq`.  `ts` is RFC 3339 UTC with milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Protocol

from generated.models import (
    AgentCompleted,
    AgentFailed,
    AgentName,
    AgentOutcome,
    AgentProgress,
    AgentStarted,
    AgentState,
    AuditFinished,
    AuditInputs,
    AuditStarted,
    AuditStatus,
    AuditSummary,
    DocumentInfo,
    ErrorCode,
    ErrorInfo,
    Heartbeat,
    Severity,
    SeverityCounts,
)
from server.results import AgentResultModel

PROTOCOL_VERSION = 1
LogEventModel = AuditStarted | AgentStarted | AgentCompleted | AgentFailed | AuditFinished
ConnectionFrame = AgentProgress | Heartbeat
FrameModel = LogEventModel | ConnectionFrame
MAX_PROGRESS_MESSAGE = 200


class EventSink(Protocol):
    """What the orchestrator reports to; it knows nothing of storage or transports (the event
    log is one sink, the terminal of `crosscheck audit` another)."""

    async def emit(self, event: FrameModel) -> None: ...


def now_ts() -> str:
    """Current time as 'YYYY-MM-DDTHH:MM:SS.mmmZ'."""
    return format_ts(datetime.now(UTC))


def format_ts(moment: datetime) -> str:
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def parse_ts(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def severity_counts(severities: Iterable[Severity | str]) -> SeverityCounts:
    tally = {s.value: 0 for s in Severity}
    for severity in severities:
        tally[Severity(severity).value] += 1
    return SeverityCounts(**tally)


def outcome(
    agent: str,
    state: AgentState,
    severities: Iterable[Severity | str] = (),
    error_code: ErrorCode | None = None,
) -> AgentOutcome:
    """One agent's line in the audit summary; `severities` of its findings, if it completed."""
    findings = severity_counts(severities)
    if error_code is None:
        return AgentOutcome(agent=AgentName(agent), state=state, findings=findings)
    return AgentOutcome(
        agent=AgentName(agent), state=state, findings=findings, error_code=error_code
    )


def summary(outcomes: list[AgentOutcome]) -> AuditSummary:
    total = {s.value: 0 for s in Severity}
    for item in outcomes:
        counts = item.findings.model_dump(mode="json")
        for key in total:
            total[key] += counts[key]
    return AuditSummary(agents=outcomes, findings=SeverityCounts(**total))


def status_of(outcomes: list[AgentOutcome], cancelled: bool) -> AuditStatus:
    """cancelled wins; otherwise any failed agent makes it completed_with_errors."""
    if cancelled:
        return AuditStatus.cancelled
    if any(o.state is not AgentState.completed for o in outcomes):
        return AuditStatus.completed_with_errors
    return AuditStatus.completed


class EventBuilder:
    """The log events of one audit, numbered from `after + 1`."""

    def __init__(self, audit_id: str, after: int = 0) -> None:
        self.audit_id = audit_id
        self.last_seq = after

    def _next(self) -> int:
        self.last_seq += 1
        return self.last_seq

    def _envelope(self) -> dict[str, object]:
        return {
            "v": PROTOCOL_VERSION,
            "audit_id": self.audit_id,
            "ts": now_ts(),
            "seq": self._next(),
        }

    def audit_started(
        self, agents: list[str], document: DocumentInfo, inputs: AuditInputs
    ) -> AuditStarted:
        return AuditStarted(
            type="audit_started",
            agents=[AgentName(a) for a in agents],
            document=document,
            inputs=inputs,
            **self._envelope(),  # type: ignore[arg-type]
        )

    def agent_started(self, agent: str) -> AgentStarted:
        return AgentStarted(type="agent_started", agent=AgentName(agent), **self._envelope())  # type: ignore[arg-type]

    def agent_completed(
        self, agent: str, duration_ms: int, result: AgentResultModel
    ) -> AgentCompleted:
        return AgentCompleted(
            type="agent_completed",
            agent=AgentName(agent),
            duration_ms=max(0, duration_ms),
            result=result,
            **self._envelope(),  # type: ignore[arg-type]
        )

    def agent_failed(self, agent: str, duration_ms: int, error: ErrorInfo) -> AgentFailed:
        return AgentFailed(
            type="agent_failed",
            agent=AgentName(agent),
            duration_ms=max(0, duration_ms),
            error=error,
            **self._envelope(),  # type: ignore[arg-type]
        )

    def audit_finished(
        self,
        status: AuditStatus,
        duration_ms: int,
        audit_summary: AuditSummary,
        error: ErrorInfo | None = None,
    ) -> AuditFinished:
        fields: dict[str, object] = {
            "type": "audit_finished",
            "status": status,
            "duration_ms": max(0, duration_ms),
            "summary": audit_summary,
            **self._envelope(),
        }
        if error is not None:
            fields["error"] = error
        return AuditFinished(**fields)  # type: ignore[arg-type]


def agent_progress(
    audit_id: str, agent: str, done: int, total: int | None, message: str | None
) -> AgentProgress:
    fields: dict[str, object] = {
        "v": PROTOCOL_VERSION,
        "type": "agent_progress",
        "audit_id": audit_id,
        "ts": now_ts(),
        "agent": AgentName(agent),
        "done": max(0, done),
    }
    if total is not None:
        fields["total"] = max(0, total)
    if message:
        fields["message"] = message[:MAX_PROGRESS_MESSAGE]
    return AgentProgress(**fields)  # type: ignore[arg-type]


def heartbeat(audit_id: str, last_seq: int) -> Heartbeat:
    return Heartbeat(v=1, type="heartbeat", audit_id=audit_id, ts=now_ts(), last_seq=last_seq)
