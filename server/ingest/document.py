"""The parsed-document model every agent reads.

Readers (docx, text, pdf) turn a file into a `Document`; agents only ever see this model, never
the file. It keeps the body order of headings, paragraphs and tables, so a finding can point at
"table 4, row 7, column 2" or quote a sentence, and the page can render the table around it.

Amounts are kept as printed (`Cell.value` is in the table's printed units); `Table.scale` says
what one printed unit is worth. What the figures mean (which rows are totals and what each
sums, column totals, printed units, which figures never add up) is inferred once, as the last
step of reading (`server/ingest/structure.py`), and carried here for every agent. `to_json()` gives the shape defined in
`schema/v1/document.schema.json`, served at `GET /api/v1/audits/{id}/document`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class DocumentKind(StrEnum):
    DOCX = "docx"
    MARKDOWN = "md"
    TEXT = "txt"
    PDF = "pdf"
    HTML = "html"


class StatementKind(StrEnum):
    """The primary statements, under whatever name the preparer used."""

    FINANCIAL_POSITION = "financial_position"
    PROFIT_OR_LOSS = "profit_or_loss"
    COMPREHENSIVE_INCOME = "comprehensive_income"
    CHANGES_IN_EQUITY = "changes_in_equity"
    CASH_FLOWS = "cash_flows"


class Framework(StrEnum):
    """The accounting framework the statements say they follow (server/ingest/scope.py)."""

    IFRS = "ifrs"
    US_GAAP = "us_gaap"


class PeriodKind(StrEnum):
    """Annual statements, or interim ones (IAS 34 / ASC 270: a quarter, a half-year)."""

    ANNUAL = "annual"
    INTERIM = "interim"


class ColumnRole(StrEnum):
    LABEL = "label"
    NOTE = "note"
    AMOUNT = "amount"
    PERCENT = "percent"
    OTHER = "other"


class RowKind(StrEnum):
    HEADING = "heading"  # a group caption with no figures ("Current assets")
    ITEM = "item"
    SUBTOTAL = "subtotal"
    TOTAL = "total"
    SPACER = "spacer"  # an empty row between groups


@dataclass(slots=True)
class Fact:
    """A figure tagged by inline XBRL (`ix:nonFraction`): what the filer says it means.

    `value` is the XBRL value (scale and `sign="-"` applied, so 1,234 printed in millions is
    1_234_000_000.0); the printed figure, its parentheses included, stays in the `Cell`.
    `decimals` None means INF (exact); `period_start` None means an instant."""

    concept: str  # "us-gaap:Assets"
    context: str  # the contextRef id
    value: float | None  # None when nil (xsi:nil) or the format could not be read
    period_end: str | None = None  # ISO date: the instant, or a duration's end date
    period_start: str | None = None
    dimensional: bool = False  # the context has segment/scenario members: not the entity total
    unit: str | None = None  # "USD", "shares", "pure", "USD/shares"
    decimals: int | None = None
    scale: int = 0
    sign: int = 1  # -1 when tagged sign="-"
    id: str | None = None


@dataclass(slots=True)
class Calculation:
    """One summation from the filer's calculation linkbase: `parent` = sum of weight * item."""

    role: str  # the extended link role (usually one statement)
    parent: str
    items: list[tuple[str, float]]  # (concept, weight)


@dataclass(slots=True)
class Cell:
    text: str
    value: float | None = None  # parsed amount in printed units; None when not a number
    nil: bool = False  # printed as "-", "–" or "nil": a value of 0 that was left blank on purpose
    percent: bool = False
    fact: Fact | None = None  # the inline-XBRL tag of the figure, when the filing has one
    # One unit of the last printed digit (0.1 for "3.0"), or the tag's rounding when coarser;
    # None when no digit is printed. Set when the document is read (ingest/structure.py).
    unit: float | None = None


@dataclass(slots=True)
class Column:
    index: int
    header: str
    role: ColumnRole
    period: str | None = None  # label of the period, e.g. "2024" or "31 December 2024"
    period_end: str | None = None  # ISO date when the header states one
    year: int | None = None
    restated: bool = False  # the header says "restated" (or "as adjusted", "re-presented")
    # "group" or "company" when the header splits consolidated and parent-only figures
    # ("Group 2024 | Company 2024"); None when the table has one reporting scope.
    scope: str | None = None
    # Set when the document is read (ingest/structure.py): False for figures that never add up
    # (averages, prices, rates, lives, percentages, per-share amounts, counts of shares), and
    # for a "Total" column the columns it sums, with a sign each (Column.index values).
    additive: bool = True
    components: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Row:
    index: int
    label: str
    cells: list[Cell]
    kind: RowKind = RowKind.ITEM
    note: str | None = None  # note reference from the "Note" column or a label marker
    # For subtotals and totals: the row indices this row sums, with a sign each (+1 or -1).
    # Empty when the reader could not establish the structure; agents then skip the check.
    components: list[tuple[int, int]] = field(default_factory=list)
    # How the row is set, when the format says (Word): hints that it is a total.
    bold: bool = False  # its label is bold
    ruled_above: bool = False  # a rule is drawn above its figures
    # A total of a table continued across pages whose parts sit partly in the earlier part:
    # (table id, row index, sign) of each part, in any table of the chain.
    chain_components: list[tuple[str, int, int]] = field(default_factory=list)
    additive: bool = True  # False for a line of averages, prices, per-share amounts, counts

    def value(self, column: int) -> float | None:
        cell = self.cells[column] if column < len(self.cells) else None
        if cell is None:
            return None
        if cell.nil:
            return 0.0
        return cell.value


