"""Findings a person checked against the report's own figures and found real.

Every finding on an audited, published report is presumed a false alarm; `verified.yaml` lists
the exceptions with their evidence. An entry matches a finding of the same report and agent
whose id is the listed `id`, or (ids change when the reader changes) whose `check` equals the
listed one and whose title contains `title_contains`. Each entry must say which figures were
compared, where they are printed and why the difference is real: a bare claim is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

VERIFIED_FILE = Path(__file__).with_name("verified.yaml")
_EVIDENCE = ("figures", "where", "why")


@dataclass(frozen=True, slots=True)
class Verified:
    report: str
    agent: str
    id: str | None
    check: str | None
    title_contains: str | None

    def matches(self, report: str, finding: dict[str, Any]) -> bool:
        if report != self.report or finding.get("agent") != self.agent:
            return False
        if self.id and finding.get("id") == self.id:
            return True
        if self.title_contains is None:
            return False
        if self.check and finding.get("check") != self.check:
            return False
        return self.title_contains.casefold() in str(finding.get("title", "")).casefold()


def load(path: Path = VERIFIED_FILE) -> list[Verified]:
    """The verified findings; a malformed entry is an error naming the entry and the fix."""
    if not path.is_file():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = raw.get("verified") or []
    out: list[Verified] = []
    for number, entry in enumerate(entries, 1):
        missing = [k for k in ("report", "agent", *_EVIDENCE) if not entry.get(k)]
        if not (entry.get("id") or entry.get("title_contains")):
            missing.append("id or title_contains")
        if missing:
            raise ValueError(f"{path.name} entry {number} lacks {', '.join(missing)}.")
        out.append(
            Verified(
                report=str(entry["report"]),
                agent=str(entry["agent"]),
                id=entry.get("id"),
                check=entry.get("check"),
                title_contains=entry.get("title_contains"),
            )
        )
    return out


def is_verified(entries: list[Verified], report: str, finding: dict[str, Any]) -> bool:
    return any(e.matches(report, finding) for e in entries)
