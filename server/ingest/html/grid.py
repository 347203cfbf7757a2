"""An HTML `<table>` into a clean grid: one column per figure, marks joined to their figures.

SEC filings lay a statement out on a fine grid: "$" in one cell, "1,234" in the next, a
negative's ")" or a rate's "%" in a third, empty spacer columns between, and labels or headers
spanning several grid columns (with spans that differ from row to row). Figures in one printed
column all end at the same grid column, so the right edge of each figure is its anchor: anchors
that never meet in one row and sit close together are one column; every other cell is placed
by the anchors it covers. A header cell over several figure columns ("Year Ended December 31,")
spans them in the result, so `tables.build_table` joins it to each period below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from server.ingest.document import Fact
from server.ingest.html.ixbrl import Catalogue, numeric_fact
from server.ingest.html.tree import is_ix, local, style_of
from server.ingest.numbers import parse_number
from server.ingest.raw import RawTable

_PREFIX_MARK = re.compile(r"^(?:US\$|C\$|A\$|[$€£¥]|\(|[$€£¥]\s*\()$")
_CLOSE_MARK = re.compile(r"^(?:\)|%|\)\s*%|%\s*\)|pts?\.?|bps)$")
_YEARISH = re.compile(r"^(?:FY\s?)?(?:19[5-9]\d|20\d\d)\*?$")
_SPACES = re.compile(r"[\s\u00a0\u200b\u2009\u202f\ufeff]+")
MAX_ANCHOR_GAP = 3  # grid columns between two anchors that can still be one printed column


@dataclass(slots=True)
class _Cell:
    start: int
    end: int  # inclusive
    text: str
    kind: str  # "num", "text", "prefix", "close", "empty"
    fact: Fact | None = None
    bold: bool = False
    rule_top: bool = False
    rule_bottom: bool = False


def clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def read_grid(table: etree._Element, cat: Catalogue) -> RawTable:
    """The table as a `RawTable` of printed columns, with the XBRL tag of each tagged figure."""
    return collapse(_grid_rows(table, cat))


def _grid_rows(table: etree._Element, cat: Catalogue) -> list[list[_Cell]]:
    rows: list[list[_Cell]] = []
    pending: dict[int, int] = {}  # grid column -> rows still covered by a rowspan above
    for tr in _own_rows(table):
        if style_of(tr.get("style")).hidden:
            continue
        cells: list[_Cell] = []
        col = 0
        for td in tr:
            if local(td) not in ("td", "th"):
                continue
            while pending.get(col, 0) > 0:
                col += 1
            span = _int_attr(td, "colspan")
            rowspan = _int_attr(td, "rowspan")
            style = style_of(td.get("style"))
            cell = _cell(td, col, col + span - 1, cat) if not style.hidden else None
            if cell is None:
                cell = _Cell(col, col + span - 1, "", "empty")
            cell.rule_top, cell.rule_bottom = style.rule_top, style.rule_bottom
            cells.append(cell)
            if rowspan > 1:
                for k in range(col, col + span):
                    pending[k] = rowspan  # decremented below, this row included
            col += span
        for k in list(pending):
            pending[k] -= 1
            if pending[k] <= 0:
                del pending[k]
        rows.append(cells)
    return rows


def _own_rows(table: etree._Element) -> list[etree._Element]:
    """The table's rows, not those of tables nested in its cells."""
    found: list[etree._Element] = []
    for child in table:
        name = local(child)
        if name == "tr":
            found.append(child)
        elif name in ("tbody", "thead", "tfoot"):
            found.extend(c for c in child if local(c) == "tr")
    return found


def _int_attr(el: etree._Element, name: str) -> int:
    try:
        return max(1, min(int(el.get(name) or 1), 200))
    except ValueError:
        return 1


def _cell(td: etree._Element, start: int, end: int, cat: Catalogue) -> _Cell:
    parts: list[str] = []
    tags: list[etree._Element] = []
    counts = [0, 0]  # characters set bold, characters in all
    _text(td, parts, tags, counts, local(td) == "th" or bool(style_of(td.get("style")).bold))
    text = clean("".join(parts))
    fact = numeric_fact(tags[0], cat) if len(tags) == 1 else None
    kind = _kind(text, fact is not None)
    return _Cell(start, end, text, kind, fact, counts[1] > 0 and counts[0] == counts[1])


