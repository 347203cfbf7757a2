"""The one small interface every outside source implements, and what a check of it yields.

A source is anything outside the report that can confirm or contradict a claim in it: the
prior-year statements, board memos, reference data bundled in packages, online registers. Each
says who it is (`name`), how old its data is (`data_date`) and whether it can answer now
(`available()`, with `unavailable_reason()` when not). Checking a document yields `Verdict`s,
one per claim (or per group of like claims, see `claims`), which the external agent turns into
findings, verified facts and per-source tallies.

Deliberate choices:
- An unavailable source never passes and never fails a claim: it yields UNVERIFIABLE. Whether
  that deserves a finding is the source's call (`finding`): a register the user switched on
  that did not answer does; a source that is simply off by default does not, it only shows in
  the tally, so a consistent report stays free of findings.
- Sources do their own network or CPU work; the agent only schedules them and adds up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from generated.models import Location, Severity
from server.ingest.document import Document


class Outcome(StrEnum):
    VERIFIED = "verified"
    CONTRADICTED = "contradicted"
    UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one source says about one claim of the report (or `claims` like claims at once)."""

    source: str
    source_date: date
    outcome: Outcome
    claim: str  # what the report says, in a short sentence
    evidence: str  # what the source says
    key: tuple[str, ...]  # stable parts for the finding id (table, row, column, check kind)
    title: str = ""
    description: str = ""
    reference: str = ""
    severity: Severity = Severity.low
    locations: tuple[Location, ...] = ()
    claims: int = 1  # a verified verdict may stand for several lines that all agree
    finding: bool = True  # for UNVERIFIABLE: whether the user should see it as a finding


@dataclass(slots=True)
class SourceReport:
    """A source's verdicts on one document, plus a note for the tally (what it covered)."""

    verdicts: list[Verdict] = field(default_factory=list)
    detail: str | None = None


class Source(Protocol):
    """An outside source of truth: named, dated, possibly unavailable."""

    @property
    def name(self) -> str: ...

    def data_date(self) -> date | None:
        """The date of the source's data, when known before asking it anything."""
        ...

    def available(self) -> bool: ...

    def unavailable_reason(self) -> str | None:
        """Why `available()` is false, in words a user can act on; None when available."""
        ...

    async def check(self, document: Document) -> SourceReport:
        """Verdicts on the claims of `document` this source can speak to. Never raises for
        an unreachable source: that is an UNVERIFIABLE verdict."""
        ...


def parse_iso_date(text: str | None) -> date | None:
    """`date` from an ISO string ("2024-12-31" or a timestamp starting with one), else None."""
    if not text or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
