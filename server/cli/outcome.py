"""What an audit came to, without drawing it: the snapshot its frames reduce to, and the exit code.

Frames go in as wire JSON (dicts), whether they came from the in-process orchestrator or from a
server's WebSocket, and are reduced with `server.snapshot.apply`, the same reduction the server
and the page use, so a repeated frame after a reconnect changes nothing. `--json` output needs
only this; the terminal view (server/cli/view.py) builds on it, and rich, which draws it, is
loaded only when something is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from server import snapshot as reduction

EXIT_OK = 0
EXIT_HIGH_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INCOMPLETE = 3
INPUT_ERRORS = frozenset({"invalid_document", "unsupported_document"})
FINAL_STATES = frozenset({"completed", "completed_with_errors", "failed", "cancelled"})

Frame = Mapping[str, Any]


def exit_code(snapshot: Mapping[str, Any]) -> int:
    """0: clean; 1: a high-severity finding; 2: the input could not be read; 3: an agent or the
    audit did not finish, so the audit cannot vouch for the document."""
    error = snapshot.get("error") or {}
    if snapshot["state"] == "failed" and error.get("code") in INPUT_ERRORS:
        return EXIT_BAD_INPUT
    if any(f["severity"] == "high" for f in findings_of(snapshot)):
        return EXIT_HIGH_FINDINGS
    if snapshot["state"] != "completed":
        return EXIT_INCOMPLETE
    return EXIT_OK


def findings_of(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [f for a in snapshot["agents"] for f in (a.get("result") or {}).get("findings", [])]


class AuditTracker:
    """Feed it frames; read `snapshot` at the end. Progress frames are not part of it."""

    def __init__(self, audit_id: str) -> None:
        self.snapshot: dict[str, Any] = reduction.empty(audit_id)
        # How a followed server's stream stands ("live", "reconnecting in 1.2 s ..."), set by
        # `watch.follow`; the view shows it in its header. None: not following a server.
        self.connection: str | None = None

    @property
    def finished(self) -> bool:
        return self.snapshot["state"] in FINAL_STATES

    def feed(self, frame: Frame) -> bool:
        """Apply a frame; False when it changed nothing (progress, or a repeat after a
        reconnect)."""
        if frame.get("type") == "agent_progress":
            return False
        before = self.snapshot
        self.snapshot = reduction.apply(before, frame)
        return self.snapshot is not before
