"""Tables from how lines line up: a run of lines with figures, its captions and its header.

Statements in published reports are rarely ruled; what makes them tables is alignment. A table
starts at a line with a label and figures, and goes on through figure lines and the caption
lines between them ("Current assets:", a label that wraps), as long as no line of prose runs
into the figure columns and no wide vertical gap separates them. Above its first line, lines
that hold only column headings over the figure columns ("Years Ended", "December 2,", "2022")
are its header, however many lines it takes; each column's heading is what is printed over it,
top to bottom, so a year printed under a date keeps both.

Drawn shapes never decide anything here: a filled rectangle shading the current-year column, a
box around a paragraph, or a chart's bars are not tables. A chart's axis labels are lines of
figures without labels, which never start a table.

Columns are where the figures of the body overlap horizontally (right-aligned figures overlap
however wide they are), and reach left to the currency signs printed apart from them. A heading
is assigned to every column whose middle it spans; a line of one piece ("Years Ended") to every
column it overlaps; headings over repeating column headings ("Pension" over 2022 2021 2020,
"Other benefits" over 2022 2021 2020 again) to their whole group; a scale line ("(In millions,
except per share data)") to the label column, as it holds for the whole table. Above a scale
line printed over the headings nothing more is header (that is where titles sit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.ingest.numbers import parse_number
from server.ingest.pdf.glyphs import Rule
from server.ingest.pdf.lines import Line, Segment
from server.ingest.raw import RawParagraph, RawTable

MAX_GAP = 2.4  # line heights: a wider blank between two lines ends the table
MAX_CAPTIONS = 4  # consecutive lines without figures inside a table
MAX_HEADER_LINES = 8
MIN_LABELLED_ROWS = 2
MIN_CONTENTS_ENTRIES = 5
_NOT_APPLICABLE = {"N/A", "NA", "N.A.", "—", "–", "-", "NONE"}
_TOLERANCE = 2.0  # points
_PERIOD_WORDS = re.compile(
    r"(?i)\b(?:(?:19|20)\d\d|ended|ending|months?|weeks?|quarters?|years?|as\s+of|at|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"thousands|millions|billions|except)\b"
)
_TITLE_WORDS = re.compile(
    r"(?i)\b(?:statements?|balance\s+sheets?|consolidated|inc|corp|corporation|company|"
    r"companies|group|plc|ltd|llc|subsidiaries)\b"
)
_TITLE_PARTS = re.compile(
    r"(?i)\b(?:statements?\s+of|balance\s+sheets?|consolidated|incorporated|inc\.|"
    r"corporation|subsidiar(?:y|ies))"
)
_SCALE_ONLY = re.compile(
    r"(?i)^\(?\s*(?:(?:dollars|amounts|figures|\$|€|£)\s+)?(?:in\s+)?(?:\$|€|£)?\s*"
    r"(?:thousands|millions|billions)\b[^()\d]*\)?$"
)
_YEARS = re.compile(r"\b(?:19|20)\d\d\b")
_CONNECTOR = re.compile(r"(?i)(?:[,;]|\band|\bor|\bof|\bfor|\bto|\bin|\bthe|\bfrom|-|–)$")


@dataclass(slots=True)
class TableBlock:
    """A table found on a page, or the entries of a contents list set as one."""

    table: RawTable
    toc: list[RawParagraph] | None = None


Item = Line | TableBlock


def find_tables(lines: list[Line], rules: list[Rule]) -> list[Item]:
    """The lines in order, with every table's lines replaced by one `TableBlock`."""
    items: list[Item] = []
    i = 0
    used_until = 0
    while i < len(lines):
        if i >= used_until and _body_line(lines[i]):
            start, end, header_from = _grow(lines, i, used_until)
            block = _build(lines[header_from:start], lines[start:end], rules)
            if block is not None:
                if i > header_from:
                    del items[header_from - i :]  # its header and captions, already passed
                items.append(block)
                used_until = i = end
                continue
        items.append(lines[i])
        i += 1
    return items


def _body_line(line: Line) -> bool:
    """A line with a figure that is not a year, right of a label or among other figures."""
    segments = line.segments
    figures = [s for s in segments if s.figure]
    if not any(not s.year for s in figures):
        return False
    if len(segments) == 1:
        return False
    return any(s.figure for s in segments[1:])


def _figure_zone(line: Line) -> float:
    """Left edge of the line's figures. A line's first piece is where labels start, so a
    figure there ("($7)" ending a wrapped label) does not move the figure columns."""
    xs = [s.x0 for s in line.segments[1:] if s.figure]
    return min(xs) if xs else line.x1


