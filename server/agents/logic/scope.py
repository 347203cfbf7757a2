"""The document's framework and period as the agents' summaries state them (ReportingScope)."""

from __future__ import annotations

from generated.models import Framework as FrameworkName
from generated.models import PeriodKind as PeriodName
from generated.models import ReportingScope
from server.ingest.document import Document
from server.ingest.scope import Scope, scope_of


def reporting_scope(document: Document) -> tuple[Scope, ReportingScope]:
    """The scope read with the document, and its wire form; unknown stays "unknown"."""
    scope = scope_of(document)
    wire = ReportingScope(
        framework=FrameworkName(scope.framework.value if scope.framework else "unknown"),
        period=PeriodName(scope.period.value if scope.period else "unknown"),
        evidence=[f"framework: {e}" for e in scope.framework_evidence]
        + [f"period: {e}" for e in scope.period_evidence],
    )
    return scope, wire
