"""Ties across statements: the same figure printed in two statements must be the same number.

- profit for the year and profit before tax: profit or loss vs comprehensive income, cash flows,
  changes in equity (total column, the year of the balance it rolls into) and notes;
- cash at the end of the year: cash flows vs financial position (skipped when the cash-flow
  cash includes overdrafts);
- closing equity components: changes in equity vs financial position, component by component;
- non-cash adjustments in the cash-flow statement (depreciation, amortisation, impairment,
  finance costs and income, tax) vs the line of the same name in profit or loss or a note.

Lines are matched by concept or identical normalised label, never by similarity. A note, or an
adjustment line, is tied only when it agrees in at least one year (evidence that it is the same
line); the primary statements must always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generated.models import NumericCheck
from server.agents.numeric.figures import (
    INCOME_STATEMENTS,
    Figure,
    by_year,
    cash_flow_group,
    closing_rows,
    concept_rows,
    confirms,
    data_rows,
    statement_tables,
    tie,
    total_column,
    year_columns,
)
from server.agents.numeric.labels import (
    Concept,
    clean,
    concept_of,
    equity_header,
    is_changes_in_equity,
    is_closing,
    label_year,
)
from server.agents.numeric.ledger import Ledger
from server.ingest.document import ColumnRole, Document, Row, RowKind, StatementKind, Table

_BOTTOM_LINE = re.compile(
    r"^((group|consolidated) )?(net )?(profit|loss|result)( after (income )?tax(ation)?)?"
    r" for the (financial )?(year|period)\b(?!.*continu)"
)
_CHARGEABLE = re.compile(r"^(depreciation|amortisation|amortization)\b")
_CHARGE = re.compile(
    r"^((depreciation|amortisation|amortization) )?(charge )?(for the (year|period)|charge)$"
    r"|^(depreciation|amortisation|amortization) charge\b"
)
_ADJUSTMENT = re.compile(
    r"^(depreciation|amortisation|amortization|impairment|finance costs?|finance income|"
    r"interest (income|expense)|net finance (costs?|income)|"
    r"(income )?tax(ation)?( expense| charge| credit)?$|"
    r"share-based payments?( expense)?)\b"
)


def check_ties(document: Document, ledger: Ledger) -> None:
    income = statement_tables(document, *INCOME_STATEMENTS)
    for concept in (Concept.PROFIT_FOR_YEAR, Concept.PROFIT_BEFORE_TAX, Concept.TCI):
        reference = _reference(income, concept)
        if reference is None:
            continue
        if concept is not Concept.TCI:
            _tie_everywhere(document, concept, reference, ledger)
        if concept is not Concept.PROFIT_BEFORE_TAX:
            _changes_in_equity_line(document, concept, reference, ledger)
    _closing_cash(document, ledger)
    _equity_components(document, ledger)
    _non_cash_adjustments(document, ledger)


def _reference(tables: list[Table], concept: Concept) -> tuple[Table, Row] | None:
    """The line the other statements tie to: the concept's total in profit or loss, or, for the
    profit for the year, the bottom line however worded ("Group loss for the year", "Profit for
    the year attributable to the owners of the Company") when the statement confirms it adds up."""
    rows = concept_rows(tables, concept)
    totals = [(t, r) for t, r in rows if r.kind in (RowKind.TOTAL, RowKind.SUBTOTAL)]
    chosen = totals or rows
    if chosen:
        # The full statement, not a summarized one of the guarantors printed before it.
        return max(chosen, key=lambda tr: sum(1 for _ in data_rows(tr[0])))
    if concept is not Concept.PROFIT_FOR_YEAR:
        return None
    bottom = [
        (t, r)
        for t in tables
        for r in data_rows(t)
        if r.components and _BOTTOM_LINE.match(clean(r.label))
    ]
    return bottom[-1] if bottom else None


def _is_income_statement(table: Table) -> bool:
    return table.statement in INCOME_STATEMENTS and table.note_number is None


def _tie_everywhere(
    document: Document, concept: Concept, reference: tuple[Table, Row], ledger: Ledger
) -> None:
    ref_table, ref_row = reference
    ref_figs = by_year(ref_table, ref_row)
    for table, row in concept_rows(document.tables, concept):
        if row is ref_row or is_changes_in_equity(table):
            continue
        figs = by_year(table, row)
        common = sorted(set(figs) & set(ref_figs))
        if not common:
            continue
        # Profit or loss and comprehensive income print the same line and must always agree;
        # elsewhere (cash flows, notes) a line of the same name may be another figure (continuing
        # operations only, before tax), so one year must agree first.
        # Two tables named profit or loss (a summarized statement of the guarantors, the parent
        # company's) are two statements: they too must agree in one year first.
        independent = table.statement == ref_table.statement and ref_table.id not in (
            table.id,
            table.continued_from,
        )
        if (not _is_income_statement(table) or independent) and not any(
            confirms(figs[y], ref_figs[y]) for y in common
        ):
            ledger.skip(NumericCheck.cross_statement, len(common))
            continue
        for year in common:
            tie(
                ledger,
                NumericCheck.cross_statement,
                figs[year],
                ref_figs[year],
                title=f"'{row.label.strip()}' in {_name(table)} differs from {_name(ref_table)}",
                detail=f"'{row.label.strip()}' should equal '{ref_row.label.strip()}' in "
                f"{_name(ref_table)}.",
            )


def _changes_in_equity_line(
    document: Document, concept: Concept, reference: tuple[Table, Row], ledger: Ledger
) -> None:
    """Profit, or total comprehensive income, in the total column of changes in equity."""
    ref_table, ref_row = reference
    ref_figs = by_year(ref_table, ref_row)
    pairs: list[_Pair] = []
    for table in document.tables:
        if not is_changes_in_equity(table):
            continue
        column = total_column(table)
        for row in data_rows(table):
            if concept_of(row.label) is not concept:
                continue
            year = _year_of_movement(table, row)
            if column is None or year is None or row.value(column) is None:
                ledger.skip(NumericCheck.cross_statement)
                continue
            if year not in ref_figs:
                continue
            pairs.append(
                _Pair(
                    Figure(table, row, column),
                    ref_figs[year],
                    title=f"{concept.value.capitalize()} for {year} in changes in equity differs "
                    f"from {_name(ref_table)}",
                    period=f"{_header(table, column).capitalize()}, {year}",
                    detail=f"The total column of '{row.label.strip()}' in {_name(table)} should "
                    f"equal '{ref_row.label.strip()}' in {_name(ref_table)}.",
                )
            )
    _tie_confirmed(pairs, ledger)


@dataclass(slots=True)
class _Pair:
    actual: Figure
    expected: Figure
    title: str
    detail: str
    period: str | None = None


def _tie_confirmed(pairs: list[_Pair], ledger: Ledger, absolute: bool = False) -> None:
    """Tie a family of figures once one of them agrees: that is the evidence the lines were
    matched right (a balance sheet "cash" that includes deposits, a changes-in-equity column
    that is not the balance sheet's line of that name, agree nowhere and are skipped)."""
    if not any(confirms(p.actual, p.expected, absolute) for p in pairs):
        ledger.skip(NumericCheck.cross_statement, len(pairs))
        return
    for p in pairs:
        tie(
            ledger,
            NumericCheck.cross_statement,
            p.actual,
            p.expected,
            title=p.title,
            detail=p.detail,
            period=p.period,
            absolute=absolute,
        )


def _year_of_movement(table: Table, row: Row) -> int | None:
    """The year a movement row belongs to: that of the closing balance it rolls into."""
    for r in table.rows[row.index + 1 :]:
        if is_closing(r.label):
            return label_year(r.label)
    return None


def _closing_cash(document: Document, ledger: Ledger) -> None:
    cash_flows = statement_tables(document, StatementKind.CASH_FLOWS)
    if any("overdraft" in clean(r.label) for t in cash_flows for r in t.rows):
        return
    position = statement_tables(document, StatementKind.FINANCIAL_POSITION)
    balance = concept_rows(position, Concept.CASH)
    closing = closing_rows(cash_flows, ("cash and cash equivalents", "cash", "balance"))
    if len(balance) != 1:
        if closing:
            ledger.skip(NumericCheck.cross_statement)
        return
    bs_table, bs_row = balance[0]
    bs_figs = by_year(bs_table, bs_row)
    restricted = "restricted" in clean(bs_row.label)
    apart = [(t, r) for t, r in closing if ("restricted" in clean(r.label)) != restricted]
    if apart:
        # Cash, cash equivalents and restricted cash against cash and cash equivalents: the
        # filing reconciles the two in a note; they are not the same figure.
        years = sum(len(set(by_year(t, r)) & set(bs_figs)) for t, r in apart)
        ledger.skip(NumericCheck.cross_statement, years)
        closing = [(t, r) for t, r in closing if ("restricted" in clean(r.label)) == restricted]
    pairs = [
        _Pair(
            figs[year],
            bs_figs[year],
            title=f"Closing cash in the cash-flow statement differs from the balance sheet "
            f"({year})",
            detail=f"'{row.label.strip()}' should equal '{bs_row.label.strip()}' in "
            f"{_name(bs_table)}.",
        )
        for table, row in closing
        for figs in [by_year(table, row)]
        for year in sorted(set(figs) & set(bs_figs))
    ]
    _tie_confirmed(pairs, ledger)


def _equity_components(document: Document, ledger: Ledger) -> None:
    position = statement_tables(document, StatementKind.FINANCIAL_POSITION)
    if not position:
        return
    pairs: list[_Pair] = []
    for table in document.tables:
        if not is_changes_in_equity(table) or table in position:
            continue
        for row in data_rows(table):
            year = label_year(row.label)
            if not is_closing(row.label) or year is None:
                continue
            for col in table.columns:
                if col.role is not ColumnRole.AMOUNT or row.value(col.index) is None:
                    continue
                name = equity_header(col.header)
                if not name or name == "total":
                    continue
                matches = [
                    (t, r)
                    for t in position
                    for r in data_rows(t)
                    if clean(r.label) == name
                    or (name == "total equity" and concept_of(r.label) is Concept.TOTAL_EQUITY)
                ]
                if len(matches) != 1:
                    ledger.skip(NumericCheck.cross_statement)
                    continue
                bs_figs = by_year(*matches[0])
                if year not in bs_figs:
                    continue
                pairs.append(
                    _Pair(
                        Figure(table, row, col.index),
                        bs_figs[year],
                        title=f"'{col.header.strip()}' at the end of {year} differs between "
                        f"changes in equity and the balance sheet",
                        period=f"{name.capitalize()}, {year}",
                        detail=f"'{row.label.strip()}', column '{col.header.strip()}', should "
                        f"equal '{matches[0][1].label.strip()}' in {_name(matches[0][0])}.",
                    )
                )
    _tie_confirmed(pairs, ledger)


def _non_cash_adjustments(document: Document, ledger: Ledger) -> None:
    group = cash_flow_group(document)
    if not group:
        return
    others = [t for t in document.tables if t not in group and not is_changes_in_equity(t)]
    income = [t for t in others if t.statement in INCOME_STATEMENTS and t.note_number is None]
    for table in group:
        for row in data_rows(table):
            label = clean(row.label)
            if not _ADJUSTMENT.match(label):
                continue
            targets = [(t, r) for t in income for r in data_rows(t) if clean(r.label) == label]
            if not targets:
                targets = [(t, r) for t in others for r in data_rows(t) if clean(r.label) == label]
            if not targets:
                _charge_for_the_year(document, table, row, ledger)
                continue
            figs = by_year(table, row)
            target_figs = [by_year(t, r) for t, r in targets]
            common = sorted(set(figs).intersection(*[set(f) for f in target_figs]))
            if not common:
                continue
            first = target_figs[0]
            consistent = all(
                abs(abs(f[y].worth) - abs(first[y].worth)) < 1e-9
                for f in target_figs
                for y in common
            )
            if not consistent or not any(
                confirms(figs[y], first[y], absolute=True) for y in common
            ):
                ledger.skip(NumericCheck.cross_statement, len(common))
                continue
            t0, r0 = targets[0]
            for year in common:
                tie(
                    ledger,
                    NumericCheck.cross_statement,
                    figs[year],
                    first[year],
                    title=f"Cash-flow adjustment '{row.label.strip()}' differs from {_name(t0)} "
                    f"({year})",
                    detail=f"The non-cash adjustment '{row.label.strip()}' in {_name(table)} "
                    f"should equal '{r0.label.strip()}' in {_name(t0)} (signs aside).",
                    absolute=True,
                )


def _charge_for_the_year(document: Document, table: Table, row: Row, ledger: Ledger) -> None:
    """Depreciation or amortisation added back in the cash-flow statement against the "Charge
    for the year" of the asset note the line cites (the note's total column, or its year
    columns), when the line has no namesake elsewhere."""
    if not row.note or not _CHARGEABLE.match(clean(row.label)):
        return
    charges: dict[int, list[Figure]] = {}
    for note in document.tables:
        if note.note_number != row.note.strip():
            continue
        years = year_columns(note)
        column = total_column(note)
        for r in data_rows(note):
            if not _CHARGE.match(clean(r.label)):
                continue
            if years:
                found = by_year(note, r)
            else:
                year = _year_of_movement(note, r)
                found = (
                    {year: Figure(note, r, column)}
                    if year is not None and column is not None and r.value(column) is not None
                    else {}
                )
            for y, fig in found.items():
                charges.setdefault(y, []).append(fig)
    figs = by_year(table, row)
    pairs = []
    for year, charged in sorted(charges.items()):
        if year not in figs:
            continue
        if len({abs(f.worth) for f in charged}) != 1:
            ledger.skip(NumericCheck.cross_statement)  # two charges that year: which is meant?
            continue
        pairs.append(
            _Pair(
                figs[year],
                charged[0],
                title=f"Cash-flow adjustment '{row.label.strip()}' differs from the charge in "
                f"note {row.note} ({year})",
                detail=f"The non-cash adjustment '{row.label.strip()}' in {_name(table)} should "
                f"equal '{charged[0].row.label.strip()}' in {_name(charged[0].table)} (signs "
                f"aside).",
            )
        )
    _tie_confirmed(pairs, ledger, absolute=True)


def _header(table: Table, column: int) -> str:
    return next(equity_header(c.header) for c in table.columns if c.index == column)


def _name(table: Table) -> str:
    return table.title or table.id
