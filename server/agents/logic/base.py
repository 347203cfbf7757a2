"""What every logic check shares: the document's figures by concept and period, and the tally.

A check asks `Facts` for a figure ("profit for the year, 2024") instead of walking tables itself,
so all checks agree on which line and column a concept means. When the document does not say
clearly (no period columns, two different lines for one concept), `Facts` answers None and the
check is counted as skipped, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from generated.models import CellRef, Location, LogicCheck, LogicFinding, Severity
from server.agents.base import finding_id
from server.agents.vocabulary import CONCEPTS, concept_of
from server.ingest.document import (
    ColumnRole,
    Document,
    Paragraph,
    Row,
    RowKind,
    StatementKind,
    Table,
)
from server.text.dates import MONTHS, find_dates
from server.text.labels import normalise_label

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_MONTH_BEFORE_YEAR = re.compile(
    rf"\b({'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?,?\s+(19[5-9]\d|20\d\d)\b", re.I
)

# Where each concept is read first; notes come after the primary statements.
_PREFERRED: dict[str, tuple[StatementKind, ...]] = {
    "revenue": (StatementKind.PROFIT_OR_LOSS, StatementKind.COMPREHENSIVE_INCOME),
    "profit_for_year": (
        StatementKind.PROFIT_OR_LOSS,
        StatementKind.COMPREHENSIVE_INCOME,
        StatementKind.CASH_FLOWS,
    ),
    "cash": (StatementKind.FINANCIAL_POSITION, StatementKind.CASH_FLOWS),
    "depreciation": (StatementKind.CASH_FLOWS, StatementKind.PROFIT_OR_LOSS),
}
_STATEMENT_ORDER = (
    StatementKind.FINANCIAL_POSITION,
    StatementKind.PROFIT_OR_LOSS,
    StatementKind.COMPREHENSIVE_INCOME,
    StatementKind.CASH_FLOWS,
    StatementKind.CHANGES_IN_EQUITY,
)


@dataclass(frozen=True, slots=True)
class Figure:
    """One printed amount, with where it sits and what one printed unit is worth."""

    printed: float
    table: Table
    row: Row
    column: int
    year: int

    @property
    def unit(self) -> float:
        return self.table.scale

    @property
    def value(self) -> float:
        return self.printed * self.table.scale

    def location(self) -> Location:
        loc = Location(table=self.table.id, cells=[CellRef(row=self.row.index, column=self.column)])
        if self.table.title:
            loc.table_title = self.table.title
        return loc

    def describe(self) -> str:
        return f"'{self.row.label.strip()}' {self.year}: {self.row.cells[self.column].text.strip()}"


def period_columns(table: Table, reporting_date: date | None = None) -> dict[int, list[int]]:
    """Amount columns by the financial year they report; empty when the columns are not periods.

    A header naming a month ("November 2023") is placed in the financial year that month falls
    in when the reporting date is known (for a March year end, November 2023 is 2024).
    """
    out: dict[int, list[int]] = {}
    for col in table.columns:
        if col.role is not ColumnRole.AMOUNT:
            continue
        year = col.year
        text = f"{col.period or ''} {col.header}"
        if year is None:
            m = _YEAR.search(text)
            year = int(m.group(1)) if m else None
        month = _MONTH_BEFORE_YEAR.search(text)
        if month and reporting_date and reporting_date.month != 12 and not find_dates(text):
            day = date(int(month.group(2)), MONTHS[month.group(1).lower()], 15)
            year = _fiscal_year(day, reporting_date)
        if year is not None:
            out.setdefault(year, []).append(col.index)
    return out


class Facts:
    """The document's amounts by concept and year, read once."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.reporting_date = _reporting_date(document)
        self.columns: dict[str, dict[int, list[int]]] = {
            t.id: period_columns(t, self.reporting_date) for t in document.tables
        }
        self.concepts: dict[str, list[tuple[Table, Row]]] = {}
        for table in document.tables:
            for row in table.rows:
                if row.kind in (RowKind.HEADING, RowKind.SPACER):
                    continue
                concept = concept_of(row.label)
                if concept:
                    self.concepts.setdefault(concept, []).append((table, row))
        years = [y for t in document.tables if t.statement for y in self.columns[t.id]]
        self.current_year: int | None = (
            self.reporting_date.year if self.reporting_date else (max(years) if years else None)
        )

    @property
    def prior_year(self) -> int | None:
        return self.current_year - 1 if self.current_year else None

    def figures(self, concept: str, year: int) -> Iterator[Figure]:
        """Every printed figure for a concept and year, primary statements first."""
        assert concept in CONCEPTS, concept
        order = _PREFERRED.get(concept, _STATEMENT_ORDER)
        rank = {k: i for i, k in enumerate(order)}
        lines = sorted(
            self.concepts.get(concept, []),
            key=lambda tr: (rank.get(tr[0].statement, 99) if tr[0].statement else 100, tr[0].index),
        )
        for table, row in lines:
            for col in self.columns[table.id].get(year, []):
                v = row.value(col)
                if v is not None:
                    yield Figure(v, table, row, col, year)

    def figure(self, concept: str, year: int | None) -> Figure | None:
        """The concept's figure in the first statement that prints it, or None if unclear.

        Within that statement, two lines of the concept with different figures make it unclear.
        """
        if year is None:
            return None
        found = list(self.figures(concept, year))
        if not found:
            return None
        first = found[0]
        if first.table.statement is None and concept not in _NOTE_OK:
            return None
        same_table = [f for f in found if f.table.id == first.table.id and f.column == first.column]
        if any(abs(f.printed - first.printed) > 1e-9 for f in same_table):
            return None
        return first

    def value(self, concept: str, year: int | None) -> float | None:
        f = self.figure(concept, year)
        return f.value if f else None


