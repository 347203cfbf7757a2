"""Where a finding sits, in the words an auditor files: "Statement of financial position, row
'Total assets', 2024", never "t3 R12C2".

Ids are resolved through the parsed document (document.schema.json ParsedDocument): a table
is named by its statement, else its note and title; a cell by its row's label and its column's
period (or header, as in a statement of changes in equity whose columns are components); a
paragraph by its section and the quoted sentence. A location in another uploaded file (the
prior year, a memo) cannot be resolved through this document and keeps the title and quote the
agent gave it. Without a parsed document the words fall back to those titles, with the ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

STATEMENT_NAMES = {
    "financial_position": "Statement of financial position",
    "profit_or_loss": "Statement of profit or loss",
    "comprehensive_income": "Statement of comprehensive income",
    "changes_in_equity": "Statement of changes in equity",
    "cash_flows": "Statement of cash flows",
}
MAX_QUOTE_CHARS = 160

Location = Mapping[str, Any]


class Places:
    """Resolves locations against one parsed document (or none)."""

    def __init__(self, document: Mapping[str, Any] | None, document_name: str) -> None:
        self.document_name = document_name
        blocks = (document or {}).get("blocks", [])
        self.tables = {b["id"]: b for b in blocks if b.get("block") == "table"}
        self.paragraphs = {b["id"]: b for b in blocks if b.get("block") == "paragraph"}
        self.sections = {s["id"]: s for s in (document or {}).get("sections", [])}
        self._table_number = {tid: n for n, tid in enumerate(self.tables, start=1)}

    def in_this_document(self, location: Location) -> bool:
        other = location.get("document")
        return not other or other == self.document_name

    def finding(self, finding: Mapping[str, Any]) -> str:
        """Every location of a finding, in words, separated by "; "."""
        return "; ".join(self.location(loc) for loc in finding.get("locations", []))

    def location(self, location: Location) -> str:
        if not self.in_this_document(location):
            return f"{location['document']}: {self._as_given(location)}"
        if location.get("table"):
            return self._table_location(location)
        if location.get("paragraph") or location.get("quote"):
            return self._paragraph_location(location)
        if location.get("section"):
            return self.section_name(location["section"]) or f"section {location['section']}"
        return ""

    # -- tables -------------------------------------------------------------------------------

    def table_name(self, table_id: str, given_title: str | None = None) -> str:
        table = self.tables.get(table_id)
        if table is None:
            return f"table '{given_title}' ({table_id})" if given_title else f"table {table_id}"
        if table.get("statement") in STATEMENT_NAMES:
            return STATEMENT_NAMES[table["statement"]]
        title = _one_line(table.get("title") or given_title or "").rstrip(":").strip()
        if not _names_something(title):  # a caption such as "2024" names no table
            named = self._named_section(table.get("section_id"))
            if named:
                return f"{named} ({title})" if title else named
        note = table.get("note_number")
        if note and title and not title.lstrip().startswith(note):
            return f"Note {note}, {title}"
        if title or note:
            return title or f"Note {note}"
        return f"table {self._table_number.get(table_id, table_id)}"

    def cell(self, table_id: str, row: int, column: int) -> str:
        """ "row 'Total assets', 2024" for one cell of a table."""
        table = self.tables.get(table_id)
        if table is None:
            return f"row {row + 1}, column {column + 1}"
        rows: Sequence[Mapping[str, Any]] = table.get("rows", [])
        columns: Sequence[Mapping[str, Any]] = table.get("columns", [])
        parts = [self._row_words(rows, row)]
        if 0 <= column < len(columns):
            col = columns[column]
            if col.get("role") != "label":
                if col.get("period"):
                    parts.append(str(col["period"]))
                elif col.get("header"):
                    parts.append(f"column '{_one_line(col['header'])}'")
                else:
                    parts.append(f"column {column + 1}")
        return ", ".join(parts)

    def _row_words(self, rows: Sequence[Mapping[str, Any]], row: int) -> str:
        if not 0 <= row < len(rows):
            return f"row {row + 1}"
        label = _one_line(rows[row].get("label") or "")
        if label:
            return f"row '{label}'"
        above = next((_one_line(r["label"]) for r in reversed(rows[:row]) if r.get("label")), None)
        where = f" below '{above}'" if above else ""
        return f"unlabelled row {row + 1}{where}"

    def _table_location(self, location: Location) -> str:
        table_id = location["table"]
        words = self.table_name(table_id, location.get("table_title"))
        cells = location.get("cells") or []
        if cells:
            words += ", " + self.cell(table_id, cells[0]["row"], cells[0]["column"])
            if len(cells) > 1:
                others = len(cells) - 1
                words += f" (with {others} related cell{'s' if others > 1 else ''})"
        elif location.get("quote"):
            words += f", '{_clip(location['quote'])}'"
        return words

    # -- paragraphs and sections ----------------------------------------------------------------

    def section_name(self, section_id: str | None) -> str | None:
        section = self.sections.get(section_id or "")
        if section is None:
            return None
        title = _one_line(section.get("title") or "")
        note = section.get("note_number")
        if note and not title.startswith(note):
            return f"Note {note}, {title}"
        return title or None

    def _named_section(self, section_id: str | None) -> str | None:
        """The nearest section, from this one up its parents, whose title names something."""
        seen: set[str] = set()
        while section_id and section_id in self.sections and section_id not in seen:
            seen.add(section_id)
            section = self.sections[section_id]
            if _names_something(section.get("title") or ""):
                return self.section_name(section_id)
            section_id = section.get("parent_id")
        return None

    def _paragraph_location(self, location: Location) -> str:
        paragraph = self.paragraphs.get(location.get("paragraph") or "")
        section_id = location.get("section") or (paragraph or {}).get("section_id")
        section = self.section_name(section_id)
        quote = location.get("quote") or (paragraph or {}).get("text") or ""
        words = f"“{_clip(quote)}”" if quote else f"paragraph {location.get('paragraph')}"
        return f"{section}: {words}" if section else words

    def _as_given(self, location: Location) -> str:
        """A location in another uploaded file: only what the agent wrote down about it."""
        parts = []
        if location.get("table_title"):
            parts.append(_one_line(location["table_title"]))
        elif location.get("table"):
            parts.append(f"table {location['table']}")
        if location.get("quote"):
            parts.append(f"“{_clip(location['quote'])}”")
        elif location.get("cells"):
            cell = location["cells"][0]
            parts.append(f"row {cell['row'] + 1}, column {cell['column'] + 1}")
        return ", ".join(parts) or "elsewhere in that file"


def _names_something(title: str) -> bool:
    return sum(ch.isalpha() for ch in title) >= 3


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _clip(text: str) -> str:
    text = _one_line(text)
    return text if len(text) <= MAX_QUOTE_CHARS else text[: MAX_QUOTE_CHARS - 1].rstrip() + "…"
