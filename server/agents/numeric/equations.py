"""Fundamental equations (DQC 0004, IAS 1.54-55, IAS 1.81A, IAS 7.10).

Footing already re-adds total assets, total comprehensive income and the net change in cash when
the structure inference found their components (reported as equations). This module covers what
footing cannot: assets against equity and liabilities (two different totals), and the same
equations when a statement is split across tables or its totals were left unexplained.
"""

from __future__ import annotations

from generated.models import NumericCheck
from server.agents.numeric.figures import (
    INCOME_STATEMENTS,
    by_year,
    cash_flow_group,
    concept_rows,
    statement_tables,
)
from server.agents.numeric.labels import Concept
from server.agents.numeric.ledger import Cells, Ledger, period_label
from server.ingest.document import Document, Row, StatementKind, Table
from server.text.rounding import same_figure_tolerance, tolerance


def check_equations(
    document: Document, ledger: Ledger, footed: frozenset[tuple[str, int]] = frozenset()
) -> None:
    """`footed`: (table id, row) of totals footing re-added with components from elsewhere."""
    position = statement_tables(document, StatementKind.FINANCIAL_POSITION) or [
        t for t in document.tables if concept_rows([t], Concept.TOTAL_ASSETS)
    ]
    _assets_equal_claims(position, ledger)
    _sum_equation(
        position,
        Concept.TOTAL_ASSETS,
        [Concept.NON_CURRENT_ASSETS, Concept.CURRENT_ASSETS],
        ledger,
        footed,
    )
    income = statement_tables(document, *INCOME_STATEMENTS)
    _sum_equation(income, Concept.TCI, [Concept.PROFIT_FOR_YEAR, Concept.OCI], ledger, footed)
    _sum_equation(
        cash_flow_group(document),
        Concept.NET_CHANGE_IN_CASH,
        [Concept.NET_OPERATING, Concept.NET_INVESTING, Concept.NET_FINANCING],
        ledger,
        footed,
    )


def _one(tables: list[Table], concept: Concept) -> tuple[Table, Row] | None:
    rows = concept_rows(tables, concept)
    return rows[0] if len(rows) == 1 else None


def _assets_equal_claims(tables: list[Table], ledger: Ledger) -> None:
    assets = _one(tables, Concept.TOTAL_ASSETS)
    if assets is None:
        return
    claims: list[tuple[Table, Row]] = []
    tel = _one(tables, Concept.TOTAL_EQUITY_AND_LIABILITIES)
    if tel is not None:
        claims = [tel]
    else:
        equity = _one(tables, Concept.TOTAL_EQUITY)
        liabilities = _one(tables, Concept.TOTAL_LIABILITIES)
        nc = _one(tables, Concept.NON_CURRENT_LIABILITIES)
        cur = _one(tables, Concept.CURRENT_LIABILITIES)
        if equity and liabilities:
            claims = [equity, liabilities]
        elif equity and nc and cur:
            claims = [equity, nc, cur]
    total_figures = by_year(*assets)
    if not claims:
        ledger.skip(NumericCheck.equation, len(total_figures))
        return
    _compare_sum(
        assets,
        claims,
        ledger,
        title="Total assets do not equal total equity and liabilities",
        same_figure=len(claims) == 1,
    )


def _sum_equation(
    tables: list[Table],
    total: Concept,
    parts: list[Concept],
    ledger: Ledger,
    footed: frozenset[tuple[str, int]],
) -> None:
    found = _one(tables, total)
    if found is None or found[1].components or (found[0].id, found[1].index) in footed:
        return  # absent, or already re-added by footing
    rows = [_one(tables, p) for p in parts]
    if any(r is None for r in rows):
        ledger.skip(NumericCheck.equation, len(by_year(*found)))
        return
    _compare_sum(
        found,
        [r for r in rows if r is not None],
        ledger,
        title=f"{found[1].label.strip()} does not equal " + " + ".join(p.value for p in parts),
        same_figure=False,
    )


def _compare_sum(
    total: tuple[Table, Row],
    parts: list[tuple[Table, Row]],
    ledger: Ledger,
    *,
    title: str,
    same_figure: bool,
) -> None:
    table, row = total
    part_figures = [by_year(t, r) for t, r in parts]
    for year, fig in sorted(by_year(table, row).items()):
        figs = [p.get(year) for p in part_figures]
        present = [f for f in figs if f is not None]
        if len(present) != len(figs):
            ledger.skip(NumericCheck.equation)
            continue
        expected = sum(f.worth for f in present) / table.scale
        unit = max([fig.unit * table.scale] + [f.unit * f.table.scale for f in present])
        unit /= table.scale
        tol = same_figure_tolerance(unit) if same_figure else tolerance(len(present), unit)
        period = period_label(table, fig.column, row.label)
        names = " + ".join(f"'{f.row.label.strip()}'" for f in present)
        ledger.compare(
            NumericCheck.equation,
            actual=fig.value,
            expected=expected,
            tolerance=tol,
            table=table,
            row=row.index,
            period=period,
            title=f"{title} ({period})",
            detail=f"'{row.label.strip()}' should equal {names}.",
            locations=[Cells(table, [(row.index, fig.column)])]
            + [Cells(f.table, [(f.row.index, f.column)]) for f in present],
            key=("equation",),
        )
