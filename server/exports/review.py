"""The review as the working papers read it: one adapter between the snapshot and the writers.

The review layer (decisions, sign-off, drafts) puts a `review` (ReviewState, rest.schema.json)
in the snapshot. Every writer reads it only through this module, so a change in how the review
is carried touches this file alone. A snapshot without `review` (an audit nobody has reviewed,
or a server without the review layer) reads as every finding open and no sign-off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPEN = "open"
DECIDED = ("confirmed", "dismissed")
REASON_WORDS = {
    "false_alarm": "false alarm",
    "immaterial": "immaterial",
    "explained_elsewhere": "explained elsewhere",
}


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """A finding's current decision and who made it (the latest entry of its history)."""

    decision: str = OPEN
    reason: str | None = None  # the wire value: false_alarm | immaterial | explained_elsewhere
    reviewer: str | None = None
    note: str | None = None
    decided_at: str | None = None  # RFC 3339 UTC
    carried_from: str | None = None  # "earlier audit id / finding id" when carried forward
    draft: str | None = None  # new | persisting, when the audit is a next draft
    history: int = 0  # how many decisions the finding has had

    @property
    def reason_words(self) -> str | None:
        return REASON_WORDS.get(self.reason, self.reason) if self.reason else None


@dataclass(frozen=True, slots=True)
class SignOffRow:
    reviewer: str
    signed_at: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class DecidedCounts:
    decided: int
    total: int
    confirmed: int
    dismissed: int
    by_severity: dict[str, tuple[int, int]]  # severity -> (decided, total)


@dataclass(frozen=True, slots=True)
class ResolvedRow:
    """A finding of the earlier draft that no longer occurs."""

    finding_id: str
    agent: str
    severity: str
    title: str


@dataclass(frozen=True, slots=True)
class Review:
    decisions: dict[str, DecisionRow]
    sign_off: SignOffRow | None
    counts: DecidedCounts | None
    previous_audit_id: str | None
    resolved: list[ResolvedRow]

    def of(self, finding_id: str) -> DecisionRow:
        return self.decisions.get(finding_id, DecisionRow())


def read_review(snapshot: Mapping[str, Any]) -> Review:
    """The review carried by a snapshot dict (the wire form of GET /api/v1/audits/{id})."""
    state = snapshot.get("review") or {}
    decisions = {
        entry["finding_id"]: _decision(entry)
        for entry in state.get("findings", [])
        if isinstance(entry, Mapping) and "finding_id" in entry
    }
    drafts = state.get("drafts") or {}
    return Review(
        decisions=decisions,
        sign_off=_sign_off(state.get("sign_off")),
        counts=_counts(state.get("counts")),
        previous_audit_id=drafts.get("previous_audit_id"),
        resolved=[
            ResolvedRow(r["finding_id"], r["agent"], r["severity"], r["title"])
            for r in drafts.get("resolved", [])
        ],
    )


def _decision(entry: Mapping[str, Any]) -> DecisionRow:
    history = entry.get("history") or []
    latest = history[-1] if history else {}
    carried = latest.get("carried_from")
    return DecisionRow(
        decision=entry.get("decision") or latest.get("decision") or OPEN,
        reason=latest.get("reason"),
        reviewer=latest.get("reviewer"),
        note=latest.get("note"),
        decided_at=latest.get("ts"),
        carried_from=f"{carried['audit_id']} / {carried['finding_id']}" if carried else None,
        draft=entry.get("draft"),
        history=len(history),
    )


def _sign_off(found: Any) -> SignOffRow | None:
    if not isinstance(found, Mapping):
        return None
    return SignOffRow(reviewer=found["reviewer"], signed_at=found["ts"], note=found.get("note"))


def _counts(found: Any) -> DecidedCounts | None:
    if not isinstance(found, Mapping):
        return None
    by_severity = {
        severity: (int(c.get("decided", 0)), int(c.get("total", 0)))
        for severity, c in (found.get("by_severity") or {}).items()
    }
    return DecidedCounts(
        decided=int(found.get("decided", 0)),
        total=int(found.get("total", 0)),
        confirmed=int(found.get("confirmed", 0)),
        dismissed=int(found.get("dismissed", 0)),
        by_severity=by_severity,
    )