_BOLD_TAGS = frozenset({"b", "strong", "th"})
_MARKER = re.compile(r"^\(?(?:\d{1,2}|[a-z]|[ivx]{1,4}|[*†‡])\)?,?$")


def _text(
    el: etree._Element,
    parts: list[str],
    tags: list[etree._Element],
    counts: list[int],
    bold: bool,
) -> None:
    """Visible text of a cell, its `ix:nonFraction` tags, and how much of it is bold."""
    if el.text:
        _add(el.text, parts, counts, bold)
    for child in el:
        name = local(child)
        style = style_of(child.get("style"))
        if name and not style.hidden and name not in ("script", "style"):
            if (style.raised or name == "sup") and _footnote_marker(child):
                if child.tail:
                    _add(child.tail, parts, counts, bold)
                continue
            if name == "br":
                parts.append(" ")
            if name == "nonfraction" and is_ix(child):
                tags.append(child)
            child_bold = bold if style.bold is None else style.bold
            _text(child, parts, tags, counts, child_bold or name in _BOLD_TAGS)
            if name in ("p", "div", "li"):
                parts.append(" ")
        if child.tail:
            _add(child.tail, parts, counts, bold)


def _footnote_marker(el: etree._Element) -> bool:
    """A raised "1", "(a)" or "*" after a label or figure: a footnote reference, not a figure
    (Workiva raises them with position:relative; top:-3pt, others with <sup>)."""
    if any(is_ix(x) for x in el.iter(etree.Element)):
        return False
    return bool(_MARKER.match("".join(el.itertext()).strip()))


def _add(text: str, parts: list[str], counts: list[int], bold: bool) -> None:
    parts.append(text)
    n = len(text.strip())
    counts[1] += n
    if bold:
        counts[0] += n


def _kind(text: str, tagged: bool) -> str:
    if not text:
        return "empty"
    if tagged:
        return "num"
    if _PREFIX_MARK.match(text):
        return "prefix"
    if _CLOSE_MARK.match(text):
        return "close"
    if _YEARISH.match(text):
        return "text"
    return "num" if parse_number(text) is not None else "text"


# ----------------------------------------------------------------------------- collapse


@dataclass(slots=True)
class _Item:
    """What one printed cell of the result holds: a figure with its marks, or text."""

    start: int
    end: int
    text: str
    number: bool
    fact: Fact | None
    bold: bool


def collapse(rows: list[list[_Cell]]) -> RawTable:
    items = [_items(row) for row in rows]
    anchors = _anchors(items)
    if not anchors:
        return RawTable(rows=[])
    clusters = _clusters(anchors, items)
    width = len(clusters)
    cluster_of = {a: k for k, members in enumerate(clusters) for a in members}
    bounds = [(min(m), max(m)) for m in clusters]

    out_rows: list[list[str]] = []
    spans: dict[tuple[int, int], int] = {}
    facts: dict[tuple[int, int], Fact] = {}
    bold_rows: list[bool] = []
    ruled_rows: list[bool] = []
    prev_rule_bottom = False
    for r, (row, cells) in enumerate(zip(items, rows, strict=True)):
        texts = [""] * width
        bold = False
        for item in row:
            if item.number:
                k = cluster_of.get(item.end, _nearest(bounds, item.end))
                covered = [k]
            else:
                covered = [
                    k for k, (lo, hi) in enumerate(bounds) if item.start <= hi and lo <= item.end
                ]
                covered = [
                    k for k in covered if any(item.start <= a <= item.end for a in clusters[k])
                ] or [_nearest(bounds, item.end)]
            k = covered[0]
            texts[k] = f"{texts[k]} {item.text}".strip() if texts[k] else item.text
            if len(covered) > 1:
                spans[(r, k)] = len(covered)
            if item.fact is not None and (r, k) not in facts:
                facts[(r, k)] = item.fact
            if k == 0 and item.bold:
                bold = True
        out_rows.append(texts)
        bold_rows.append(bold)
        rule_top = any(c.rule_top for c in cells if c.kind in ("num", "prefix"))
        ruled_rows.append(rule_top or prev_rule_bottom)
        prev_rule_bottom = any(c.rule_bottom for c in cells if c.kind in ("num", "prefix"))
    return _trim(
        RawTable(
            rows=out_rows, spans=spans, facts=facts, bold_rows=bold_rows, ruled_rows=ruled_rows
        )
    )


