"""Valid agent results for scripted agents (kept apart so a server process imports little)."""

from __future__ import annotations

from generated.models import (
    DisclosureResult,
    DisclosureSummary,
    ExternalResult,
    ExternalSummary,
    Location,
    LogicResult,
    LogicSummary,
    NumericFinding,
    NumericResult,
    NumericSummary,
    Severity,
)
from server.agents.base import AgentResultModel, finding_id

AGENTS = ("numeric", "logic", "disclosure", "external")


def result_for(agent: str, findings: int = 0, padding: int = 0) -> AgentResultModel:
    """A valid result; `findings` high-severity numeric findings, each `padding` chars long."""
    if agent == "numeric":
        items = [
            NumericFinding(
                id=finding_id("numeric", "t1", i),
                agent="numeric",
                severity=Severity.high,
                title=f"Total does not add up ({i})",
                description="x" * padding,
                reference="footing",
                locations=[Location(table="t1")],
                check="footing",
                expected=15.0,
                actual=16.0,
                difference=1.0,
                period="2024",
                scale="units",
            )
            for i in range(findings)
        ]
        summary = NumericSummary(checks_run=findings, checks_failed=findings, by_check=[])
        return NumericResult(agent="numeric", summary=summary, findings=items)
    if agent == "logic":
        return LogicResult(
            agent="logic",
            summary=LogicSummary(
                claims_found=0, claims_checked=0, checks_run=0, checks_failed=0, by_check=[]
            ),
            findings=[],
        )
    if agent == "disclosure":
        return DisclosureResult(
            agent="disclosure",
            summary=DisclosureSummary(
                standards=[], requirements_checked=0, present=0, missing=0, incomplete=0
            ),
            findings=[],
        )
    return ExternalResult(
        agent="external",
        summary=ExternalSummary(
            claims_found=0,
            verified=0,
            contradicted=0,
            unverifiable=0,
            sources=[],
            verified_facts=[],
        ),
        findings=[],
    )