_NOTE_OK = {"depreciation", "proceeds_borrowings", "repay_borrowings", "purchase_ppe"}


def _fiscal_year(day: date, rd: date) -> int:
    year = rd.year
    while day <= _on_year(rd, year - 1):
        year -= 1
    while day > _on_year(rd, year):
        year += 1
    return year


def _on_year(rd: date, year: int) -> date:
    try:
        return rd.replace(year=year)
    except ValueError:  # 29 February
        return rd.replace(year=year, day=28)


def _reporting_date(document: Document) -> date | None:
    if document.reporting_date:
        try:
            return date.fromisoformat(document.reporting_date[:10])
        except ValueError:
            pass
    ends: list[date] = []
    for table in document.tables:
        if table.statement is None:
            continue
        for col in table.columns:
            if col.period_end:
                try:
                    ends.append(date.fromisoformat(col.period_end[:10]))
                except ValueError:
                    continue
    if ends:
        return max(ends)
    heads = list(document.page_headers) + [s.title for s in document.sections if s.statement]
    heads += [t.title for t in document.tables if t.statement and t.title]
    dates = [d.value for h in heads for d in find_dates(h)]
    if dates:
        return max(dates)
    return None


@dataclass(slots=True)
class Tally:
    run: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass(slots=True)
class LogicContext:
    """The document, its facts, and what the checks found so far."""

    document: Document
    facts: Facts
    findings: list[LogicFinding] = field(default_factory=list)
    tallies: dict[LogicCheck, Tally] = field(default_factory=dict)
    claims_found: int = 0
    claims_checked: int = 0

    def tally(self, check: LogicCheck) -> Tally:
        return self.tallies.setdefault(check, Tally())

    def passed(self, check: LogicCheck) -> None:
        self.tally(check).run += 1

    def skipped(self, check: LogicCheck) -> None:
        self.tally(check).skipped += 1

    def failed(
        self,
        check: LogicCheck,
        *,
        key: tuple[object, ...],
        severity: Severity,
        title: str,
        description: str,
        reference: str,
        locations: list[Location],
        claim: str,
        contradiction: str,
    ) -> None:
        t = self.tally(check)
        t.run += 1
        fid = finding_id("logic", check.value, *key)
        if any(f.id == fid for f in self.findings):
            return  # the same contradiction reached twice (e.g. two wordings of one sentence)
        t.failed += 1
        self.findings.append(
            LogicFinding(
                id=fid,
                agent="logic",
                severity=severity,
                title=title[:200],
                description=description,
                reference=reference,
                locations=locations,
                check=check,
                claim=claim,
                contradiction=contradiction,
            )
        )


def paragraph_location(paragraph: Paragraph, quote: str) -> Location:
    loc = Location(paragraph=paragraph.id, quote=quote)
    if paragraph.section_id:
        loc.section = paragraph.section_id
    return loc


def fmt(amount: float) -> str:
    """An amount as a reader would write it: thousands separators, no needless decimals."""
    if abs(amount - round(amount)) < 1e-9:
        return f"{round(amount):,}"
    return f"{amount:,.2f}"


def label_key(row: Row) -> str:
    return normalise_label(row.label)