def _grow(lines: list[Line], start: int, floor: int) -> tuple[int, int, int]:
    """(first body line, end, first header line) of the table that starts at `start`."""
    zone = _figure_zone(lines[start])
    end = start + 1
    pending = 0
    j = start + 1
    while j < len(lines):
        line, previous = lines[j], lines[j - 1]
        if line.top - previous.bottom > MAX_GAP * max(previous.height, line.height, 1.0):
            break
        if line.page != previous.page or line.column != previous.column:
            break
        if _body_line(line):
            zone = min(zone, _figure_zone(line))
            end = j + 1
            pending = 0
        elif _caption(line, zone) and pending < MAX_CAPTIONS:
            pending += 1
        else:
            break
        j += 1
    lead = min((_figure_lead(ln) for ln in lines[start:end] if _body_line(ln)), default=zone)
    header_from = start
    k = start - 1
    # captions right above the first figure line ("ASSETS", "Current assets:") belong to it
    captions = 0
    while (
        k >= floor and captions < 3 and _caption(lines[k], zone) and _close(lines[k], lines[k + 1])
    ):
        captions += 1
        k -= 1
    first_body = k + 1
    headers = 0
    while k >= floor and headers < MAX_HEADER_LINES and _close(lines[k], lines[k + 1]):
        if not _header_line(lines[k], zone, lead, lines[start].size):
            break
        headers += 1
        k -= 1
        if headers > 1 and len(lines[k + 1].segments) == 1 and _SCALE_ONLY.match(lines[k + 1].text):
            break  # the scale printed under the title, over the column headings, ends them
    if headers:
        header_from = k + 1
    else:
        first_body = start  # captions without a header above them stay paragraphs
        header_from = start
    return first_body, end, header_from


def _close(upper: Line, lower: Line) -> bool:
    if upper.page != lower.page or upper.column != lower.column:
        return False
    return lower.top - upper.bottom <= MAX_GAP * max(upper.height, lower.height, 1.0)


def _caption(line: Line, zone: float) -> bool:
    """A line of the label column only: a group caption or the first line of a long label."""
    return line.x1 <= zone - _TOLERANCE and len(line.text) <= 200 and not _body_line(line)


def _figure_lead(line: Line) -> float:
    """Left edge of the line's figures with their currency signs."""
    xs = [s.lead for s in line.segments[1:] if s.figure]
    return min(xs) if xs else line.x1


def _header_line(line: Line, zone: float, lead: float, body_size: float) -> bool:
    """Column headings over the figures: words, years and dates, no amounts. A line of one
    piece over the figures is a heading only when it states a period or a scale, or is a few
    words that are not a title ("Boeing shareholders", not "CONSOLIDATED BALANCE SHEETS")."""
    if body_size and line.size > body_size * 1.3:
        return False
    if len(line.segments) == 1 and _SCALE_ONLY.match(line.text):
        return True  # "(dollars in millions, except per share amounts)": the table's scale
    over = [s for s in line.segments if s.x1 > zone - _TOLERANCE]
    if not over:
        return False
    if any(len(s.text) > 70 for s in line.segments):
        return False
    if any(s.figure and not s.year and not _dateish(s.text) for s in over):
        return False
    if any(_TITLE_PARTS.search(s.text) for s in line.segments):
        return False
    if len(line.segments) == 1:
        text = over[0].text
        words = len(text.split())
        if _PERIOD_WORDS.search(text):
            return words <= 10
        return words <= 4 and not _TITLE_WORDS.search(text)
    return True


def _dateish(text: str) -> bool:
    return bool(re.search(r"(?i)\b(?:19|20)\d\d\b", text)) and parse_number(text) is None


# ------------------------------------------------------------------------- building the grid


