"""What on a page is not the body, and in which order the body is read.

Running headers and footers (a line in the top or bottom band whose text, digits aside, recurs
on many pages: "Table of Contents", "Adobe Inc. | 2022 Form 10-K | 53") and bare page numbers
are taken out. A page set in two columns of text is read column by column: the left column's
lines, then the right's, never a line of each in turn.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from server.ingest.pdf.lines import Line, Segment

HEADER_BAND = 0.085  # top share of the page where running headers sit
FOOTER_BAND = 0.915
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:page\s+)?(?:[a-z]{1,2}\s?-\s?)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,4})?$|^[ivxlc]{1,6}$"
    r"|^[-–—]\s*\d{1,3}\s*[-–—]$"
)
EDGE_LINES = 2  # the first and last lines of a page may be running headers and footers
MIN_LINES_WITH_EDGES = 8  # on a page of fewer lines, its first and last lines are its text
_PROSE_WORDS = 4  # both sides of a two-column line hold at least this many words
_MIN_TWO_COLUMN_LINES = 6


def mark_bands(lines: list[Line], height: float) -> None:
    """Header and footer bands by position, and the page's first and last lines as edges:
    pages printed from HTML end where their text ends, with the footer right under it."""
    for line in lines:
        if line.bottom < height * HEADER_BAND:
            line.band = "header"
        elif line.top > height * FOOTER_BAND:
            line.band = "footer"
    if len(lines) >= MIN_LINES_WITH_EDGES:
        for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]:
            line.edge = True


def band_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower()).strip()


def running_lines(pages: Sequence[Sequence[Line]]) -> set[str]:
    """Keys of the lines that recur on at least a third of the pages: in the header or footer
    band on two pages at least, as a page's first or last lines on three at least."""
    band: Counter[str] = Counter()
    edge: Counter[str] = Counter()
    for lines in pages:
        band.update({band_key(ln) for ln in lines if ln.band != "body"})
        edge.update({band_key(ln) for ln in lines if ln.edge and ln.band == "body"})
    third = len(pages) // 3
    running = {k for k, n in band.items() if n >= max(2, third)} | {
        k for k, n in edge.items() if n + band[k] >= max(3, third)
    }
    # a line of figures or years alone ("2022 2021" heading a table) is never a running header
    return {k for k in running if any(ch.isalpha() for ch in k)}


def is_page_number(line: Line) -> bool:
    return bool(_PAGE_NUMBER.match(line.text.strip()))


def body_lines(lines: list[Line], running: set[str]) -> list[Line]:
    """The page without its running headers, footers and page numbers."""
    return [
        ln
        for ln in lines
        if (ln.band == "body" and not ln.edge)
        or not (band_key(ln) in running or is_page_number(ln))
    ]


def reading_order(lines: list[Line], width: float) -> list[Line]:
    """Lines in reading order: a run of two-column text is split at its gutter and its left
    column read before its right one; full-width lines (titles, tables) stay where they are."""
    gutter = _gutter(lines, width)
    if gutter is None:
        return lines
    out: list[Line] = []
    run: list[Line] = []

    def flush() -> None:
        if sum(1 for ln in run if _sides(ln, gutter) == (True, True)) >= 3:
            left, right = [], []
            for ln in run:
                a, b = _split(ln, gutter)
                if a is not None:
                    left.append(a)
                if b is not None:
                    right.append(b)
            out.extend(left)
            out.extend(right)
        else:
            out.extend(run)
        run.clear()

    for line in lines:
        if any(s.x0 < gutter < s.x1 for s in line.segments):
            flush()
            out.append(line)
        else:
            run.append(line)
    flush()
    return out


def _gutter(lines: list[Line], width: float) -> float | None:
    """The x of the gap between two columns of prose, when enough lines share it."""
    gaps: list[tuple[float, float]] = []
    for line in lines:
        for a, b in zip(line.segments, line.segments[1:], strict=False):
            middle = (a.x1 + b.x0) / 2
            if (
                0.3 * width < middle < 0.7 * width
                and _prose(a.text)
                and _prose(b.text)
                and not any(ch.isdigit() for ch in b.text[-6:])
            ):
                gaps.append((a.x1, b.x0))
    if len(gaps) < _MIN_TWO_COLUMN_LINES:
        return None
    best: tuple[int, float] | None = None
    for lo, hi in gaps:
        x = (lo + hi) / 2
        n = sum(1 for a, b in gaps if a <= x <= b)
        if best is None or n > best[0]:
            best = (n, x)
    if best is None or best[0] < _MIN_TWO_COLUMN_LINES:
        return None
    gutter = best[1]
    # Columns of a page layout are about as wide as each other; a text table (a short name
    # beside a long description) is not a two-column page.
    left = [s.x0 for ln in lines for s in ln.segments if s.x1 <= gutter]
    right = [s.x1 for ln in lines for s in ln.segments if s.x0 >= gutter]
    if not left or not right:
        return None
    ratio = (gutter - min(left)) / max(max(right) - gutter, 1.0)
    return gutter if 0.75 <= ratio <= 1.33 else None


def _prose(text: str) -> bool:
    return len(text.split()) >= _PROSE_WORDS


def _sides(line: Line, gutter: float) -> tuple[bool, bool]:
    return (
        any(s.x1 <= gutter for s in line.segments),
        any(s.x0 >= gutter for s in line.segments),
    )


def _split(line: Line, gutter: float) -> tuple[Line | None, Line | None]:
    left = [s for s in line.segments if s.x1 <= gutter]
    right = [s for s in line.segments if s.x0 >= gutter]
    return _part(line, left, 1), _part(line, right, 2)


def _part(line: Line, segments: list[Segment], column: int) -> Line | None:
    if not segments:
        return None
    return Line(
        top=line.top,
        bottom=line.bottom,
        segments=segments,
        size=line.size,
        bold=all(s.bold for s in segments),
        page=line.page,
        band=line.band,
        column=column,
    )
