"""Lines outside tables into paragraphs and headings.

A paragraph ends at a blank (a gap wider than a line's leading), where the type changes (size,
weight), or after a short line that ends a sentence. A short line set larger than the body text,
or all in bold, is a heading; a heading that wraps onto a second line in the same type is one
heading, but short title lines stacked over a statement (the entity, the statement's name, its
scale) are each their own.
A word hyphenated at a line end is joined again.
"""

from __future__ import annotations

import re

from server.ingest.pdf.lines import Line, Segment
from server.ingest.raw import RawParagraph

MAX_HEADING_WORDS = 14
LARGER = 1.15  # a heading set this much larger than the body text is a level-1 heading
PARAGRAPH_GAP = 0.6  # of the type size: a wider blank between lines ends a paragraph
_SCALE_LINE = re.compile(
    r"(?i)^[($€£]|^(?:amounts\s+|dollars\s+)?in\s+(?:thousands|millions)|\b(?:thousands|millions|billions)\b"
)
# what starts a list item, footnote or numbered heading: "(1)", "a)", "*", "•", "10.1" (an
# exhibit), "2.", "Item 7.", "Note 12"
_MARKER = re.compile(
    r"(?i)^(?:\(?\d{1,2}\)|\(?[a-z]\)|[*†‡§]+|[•◦▪■●\uf0b7\uf0a7–-]|\*?\d{1,3}(?:\.\d{1,3})*\.?"
    r"|(?:item|part|note)\s+[0-9]{0,2}[a-z]{0,3}\.?)$"
)
_SENTENCE_END = (".", ":", ";", "!", "?")


def paragraphs(
    lines: list[Line], body_size: float, page_header: str | None, width: float
) -> list[RawParagraph]:
    """Paragraphs and headings of a run of lines; `width` is the widest line of the page."""
    out: list[RawParagraph] = []
    current: list[Line] = []
    lines = [piece for line in lines for piece in _pieces(line)]

    def flush() -> None:
        if current:
            out.append(_paragraph(current, body_size, page_header))
            current.clear()

    for line in lines:
        if current and _breaks(current[-1], line, body_size, width):
            flush()
        current.append(line)
    flush()
    return out


def _pieces(line: Line) -> list[Line]:
    """A line outside tables whose parts stand apart ("Consolidated Statements of Earnings"
    at the left, "$ in millions" at the right) is read part by part: each is its own text."""
    if len(line.segments) == 1:
        return [line]
    segments = list(line.segments)
    if _MARKER.match(segments[0].text):  # "(1)  Corning obtained ...", "•  We ...": one text
        first, second = segments[0], segments[1]
        segments[:2] = [
            Segment(
                x0=first.x0,
                x1=second.x1,
                text=f"{first.text} {second.text}",
                bold=first.bold and second.bold,
                size=second.size,
                lead=first.lead,
                words=first.words + second.words,
            )
        ]
    if len(segments) == 1:
        return [line]
    return [
        Line(
            top=line.top,
            bottom=line.bottom,
            segments=[segment],
            size=segment.size or line.size,
            bold=segment.bold,
            page=line.page,
            band=line.band,
            column=line.column,
        )
        for segment in segments
    ]


def _heading(line: Line, body_size: float) -> bool:
    if len(line.text.split()) > MAX_HEADING_WORDS:
        return False
    larger = body_size > 0 and line.size >= body_size * LARGER
    return (larger or line.bold) and any(ch.isalpha() for ch in line.text)


def _breaks(previous: Line, line: Line, body_size: float, width: float) -> bool:
    if line.page != previous.page or line.column != previous.column:
        return True
    size = max(previous.size, line.size, 1.0)
    if line.top - previous.bottom > size * PARAGRAPH_GAP or line.top < previous.top + 1:
        return True  # a blank, a new column, or the next part of the same line
    head_a, head_b = _heading(previous, body_size), _heading(line, body_size)
    if head_a != head_b:
        return True
    if head_a:  # a heading that wraps: same type, its first line near the full width
        wrapped = width > 0 and previous.x1 - previous.x0 >= 0.6 * width
        if not wrapped or _SCALE_LINE.search(line.text):
            return True  # centred title lines: the entity, the statement, the scale
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