def _build(header: list[Line], body: list[Line], rules: list[Rule]) -> TableBlock | None:
    columns = _columns(body)
    if not columns:
        return None
    left_edge = columns[0][0]
    rows: list[list[str]] = []
    bold: list[bool] = []
    ruled: list[bool] = []
    labelled = 0
    figure_rows = 0
    previous_bottom: float | None = None
    for line in body:
        label_parts: list[str] = []
        cells = [""] * len(columns)
        label_bold = True
        for k, segment in enumerate(line.segments):
            if segment.x1 <= left_edge - _TOLERANCE or (
                segment.x0 < left_edge - _TOLERANCE and (not segment.figure or k == 0)
            ):
                label_parts.append(segment.text)
                label_bold = label_bold and segment.bold
                continue
            c = _nearest(columns, segment)
            cells[c] = f"{cells[c]} {segment.text}".strip()
        label = " ".join(label_parts)
        has_figure = any(_is_amount(c) for c in cells)
        if rows and _continues(rows[-1], label, cells):
            merged = [a or b for a, b in zip(rows[-1][1:], cells, strict=True)]
            rows[-1] = [f"{rows[-1][0]} {label}".strip(), *merged]
            bold[-1] = bold[-1] and label_bold
            previous_bottom = line.bottom
            continue
        if has_figure:
            figure_rows += 1
            labelled += bool(label)
        rows.append([label, *cells])
        bold.append(bool(label_parts) and label_bold)
        ruled.append(_ruled(rules, previous_bottom, line.top, left_edge))
        previous_bottom = line.bottom
    if labelled < MIN_LABELLED_ROWS or labelled * 2 < figure_rows:
        return None  # axis ticks and data labels of a chart, or figures without a label column
    header_row = _header_row(header, _visual(columns, body))
    if header_row is not None:
        rows.insert(0, header_row)
        bold.insert(0, False)
        ruled.insert(0, False)
    table = RawTable(rows=rows, bold_rows=bold, ruled_rows=ruled, page=body[0].page)
    block = TableBlock(table=table)
    block.toc = _contents_entries(rows, header_row is not None, body[0].page)
    return block


def _is_amount(text: str) -> bool:
    return bool(text) and parse_number(text) is not None


def _continues(previous: list[str], label: str, cells: list[str]) -> bool:
    """A label that wraps: a row with words and no figures, continued by the next line; or a
    row with its figures on its first line, continued below in lower case with no figures."""
    if not previous[0] or not label:
        return False
    if any(previous[1:]):
        return not any(cells) and label[:1].islower() and bool(_CONNECTOR.search(previous[0]))
    return label[:1].islower() or label.startswith("(") or bool(_CONNECTOR.search(previous[0]))


def _ruled(rules: list[Rule], above: float | None, top: float, left: float) -> bool:
    if above is None:
        return False
    return any(above - 1 <= r.y <= top + 1 and r.x1 > left for r in rules)


def _columns(body: list[Line]) -> list[tuple[float, float]]:
    """Figure columns as x ranges: figures of the body that overlap share a column. When one
    line would put two figures in one column, columns are found from right edges instead."""
    spans: list[tuple[float, float, int]] = []
    for n, line in enumerate(body):
        for segment in line.segments[1:]:
            if segment.figure:
                spans.append((segment.x0, segment.x1, n))
    spans.sort()
    merged: list[tuple[float, float, set[int]]] = []
    for lo, hi, n in spans:
        if merged and lo <= merged[-1][1] + 0.5:
            m_lo, m_hi, members = merged[-1]
            if n in members:
                return _right_edge_columns(spans)
            merged[-1] = (m_lo, max(m_hi, hi), members | {n})
        else:
            merged.append((lo, hi, {n}))
    return [(lo, hi) for lo, hi, _ in merged]


def _visual(columns: list[tuple[float, float]], body: list[Line]) -> list[tuple[float, float]]:
    """Columns as the eye sees them: from the currency sign printed at their left, if any."""
    leads = [lo for lo, _ in columns]
    for line in body:
        for segment in line.segments[1:]:
            if segment.figure:
                c = _nearest(columns, segment)
                leads[c] = min(leads[c], segment.lead)
    return [(lead, hi) for lead, (_, hi) in zip(leads, columns, strict=True)]


def _right_edge_columns(spans: list[tuple[float, float, int]]) -> list[tuple[float, float]]:
    groups: list[list[tuple[float, float, int]]] = []
    for span in sorted(spans, key=lambda s: s[1]):
        if groups and span[1] - groups[-1][-1][1] <= 4.0:
            groups[-1].append(span)
        else:
            groups.append([span])
    return [(min(s[0] for s in g), max(s[1] for s in g)) for g in groups]


def _nearest(columns: list[tuple[float, float]], segment: Segment) -> int:
    def distance(c: int) -> float:
        lo, hi = columns[c]
        if segment.x1 < lo:
            return lo - segment.x1
        if segment.x0 > hi:
            return segment.x0 - hi
        return -(min(hi, segment.x1) - max(lo, segment.x0))  # overlapping: more overlap nearer

    return min(range(len(columns)), key=distance)


