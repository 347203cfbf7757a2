"""A page's words into lines, and each line into segments: runs of words with no column gap.

A segment is what a reader sees as one piece of a line: a label, a figure, a column header.
Segments are cut where the gap between two words is wider than the type size, so a figure and
the label beside it are two segments, and so are two figures.

A bare currency sign belongs to the figure beside it. SEC filings print "$" at the left of the
column and the figure right-aligned far from it ("Cash and cash equivalents  $   585.5  $  412.3");
read by gaps alone the sign is a segment of its own that shifts the columns or swallows a figure.
Here the sign is joined to the next figure on its right before segments are cut, and that figure
keeps its own box, so the column is where its digits are. A sign with no figure after it
standing alone (a header's "$" over a column) is dropped; one in words ("$ in millions") stays.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from server.ingest.numbers import parse_number
from server.ingest.pdf.glyphs import Word

_CURRENCY = re.compile(r"^(?:US\$|C\$|A\$|[$€£¥₹]|USD|EUR|GBP)\(?$")
_FIGURE_START = re.compile(r"^[(\-–—−]?\.?\d|^[—–-]+$|^\($")
_LEADER = re.compile(r"^[.·…_]{3,}$")  # dot leaders between a label and its figure
_YEAR = re.compile(r"^(?:FY\s?)?(?:19[5-9]\d|20\d\d)$")
_NOT_APPLICABLE = frozenset({"n/a", "n/m", "nm", "n.a."})
SEGMENT_GAP = 0.9  # of the type size: a wider gap between words starts a new segment
TIGHT_GAP = 0.12  # of the type size: a narrower gap joins two runs without a space


@dataclass(slots=True)
class Segment:
    x0: float
    x1: float
    text: str
    bold: bool
    size: float
    lead: float  # left edge including a currency sign printed apart from the figure
    words: list[Word] = field(default_factory=list, repr=False)

    @property
    def figure(self) -> bool:
        """An amount, a rate, a nil dash or a year: what sits in a table's figure columns."""
        return _is_figure(self.text)

    @property
    def year(self) -> bool:
        return bool(_YEAR.match(self.text))


@dataclass(slots=True)
class Line:
    top: float
    bottom: float
    segments: list[Segment]
    size: float
    bold: bool
    page: int
    band: str = "body"  # "header", "footer" or "body"
    edge: bool = False  # among the first or last lines of its page
    column: int = 0  # 0 full width, 1 left, 2 right (two-column text)
    _text: str | None = field(default=None, repr=False)

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = " ".join(s.text for s in self.segments)
        return self._text

    @property
    def height(self) -> float:
        return self.bottom - self.top


def page_lines(words: list[Word], page: int) -> list[Line]:
    """Lines top to bottom; words whose boxes overlap vertically by half share a line."""
    groups: list[list[Word]] = []
    spans: list[tuple[float, float]] = []
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        if _LEADER.match(word.text):
            continue
        if groups:
            top, bottom = spans[-1]
            overlap = min(bottom, word.bottom) - max(top, word.top)
            smaller = min(bottom - top, word.bottom - word.top) or 1.0
            if overlap >= 0.5 * smaller:
                groups[-1].append(word)
                spans[-1] = (min(top, word.top), max(bottom, word.bottom))
                continue
        groups.append([word])
        spans.append((word.top, word.bottom))
    lines = []
    for group in groups:
        group.sort(key=lambda w: w.x0)
        segments = _segments(_with_currency_joined(group))
        if not segments:
            continue
        sizes = [w.size for w in group if w.size > 0]
        lines.append(
            Line(
                top=min(w.top for w in group),
                bottom=max(w.bottom for w in group),
                segments=segments,
                size=statistics.median(sizes) if sizes else 0.0,
                bold=all(w.bold for w in group),
                page=page,
            )
        )
    return lines


def _with_currency_joined(words: list[Word]) -> list[Word]:
    out: list[Word] = []
    i = 0
    while i < len(words):
        word = words[i]
        if _CURRENCY.match(word.text):
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt is not None and _FIGURE_START.match(nxt.text):
                joiner = "" if word.text.endswith("(") else " "
                out.append(
                    Word(
                        word.text + joiner + nxt.text,
                        nxt.x0,
                        min(word.top, nxt.top),
                        nxt.x1,
                        max(word.bottom, nxt.bottom),
                        nxt.size,
                        nxt.bold,
                        word.x0,
                    )
                )
                i += 2
                continue
            previous = out[-1] if out else None
            gap = word.size * SEGMENT_GAP
            alone_before = previous is None or word.x0 - previous.x1 > gap
            alone_after = nxt is None or nxt.x0 - word.x1 > gap
            if alone_before and alone_after:  # a column's "$" with no figure beside it
                i += 1
                continue
        out.append(word)
        i += 1
    return out


def _segments(words: list[Word]) -> list[Segment]:
    segments: list[Segment] = []
    parts: list[str] = []
    current: list[Word] = []
    for word in words:
        if current:
            gap = word.x0 - current[-1].x1
            size = max(word.size, current[-1].size, 1.0)
            if gap > size * SEGMENT_GAP:
                segments.append(_segment(current, parts))
                current, parts = [], []
            else:
                parts.append("" if gap < size * TIGHT_GAP and _glued(current[-1], word) else " ")
        current.append(word)
        parts.append(word.text)
    if current:
        segments.append(_segment(current, parts))
    return segments


def _glued(left: Word, right: Word) -> bool:
    """Two runs printed touching are one word ("(1,234" and ")"), except two words of prose."""
    return not (left.text[-1:].isalpha() and right.text[:1].isalpha())


def _segment(words: list[Word], parts: list[str]) -> Segment:
    sizes = [w.size for w in words]
    return Segment(
        x0=words[0].x0,
        x1=max(w.x1 for w in words),
        text="".join(parts),
        bold=all(w.bold for w in words),
        size=max(sizes) if sizes else 0.0,
        lead=min(words[0].x0, words[0].lead if words[0].lead is not None else words[0].x0),
        words=words,
    )


def _is_figure(text: str) -> bool:
    if text.lower() in _NOT_APPLICABLE:
        return True  # "N/A" stands in a figure's place
    if (
        len(text) > 24
        or not any(ch.isdigit() for ch in text)
        and text.strip("$ ")
        not in (
            "—",
            "–",
            "-",
            "−",
            "--",
        )
    ):
        return False
    return parse_number(text) is not None