@dataclass(slots=True)
class Table:
    id: str  # "t1", "t2", ... in body order
    index: int
    columns: list[Column]
    rows: list[Row]
    title: str | None = None  # the nearest heading or caption above the table
    section_id: str | None = None
    statement: StatementKind | None = None
    note_number: str | None = None  # set when the table belongs to a numbered note
    scale: float = 1.0  # what one printed unit is worth (1000 for "in thousands")
    scale_label: str = "units"  # "units" | "thousands" | "millions" | "billions"
    currency: str | None = None  # ISO code when the header states one
    continued_from: str | None = None  # id of the table this one continues

    def amount_columns(self) -> list[Column]:
        return [c for c in self.columns if c.role is ColumnRole.AMOUNT]

    def label_column(self) -> int:
        for c in self.columns:
            if c.role is ColumnRole.LABEL:
                return c.index
        return 0


@dataclass(slots=True)
class Paragraph:
    id: str  # "p1", "p2", ... in body order
    index: int
    text: str
    section_id: str | None = None
    style: str | None = None


@dataclass(slots=True)
class Section:
    """A heading and the blocks under it; notes are sections with a `note_number`."""

    id: str  # "s1", "s2", ...
    title: str
    level: int
    parent_id: str | None = None
    note_number: str | None = None
    statement: StatementKind | None = None


Block = Paragraph | Table


@dataclass(slots=True)
class Document:
    name: str
    kind: DocumentKind
    sections: list[Section] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # paragraphs and tables in body order
    pages: int | None = None
    page_headers: list[str] = field(default_factory=list)  # text of page headers (docx/pdf)
    entity_name: str | None = None
    reporting_date: str | None = None  # ISO date of the current period end, when found
    currency: str | None = None
    # Inline XBRL (HTML filings): every tagged figure, the calculation linkbase when supplied,
    # and what the cover page's dei tags state.
    facts: list[Fact] = field(default_factory=list)
    calculations: list[Calculation] = field(default_factory=list)
    report_type: str | None = None  # dei:DocumentType, "10-K", "10-Q", "20-F", ...
    fiscal_period: str | None = None  # dei:DocumentFiscalPeriodFocus, "FY", "Q3", ...
    amendment: bool | None = None  # dei:AmendmentFlag
    # What the document says it is (server/ingest/scope.py); None when it does not say clearly.
    framework: Framework | None = None
    period_kind: PeriodKind | None = None
    framework_evidence: list[str] = field(default_factory=list)  # why, in words
    period_evidence: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def section(self, section_id: str | None) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def statement_tables(self, kind: StatementKind) -> list[Table]:
        return [t for t in self.tables if t.statement is kind]

    def note_tables(self, note_number: str) -> list[Table]:
        return [t for t in self.tables if t.note_number == note_number]

    def text(self) -> str:
        """All paragraph text and table labels, for word searches."""
        parts: list[str] = list(self.page_headers)
        for block in self.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            else:
                parts.extend(r.label for r in block.rows)
        parts.extend(s.title for s in self.sections)
        return "\n".join(parts)

    def counts(self) -> dict[str, int]:
        return {
            "pages": self.pages or 0,
            "tables": len(self.tables),
            "sections": len(self.sections),
            "paragraphs": len(self.paragraphs),
        }

    def to_json(self) -> dict[str, Any]:
        """The wire form (schema/v1/document.schema.json): optional fields omitted, never null."""
        return _drop_none(
            {
                "name": self.name,
                "kind": self.kind.value,
                "pages": self.pages,
                "entity_name": self.entity_name,
                "reporting_date": self.reporting_date,
                "currency": self.currency,
                "report_type": self.report_type,
                "fiscal_period": self.fiscal_period,
                "page_headers": self.page_headers,
                "sections": [_drop_none(_section_json(s)) for s in self.sections],
                "blocks": [_block_json(b) for b in self.blocks],
            }
        )


def _section_json(s: Section) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "level": s.level,
        "parent_id": s.parent_id,
        "note_number": s.note_number,
        "statement": s.statement.value if s.statement else None,
    }


def _block_json(b: Block) -> dict[str, Any]:
    if isinstance(b, Paragraph):
        return _drop_none(
            {"block": "paragraph", "id": b.id, "text": b.text, "section_id": b.section_id}
        )
    return _drop_none(
        {
            "block": "table",
            "id": b.id,
            "title": b.title,
            "section_id": b.section_id,
            "statement": b.statement.value if b.statement else None,
            "note_number": b.note_number,
            "scale_label": b.scale_label,
            "currency": b.currency,
            "columns": [
                _drop_none(
                    {"index": c.index, "header": c.header, "role": c.role.value, "period": c.period}
                )
                for c in b.columns
            ],
            "rows": [
                _drop_none(
                    {
                        "index": r.index,
                        "label": r.label,
                        "kind": r.kind.value,
                        "note": r.note,
                        "cells": [c.text for c in r.cells],
                        "facts": [_fact_json(k, c.fact) for k, c in enumerate(r.cells) if c.fact]
                        or None,
                    }
                )
                for r in b.rows
            ],
        }
    )


def _fact_json(column: int, f: Fact) -> dict[str, Any]:
    return _drop_none(
        {
            "column": column,
            "concept": f.concept,
            "context": f.context,
            "value": f.value,
            "period_end": f.period_end,
            "period_start": f.period_start,
            "dimensional": f.dimensional or None,
            "unit": f.unit,
            "decimals": f.decimals,
            "scale": f.scale or None,
            "sign": f.sign if f.sign < 0 else None,
        }
    )


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}
