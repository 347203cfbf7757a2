"""The one reduction of an audit's log events into its snapshot.

`GET /api/v1/audits/{id}` serves `reduce(...)`; the page runs the same reduction in
web/state.js, and both are tested on the golden sequences in tests/fixtures/sequences/.
It works on plain JSON dicts (the wire form) so the two implementations stay line-for-line alike.

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
    return new


def reduce(audit_id: str, events: Iterable[Event]) -> Snapshot:
    snapshot = empty(audit_id)
    for event in sorted(events, key=lambda e: e.get("seq") or 0):
        snapshot = apply(snapshot, event)
    return snapshot


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


_HANDLERS = {
    "audit_started": _audit_started,
    "agent_started": _agent_started,
    "agent_completed": _agent_completed,
    "agent_failed": _agent_failed,
    "audit_finished": _audit_finished,
}
