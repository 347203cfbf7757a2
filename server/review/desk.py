"""Where reviewers' decisions and sign-offs are taken, checked and written to the review log.

The rules live here, once, for every transport:
- a decision names a finding the audit has already reported (decisions while the audit runs are
  fine); `dismissed` needs a reason and only `dismissed` takes one; nothing is overwritten: each
  decision is a new event and the finding's history is all of them;
- sign-off needs `audit_finished` (completed, or completed with errors), no sign-off before it,
  and a decision (confirmed or dismissed) on every high and medium finding; after it the review
  is closed and further decisions are refused.

Each request checks the current state and appends with no `await` in between, so two reviewers
deciding at the same moment are serialised by the event loop and both see every earlier event.
The audit's reduced snapshot is cached by its last seq (a finished audit never changes), and
review events are applied to it incrementally, so a decision neither re-reads a large audit
log nor re-applies the whole review. Snapshots are shared, never modified: every reduction
step returns new objects.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any, TypeVar

from pydantic import MISSING

from generated.models import (
    AuditSignedOff,
    Decision,
    DecisionRecorded,
    DecisionRequest,
    SignOffRequest,
)
from server import snapshot as reduction
from server.log import EventLog, ReviewLog
from server.review import frames
from server.review.errors import (
    AlreadySignedOff,
    AuditNotCompleted,
    AuditNotFinished,
    FindingsUndecided,
    ReasonNotAllowed,
    ReasonRequired,
    UnknownFinding,
)

T = TypeVar("T")
SIGNABLE_STATES = ("completed", "completed_with_errors")
BLOCKING_SEVERITIES = ("high", "medium")
CACHED_AUDITS = 8  # reduced audits kept; each holds its results, so keep few
NAMED_IN_MESSAGE = 5


class ReviewDesk:
    def __init__(self, audit_log: EventLog, review_log: ReviewLog) -> None:
        self.audit_log = audit_log
        self.review_log = review_log
        # audit id -> (the audit log's last seq, the snapshot reduced from it)
        self._audits: OrderedDict[str, tuple[int, reduction.Snapshot]] = OrderedDict()
        # audit id -> (the audit log's last seq, that snapshot with the review applied so far)
        self._reviewed: OrderedDict[str, tuple[int, reduction.Snapshot]] = OrderedDict()

    # -- reading ---------------------------------------------------------------------------

    def audit_snapshot(self, audit_id: str) -> reduction.Snapshot:
        """The audit reduced from its event log (no review), cached while its log is unchanged."""
        last = self.audit_log.last_seq(audit_id)
        cached = _cached(self._audits, audit_id, last)
        if cached is not None:
            return cached
        events = [json.loads(wire.text) for wire in self.audit_log.read(audit_id)]
        snapshot = reduction.reduce(audit_id, events)
        _keep(self._audits, audit_id, (last, snapshot))
        return snapshot

    def snapshot(self, audit_id: str) -> reduction.Snapshot:
        """The Snapshot, with `review` once the review log has an event (GET /api/v1/audits/{id}).

        Review events are applied only once: a later call applies just the newer ones.
        """
        last = self.audit_log.last_seq(audit_id)
        current = _cached(self._reviewed, audit_id, last)
        if current is None:
            current = self.audit_snapshot(audit_id)
        after = current["review"]["last_seq"] if "review" in current else 0
        for wire in self.review_log.read(audit_id, after):
            current = reduction.apply_review(current, json.loads(wire.text))
        _keep(self._reviewed, audit_id, (last, current))
        return current

    def state(self, audit_id: str) -> dict[str, Any]:
        """The ReviewState (GET /api/v1/audits/{id}/review)."""
        review: dict[str, Any] = reduction.with_review(self.snapshot(audit_id))["review"]
        return review

    def forget(self, audit_id: str) -> None:
        self._audits.pop(audit_id, None)
        self._reviewed.pop(audit_id, None)

    # -- writing ---------------------------------------------------------------------------

    def decide(self, audit_id: str, request: DecisionRequest) -> DecisionRecorded:
        reason = _given(request.reason)
        if request.decision is Decision.dismissed and reason is None:
            raise ReasonRequired(
                f"Dismissing {request.finding_id} needs a reason: false_alarm, immaterial or "
                "explained_elsewhere."
            )
        if request.decision is not Decision.dismissed and reason is not None:
            raise ReasonNotAllowed(
                f"reason: only a dismissal takes a reason, and this decision is "
                f"{request.decision.value!r}."
            )
        current = reduction.with_review(self.snapshot(audit_id))
        review = current["review"]
        _refuse_if_signed_off(audit_id, review)
        known = {f["finding_id"] for f in review["findings"] if "severity" in f}
        if request.finding_id not in known:
            state = current["state"]
            when = " yet" if state in ("pending", "running") else ""
            raise UnknownFinding(
                f"Audit {audit_id!r} has no finding {request.finding_id!r}{when}; "
                f"it has {len(known)} finding(s) (GET /api/v1/audits/{audit_id}/review lists them)."
            )
        event = frames.decision_recorded(
            self.review_log,
            audit_id,
            request.finding_id,
            request.decision,
            request.reviewer,
            reason=reason,
            note=_given(request.note),
        )
        self.review_log.append(event)
        return event

    def sign_off(self, audit_id: str, request: SignOffRequest) -> AuditSignedOff:
        current = reduction.with_review(self.snapshot(audit_id))
        review = current["review"]
        state = current["state"]
        if state in ("pending", "running"):
            raise AuditNotFinished(
                f"Audit {audit_id!r} is still {state}; it can be signed off once it has finished."
            )
        if state not in SIGNABLE_STATES:
            raise AuditNotCompleted(
                f"Audit {audit_id!r} ended {state}: its document was not fully checked, so it "
                "cannot be signed off. Start a new audit of the document."
            )
        _refuse_if_signed_off(audit_id, review)
        undecided = [
            f
            for f in review["findings"]
            if f.get("severity") in BLOCKING_SEVERITIES and f["decision"] == Decision.open.value
        ]
        if undecided:
            raise FindingsUndecided(_undecided_message(audit_id, undecided))
        event = frames.audit_signed_off(
            self.review_log, audit_id, request.reviewer, review["counts"], _given(request.note)
        )
        self.review_log.append(event)
        return event


def _cached(
    cache: OrderedDict[str, tuple[int, reduction.Snapshot]], audit_id: str, last: int
) -> reduction.Snapshot | None:
    entry = cache.get(audit_id)
    if entry is None or entry[0] != last:
        return None
    cache.move_to_end(audit_id)
    return entry[1]


def _keep(
    cache: OrderedDict[str, tuple[int, reduction.Snapshot]],
    audit_id: str,
    entry: tuple[int, reduction.Snapshot],
) -> None:
    cache[audit_id] = entry
    cache.move_to_end(audit_id)
    while len(cache) > CACHED_AUDITS:
        cache.popitem(last=False)


def _given(value: T | Any) -> T | None:
    """An optional field of a generated model: None when it was omitted."""
    return None if value is MISSING else value  # type: ignore[no-any-return]


def _refuse_if_signed_off(audit_id: str, review: dict[str, Any]) -> None:
    sign_off = review.get("sign_off")
    if sign_off is not None:
        raise AlreadySignedOff(
            f"Audit {audit_id!r} was signed off by {sign_off['reviewer']} at {sign_off['ts']}; "
            "its review is closed. Start the next draft to review again."
        )


def _undecided_message(audit_id: str, undecided: list[dict[str, Any]]) -> str:
    by_severity = {s: sum(1 for f in undecided if f["severity"] == s) for s in BLOCKING_SEVERITIES}
    parts = ", ".join(f"{n} {s}" for s, n in by_severity.items() if n)
    names = ", ".join(f["finding_id"] for f in undecided[:NAMED_IN_MESSAGE])
    more = (
        f" and {len(undecided) - NAMED_IN_MESSAGE} more"
        if len(undecided) > NAMED_IN_MESSAGE
        else ""
    )
    plural = "finding has" if len(undecided) == 1 else "findings have"
    return (
        f"Audit {audit_id!r} cannot be signed off: {len(undecided)} {plural} no decision "
        f"({parts}): {names}{more}. Confirm or dismiss every high and medium finding first."
    )
