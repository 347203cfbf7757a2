"""Builds the review log's events from the generated models, numbered after the log's last seq.

Unlike the audit's `EventBuilder`, which lives as long as one run, review events are made one at
a time by requests that come and go, so each is numbered from the log's `last_seq` at the moment
it is built; build and append with no `await` between (the log checks the numbering again).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from generated.models import (
    AgentName,
    AuditSignedOff,
    CarriedFrom,
    Decision,
    DecisionRecorded,
    DismissalReason,
    DraftFinding,
    DraftsCompared,
    DraftStatus,
    ResolvedFinding,
    ReviewCounts,
)
from server.events import PROTOCOL_VERSION, now_ts
from server.log import ReviewLog


def _envelope(log: ReviewLog, audit_id: str) -> dict[str, Any]:
    return {
        "v": PROTOCOL_VERSION,
        "audit_id": audit_id,
        "ts": now_ts(),
        "seq": log.last_seq(audit_id) + 1,
    }


def decision_recorded(
    log: ReviewLog,
    audit_id: str,
    finding_id: str,
    decision: Decision,
    reviewer: str,
    reason: DismissalReason | None = None,
    note: str | None = None,
    carried_from: CarriedFrom | None = None,
) -> DecisionRecorded:
    fields: dict[str, Any] = {
        "type": "decision_recorded",
        **_envelope(log, audit_id),
        "finding_id": finding_id,
        "decision": decision,
        "reviewer": reviewer,
    }
    if reason is not None:
        fields["reason"] = reason
    if note is not None:
        fields["note"] = note
    if carried_from is not None:
        fields["carried_from"] = carried_from
    return DecisionRecorded(**fields)


def audit_signed_off(
    log: ReviewLog, audit_id: str, reviewer: str, counts: Mapping[str, Any], note: str | None
) -> AuditSignedOff:
    fields: dict[str, Any] = {
        "type": "audit_signed_off",
        **_envelope(log, audit_id),
        "reviewer": reviewer,
        "counts": ReviewCounts.model_validate(counts),
    }
    if note is not None:
        fields["note"] = note
    return AuditSignedOff(**fields)


def drafts_compared(
    log: ReviewLog,
    audit_id: str,
    previous_audit_id: str,
    agents: Iterable[str],
    current: Iterable[Mapping[str, Any]],
    persisting: Mapping[str, str],
    resolved: Iterable[Mapping[str, Any]],
) -> DraftsCompared:
    """`current` and `resolved` are findings as on the wire; `persisting` maps current ids to
    the earlier draft's ids."""
    findings = [
        DraftFinding(
            finding_id=f["id"],
            status=DraftStatus.persisting,
            previous_finding_id=persisting[f["id"]],
        )
        if f["id"] in persisting
        else DraftFinding(finding_id=f["id"], status=DraftStatus.new)
        for f in current
    ]
    gone = [
        ResolvedFinding(
            finding_id=f["id"],
            agent=AgentName(f["agent"]),
            severity=f["severity"],
            title=f["title"],
        )
        for f in resolved
    ]
    return DraftsCompared(
        type="drafts_compared",
        **_envelope(log, audit_id),
        previous_audit_id=previous_audit_id,
        agents=[AgentName(a) for a in agents],
        findings=findings,
        resolved=gone,
    )
