"""Severity order, defined once: high before medium before low (sorting, counting, lowering)."""

from __future__ import annotations

from generated.models import Severity

ORDER: tuple[Severity, ...] = (Severity.high, Severity.medium, Severity.low)
_RANK = {severity: position for position, severity in enumerate(ORDER)}


def rank(severity: Severity | str) -> int:
    """0 for high, 1 for medium, 2 for low: a sort key that puts the worst first."""
    return _RANK[Severity(severity)]


def lower(severity: Severity | str) -> Severity:
    """One step less severe; low stays low."""
    return ORDER[min(rank(severity) + 1, len(ORDER) - 1)]
