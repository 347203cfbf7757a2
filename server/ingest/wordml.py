"""Walking WordprocessingML (word/document.xml) the one way both the reader and the Word
working paper need: the export anchors a comment at the paragraph or cell the reader numbered,
so the two must see the body's paragraphs and tables in the same order.

Content controls (`w:sdt`) and custom XML wrap paragraphs, tables, rows and cells; they are
looked through, never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, TBL = f"{W}p", f"{W}tbl"
SDT, SDT_CONTENT, CUSTOM_XML = f"{W}sdt", f"{W}sdtContent", f"{W}customXml"
VAL = f"{W}val"


def body_children(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables in document order, looking through content controls and custom XML."""
    for el in parent:
        if el.tag in (P, TBL):
            yield el
        elif el.tag == SDT:
            content = el.find(SDT_CONTENT)
            if content is not None:
                yield from body_children(content)
        elif el.tag == CUSTOM_XML:
            yield from body_children(el)


def children(parent: Any, tag: str) -> Iterator[Any]:
    """The children with `tag` (rows of a table, cells of a row), through the same wrappers."""
    for el in parent:
        if el.tag == tag:
            yield el
        elif el.tag in (SDT, CUSTOM_XML):
            inner = el.find(SDT_CONTENT) if el.tag == SDT else el
            if inner is not None:
                yield from children(inner, tag)


def int_val(el: Any) -> int:
    """The integer `w:val` of a property element; 0 when absent or not a number."""
    if el is None:
        return 0
    try:
        return int(el.get(VAL) or 0)
    except ValueError:
        return 0
