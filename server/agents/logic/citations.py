"""Text that is not about the report's own periods: citations of other filings and exhibit
indexes.

A 10-K lists dozens of exhibits "incorporated by reference to Exhibit 10.1 of the Company's
Quarterly Report on Form 10-Q for the quarterly period ended March 31, 2017", and its MD&A
points to "our Annual Report on Form 10-K for the fiscal year ended December 31, 2021" for
older years. Those dates, amounts and periods belong to the cited documents; the date and
narrative checks leave them alone.
"""

from __future__ import annotations

import re

from server.ingest.document import Document

_CITES = re.compile(
    r"(?i)\bincorporated (?:herein )?by reference\b"
    r"|\b(?:filed|furnished) (?:as|with|herewith|on)\b"
    r"|\bexhibit (?:no\.? )?\(?\d"
    r"|\b(?:form|forms) (?:10-?\s?[kq]|8-k|20-f|40-f|6-k|s-[1348]|def 14a)\b"
    r"|\b(?:annual|quarterly|current) report on\b"
    r"|\b(?:10-[kq]|8-k) for the\b"
    r"|\bproxy statement\b|\bregistration statement\b"
)
# Not "Item 15. Exhibits and Financial Statement Schedules": some 10-Ks print their statements
# under it.
_EXHIBIT_SECTION = re.compile(
    r"(?i)^\s*(?:item\s*\d+[a-z]?\.?\s*)?exhibits?\s*$|\bexhibit index\b|\bindex (?:to|of) exhibits\b"
)


def cites_another_document(sentence: str) -> bool:
    """The sentence refers to another filing or document (its periods are that document's)."""
    return _CITES.search(sentence) is not None


def in_exhibit_index(document: Document) -> set[str]:
    """Ids of the paragraphs under an exhibit-index heading (and its sub-headings)."""
    exhibit_sections: set[str] = set()
    for section in document.sections:  # parents come before their children
        if _EXHIBIT_SECTION.search(section.title) or section.parent_id in exhibit_sections:
            exhibit_sections.add(section.id)
    return {p.id for p in document.paragraphs if p.section_id in exhibit_sections}
