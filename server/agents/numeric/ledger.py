"""The numeric agent's ledger: every check passes, fails (a finding) or is skipped, and is counted.

All numeric checks report through `Ledger.compare`, so tolerance, severity, materiality, ids and
tallies are decided in one place.

Severity (documented for users in the finding's description):
- high: a fundamental equation is broken (assets vs equity and liabilities, total
  comprehensive income, net change in cash), or the difference is at least 1% of the figure;
- medium: at least 0.1%;
- low: below 0.1% (still more than honest rounding can explain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generated.models import (
    CellRef,
    CheckTally,
    Location,
    NumericCheck,
    NumericFinding,
    ScaleName,
    Severity,
)
from server.agents.base import finding_id
from server.ingest.document import Column, Table
from server.severity import rank

HIGH_MATERIALITY = 0.01
MEDIUM_MATERIALITY = 0.001

REFERENCES: dict[NumericCheck, str] = {
    NumericCheck.footing: "DQC 0118/0126: a total equals the sum of its components",
    NumericCheck.equation: "IAS 1.54-55, IAS 1.81A, IAS 7.10 (DQC 0004): fundamental equation",
    NumericCheck.cross_footing: "IAS 1.106: changes in equity reconcile each component",
    NumericCheck.roll_forward: "IAS 1.106(d), IAS 7.45, IAS 16.73(e), IAS 37.84: opening + "
    "movements = closing",
    NumericCheck.opening_balance: "IAS 1.106(d): opening balance equals the prior closing balance",
    NumericCheck.cross_statement: "IAS 1.10: the statements agree with each other",
    NumericCheck.note_tie: "IAS 1.113: a statement line agrees with the note it cites",
    NumericCheck.eps: "IAS 33.10 (IFRS 0130): EPS = profit attributable / weighted shares",
    NumericCheck.duplicate_fact: "XBRL 2.1 4.10, EDGAR Filer Manual 6.5.12: the same tagged fact "
    "printed twice is one number",
    NumericCheck.calculation: "XBRL Calculations 1.1: the filer's calculation linkbase "
    "relationship holds",
}


def scale_name(label: str) -> ScaleName:
    try:
        return ScaleName(label)
    except ValueError:
        return ScaleName.units


def period_label(table: Table, column: int, row_label: str | None = None) -> str:
    """The period a figure belongs to: the column's period, else its header and the row's date."""
    col: Column | None = next((c for c in table.columns if c.index == column), None)
    if col is not None and col.period and _is_period_header(col):
        return col.period
    header = _clean_header(col.header) if col is not None else f"column {column}"
    year = re.search(r"\b(19|20)\d\d\b", row_label or "")
    return f"{header}, {year.group(0)}" if year else header or f"column {column}"


def _is_period_header(col: Column) -> bool:
    """A header that names only a period ("2024", "31 December 2024"), not a component."""
    text = re.sub(
        r"(?i)\b(year ended|as at|at|restated|\d{1,2}|january|february|march|april|may"
        r"|june|july|august|september|october|november|december|\d{4})\b",
        "",
        col.header,
    )
    return not re.search(r"[A-Za-z]{3,}", text)


def _clean_header(header: str) -> str:
    return re.sub(r"(?i)\s*\b(year ended|as at)\b.*$", "", header).strip() or header.strip()


@dataclass(slots=True)
class Cells:
    """Where a figure sits: a table and cells in it."""

    table: Table
    cells: list[tuple[int, int]]

    def location(self) -> Location:
        if not self.cells:
            return Location(table=self.table.id, table_title=self.table.title or self.table.id)
        return Location(
            table=self.table.id,
            table_title=self.table.title or self.table.id,
            cells=[CellRef(row=r, column=c) for r, c in self.cells],
        )


@dataclass(slots=True)
class _Tally:
    run: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass(slots=True)
class Ledger:
    findings: list[NumericFinding] = field(default_factory=list)
    tallies: dict[NumericCheck, _Tally] = field(
        default_factory=lambda: {kind: _Tally() for kind in NumericCheck}
    )
    _places: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    def skip(self, kind: NumericCheck, count: int = 1) -> None:
        self.tallies[kind].skipped += count

    def passes(self, kind: NumericCheck, difference: float, tolerance: float) -> bool:
        """Count a check that passes, cheaply; False (nothing counted) means: call `compare`."""
        if abs(difference) <= tolerance:
            self.tallies[kind].run += 1
            return True
        return False

    def compare(
        self,
        kind: NumericCheck,
        *,
        actual: float,
        expected: float,
        tolerance: float,
        table: Table,
        row: int,
        period: str,
        title: str,
        detail: str,
        locations: list[Cells],
        key: tuple[object, ...] = (),
        scale: str | None = None,
        most_severe: Severity = Severity.high,
    ) -> bool:
        """Count one check; record a finding when |actual - expected| exceeds the tolerance.

        `actual` and `expected` are in the printed units of `table` (or of `scale`, for figures
        such as EPS that are not printed at the table's scale). `most_severe` caps the severity
        (a filer's linkbase that omits a printed line is a tagging slip, never a high finding).
        """
        scale = scale or table.scale_label
        tally = self.tallies[kind]
        tally.run += 1
        difference = actual - expected
        if abs(difference) <= tolerance:
            return True
        fid = finding_id("numeric", kind.value, table.id, row, period, *key)
        if fid in self._places:
            return False  # the same difference reached by another path: reported once
        tally.failed += 1
        base = max(abs(expected), abs(actual))
        materiality = abs(difference) / base if base else 1.0
        severity = max(_severity(kind, materiality), most_severe, key=rank)
        self._places[fid] = (table.index, row, rank(severity))
        unit_words = "" if scale == "units" else f" (in {scale})"
        description = (
            f"{detail} Expected {_fmt(expected)}, printed {_fmt(actual)}{unit_words}: "
            f"a difference of {_fmt(difference)} for {period}, more than rounding allows "
            f"(tolerance {_fmt(tolerance)}). Materiality {materiality:.2%} of the figure; "
            f"severity {severity.value}."
        )
        self.findings.append(
            NumericFinding(
                id=fid,
                agent="numeric",
                severity=severity,
                title=title[:200],
                description=description,
                reference=REFERENCES[kind],
                locations=[loc.location() for loc in locations],
                check=kind,
                expected=_clean(expected),
                actual=_clean(actual),
                difference=_clean(difference),
                period=period,
                scale=scale_name(scale),
                materiality=round(materiality, 6),
            )
        )
        return False

    def in_document_order(self) -> list[NumericFinding]:
        """By table, then row; the more severe first at the same place."""
        return sorted(self.findings, key=lambda f: (*self._places[f.id], f.id))

    def by_check(self) -> list[CheckTally]:
        return [
            CheckTally(check=kind.value, run=t.run, failed=t.failed, skipped=t.skipped)
            for kind, t in self.tallies.items()
        ]


def _severity(kind: NumericCheck, materiality: float) -> Severity:
    if kind is NumericCheck.equation or materiality >= HIGH_MATERIALITY:
        return Severity.high
    if materiality >= MEDIUM_MATERIALITY:
        return Severity.medium
    return Severity.low


def _clean(value: float) -> float:
    """Printed figures are decimal: drop float noise from sums (0.30000000000000004)."""
    return round(value, 6)


def _fmt(value: float) -> str:
    v = _clean(value)
    if float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:,.6f}".rstrip("0").rstrip(".")
