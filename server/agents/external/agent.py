"""The external agent: checks the report against sources outside it.

Works fully offline by default (the prior-year report and memos uploaded with the audit, and
reference data bundled in packages: ECB rates, check digits, ISO codes) and does more when the
user switches on online registers (GLEIF, SEC EDGAR; see `server/agents/external/sources/settings.py`). Every
result names its source and the date of the source's data.

The agent only schedules the sources (concurrently: the online ones wait on the network) and
adds up their verdicts: contradictions and reportable unverifiable claims become findings,
confirmations become verified facts, and every source gets a tally, available or not. A source
that cannot answer yields "unverifiable" verdicts; it never fails the agent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date

from pydantic import MISSING

from generated.models import (
    ExternalFinding,
    ExternalResult,
    ExternalStatus,
    ExternalSummary,
    Severity,
    SourceTally,
    VerifiedFact,
)
from server import severity
from server.agents.base import AuditInputs, Progress, finding_id, no_progress
from server.agents.external.sources import ecb_rates, identifiers
from server.agents.external.sources.base import Outcome, Source, SourceReport, Verdict
from server.agents.external.sources.ecb_rates import EcbRatesSource
from server.agents.external.sources.gleif import GleifSource
from server.agents.external.sources.identifiers import IdentifierSource
from server.agents.external.sources.memos import MemoSource
from server.agents.external.sources.prior_year import PriorYearSource
from server.agents.external.sources.sec_edgar import SecEdgarSource
from server.agents.external.sources.settings import SourceSettings

AGENT = "external"


def build_sources(inputs: AuditInputs, settings: SourceSettings) -> list[Source]:
    """Every source the agent knows, in the order the summary lists them."""
    return [
        PriorYearSource(inputs.prior_year),
        MemoSource(inputs.memos),
        EcbRatesSource(),
        IdentifierSource(),
        GleifSource(settings.gleif_url, settings.timeout_s),
        SecEdgarSource(
            settings.sec_url, settings.sec_cik, settings.sec_user_agent, settings.timeout_s
        ),
    ]


def warm_up() -> None:
    """Load the bundled reference data (ECB history, ISO code lists) before the first audit."""
    ecb_rates.data_end()
    identifiers.warm_up()


async def run(
    inputs: AuditInputs,
    progress: Progress | None = None,
    *,
    settings: SourceSettings | None = None,
    sources: Sequence[Source] | None = None,
) -> ExternalResult:
    report_progress = progress or no_progress
    chosen = (
        list(sources)
        if sources is not None
        else build_sources(inputs, settings or SourceSettings.from_env())
    )
    total = len(chosen)
    done = 0
    report_progress(0, total, "Checking outside sources")

    async def one(source: Source) -> SourceReport:
        nonlocal done
        report = await source.check(inputs.document)
        done += 1
        report_progress(done, total, f"Checked {source.name}")
        return report

    # a task group, so a source that raises (a bug) cancels the others instead of orphaning
    # them; the bug itself is re-raised for the orchestrator to report as a crash
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(s)) for s in chosen]
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from failed
    return assemble([(s, t.result()) for s, t in zip(chosen, tasks, strict=True)])


def assemble(results: list[tuple[Source, SourceReport]]) -> ExternalResult:
    """Findings, verified facts and tallies from each source's verdicts."""
    findings: list[ExternalFinding] = []
    facts: list[VerifiedFact] = []
    tallies: list[SourceTally] = []
    ids: set[str] = set()
    for source, report in results:
        for verdict in report.verdicts:
            if verdict.outcome is Outcome.VERIFIED:
                facts.append(_fact(verdict))
            elif verdict.outcome is Outcome.CONTRADICTED or verdict.finding:
                finding = _finding(verdict, ids)
                ids.add(finding.id)
                findings.append(finding)
        tallies.append(_tally(source, report))
    findings.sort(key=lambda f: severity.rank(f.severity))
    summary = ExternalSummary(
        claims_found=sum(t.claims for t in tallies),
        verified=sum(t.verified for t in tallies),
        contradicted=sum(t.contradicted for t in tallies),
        unverifiable=sum(t.unverifiable for t in tallies),
        sources=tallies,
        verified_facts=facts,
    )
    return ExternalResult(agent="external", summary=summary, findings=findings)


def _count(verdicts: list[Verdict], outcome: Outcome) -> int:
    return sum(v.claims for v in verdicts if v.outcome is outcome)


def _tally(source: Source, report: SourceReport) -> SourceTally:
    available = source.available()
    when = source.data_date() or max((v.source_date for v in report.verdicts), default=None)
    detail = report.detail if available else (source.unavailable_reason() or report.detail)
    return SourceTally(
        source=source.name,
        source_date=when.isoformat() if when is not None else MISSING,
        available=available,
        detail=detail or MISSING,
        claims=sum(v.claims for v in report.verdicts),
        verified=_count(report.verdicts, Outcome.VERIFIED),
        contradicted=_count(report.verdicts, Outcome.CONTRADICTED),
        unverifiable=_count(report.verdicts, Outcome.UNVERIFIABLE),
    )


def _fact(verdict: Verdict) -> VerifiedFact:
    return VerifiedFact(
        source=verdict.source,
        source_date=verdict.source_date.isoformat(),
        claim=verdict.claim,
        evidence=verdict.evidence,
        locations=list(verdict.locations) if verdict.locations else MISSING,
    )


def _finding(verdict: Verdict, taken: set[str]) -> ExternalFinding:
    ident = finding_id(AGENT, *verdict.key)
    n = 1
    while ident in taken:  # two verdicts on one key (never expected): keep ids unique, stable
        ident = finding_id(AGENT, *verdict.key, n)
        n += 1
    contradicted = verdict.outcome is Outcome.CONTRADICTED
    return ExternalFinding(
        id=ident,
        agent="external",
        severity=verdict.severity if contradicted else Severity.low,
        title=(verdict.title or verdict.claim)[:200],
        description=verdict.description or verdict.evidence,
        reference=verdict.reference or verdict.source,
        locations=list(verdict.locations),
        source=verdict.source,
        source_date=_iso(verdict.source_date),
        status=ExternalStatus.contradicted if contradicted else ExternalStatus.unverifiable,
        evidence=verdict.evidence,
    )


def _iso(when: date) -> str:
    return when.isoformat()
