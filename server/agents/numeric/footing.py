"""Footing: every total the reader explained is re-added, column by column.

The reader sets what each total sums (`Row.components`, or `Row.chain_components` for a total
whose parts sit partly in the earlier part of a continued table) and which columns sum other
columns (`Column.components`); this module only re-adds. A total with no printed part in a
column (every part blank or nil) is a counted skip, never a comparison with 0; figures the
reader found never add up (averages, prices, counts) are neither totals nor parts.

A row total is reported as a roll-forward when it closes a balance (its label is a closing
balance and it sums an opening balance), as a fundamental equation when it is one of the IAS 1 /
IAS 7 totals (total assets, total comprehensive income, net change in cash), and as footing
otherwise. Totals whose structure is unknown are counted as skipped, once per figure.
Column totals (a "Total" column in changes in equity or a note) are cross-footed row by row.
"""

from __future__ import annotations

from generated.models import NumericCheck
from server.agents.numeric.figures import part
from server.agents.numeric.labels import Concept, concept_of, is_closing, is_opening
from server.agents.numeric.ledger import Cells, Ledger, period_label
from server.ingest.document import ColumnRole, Row, RowKind, Table
from server.text.rounding import coarsest, tolerance

Component = tuple[Table, int, int]  # table, row index in it, sign

EQUATION_TOTALS = frozenset(
    {
        Concept.TOTAL_ASSETS,
        Concept.TOTAL_EQUITY_AND_LIABILITIES,
        Concept.TCI,
        Concept.NET_CHANGE_IN_CASH,
    }
)


def foot_table(table: Table, ledger: Ledger, tables: dict[str, Table]) -> None:
    """Foot every total of `table`; `tables` by id, for totals of continued tables."""
    amount = [c.index for c in table.columns if c.role is ColumnRole.AMOUNT]
    for row in table.rows:
        extra = [(tables[t], i, sign) for t, i, sign in row.chain_components if t in tables]
        if row.kind not in (RowKind.TOTAL, RowKind.SUBTOTAL) and not extra:
            continue
        if len(row.components) == 1 and is_opening(row.label):
            continue  # an opening balance carried from the prior closing: opening_balance checks it
        comps = [(table, i, sign) for i, sign in row.components] or extra
        printed = [c for c in amount if part(table, row, c) is not None]
        kind = _kind(row, comps)
        if not comps:
            ledger.skip(kind, len(printed))
            continue
        for column in printed:
            _foot(table, row, column, comps, kind, ledger)
    cross_foot(table, ledger)


def _kind(row: Row, comps: list[Component]) -> NumericCheck:
    if concept_of(row.label) in EQUATION_TOTALS:
        return NumericCheck.equation
    if is_closing(row.label) and any(
        is_opening(t.rows[i].label) or t.rows[i].kind is not RowKind.ITEM for t, i, _ in comps
    ):
        return NumericCheck.roll_forward
    return NumericCheck.footing


def _foot(
    table: Table,
    row: Row,
    column: int,
    comps: list[Component],
    kind: NumericCheck,
    ledger: Ledger,
) -> None:
    actual = part(table, row, column)
    assert actual is not None
    expected = 0.0
    units = [row.cells[column].unit]
    seen = 0  # parts printed with digits: a nil cell is not a part
    for t, i, sign in comps:
        comp = t.rows[i]
        if unreadable(comp, column):
            ledger.skip(kind)  # a part printed but not read ("10 (4)"): nothing to re-add
            return
        v = part(t, comp, column)
        if v is None:
            continue
        seen += not comp.cells[column].nil
        expected += sign * v
        units.append(comp.cells[column].unit)
    if not seen:
        ledger.skip(kind)  # no printed part in this column: nothing to re-add
        return
    allowed = tolerance(seen, coarsest(*units))
    if ledger.passes(kind, actual - expected, allowed):
        return
    parts = "".join(
        f"{(' − ' if sign < 0 else ' + ') if n else ('−' if sign < 0 else '')}"
        f"'{t.rows[i].label.strip() or f'row {i}'}'"
        for n, (t, i, sign) in enumerate(comps)
    )
    label = row.label.strip() or f"the unlabelled total in row {row.index}"
    period = period_label(table, column, row.label)
    what = {
        NumericCheck.equation: "does not equal the sum of its parts",
        NumericCheck.roll_forward: "does not equal the opening balance plus movements",
    }.get(kind, "does not add up")
    locations = [Cells(table, [(row.index, column)])]
    for t, i, _ in comps:
        if locations[-1].table is not t:
            locations.append(Cells(t, []))
        locations[-1].cells.append((i, column))
    ledger.compare(
        kind,
        actual=actual,
        expected=expected,
        tolerance=allowed,
        table=table,
        row=row.index,
        period=period,
        title=f"{label} {what} ({period})",
        detail=f"In {table.title or table.id}, '{label}' should equal {parts}.",
        locations=locations,
        key=(column,),
    )


def unreadable(row: Row, column: int) -> bool:
    """A cell that prints digits the reader could not take as one figure: two figures run
    together ("10 (4)", "44 (3)") where a PDF's columns merged. Its part of a sum is unknown."""
    if column >= len(row.cells):
        return False
    cell = row.cells[column]
    return cell.value is None and any(ch.isdigit() for ch in cell.text)


def cross_foot(table: Table, ledger: Ledger) -> None:
    """Each row's total column equals the sum of its component columns."""
    headers = {c.index: c.header.strip() for c in table.columns}
    for column in table.columns:
        total_col, comps = column.index, column.components
        if not comps:
            continue
        for row in table.rows:
            actual = part(table, row, total_col)
            if actual is None or row.kind in (RowKind.HEADING, RowKind.SPACER):
                continue
            if any(unreadable(row, c) for c, _ in comps):
                ledger.skip(NumericCheck.cross_footing)  # a part printed but not read
                continue
            values = [(part(table, row, c), c, s) for c, s in comps]
            present = [(v, c, s) for v, c, s in values if v is not None]
            printed = [c for _, c, _ in present if not row.cells[c].nil]
            if not printed:
                ledger.skip(NumericCheck.cross_footing)
                continue
            expected = sum(s * v for v, _, s in present)
            unit = coarsest(*(row.cells[c].unit for c in [total_col, *printed]))
            allowed = tolerance(len(printed), unit)
            if ledger.passes(NumericCheck.cross_footing, actual - expected, allowed):
                continue
            label = row.label.strip() or f"row {row.index}"
            period = f"{headers[total_col]}, {label}"
            ledger.compare(
                NumericCheck.cross_footing,
                actual=actual,
                expected=expected,
                tolerance=allowed,
                table=table,
                row=row.index,
                period=period,
                title=f"'{headers[total_col]}' does not equal the sum of the columns ({label})",
                detail=(
                    f"In {table.title or table.id}, row '{label}': the '{headers[total_col]}' "
                    f"column should equal " + " + ".join(f"'{headers[c]}'" for c, _ in comps) + "."
                ),
                locations=[
                    Cells(table, [(row.index, total_col)] + [(row.index, c) for c, _ in comps])
                ],
                key=(total_col,),
            )