def _header_row(header: list[Line], columns: list[tuple[float, float]]) -> list[str] | None:
    """One row of headings: per column, what is printed over it from top to bottom."""
    if not header:
        return None
    left_edge = columns[0][0]
    labels: list[str] = []
    lines: list[list[tuple[Segment, list[int]]]] = []  # per line: pieces and columns they head
    for line in header:
        spanning = len(line.segments) == 1
        pieces: list[tuple[Segment, list[int]]] = []
        for segment in _split_periods(line.segments):
            if segment.x1 <= left_edge + _TOLERANCE or _SCALE_ONLY.match(segment.text):
                labels.append(segment.text)  # the labels' heading, or the whole table's scale
                continue
            covered = [
                c
                for c, (lo, hi) in enumerate(columns)
                if segment.x0 - _TOLERANCE <= (lo + hi) / 2 <= segment.x1 + _TOLERANCE
                or (spanning and min(hi, segment.x1) - max(lo, segment.x0) > 0)
            ]
            pieces.append((segment, covered or [_nearest(columns, segment)]))
        lines.append(pieces)
    spread = [False] * len(lines)
    for i in range(len(lines) - 2, -1, -1):  # bottom up: a group heading may take lines
        upper, lower = lines[i], lines[i + 1]
        if spread[i + 1] and len(upper) == len(lower):
            upper[:] = [(seg, cov) for (seg, _), (_, cov) in zip(upper, lower, strict=True)]
            spread[i] = True
        else:
            spread[i] = _spread_over_groups(upper, lower, len(columns))
    parts: list[list[str]] = [labels] + [[] for _ in columns]
    for pieces in lines:
        for segment, covered in pieces:
            for c in covered:
                parts[c + 1].append(segment.text)
    row = [" ".join(p) for p in parts]
    return row if any(row[1:]) else None


def _spread_over_groups(
    upper: list[tuple[Segment, list[int]]], lower: list[tuple[Segment, list[int]]], n: int
) -> bool:
    """Group headings over repeating column headings: "Pension" and "Other Postretirement
    Benefits" over "2022 2021 2020 2022 2021 2020", or "2022 2021 2020" over "Shares Amount"
    three times. Each group heading names every column of its group, not only the one under
    its middle."""
    k = len(upper)
    below: dict[int, str] = {}
    for segment, covered in lower:
        if len(covered) == 1:
            below[covered[0]] = segment.text
    if k < 2 or n % k or n // k < 2 or len(below) != n:
        return False
    size = n // k
    if any(below[c] != below[c % size] for c in range(n)):
        return False
    upper.sort(key=lambda p: p[0].x0)
    for g, (segment, _) in enumerate(upper):
        upper[g] = (segment, list(range(g * size, (g + 1) * size)))
    return True


def _split_periods(segments: list[Segment]) -> list[Segment]:
    """A header piece naming several periods set close together ("December 31, 2022
    December 25, 2021") is cut at its widest gaps into one piece per year."""
    out: list[Segment] = []
    for segment in segments:
        years = len(_YEARS.findall(segment.text))
        words = segment.words
        if years < 2 or len(words) < years:
            out.append(segment)
            continue
        gaps = sorted(range(1, len(words)), key=lambda k: words[k].x0 - words[k - 1].x1)
        cuts = sorted(gaps[-(years - 1) :])
        pieces = [words[a:b] for a, b in zip([0, *cuts], [*cuts, len(words)], strict=True)]
        if any(len(_YEARS.findall(" ".join(w.text for w in p))) != 1 for p in pieces):
            out.append(segment)
            continue
        for piece in pieces:
            out.append(
                Segment(
                    x0=piece[0].x0,
                    x1=max(w.x1 for w in piece),
                    text=" ".join(w.text for w in piece),
                    bold=segment.bold,
                    size=segment.size,
                    lead=piece[0].x0,
                    words=piece,
                )
            )
    return out


def _contents_entries(rows: list[list[str]], headed: bool, page: int) -> list[RawParagraph] | None:
    """A contents list set as a table (titles and page numbers rising down one column, "N/A"
    for an item left out): its page numbers are not amounts, so it is read as contents
    entries. A short table of small rising figures ending in their total is not one."""
    body = rows[1:] if headed else rows
    if max((len(r) for r in body), default=0) != 2:
        return None
    numbers = [r[1] for r in body if r[1] and r[1].upper() not in _NOT_APPLICABLE]
    if len(numbers) < MIN_CONTENTS_ENTRIES or not all(n.isdigit() and len(n) <= 3 for n in numbers):
        return None
    values = [int(n) for n in numbers]
    if values != sorted(values) or values[-1] == sum(values[:-1]):
        return None
    if any(r[0].lower().startswith("total") for r in body):
        return None
    return [
        RawParagraph(text=" ".join(c for c in r if c), toc=True, page=page) for r in body if any(r)
    ]
