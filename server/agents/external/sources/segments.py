"""A document as pieces of text that each know where they sit.

Claims about identifiers, exchange rates and events live in sentences and in table rows alike
("LEI: 5493...", "US dollar | 525.11 | 460.16"). Sources search `segments(document)` and
quote the segment's location in their verdicts, so a finding points at the paragraph or row.
"""

from __future__ import annotations

from dataclasses import dataclass

from generated.models import CellRef, Location
from server.ingest.document import Document, Paragraph, Row, Table
from server.text.labels import clean_spaces


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    location: Location
    section_title: str = ""
    table: Table | None = None
    row: Row | None = None
    paragraph: Paragraph | None = None


def segments(document: Document) -> list[Segment]:
    """Page headers, paragraphs and table rows (label and cells joined by " | ")."""
    out: list[Segment] = [
        Segment(clean_spaces(h), Location(document=document.name, quote=clean_spaces(h)[:200]))
        for h in document.page_headers
        if h.strip()
    ]
    for block in document.blocks:
        section = document.section(block.section_id)
        title = section.title if section else ""
        if isinstance(block, Paragraph):
            text = clean_spaces(block.text)
            if text:
                loc = Location(document=document.name, paragraph=block.id, quote=text[:200])
                out.append(Segment(text, loc, title, paragraph=block))
            continue
        for row in block.rows:
            text = " | ".join(clean_spaces(c.text) for c in row.cells if c.text.strip())
            if not text:
                continue
            loc = Location(
                document=document.name,
                table=block.id,
                table_title=block.title or title or block.id,
                cells=[CellRef(row=row.index, column=block.label_column())],
                quote=text[:200],
            )
            out.append(Segment(text, loc, " ".join(filter(None, [title, block.title])), block, row))
    return out
