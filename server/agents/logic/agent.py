"""The logic agent: is the document consistent with itself?

It runs the check families in order (narrative vs figures and arithmetic in the text, signs and
relations, rates, dates, movements vs flows, going concern), each in its own module over one
shared `LogicContext`, and returns every contradiction with the sentence or cells it rests on
and the rule it breaks. Measured on the bundled samples with bench/quality (see its README).
"""

from __future__ import annotations

from collections.abc import Callable

from generated.models import CheckTally, LogicCheck, LogicResult, LogicSummary
from server import severity
from server.agents.base import AuditInputs, Progress
from server.agents.logic.arithmetic import check_arithmetic
from server.agents.logic.base import Facts, LogicContext
from server.agents.logic.dates import check_dates
from server.agents.logic.going_concern import check_going_concern
from server.agents.logic.movements import check_movements
from server.agents.logic.narrative import check_narrative
from server.agents.logic.rates import check_rates
from server.agents.logic.relations import check_parts, check_scale, check_share_order, check_signs
from server.agents.logic.scope import reporting_scope
from server.ingest.document import Document
from server.workers import offload

STEPS: tuple[tuple[str, Callable[[LogicContext], None]], ...] = (
    ("narrative vs figures", check_narrative),
    ("arithmetic in the text", check_arithmetic),
    ("signs", check_signs),
    ("parts and wholes", check_parts),
    ("share counts", check_share_order),
    ("scale", check_scale),
    ("rates", check_rates),
    ("dates and periods", check_dates),
    ("movements vs flows", check_movements),
    ("going concern", check_going_concern),
)


def audit(document: Document, progress: Progress | None = None) -> LogicResult:
    """Run every logic check on a parsed document (synchronous; CPU only)."""
    ctx = LogicContext(document=document, facts=Facts(document))
    for done, (name, step) in enumerate(STEPS):
        if progress:
            progress(done, len(STEPS), name)
        step(ctx)
    if progress:
        progress(len(STEPS), len(STEPS), "done")
    by_check = [
        CheckTally(check=c.value, run=t.run, failed=t.failed, skipped=t.skipped)
        for c in LogicCheck
        if (t := ctx.tallies.get(c)) is not None
    ]
    findings = sorted(ctx.findings, key=lambda f: (severity.rank(f.severity), f.check.value))
    return LogicResult(
        agent="logic",
        summary=LogicSummary(
            claims_found=ctx.claims_found,
            claims_checked=ctx.claims_checked,
            checks_run=sum(t.run for t in ctx.tallies.values()),
            checks_failed=sum(t.failed for t in ctx.tallies.values()),
            by_check=by_check,
            scope=reporting_scope(document)[1],
        ),
        findings=findings,
    )


async def run(inputs: AuditInputs, progress: Progress | None = None) -> LogicResult:
    return await offload(audit, inputs.document, progress=progress)
