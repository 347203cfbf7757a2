"""Lines outside tables into paragraphs and headings.

A paragraph ends at a blank (a gap wider than a line's leading), where the type changes (size,
weight), or after a short line that ends a sentence. A short line set larger than the body text,
or all in bold, is a heading; a heading printed over two lines in the same type is one heading.
A word hyphenated at a line end is joined again.
"""

from __future__ import annotations

from server.ingest.pdf.lines import Line
from server.ingest.raw import RawParagraph

MAX_HEADING_WORDS = 14
LARGER = 1.15  # a heading set this much larger than the body text is a level-1 heading
PARAGRAPH_GAP = 0.6  # of the type size: a wider blank between lines ends a paragraph
_SENTENCE_END = (".", ":", ";", "!", "?")


def paragraphs(lines: list[Line], body_size: float, page_header: str | None) -> list[RawParagraph]:
    out: list[RawParagraph] = []
    current: list[Line] = []

    def flush() -> None:
        if current:
            out.append(_paragraph(current, body_size, page_header))
            current.clear()

    width = max((ln.x1 - ln.x0 for ln in lines), default=0.0)
    for line in lines:
        if current and _breaks(current[-1], line, body_size, width):
            flush()
        current.append(line)
    flush()
    return out


def _heading(line: Line, body_size: float) -> bool:
    if len(line.text.split()) > MAX_HEADING_WORDS:
        return False
    larger = body_size > 0 and line.size >= body_size * LARGER
    return (larger or line.bold) and any(ch.isalpha() for ch in line.text)


def _breaks(previous: Line, line: Line, body_size: float, width: float) -> bool:
    if line.page != previous.page or line.column != previous.column:
        return True
    size = max(previous.size, line.size, 1.0)
    if line.top - previous.bottom > size * PARAGRAPH_GAP or line.top < previous.top:
        return True
    head_a, head_b = _heading(previous, body_size), _heading(line, body_size)
    if head_a != head_b:
        return True
    if head_a:  # a heading over two lines: same type, same alignment
        return abs(previous.size - line.size) > 0.5 or previous.bold != line.bold
    if abs(previous.size - line.size) > max(0.15 * size, 0.6):
        return True
    short = width > 0 and previous.x1 - previous.x0 < 0.7 * width
    return short and previous.text.endswith(_SENTENCE_END)


def _paragraph(lines: list[Line], body_size: float, page_header: str | None) -> RawParagraph:
    text = ""
    for line in lines:
        piece = line.text.strip()
        if text.endswith("-") and piece[:1].islower() and not text.endswith(" -"):
            text = text[:-1] + piece
        else:
            text = f"{text} {piece}" if text else piece
    first = lines[0]
    heading = _heading(first, body_size)
    larger = body_size > 0 and first.size >= body_size * LARGER
    return RawParagraph(
        text=text,
        heading_level=1 if heading and larger else None,
        bold=heading and all(ln.bold for ln in lines) or (heading and larger),
        page_header=page_header,
        page=first.page,
    )
