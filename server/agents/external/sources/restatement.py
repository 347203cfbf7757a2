"""Where a report explains that a comparative figure changed (IAS 8.49, IAS 1.41).

A comparative that differs from what was reported a year ago is fine when the report says so:
a column headed "2023 (restated)", a line marked "reclassified", a note on the restatement
that names the line, or a sentence about that line with "restated"/"reclassified" in it. A
blanket sentence ("certain comparatives were reclassified to conform...") names no line, so it
does not explain a particular difference; it is only mentioned in the finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.ingest.document import Document, Paragraph, Table
from server.text.labels import clean_spaces, match_key

KEYWORDS = re.compile(
    r"\b(restat\w*|reclassifi\w*|re-present\w*|re-classifi\w*|prior[- ]period (?:error|adjustment)s?)",
    re.I,
)
_MIN_LABEL_CHARS = 5


@dataclass(frozen=True, slots=True)
class Explanation:
    where: str  # "column header", "line label", "note", "narrative"
    quote: str


class RestatementIndex:
    """Every place in a report that speaks of restated or reclassified comparatives."""

    def __init__(self, document: Document) -> None:
        self._paragraphs: list[tuple[Paragraph, str]] = []
        self._note_rows: list[tuple[Table, str]] = []
        self.blanket: str | None = None
        for block in document.blocks:
            if isinstance(block, Paragraph):
                if KEYWORDS.search(block.text):
                    self._paragraphs.append((block, match_key(block.text)))
                    if self.blanket is None:
                        self.blanket = clean_spaces(block.text)[:300]
                continue
            section = document.section(block.section_id)
            heading = " ".join(filter(None, [block.title, section.title if section else None]))
            if KEYWORDS.search(heading):
                for row in block.rows:
                    self._note_rows.append((block, match_key(row.label)))

    def explains(self, label: str, table: Table, column: int) -> Explanation | None:
        """How the report explains a changed figure on line `label`, column `column`."""
        col = next((c for c in table.columns if c.index == column), None)
        if col is not None and KEYWORDS.search(col.header):
            return Explanation("column header", clean_spaces(col.header))
        if table.title and KEYWORDS.search(table.title):
            return Explanation("table title", clean_spaces(table.title))
        if KEYWORDS.search(label):
            return Explanation("line label", clean_spaces(label))
        norm = match_key(label)
        if len(norm) < _MIN_LABEL_CHARS:
            return None
        pattern = re.compile(rf"\b{re.escape(norm)}\b")
        for other, row_label in self._note_rows:
            if row_label == norm and other is not table:
                return Explanation("note", clean_spaces(other.title or row_label))
        for paragraph, text in self._paragraphs:
            if pattern.search(text):
                return Explanation("narrative", clean_spaces(paragraph.text)[:300])
        return None
