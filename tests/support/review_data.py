"""Review state shaped as the review layer serves it (ReviewState in rest.schema.json).

Writer tests that need a particular history (several decisions per finding, a carried decision,
a note that looks like a formula) put this dict into a real server's snapshot and hand it to the
writers, through the same adapter (server/exports/review.py) the endpoint uses. The path through
REST (decisions and sign-off recorded, then exported) is tested in test_xlsx.py.
"""

from __future__ import annotations

from typing import Any

from tests.support.exports import findings_of

SEVERITIES = ("high", "medium", "low")


def with_review(
    snapshot: dict[str, Any],
    decisions: dict[str, list[dict[str, Any]]],
    sign_off: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The snapshot with a `review`: `decisions` maps a finding id to its decisions, in order,
    each {decision, reviewer, ts, reason?, note?}."""
    seq = 0
    entries = []
    for finding in findings_of(snapshot):
        history = []
        for decision in decisions.get(finding["id"], []):
            seq += 1
            history.append({"seq": seq, **decision})
        entries.append(
            {
                "finding_id": finding["id"],
                "agent": finding["agent"],
                "severity": finding["severity"],
                "title": finding["title"],
                "decision": history[-1]["decision"] if history else "open",
                "history": history,
            }
        )
    review: dict[str, Any] = {
        "audit_id": snapshot["audit_id"],
        "last_seq": seq,
        "findings": entries,
        "counts": _counts(entries),
    }
    if sign_off is not None:
        seq += 1
        review["sign_off"] = {"seq": seq, "counts": review["counts"], **sign_off}
        review["last_seq"] = seq
    return {**snapshot, "review": review}


def _counts(entries: list[dict[str, Any]]) -> dict[str, Any]:
    by_severity = {s: {"decided": 0, "total": 0} for s in SEVERITIES}
    tally = {"decided": 0, "total": 0, "confirmed": 0, "dismissed": 0}
    for entry in entries:
        decided = entry["decision"] in ("confirmed", "dismissed")
        by_severity[entry["severity"]]["total"] += 1
        tally["total"] += 1
        if decided:
            by_severity[entry["severity"]]["decided"] += 1
            tally["decided"] += 1
            tally[entry["decision"]] += 1
    return {**tally, "by_severity": by_severity}
