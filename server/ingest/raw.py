"""What a format reader hands over: text blocks in body order, before any interpretation.

Each reader (docx, text, pdf) knows its file format and nothing about accounting; `assemble`
turns these blocks into a `Document` (sections, statements, columns, scale) the same way for
every format, so a .docx and a .md of the same statements read alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from server.ingest.document import Calculation, Fact


@dataclass(slots=True)
class RawParagraph:
    text: str
    style: str | None = None
    heading_level: int | None = None  # stated by the format (Heading 2 style, "## ", <h2>)
    bold: bool = False  # every run is bold: a candidate heading in documents without styles
    outline_number: str | None = None  # the number Word's list numbering prints before it
    page_header: str | None = None  # text of the page header on the page that holds it
    toc: bool = False  # a contents-list entry: never a heading or caption
    page: int | None = None  # 1-based page of a paged format (PDF)


@dataclass(slots=True)
class RawTable:
    rows: list[list[str]]  # a rectangular grid; a merged cell's text sits in its first cell only
    # (row, column) -> number of grid columns a horizontally merged cell covers, when > 1
    spans: dict[tuple[int, int], int] = field(default_factory=dict)
    page_header: str | None = None
    marked_header_rows: int = 0  # leading rows the format marks as headers (Word's tblHeader)
    bold_rows: list[bool] = field(default_factory=list)  # per row: its label is set in bold
    ruled_rows: list[bool] = field(default_factory=list)  # per row: a rule is drawn above it
    # (row, column) -> the inline-XBRL tag of the figure in that cell (HTML filings)
    facts: dict[tuple[int, int], Fact] = field(default_factory=dict)
    page: int | None = None  # 1-based page of a paged format (PDF) where the table starts


RawBlock = RawParagraph | RawTable


@dataclass(slots=True)
class RawDocument:
    blocks: list[RawBlock] = field(default_factory=list)
    page_headers: list[str] = field(default_factory=list)
    pages: int | None = None
    # What an inline-XBRL filing states about itself (None/empty for other formats).
    facts: list[Fact] = field(default_factory=list)
    calculations: list[Calculation] = field(default_factory=list)
    entity_name: str | None = None
    reporting_date: str | None = None
    report_type: str | None = None
    fiscal_period: str | None = None
    amendment: bool | None = None
