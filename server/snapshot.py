"""The one reduction of an audit's log events into its snapshot.

`GET /api/v1/audits/{id}` serves `reduce(...)`; the page runs the same reduction in
web/state.js, and both are tested on the golden sequences in tests/fixtures/sequences/.
It works on plain JSON dicts (the wire form) so the two implementations stay line-for-line alike.

The review (`review`, a ReviewState) is reduced from the audit's second log, the review log,
whose seq is numbered on its own: `apply_review` takes review events with the same rules
(ignore seq <= review.last_seq, ignore unknown types). What the review shows per finding depends
on both logs (a decision names a finding that an agent_completed describes), so after every
event of either log `_arrange` rebuilds the finding list from the audit's findings, keeping each
finding's decisions. A decision whose finding is not known yet (a client got the review event
before the agent's result) is kept at the end of the list until the result arrives: the
outcome does not depend on how the two streams interleave. `review` is present once a review
event was applied (GET /api/v1/audits/{id}/review gives the ReviewState of any audit).

Rules: events are applied in `seq` order and any event whose seq is not above `last_seq` is
ignored (a replay after a reconnect may repeat some); unknown types and connection frames
(`agent_progress`, `heartbeat`) leave the snapshot unchanged. An audit whose document could not
be read has a single event, `audit_finished` with status `failed` and an `error`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

Snapshot = dict[str, Any]
Event = Mapping[str, Any]


def empty(audit_id: str) -> Snapshot:
    return {"audit_id": audit_id, "state": "pending", "last_seq": 0, "agents": []}


def apply(snapshot: Snapshot, event: Event) -> Snapshot:
    """Return the snapshot after one event (the input is not modified)."""
    seq = event.get("seq")
    if not isinstance(seq, int) or seq <= snapshot["last_seq"]:
        return snapshot
    kind = event.get("type")
    handler = _HANDLERS.get(kind) if isinstance(kind, str) else None
    if handler is None:
        return snapshot
    # Shallow copies suffice: nested values are replaced, never mutated in place.
    new = {**snapshot, "agents": [dict(a) for a in snapshot["agents"]], "last_seq": seq}
    handler(new, event)
    if "review" in new:
        new["review"] = _arrange(new["review"], new)
    return new


def reduce(
    audit_id: str, events: Iterable[Event], review_events: Iterable[Event] | None = None
) -> Snapshot:
    """The audit's snapshot; with `review_events` it carries `review` once one applies."""
    snapshot = empty(audit_id)
    for event in sorted(events, key=_seq_of):
        snapshot = apply(snapshot, event)
    if review_events is not None:
        for event in sorted(review_events, key=_seq_of):
            snapshot = apply_review(snapshot, event)
    return snapshot


def _seq_of(event: Event) -> int:
    seq = event.get("seq")
    return seq if isinstance(seq, int) else 0


def _agent(snapshot: Snapshot, name: str) -> dict[str, Any]:
    for entry in snapshot["agents"]:
        if entry["agent"] == name:
            return entry  # type: ignore[no-any-return]
    entry = {"agent": name, "state": "pending"}
    snapshot["agents"].append(entry)
    return entry


def _audit_started(s: Snapshot, e: Event) -> None:
    s["state"] = "running"
    s["started_at"] = e["ts"]
    s["document"] = copy.deepcopy(e["document"])
    s["inputs"] = copy.deepcopy(e["inputs"])
    for name in e["agents"]:
        _agent(s, name)


def _agent_started(s: Snapshot, e: Event) -> None:
    _agent(s, e["agent"])["state"] = "running"


def _agent_completed(s: Snapshot, e: Event) -> None:
    entry = _agent(s, e["agent"])
    entry.update(state="completed", duration_ms=e["duration_ms"], result=copy.deepcopy(e["result"]))
    entry.pop("error", None)


def _agent_failed(s: Snapshot, e: Event) -> None:
    entry = _agent(s, e["agent"])
    entry.update(state="failed", duration_ms=e["duration_ms"], error=copy.deepcopy(e["error"]))
    entry.pop("result", None)


def _audit_finished(s: Snapshot, e: Event) -> None:
    s["state"] = e["status"]
    s["finished_at"] = e["ts"]
    s["duration_ms"] = e["duration_ms"]
    s["summary"] = copy.deepcopy(e["summary"])
    if "error" in e:
        s["error"] = copy.deepcopy(e["error"])


# -- the review ---------------------------------------------------------------------------

Review = dict[str, Any]
SEVERITIES = ("high", "medium", "low")
DECIDED = ("confirmed", "dismissed")


