"""Reading a commented Word file back: each comment's text and the document text it covers."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import docx
from docx.oxml.ns import qn

FINDING_ID = re.compile(r"Crosscheck ([a-z]+-[0-9a-f]{12})")


@dataclass
class WordComment:
    comment_id: str
    author: str
    text: str
    anchored: str  # the text between commentRangeStart and commentRangeEnd
    in_table: bool  # the range starts inside a table cell


def comments(data: bytes) -> list[WordComment]:
    document = docx.Document(io.BytesIO(data))
    anchored: dict[str, str] = {}
    in_table: dict[str, bool] = {}
    open_ids: set[str] = set()
    for el in document.element.body.iter():
        if el.tag == qn("w:commentRangeStart"):
            cid = el.get(qn("w:id"))
            open_ids.add(cid)
            anchored[cid] = ""
            in_table[cid] = any(a.tag == qn("w:tc") for a in el.iterancestors())
        elif el.tag == qn("w:commentRangeEnd"):
            open_ids.discard(el.get(qn("w:id")))
        elif el.tag == qn("w:t"):
            for cid in open_ids:
                anchored[cid] += el.text or ""
    return [
        WordComment(
            str(c.comment_id),
            c.author,
            c.text,
            anchored.get(str(c.comment_id), ""),
            in_table.get(str(c.comment_id), False),
        )
        for c in document.comments
    ]


def by_finding(found: list[WordComment]) -> dict[str, WordComment]:
    """Comments anchored at one finding each, by finding id (the list at the top excluded)."""
    out = {}
    for comment in found:
        ids = FINDING_ID.findall(comment.text)
        if len(ids) == 1:
            out[ids[0]] = comment
    return out


def body_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "".join(t.text or "" for t in document.element.body.iter(qn("w:t")))
