"""Small parsed documents for source tests, built the way the readers build them.

`table(...)` takes rows as (label, values...) with None for an empty cell and "-" for nil, and
columns as period headers; `document(...)` numbers blocks in order like a reader does.
"""

from __future__ import annotations

import re
from typing import Any

from server.ingest.document import (
    Block,
    Cell,
    Column,
    ColumnRole,
    Document,
    DocumentKind,
    Paragraph,
    Row,
    RowKind,
    Section,
    StatementKind,
    Table,
)

Value = float | str | None


def cell(value: Value) -> Cell:
    if value is None:
        return Cell(text="")
    if value == "-":
        return Cell(text="-", value=0.0, nil=True)
    if isinstance(value, str):
        return Cell(text=value)
    text = f"({abs(value):,.0f})" if value < 0 else f"{value:,.0f}"
    return Cell(text=text, value=float(value))


def table(
    table_id: str,
    headers: list[str],
    rows: list[tuple[Any, ...]],
    *,
    statement: StatementKind | None = None,
    title: str | None = None,
    section_id: str | None = None,
    note_number: str | None = None,
    scale: float = 1000.0,
    currency: str | None = None,
    period_ends: dict[str, str] | None = None,
    headings: set[str] | None = None,
) -> Table:
    """A table with a label column and one amount column per header."""
    columns = [Column(index=0, header="", role=ColumnRole.LABEL)]
    for i, header in enumerate(headers, start=1):
        years = re.findall(r"\b(?:19|20)\d{2}\b", header)
        columns.append(
            Column(
                index=i,
                header=header,
                role=ColumnRole.AMOUNT,
                period=header,
                period_end=(period_ends or {}).get(header),
                year=int(years[0]) if len(set(years)) == 1 else None,
            )
        )
    built: list[Row] = []
    for index, (label, *values) in enumerate(rows):
        kind = RowKind.ITEM
        if headings and label in headings:
            kind = RowKind.HEADING
        elif not label and not values:
            kind = RowKind.SPACER
        cells = [Cell(text=label)] + [cell(v) for v in values]
        built.append(Row(index=index, label=label, cells=cells, kind=kind))
    return Table(
        id=table_id,
        index=int(table_id[1:]),
        columns=columns,
        rows=built,
        title=title,
        section_id=section_id,
        statement=statement,
        note_number=note_number,
        scale=scale,
        scale_label="thousands" if scale == 1000 else "units",
        currency=currency,
    )


def paragraph(paragraph_id: str, text: str, section_id: str | None = None) -> Paragraph:
    return Paragraph(id=paragraph_id, index=int(paragraph_id[1:]), text=text, section_id=section_id)


def document(
    name: str,
    blocks: list[Block],
    *,
    sections: list[Section] | None = None,
    reporting_date: str | None = "2024-12-31",
    entity_name: str | None = None,
    currency: str | None = None,
) -> Document:
    return Document(
        name=name,
        kind=DocumentKind.DOCX,
        sections=sections or [],
        blocks=blocks,
        reporting_date=reporting_date,
        entity_name=entity_name,
        currency=currency,
    )