def empty_review(audit_id: str) -> Review:
    return {"audit_id": audit_id, "last_seq": 0, "findings": [], "counts": _counts([])}


def with_review(snapshot: Snapshot) -> Snapshot:
    """The snapshot with a `review` (an empty one if it had none)."""
    if "review" in snapshot:
        return snapshot
    return {**snapshot, "review": _arrange(empty_review(snapshot["audit_id"]), snapshot)}


def apply_review(snapshot: Snapshot, event: Event) -> Snapshot:
    """Return the snapshot after one review-log event (the input is not modified).

    `review` appears with the first review event applied: an audit nobody has reviewed has the
    same snapshot as before the review existed.
    """
    review = snapshot.get("review") or empty_review(snapshot["audit_id"])
    seq = event.get("seq")
    if not isinstance(seq, int) or seq <= review["last_seq"]:
        return snapshot
    kind = event.get("type")
    handler = _REVIEW_HANDLERS.get(kind) if isinstance(kind, str) else None
    if handler is None:
        return snapshot
    new_review = {**review, "findings": [dict(f) for f in review["findings"]], "last_seq": seq}
    handler(new_review, event)
    return {**snapshot, "review": _arrange(new_review, snapshot)}


def _entry(review: Review, finding_id: str) -> dict[str, Any]:
    for entry in review["findings"]:
        if entry["finding_id"] == finding_id:
            return entry  # type: ignore[no-any-return]
    entry = {"finding_id": finding_id, "decision": "open", "history": []}
    review["findings"].append(entry)
    return entry


def _decision_recorded(r: Review, e: Event) -> None:
    entry = _entry(r, e["finding_id"])
    item = {"seq": e["seq"], "ts": e["ts"], "decision": e["decision"], "reviewer": e["reviewer"]}
    for key in ("reason", "note", "carried_from"):
        if key in e:
            item[key] = copy.deepcopy(e[key])
    entry["history"] = [*entry["history"], item]
    entry["decision"] = e["decision"]


def _audit_signed_off(r: Review, e: Event) -> None:
    sign_off = {"seq": e["seq"], "ts": e["ts"], "reviewer": e["reviewer"]}
    if "note" in e:
        sign_off["note"] = e["note"]
    sign_off["counts"] = copy.deepcopy(e["counts"])
    r["sign_off"] = sign_off


def _drafts_compared(r: Review, e: Event) -> None:
    r["drafts"] = {
        "seq": e["seq"],
        "ts": e["ts"],
        "previous_audit_id": e["previous_audit_id"],
        "agents": list(e["agents"]),
        "resolved": copy.deepcopy(e["resolved"]),
    }
    for item in e["findings"]:
        entry = _entry(r, item["finding_id"])
        entry["draft"] = item["status"]
        if "previous_finding_id" in item:
            entry["previous_finding_id"] = item["previous_finding_id"]


def _arrange(review: Review, snapshot: Snapshot) -> Review:
    """Every finding of the audit in result order (then any not yet known), and the counts."""
    by_id = {entry["finding_id"]: entry for entry in review["findings"]}
    arranged = []
    for agent in snapshot["agents"]:
        for finding in agent.get("result", {}).get("findings", []):
            known = by_id.pop(finding["id"], None)
            entry = (
                dict(known)
                if known
                else {"finding_id": finding["id"], "decision": "open", "history": []}
            )
            entry.update(
                agent=finding["agent"], severity=finding["severity"], title=finding["title"]
            )
            arranged.append(entry)
    arranged.extend(by_id.values())
    return {**review, "findings": arranged, "counts": _counts(arranged)}


def _counts(findings: list[dict[str, Any]]) -> dict[str, Any]:
    by_severity = {s: {"decided": 0, "total": 0} for s in SEVERITIES}
    tally = {"decided": 0, "total": 0, "confirmed": 0, "dismissed": 0}
    for entry in findings:
        severity = entry.get("severity")
        if severity not in by_severity:
            continue
        decided = entry["decision"] in DECIDED
        by_severity[severity]["total"] += 1
        tally["total"] += 1
        if decided:
            by_severity[severity]["decided"] += 1
            tally["decided"] += 1
            tally[entry["decision"]] += 1
    return {**tally, "by_severity": by_severity}


_REVIEW_HANDLERS = {
    "decision_recorded": _decision_recorded,
    "audit_signed_off": _audit_signed_off,
    "drafts_compared": _drafts_compared,
}


_HANDLERS = {
    "audit_started": _audit_started,
    "agent_started": _agent_started,
    "agent_completed": _agent_completed,
    "agent_failed": _agent_failed,
    "audit_finished": _audit_finished,
}
