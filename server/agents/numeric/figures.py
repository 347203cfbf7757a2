"""Reading figures out of tables for comparisons across tables: by year, at any scale.

A `Figure` is one printed cell with what it is worth (`Table.scale`), so a line in thousands can
be compared with a note in units. `tie` compares two figures that should be the same number
(DQC: 2 units of the coarser precision) and reports in the printed units of the first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generated.models import NumericCheck
from server.agents.numeric.labels import Concept, clean, concept_of, is_closing, label_year
from server.agents.numeric.ledger import Cells, Ledger, period_label, same_figure_tolerance
from server.ingest.document import Column, ColumnRole, Document, Row, RowKind, StatementKind, Table
from server.ingest.structure import printed_unit

INCOME_STATEMENTS = (StatementKind.PROFIT_OR_LOSS, StatementKind.COMPREHENSIVE_INCOME)


@dataclass(slots=True, frozen=True)
class Figure:
    table: Table
    row: Row
    column: int

    @property
    def value(self) -> float:
        v = self.row.value(self.column)
        assert v is not None
        return v

    @property
    def unit(self) -> float:
        return printed_unit(self.row.cells[self.column])

    @property
    def worth(self) -> float:
        return self.value * self.table.scale


def year_columns(table: Table) -> dict[int, Column]:
    """Amount columns that each hold one year (tables with two columns for a year: none)."""
    by_year: dict[int, list[Column]] = defaultdict(list)
    for c in table.columns:
        if c.role is ColumnRole.AMOUNT and c.year is not None:
            by_year[c.year].append(c)
    return {y: cols[0] for y, cols in by_year.items() if len(cols) == 1}


def by_year(table: Table, row: Row, column: int | None = None) -> dict[int, Figure]:
    """A row's figures per year: from year columns, or, for a dated row ("At 31 December 2024")
    in a table of component columns, from `column` or else the table's total column."""
    years = year_columns(table)
    if years:
        return {
            y: Figure(table, row, c.index)
            for y, c in years.items()
            if row.value(c.index) is not None
        }
    year = label_year(row.label)
    column = total_column(table) if column is None else column
    if year is None or column is None or row.value(column) is None:
        return {}
    return {year: Figure(table, row, column)}


def total_column(table: Table) -> int | None:
    """The column holding a row's total: the only amount column, or the last "Total" column."""
    amount = [c for c in table.columns if c.role is ColumnRole.AMOUNT]
    if len(amount) == 1:
        return amount[0].index
    totals = [c for c in amount if re.search(r"\btotal\b", clean(c.header))]
    return totals[-1].index if totals and totals[-1] is amount[-1] else None


def data_rows(table: Table) -> Iterable[Row]:
    return (r for r in table.rows if r.kind not in (RowKind.HEADING, RowKind.SPACER))


def concept_rows(tables: Iterable[Table], concept: Concept) -> list[tuple[Table, Row]]:
    return [(t, r) for t in tables for r in data_rows(t) if concept_of(r.label) is concept]


def statement_tables(document: Document, *kinds: StatementKind) -> list[Table]:
    return [t for t in document.tables if t.statement in kinds and t.note_number is None]


def cash_flow_group(document: Document) -> list[Table]:
    """The cash-flow statement's tables, and the notes its lines cite (cash generated)."""
    cf = statement_tables(document, StatementKind.CASH_FLOWS)
    cited = {r.note for t in cf for r in t.rows if r.note}
    return cf + [t for t in document.tables if t.note_number in cited and t not in cf]


def closing_rows(tables: Iterable[Table], stems: tuple[str, ...]) -> list[tuple[Table, Row]]:
    out = []
    for t in tables:
        for r in data_rows(t):
            s = clean(r.label)
            if is_closing(s) and s.startswith(stems):
                out.append((t, r))
    return out


def tie(
    ledger: Ledger,
    kind: NumericCheck,
    actual: Figure,
    expected: Figure,
    *,
    title: str,
    detail: str,
    absolute: bool = False,
    period: str | None = None,
) -> bool:
    """Two printed figures that must be the same number, compared at the coarser precision."""
    scale = actual.table.scale
    a, e = actual.worth, expected.worth
    if absolute:
        a, e = abs(a), abs(e)
    unit = max(actual.unit * actual.table.scale, expected.unit * expected.table.scale)
    period = period or period_label(actual.table, actual.column, actual.row.label)
    return ledger.compare(
        kind,
        actual=a / scale,
        expected=e / scale,
        tolerance=same_figure_tolerance(unit) / scale,
        table=actual.table,
        row=actual.row.index,
        period=period,
        title=title,
        detail=detail,
        locations=[
            Cells(actual.table, [(actual.row.index, actual.column)]),
            Cells(expected.table, [(expected.row.index, expected.column)]),
        ],
        key=(actual.column, expected.table.id, expected.row.index, expected.column),
    )


def confirms(a: Figure, b: Figure, absolute: bool = False) -> bool:
    """Two non-zero figures that are the same number: evidence two lines are the same line."""
    x, y = a.worth, b.worth
    if absolute:
        x, y = abs(x), abs(y)
    unit = max(a.unit * a.table.scale, b.unit * b.table.scale)
    return x != 0 and abs(x - y) <= same_figure_tolerance(unit)