def _items(row: list[_Cell]) -> list[_Item]:
    """A row's printed cells: marks joined to the figure they belong to."""
    items: list[_Item] = []
    prefix: list[_Cell] = []
    for cell in row:
        if cell.kind == "empty":
            continue
        if cell.kind == "prefix":
            prefix.append(cell)
            continue
        if cell.kind == "close" and items and items[-1].number and not prefix:
            items[-1].text += cell.text.replace(" ", "")
            continue
        if cell.kind == "num":
            text = "".join(p.text.replace(" ", "") for p in prefix) + cell.text
            items.append(_Item(cell.end, cell.end, text, True, cell.fact, cell.bold))
        else:
            for p in prefix:  # a "$" or "(" with no figure after it is text where it stands
                items.append(_Item(p.start, p.end, p.text, False, None, p.bold))
            items.append(_Item(cell.start, cell.end, cell.text, False, None, cell.bold))
        prefix = []
    for p in prefix:
        items.append(_Item(p.start, p.end, p.text, False, None, p.bold))
    return items


def _anchors(items: list[list[_Item]]) -> list[int]:
    """Grid columns where printed columns end: figures' right edges, and the right edges of
    text cells that cover no figure column (labels, text columns)."""
    numbers = {i.end for row in items for i in row if i.number}
    texts = {
        i.end
        for row in items
        for i in row
        if not i.number and not any(i.start <= a <= i.end for a in numbers)
    }
    return sorted(numbers | texts)


def _clusters(anchors: list[int], items: list[list[_Item]]) -> list[list[int]]:
    """Adjacent anchors that never hold two cells of one row, and sit close, are one column."""
    anchor_set = set(anchors)
    row_ends = [{i.end for i in row if i.number or _covered(i, anchor_set) <= 1} for row in items]
    row_ends = [ends for ends in row_ends if len(ends) > 1]

    def meet(a: int, b: int) -> bool:
        return any(a in ends and b in ends for ends in row_ends)

    clusters: list[list[int]] = [[anchors[0]]]
    for a in anchors[1:]:
        last = clusters[-1]
        if a - last[-1] <= MAX_ANCHOR_GAP and not any(meet(x, a) for x in last):
            last.append(a)
        else:
            clusters.append([a])
    return clusters


def _covered(item: _Item, anchors: set[int]) -> int:
    return sum(1 for a in range(item.start, item.end + 1) if a in anchors)


def _nearest(bounds: list[tuple[int, int]], col: int) -> int:
    for k, (_lo, hi) in enumerate(bounds):
        if col <= hi:
            return k
    return len(bounds) - 1


def _trim(table: RawTable) -> RawTable:
    """Empty rows before the first filled one and after the last go; runs of them become one."""
    keep: list[int] = []
    for r, row in enumerate(table.rows):
        empty = not any(row)
        if empty and (not keep or not any(table.rows[keep[-1]])):
            continue
        keep.append(r)
    while keep and not any(table.rows[keep[-1]]):
        keep.pop()
    if len(keep) == len(table.rows):
        return table
    new_index = {old: new for new, old in enumerate(keep)}
    return RawTable(
        rows=[table.rows[r] for r in keep],
        spans={(new_index[r], c): n for (r, c), n in table.spans.items() if r in new_index},
        facts={(new_index[r], c): f for (r, c), f in table.facts.items() if r in new_index},
        bold_rows=[table.bold_rows[r] for r in keep],
        ruled_rows=[table.ruled_rows[r] for r in keep],
    )


def tag_count(table: etree._Element) -> int:
    return sum(1 for el in table.iter(etree.Element) if is_ix(el) and local(el) == "nonfraction")
