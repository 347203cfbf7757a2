"""What every working paper is made from: the audit's snapshot, its parsed document, the upload.

Writers take a `Paper` and return bytes; they never reach storage themselves, so the page, the
CLI and scripts get the same file from one implementation (`GET .../export`), and the writers
are tested on a `Paper` built from a real server's answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from server.exports.locations import Places
from server.exports.review import Review, read_review

AGENT_TITLES = {
    "numeric": "Numeric",
    "logic": "Logic",
    "disclosure": "Disclosure",
    "external": "External",
}
SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True, slots=True)
class Original:
    """The uploaded report as stored: the Word copy is made from these bytes, never in place."""

    filename: str
    data: bytes


@dataclass(eq=False)
class Paper:
    snapshot: Mapping[str, Any]  # the wire Snapshot, with `review` when the audit has one
    document: Mapping[str, Any] | None = None  # the wire ParsedDocument; None if unreadable
    original: Original | None = None
    generated_at: str = ""  # RFC 3339 UTC, when the paper was made
    places: Places = field(init=False)

    def __post_init__(self) -> None:
        self.places = Places(self.document, self.document_name)

    @property
    def audit_id(self) -> str:
        return str(self.snapshot["audit_id"])

    @property
    def document_name(self) -> str:
        info = self.snapshot.get("document") or {}
        if info.get("name"):
            return str(info["name"])
        return self.original.filename if self.original else ""

    @cached_property
    def review(self) -> Review:
        return read_review(self.snapshot)

    def agents(self) -> list[Mapping[str, Any]]:
        """The agents' entries in display order (`audit_started` order)."""
        return list(self.snapshot.get("agents", []))

    def findings(self) -> list[Mapping[str, Any]]:
        return [f for a in self.agents() for f in (a.get("result") or {}).get("findings", [])]

    def by_severity(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings():
            counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
        return counts

    def decided(self) -> tuple[int, int]:
        """(decided, total) findings: from the review's counts, else counted here (all open)."""
        counts = self.review.counts
        if counts is not None:
            return counts.decided, counts.total
        findings = self.findings()
        decided = sum(1 for f in findings if self.review.of(f["id"]).decision != "open")
        return decided, len(findings)


def agent_title(name: str) -> str:
    return AGENT_TITLES.get(name, name.replace("_", " ").capitalize())
