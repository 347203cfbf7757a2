"""Duplicate facts: one inline-XBRL fact printed in two places must be one number.

A filing tags every figure of its statements and notes with a concept and a context (entity,
period, dimension members). Two cells carrying the same concept, context and unit are, by the
filer's own statement, the same fact: revenue in the income statement and in the segment note,
net income in the income statement, the cash-flow statement and the equity statement. XBRL 2.1
(4.10) and the SEC's EDGAR Filer Manual (6.5.12) require such duplicates to agree; they are
consistent when their values agree within their rounding (Calculations 1.1 intervals: the
difference is at most half the sum of the two rounding units their `decimals` state).

The reference of a group is the value most of its printings share (the first in document order
on a tie); each printing that disagrees is one finding, located at both cells. Matching is by
tag, never by label, so this check cannot pair two different lines.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from generated.models import NumericCheck
from server.agents.numeric.ledger import Cells, Ledger, period_label
from server.ingest.document import Document, Fact, Row, Table
from server.text.rounding import EPSILON


@dataclass(frozen=True, slots=True)
class _Printing:
    table: Table
    row: Row
    column: int
    fact: Fact

    @property
    def value(self) -> float:
        assert self.fact.value is not None
        return self.fact.value


def check_duplicate_facts(document: Document, ledger: Ledger) -> None:
    for printings in _groups(document).values():
        if len(printings) < 2:
            continue
        reference = _reference(printings)
        for p in printings:
            if p is not reference:
                _compare(p, reference, ledger)


def _groups(document: Document) -> dict[tuple[str, str, str | None], list[_Printing]]:
    groups: dict[tuple[str, str, str | None], list[_Printing]] = defaultdict(list)
    for table in document.tables:
        for row in table.rows:
            for k, cell in enumerate(row.cells):
                fact = cell.fact
                if fact is None or fact.value is None or cell.value is None:
                    continue
                groups[(fact.concept, fact.context, fact.unit)].append(
                    _Printing(table, row, k, fact)
                )
    return groups


def _half(fact: Fact) -> float:
    """Half the rounding interval the tag states (0 for INF decimals)."""
    return 0.0 if fact.decimals is None else 0.5 * 10.0 ** (-fact.decimals)


def _agree(a: _Printing, b: _Printing) -> bool:
    allowed = _half(a.fact) + _half(b.fact)
    return abs(a.value - b.value) <= allowed + EPSILON * max(1.0, abs(a.value))


def _reference(printings: list[_Printing]) -> _Printing:
    """The printing most others agree with; the first in document order on a tie."""
    votes = Counter(id(p) for p in printings for q in printings if _agree(p, q))
    best = max(votes.values())
    return next(p for p in printings if votes[id(p)] == best)


def _compare(actual: _Printing, reference: _Printing, ledger: Ledger) -> None:
    table = actual.table
    printed = actual.row.cells[actual.column].value
    assert printed is not None
    # In the printed units and sign of the actual cell ("(1,234)" for a cost tagged positive).
    sign = -1.0 if (printed < 0) != (actual.value < 0) and actual.value != 0 else 1.0
    factor = sign * 10.0**-actual.fact.scale
    allowed = (_half(actual.fact) + _half(reference.fact)) * abs(factor)
    tolerance = allowed + EPSILON * max(1.0, abs(printed))
    expected = reference.value * factor
    name = actual.row.label.strip() or actual.fact.concept
    where = reference.table.title or reference.table.id
    period = period_label(table, actual.column, actual.row.label)
    ledger.compare(
        NumericCheck.duplicate_fact,
        actual=printed,
        expected=expected,
        tolerance=tolerance,
        table=table,
        row=actual.row.index,
        period=period,
        title=f"'{name}' differs from the same tagged fact in {where} ({period})",
        detail=(
            f"'{name}' in {table.title or table.id} and "
            f"'{reference.row.label.strip() or reference.fact.concept}' in {where} carry the "
            f"same tag ({actual.fact.concept}, context {actual.fact.context}): the filing says "
            f"they are one fact, so they must be the same number."
        ),
        locations=[
            Cells(table, [(actual.row.index, actual.column)]),
            Cells(reference.table, [(reference.row.index, reference.column)]),
        ],
        key=(actual.column, reference.table.id, reference.row.index, reference.column),
    )
