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
from server.agents.numeric.ledger import Cells, Ledger, period_label
from server.ingest.document import (
    Cell,
    Column,
    ColumnRole,
    Document,
    Fact,
    Row,
    RowKind,
    StatementKind,
    Table,
)
from server.text.rounding import coarsest, same_figure_tolerance

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

    @property
    def fact(self) -> Fact | None:
        return self.row.cells[self.column].fact

    @property
    def period_end(self) -> str | None:
        """The date the figure is at or ends: its tag's (exact), else its column header's."""
        fact = self.fact
        if fact is not None and fact.period_end:
            return fact.period_end
        column = self.table.columns[self.column] if self.column < len(self.table.columns) else None
        return column.period_end if column is not None else None


def comparable(a: Figure, b: Figure) -> bool:
    """Whether two figures can be the same number: never two different period ends (a 10-Q's
    closing cash at 30 September against the balance sheet's 31 December of the same year),
    and never two different tagged concepts, or one tagged for a dimension member and one not
    (cash and cash equivalents against cash, cash equivalents and restricted cash)."""
    if a.period_end and b.period_end and a.period_end != b.period_end:
        return False
    fa, fb = a.fact, b.fact
    if fa is not None and fb is not None:
        return fa.concept == fb.concept and fa.dimensional == fb.dimensional
    return True


def same_fact(a: Figure, b: Figure) -> bool:
    """Two printings of one tagged fact (same concept and context): `facts` compares those."""
    fa, fb = a.fact, b.fact
    return (
        fa is not None and fb is not None and (fa.concept, fa.context) == (fb.concept, fb.context)
    )


def printed_unit(cell: Cell) -> float:
    """The printed unit the reader found for a figure (1 when it prints no digit)."""
    return coarsest(cell.unit)


def part(table: Table, row: Row, column: int) -> float | None:
    """A figure as a part or total of a sum: None when it is empty, not a number, a percentage,
    or in a row or column the reader found never adds up (averages, prices, counts)."""
    if column >= len(row.cells) or row.cells[column].percent or not row.additive:
        return None
    if column < len(table.columns) and not table.columns[column].additive:
        return None
    return row.value(column)


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
    """Two printed figures that must be the same number, compared at the coarser precision.

    Figures that cannot be the same number (`comparable`) are a counted skip when they differ;
    two printings of one tagged fact are left to `facts`."""
    if same_fact(actual, expected):
        return True
    scale = actual.table.scale
    a, e = actual.worth, expected.worth
    if absolute:
        a, e = abs(a), abs(e)
    unit = max(actual.unit * actual.table.scale, expected.unit * expected.table.scale)
    allowed = same_figure_tolerance(unit) / scale
    if not comparable(actual, expected):
        if abs(a - e) / scale <= allowed:
            return ledger.passes(kind, 0.0, allowed)
        ledger.skip(kind)
        return True
    period = period or period_label(actual.table, actual.column, actual.row.label)
    return ledger.compare(
        kind,
        actual=a / scale,
        expected=e / scale,
        tolerance=allowed,
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
