"""Markdown and plain text into raw blocks: headings, paragraphs, pipe tables, aligned columns.

Markdown headings are "#" lines or lines underlined with "===" / "---"; a line wrapped in "**"
is bold, so it may be a heading like a bold line in Word. Pipe tables (`| a | b |`) keep their
columns; the "|---|" separator row is dropped. Plain-text statements often line figures up with
spaces (or tabs) instead; a run of lines whose right-hand fields are figures becomes a table
whose columns are where the figures overlap, however they are aligned.

A short line (a title, an entity name, "as at 31 December 2024") stays its own paragraph; long
lines that wrap are joined, as a reader would.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import lxml.html
from lxml import etree

from server.ingest.numbers import parse_number
from server.ingest.raw import RawBlock, RawDocument, RawParagraph, RawTable

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)]|\([a-z0-9]{1,3}\))\s+\S")
_HTML_TABLE = re.compile(r"(?i)^\s*<table\b")
_RULE = re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_RULING = re.compile(r"^[-=_–—]{2,}$")
INDENT_OF_FIGURES = 12  # a line that starts this far right holds only figures
WRAP_WIDTH = 50  # lines at least this long that run on are soft-wrapped prose


def read_text(text: str, markdown: bool) -> RawDocument:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    lines = [line for line in lines if not _FENCE.match(line)]
    blocks: list[RawBlock] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            blocks.extend(_paragraphs(buffer, markdown))
            buffer.clear()

    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        nxt = lines[i + 1].rstrip() if i + 1 < len(lines) else ""
        if _is_pipe_row(line):
            flush()
            j = i
            rows: list[list[str]] = []
            bold: list[bool] = []
            while j < len(lines) and _is_pipe_row(lines[j].rstrip()):
                if not _PIPE_SEPARATOR.match(lines[j]):
                    rows.append(_pipe_cells(lines[j]))
                    label = next((c for c in _raw_pipe_cells(lines[j]) if c.strip()), "")
                    bold.append(bool(_BOLD_LINE.match(label)))
                j += 1
            pipe_table = _rectangular(rows)
            pipe_table.bold_rows = bold
            pipe_table.ruled_rows = [False] * len(rows)
            blocks.append(pipe_table)
            i = j
            continue
        if markdown and _HTML_TABLE.match(line):
            flush()
            j = i
            while j < len(lines) - 1 and "</table>" not in lines[j].lower():
                j += 1
            html_table = _html_table("\n".join(lines[i : j + 1]))
            if html_table is not None:
                blocks.append(html_table)
            i = j + 1
            continue
        tab_end = _tab_block_end(lines, i)
        if tab_end > i:
            flush()
            blocks.append(
                _rectangular([[c.strip() for c in ln.split("\t")] for ln in lines[i:tab_end]])
            )
            i = tab_end
            continue
        atx = _ATX.match(line) if markdown else None
        if atx:
            flush()
            blocks.append(RawParagraph(text=_inline(atx.group(2)), heading_level=len(atx.group(1))))
            i += 1
            continue
        setext = line.strip() and _SETEXT.match(nxt) and len(nxt.strip()) >= 3
        if setext and not buffer and not figure_line(line):
            level = 1 if nxt.strip().startswith("=") else 2
            blocks.append(RawParagraph(text=_inline(line.strip()), heading_level=level))
            i += 2
            continue
        first = i
        while first < len(lines) and first - i < 4 and column_header_line(lines[first]):
            first += 1
        aligned_end = (
            _aligned_block_end(lines, first, headed=first > i) if first < len(lines) else first
        )
        if aligned_end > first:
            flush()
            table = _aligned_table(lines[first:aligned_end], lines[i:first])
            if table is not None:
                blocks.append(table)
                i = aligned_end
                continue
        if _RULE.match(line):
            flush()
            i += 1
            continue
        if not line.strip():
            flush()
        else:
            buffer.append(line)
        i += 1
    flush()
    return RawDocument(blocks=blocks)


def _paragraphs(lines: list[str], markdown: bool) -> list[RawParagraph]:
    out: list[RawParagraph] = []
    current: list[str] = []
    for line in lines:
        if current and _LIST_ITEM.match(line):
            out.append(_paragraph(" ".join(current), markdown))  # a new list item
            current = []
        current.append(line.strip())
        hard_break = line.endswith("  ") or line.endswith("\\") or len(line.strip()) < WRAP_WIDTH
        if hard_break:
            out.append(_paragraph(" ".join(current), markdown))
            current = []
    if current:
        out.append(_paragraph(" ".join(current), markdown))
    return out


def _paragraph(text: str, markdown: bool) -> RawParagraph:
    text = text.rstrip("\\").strip()
    bold = False
    if markdown:
        m = _BOLD_LINE.match(text)
        if m:
            bold, text = True, m.group(2)
    return RawParagraph(text=_inline(text) if markdown else re.sub(r"\s+", " ", text), bold=bold)


def _inline(text: str) -> str:
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"^([*_])(\S(?:.*\S)?)\1$", r"\2", text.strip())
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = text.replace("\\|", "|").replace("\\*", "*")
    return re.sub(r"\s+", " ", text).strip()


def _html_table(html: str) -> RawTable | None:
    """An HTML <table> in Markdown (PDF converters write them): colspan keeps the text in the
    first column it covers, rowspan leaves the rows below blank, as for Word merges."""
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    table = root if root.tag == "table" else root.find(".//table")
    if table is None:
        return None
    rows: list[list[str]] = []
    spans: dict[tuple[int, int], int] = {}
    below: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    for r, tr in enumerate(table.iter("tr")):
        row: list[str] = []
        for cell in tr.xpath("./td|./th"):
            while below.get(len(row), 0) > 0:
                below[len(row)] -= 1
                row.append("")
            colspan = _span(cell.get("colspan"))
            rowspan = _span(cell.get("rowspan"))
            if colspan > 1:
                spans[(r, len(row))] = colspan
            for k in range(colspan):
                if rowspan > 1:
                    below[len(row) + k] = rowspan - 1
            row.append(re.sub(r"\s+", " ", cell.text_content()).strip())
            row.extend([""] * (colspan - 1))
        while below.get(len(row), 0) > 0:
            below[len(row)] -= 1
            row.append("")
        rows.append(row)
    if not rows:
        return None
    table_out = _rectangular(rows)
    table_out.spans = spans
    return table_out


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1


def _tab_block_end(lines: list[str], start: int) -> int:
    """End of a run of tab-separated lines (pasted from a spreadsheet) with a figure in each
    run of two or more; == start when there is none."""
    end = start
    while end < len(lines) and "\t" in lines[end].strip("\n") and lines[end].strip():
        end += 1
    figures = sum(
        1 for ln in lines[start:end] if any(_figure_field(c.strip()) for c in ln.split("\t")[1:])
    )
    return end if end - start >= 2 and figures >= 1 else start


def _is_pipe_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.count("|") >= 2 or (s.count("|") >= 2 and "|" in s[:1] + s[-1:])


def _pipe_cells(line: str) -> list[str]:
    return [_inline(c) for c in _raw_pipe_cells(line)]


def _raw_pipe_cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return re.split(r"(?<!\\)\|", s)


def _rectangular(rows: list[list[str]]) -> RawTable:
    width = max((len(r) for r in rows), default=0)
    return RawTable(rows=[r + [""] * (width - len(r)) for r in rows])


# ------------------------------------------------------------------ space-aligned tables

_FIELD = re.compile(r"\S+(?: \S+)*")  # fields are separated by two or more spaces


def _fields(line: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _FIELD.finditer(line.expandtabs(8))]


def figure_line(line: str) -> bool:
    fields = _fields(line)
    if len(fields) < 2:
        return False
    last = fields[-1][2]
    return parse_number(last) is not None or bool(_YEAR.match(last))


def _aligned_block_end(lines: list[str], start: int, headed: bool = False) -> int:
    """End of a run of space-aligned figure lines starting at `start` (== start when none).
    Under column headers the run may open with a caption line ("ASSETS")."""
    opening_caption = headed and len(_fields(lines[start])) == 1 and len(lines[start].strip()) <= 80
    if not figure_line(lines[start]) and not opening_caption:
        return start
    end = start
    figures = 0
    gap = 0
    j = start
    while j < len(lines):
        line = lines[j].rstrip()
        if figure_line(line):
            figures += 1
            gap = 0
            end = j + 1
        elif line.strip() and all(_RULING.match(t) for _, _, t in _fields(line)):
            pass  # rules under the figures
        elif line.strip() and len(line.strip()) <= 80 and len(_fields(line)) == 1 and gap == 0:
            pass  # a group caption inside the table
        elif not line.strip() and gap == 0:
            gap = 1  # one blank line: a spacer row
        else:
            break
        j += 1
    return end if figures >= 3 else start


def column_header_line(line: str) -> bool:
    """An indented line of short fields above figures: "Note   2024   2023", "£'000  £'000"."""
    fields = _fields(line)
    if not fields or fields[0][0] < INDENT_OF_FIGURES or len(fields) > 8:
        return False
    return all(len(text) <= 24 for _, _, text in fields)


def _aligned_table(lines: list[str], header_lines: Sequence[str] = ()) -> RawTable | None:
    """Columns where figures line up; everything left of the first figure is the label.

    Figures of one column overlap horizontally whether they are right-, left- or
    centre-aligned; header lines above them ("Note  2024  2023") go to the column they overlap.
    """
    parsed: list[tuple[str, list[tuple[int, int, str]]]] = []
    for line in header_lines:
        parsed.append(("", list(_fields(line))))
    body_from = len(parsed)
    for line in lines:
        fields = _fields(line)
        if fields and all(_RULING.match(text) for _, _, text in fields):
            continue  # the rules drawn under figures before a total
        if not fields:
            parsed.append(("", []))
            continue
        k = len(fields)
        while k > 1 and _figure_field(fields[k - 1][2]):
            k -= 1
        if k == 1 and fields[0][0] >= INDENT_OF_FIGURES and _figure_field(fields[0][2]):
            k = 0  # a header of years, or figures with no label
        if k == len(fields):  # no figure fields: a caption row
            parsed.append((" ".join(f[2] for f in fields), []))
            continue
        parsed.append((" ".join(f[2] for f in fields[:k]), list(fields[k:])))
    parsed = _join_wrapped_labels(parsed)
    columns = _columns([figs for _, figs in parsed[body_from:]])
    if not columns:
        return None
    rows: list[list[str]] = []
    for label, figs in parsed:
        row = [label] + [""] * len(columns)
        for lo, hi, text in figs:
            col = min(range(len(columns)), key=lambda c: _distance(columns[c], (lo, hi)))
            row[col + 1] = text
        rows.append(row)
    return RawTable(rows=rows)


def _columns(lines: list[list[tuple[int, int, str]]]) -> list[tuple[int, int]]:
    """Figure columns as character spans: overlapping figures share a column. When one line
    would put two figures in one column, columns are found from right edges instead."""
    spans = sorted((lo, hi, n) for n, figs in enumerate(lines) for lo, hi, _ in figs)
    merged: list[tuple[int, int, set[int]]] = []
    for lo, hi, n in spans:
        if merged and lo <= merged[-1][1] and n not in merged[-1][2]:
            m_lo, m_hi, members = merged[-1]
            merged[-1] = (m_lo, max(m_hi, hi), members | {n})
        elif merged and lo <= merged[-1][1]:
            return [(e, e) for e in _cluster([hi for figs in lines for _, hi, _ in figs])]
        else:
            merged.append((lo, hi, {n}))
    return [(lo, hi) for lo, hi, _ in merged]


def _distance(column: tuple[int, int], span: tuple[int, int]) -> int:
    lo, hi = column
    if span[1] < lo:
        return lo - span[1]
    if span[0] > hi:
        return span[0] - hi
    return -min(hi, span[1]) + max(lo, span[0])  # overlapping: more overlap, nearer


def _join_wrapped_labels(
    parsed: list[tuple[str, list[tuple[int, int, str]]]],
) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """A label that wraps: a line of words with no figures, continued by a line that starts in
    lower case or with "(" and carries the figures ("Impairment of investees" / "(net of tax)")."""
    out: list[tuple[str, list[tuple[int, int, str]]]] = []
    for label, figs in parsed:
        if (
            out
            and figs
            and out[-1][0]
            and not out[-1][1]
            and (label[:1].islower() or label.startswith("("))
        ):
            out[-1] = (f"{out[-1][0]} {label}", figs)
            continue
        out.append((label, figs))
    return out


def _figure_field(text: str) -> bool:
    return parse_number(text) is not None or bool(_YEAR.match(text))


def _cluster(ends: list[int], slack: int = 3) -> list[int]:
    anchors: list[list[int]] = []
    for e in sorted(ends):
        if anchors and e - anchors[-1][-1] <= slack:
            anchors[-1].append(e)
        else:
            anchors.append([e])
    return [max(group) for group in anchors]
