"""Carrying amounts: cost less accumulated depreciation, at each closing date.

Asset notes (IAS 16.73(d), IAS 38.118(c)) roll cost and accumulated depreciation forward and end
with carrying amounts. When two years are stacked in one table the carrying rows sit far below
the balances they net, out of reach of the structure walk; this check pairs them by date
instead: "Carrying amount at 31 December 2023" = cost "Balance at 31 December 2023" less
depreciation "Balance at 31 December 2023", column by column. Depreciation printed negative is
added, printed positive is subtracted. A carrying row the structure already explained is left to
footing. The pairing must agree in at least one figure before any difference is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generated.models import NumericCheck
from server.agents.numeric.balances import table_groups
from server.agents.numeric.figures import part, printed_unit
from server.agents.numeric.labels import clean, is_closing, label_year, undated
from server.agents.numeric.ledger import Cells, Ledger, period_label
from server.ingest.document import ColumnRole, Document, Row, RowKind, Table
from server.text.rounding import tolerance

_CARRYING = re.compile(r"^(carrying amounts?|net book values?|net carrying amounts?)\b")
_COST = re.compile(r"^(cost|gross carrying amount|cost or valuation|at cost|valuation)\b")
_DEPRECIATION = re.compile(r"^(accumulated )?(depreciation|amortisation|amortization|impairment)\b")


@dataclass(slots=True)
class _Balance:
    table: Table
    row: Row


def check_carrying_amounts(
    document: Document, ledger: Ledger, footed: frozenset[tuple[str, int]] = frozenset()
) -> None:
    """`footed`: (table id, row) of totals footing already re-added (continued tables)."""
    for tables in table_groups(document):
        _check_group(tables, ledger, footed)


def _heading(table: Table, row: Row) -> str:
    for i in range(row.index - 1, -1, -1):
        r = table.rows[i]
        if r.kind is RowKind.HEADING and undated(r.label) == clean(r.label):
            return clean(r.label)
    return ""


def _closing(tables: list[Table], pattern: re.Pattern[str], year: int) -> list[_Balance]:
    return [
        _Balance(t, r)
        for t in tables
        for r in t.rows
        if r.kind is not RowKind.HEADING
        and is_closing(r.label)
        and label_year(r.label) == year
        and pattern.match(_heading(t, r))
        and not _CARRYING.match(clean(r.label))
    ]


def _check_group(tables: list[Table], ledger: Ledger, footed: frozenset[tuple[str, int]]) -> None:
    triples: list[tuple[_Balance, _Balance, _Balance]] = []
    for table in tables:
        for row in table.rows:
            if row.kind is RowKind.HEADING or row.components or (table.id, row.index) in footed:
                continue
            year = label_year(row.label)
            carrying = _CARRYING.match(clean(row.label)) or (
                is_closing(row.label) and _CARRYING.match(_heading(table, row))
            )
            if year is None or not carrying:
                continue
            cost = _closing(tables, _COST, year)
            dep = _closing(tables, _DEPRECIATION, year)
            if len(cost) != 1 or len(dep) != 1:
                continue
            if not (_same_columns(table, cost[0].table) and _same_columns(table, dep[0].table)):
                continue
            triples.append((_Balance(table, row), cost[0], dep[0]))
    checks = [(t, c) for t in triples for c in _amount_columns(t[0].table)]
    outcomes = [_expected(t, c) for t, c in checks]
    if not any(o is not None and o[2] for o in outcomes):
        if checks:
            ledger.skip(NumericCheck.footing, len(checks))
        return
    for (triple, column), outcome in zip(checks, outcomes, strict=True):
        if outcome is not None:
            _report(*triple, column, outcome[0], outcome[1], ledger)


def _amount_columns(table: Table) -> list[int]:
    return [c.index for c in table.columns if c.role is ColumnRole.AMOUNT]


def _same_columns(a: Table, b: Table) -> bool:
    return [clean(c.header) for c in a.columns if c.role is ColumnRole.AMOUNT] == [
        clean(c.header) for c in b.columns if c.role is ColumnRole.AMOUNT
    ]


def _expected(
    triple: tuple[_Balance, _Balance, _Balance], column: int
) -> tuple[float, float, bool] | None:
    """(printed, expected, agrees) for one column, or None when a figure is missing."""
    carrying, cost, dep = triple
    actual = part(carrying.table, carrying.row, column)
    c = part(cost.table, cost.row, column)
    d = part(dep.table, dep.row, column)
    if actual is None or c is None or d is None:
        return None
    expected = c + d if d < 0 else c - d
    unit = max(printed_unit(x.row.cells[column]) for x in triple)
    agrees = actual != 0 and abs(actual - expected) <= tolerance(2, unit)
    return actual, expected, agrees


def _report(
    carrying: _Balance,
    cost: _Balance,
    dep: _Balance,
    column: int,
    actual: float,
    expected: float,
    ledger: Ledger,
) -> None:
    unit = max(printed_unit(x.row.cells[column]) for x in (carrying, cost, dep))
    allowed = tolerance(2, unit)
    if ledger.passes(NumericCheck.footing, actual - expected, allowed):
        return
    table, row = carrying.table, carrying.row
    period = period_label(table, column, row.label)
    ledger.compare(
        NumericCheck.footing,
        actual=actual,
        expected=expected,
        tolerance=allowed,
        table=table,
        row=row.index,
        period=period,
        title=f"Carrying amount does not equal cost less depreciation ({period})",
        detail=(
            f"In {table.title or table.id}, '{row.label.strip()}' should equal cost "
            f"'{cost.row.label.strip()}' less accumulated depreciation "
            f"'{dep.row.label.strip()}'."
        ),
        locations=[
            Cells(table, [(row.index, column)]),
            Cells(cost.table, [(cost.row.index, column)]),
            Cells(dep.table, [(dep.row.index, column)]),
        ],
        key=("carrying", column),
    )
