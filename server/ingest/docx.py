"""Word (.docx) files into raw blocks, walking the XML so body order and merged cells survive.

python-docx opens the package and resolves headers; everything hot is read from the XML
directly: `table.rows[i].cells` is quadratic and repeats a merged cell's text in every grid
column it covers, which would make one figure look like two. Here a merged cell's text sits in
its first grid column only, vertically merged continuations are blank, and grid columns that no
cell starts in are dropped so the columns line up with what the reader sees.

Text details that matter to the figures: superscript footnote markers are dropped ("Revenue¹"),
tabs become spaces, `mc:Fallback` copies of text boxes are skipped (Word stores them twice), and
deleted tracked changes (`w:delText`) are never read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import docx
from docx.oxml.ns import qn
from lxml import etree

from server.ingest.numbers import parse_number
from server.ingest.raw import RawBlock, RawDocument, RawParagraph, RawTable
from server.ingest.wordml import body_children, children, int_val

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TBL, _TR, _TC, _R, _T = (f"{_W}{n}" for n in ("p", "tbl", "tr", "tc", "r", "t"))
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
_TAB, _BR, _CR, _NBH = f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"
_PTAB = f"{_W}ptab"
_PPR, _RPR, _SECTPR = f"{_W}pPr", f"{_W}rPr", f"{_W}sectPr"
_VAL, _TYPE = qn("w:val"), qn("w:type")
_VERT_ALIGN, _BOLD, _RENDERED_BREAK = f"{_W}vertAlign", f"{_W}b", f"{_W}lastRenderedPageBreak"
_TCPR, _TRPR, _GRID_SPAN = f"{_W}tcPr", f"{_W}trPr", f"{_W}gridSpan"
_VMERGE, _HMERGE, _VANISH = f"{_W}vMerge", f"{_W}hMerge", f"{_W}vanish"
_TBL_HEADER = f"{_W}tblHeader"
_TC_BORDERS, _TOP, _BOTTOM = f"{_W}tcBorders", f"{_W}top", f"{_W}bottom"
MAX_GRID_SPAN = 64  # Word allows 63 columns; a larger span is a damaged or hostile file
_FOOTNOTE_MARK = re.compile(r"^[\d*†‡,\s]{1,4}$|^[a-z]$|^\([a-z\d]\)$")
_SKIPPED = {
    f"{_W}{n}"
    for n in ("footnoteReference", "endnoteReference", "delText", "instrText", "del", "moveFrom")
}


def read_docx(data: bytes) -> RawDocument:
    """Raw blocks of a .docx; library errors propagate for `reader` to translate once."""
    document = docx.Document(io.BytesIO(data))
    styles = _Styles(document.styles.element)
    numbering = _Numbering(document)
    headers = _section_headers(document)
    walker = _BodyWalker(styles, numbering, headers)
    blocks = walker.walk(_plain_body(data, document))
    pages = max(_app_pages(data) or 0, walker.page_count())
    return RawDocument(blocks=blocks, page_headers=_unique(h for h in headers if h), pages=pages)


@dataclass(slots=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    bold: bool | None
    num: tuple[str, int] | None


class _Styles:
    """Paragraph style names, heading levels and bold, following `basedOn` chains."""

    def __init__(self, root: Any) -> None:
        self._by_id: dict[str, _Style] = {}
        for st in root.iter(f"{_W}style"):
            sid = st.get(qn("w:styleId"))
            if not sid:
                continue
            name_el = st.find(f"{_W}name")
            based = st.find(f"{_W}basedOn")
            ppr = st.find(_PPR)
            rpr = st.find(_RPR)
            outline = None
            num = None
            if ppr is not None:
                ol = ppr.find(f"{_W}outlineLvl")
                if ol is not None and (ol.get(_VAL) or "").isdigit():
                    outline = int(ol.get(_VAL)) + 1
                num = _num_pr(ppr)
            self._by_id[sid] = _Style(
                name=name_el.get(_VAL) if name_el is not None else sid,
                based_on=based.get(_VAL) if based is not None else None,
                outline=outline,
                bold=_on(rpr.find(f"{_W}b")) if rpr is not None else None,
                num=num,
            )

    def name(self, sid: str | None) -> str | None:
        style = self._by_id.get(sid or "")
        return style.name if style else sid

    def _chain(self, sid: str | None) -> Iterator[_Style]:
        seen: set[str] = set()
        while sid and sid not in seen and sid in self._by_id:
            seen.add(sid)
            style = self._by_id[sid]
            yield style
            sid = style.based_on

    def heading_level(self, sid: str | None) -> int | None:
        for style in self._chain(sid):
            low = style.name.lower()
            if low == "title":
                return 0
            m = re.fullmatch(r"heading\s*(\d)", low)
            if m:
                return int(m.group(1))
            if style.outline is not None and style.outline <= 9:
                return style.outline
        return None

    def bold(self, sid: str | None) -> bool:
        for style in self._chain(sid):
            if style.bold is not None:
                return style.bold
        return False

    def num(self, sid: str | None) -> tuple[str, int] | None:
        for style in self._chain(sid):
            if style.num is not None:
                return style.num
        return None


class _Numbering:
    """Renders Word list numbers ("12", "12.1") for numbered headings, counting in body order."""

    def __init__(self, document: Any) -> None:
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self._counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for an in root.iter(f"{_W}abstractNum"):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in an.iter(f"{_W}lvl"):
                ilvl = int(lvl.get(qn("w:ilvl")) or 0)
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                levels[ilvl] = (
                    int(start.get(_VAL) or 1) if start is not None else 1,
                    fmt.get(_VAL) or "decimal" if fmt is not None else "decimal",
                    text.get(_VAL) or "" if text is not None else "",
                )
            abstract[an.get(qn("w:abstractNumId")) or ""] = levels
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self._levels[num.get(qn("w:numId")) or ""] = abstract.get(ref.get(_VAL) or "", {})

    def next(self, num_id: str, ilvl: int) -> str | None:
        levels = self._levels.get(num_id)
        if not levels or num_id == "0":
            return None
        counters = self._counters.setdefault(num_id, [0] * 10)
        ilvl = min(max(ilvl, 0), 9)
        start = levels.get(ilvl, (1, "decimal", ""))[0]
        counters[ilvl] = max(counters[ilvl] + 1, start)
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = 0
        _, fmt, text = levels.get(ilvl, (1, "decimal", f"%{ilvl + 1}."))
        if fmt not in ("decimal", "decimalZero"):
            return None

        def level_value(m: re.Match[str]) -> str:
            i = int(m.group(1)) - 1
            return str(max(counters[i], levels.get(i, (1, "", ""))[0]))

        rendered = re.sub(r"%(\d)", level_value, text)
        m = re.search(r"\d+(?:\.\d+)*", rendered)
        return m.group(0) if m else None


class _BodyWalker:
    """Walks body XML in order, producing raw blocks and counting page breaks."""

    def __init__(self, styles: _Styles, numbering: _Numbering, headers: list[str]) -> None:
        self._styles = styles
        self._numbering = numbering
        self._headers = headers
        self._section = 0
        self._breaks = 0
        self._rendered_breaks = 0
        self._last_cell_bold = False

    def page_count(self) -> int:
        return max(self._breaks, self._rendered_breaks) + 1

    def walk(self, body: Any) -> list[RawBlock]:
        blocks: list[RawBlock] = []
        for el in body_children(body):
            header = self._headers[self._section] if self._section < len(self._headers) else None
            if el.tag == _P:
                para = self._paragraph(el)
                para.page_header = header or None
                blocks.append(para)
                ppr = el.find(_PPR)
                if ppr is not None and ppr.find(_SECTPR) is not None:
                    self._section += 1
                    sect_type = ppr.find(_SECTPR).find(f"{_W}type")
                    if sect_type is None or sect_type.get(_VAL) != "continuous":
                        self._breaks += 1
            elif el.tag == _TBL:
                table = self._table(el)
                table.page_header = header or None
                blocks.append(table)
        return blocks

    def _paragraph(self, p: Any) -> RawParagraph:
        ppr = p.find(_PPR)
        sid = None
        num = None
        outline_level: int | None = None  # set on the paragraph itself, not through a style
        if ppr is not None:
            ps = ppr.find(f"{_W}pStyle")
            sid = ps.get(_VAL) if ps is not None else None
            if _on(ppr.find(f"{_W}pageBreakBefore")):
                self._breaks += 1
            num = _num_pr(ppr)
            ol = ppr.find(f"{_W}outlineLvl")
            if ol is not None and (ol.get(_VAL) or "").isdigit() and int(ol.get(_VAL)) < 9:
                outline_level = int(ol.get(_VAL)) + 1
        num = num or self._styles.num(sid)
        text, all_bold = self._text(p, self._styles.bold(sid))
        style = self._styles.name(sid)
        outline = self._numbering.next(*num) if num else None
        return RawParagraph(
            text=text,
            style=style,
            heading_level=outline_level or self._styles.heading_level(sid),
            bold=all_bold,
            outline_number=outline,
            toc=bool(style and style.lower().startswith("toc")),
        )

    def _text(self, el: Any, style_bold: bool) -> tuple[str, bool]:
        """Visible text of a paragraph, and whether every visible run is bold."""
        parts: list[str] = []
        bold_runs = 0
        runs = 0
        for run in _runs(el):
            rpr = run.find(_RPR)
            superscript = False
            bold = style_bold
            if rpr is not None:
                va = rpr.find(_VERT_ALIGN)
                superscript = va is not None and va.get(_VAL) == "superscript"
                b = rpr.find(_BOLD)
                if b is not None:
                    bold = _on(b)
                if _on(rpr.find(_VANISH)):
                    continue  # hidden text is not printed
            chunk = self._run_text(run)
            if superscript and _FOOTNOTE_MARK.match(chunk.strip() or "x"):
                continue
            if chunk.strip():
                runs += 1
                bold_runs += bold
            parts.append(chunk)
        text = "".join(parts)
        return _clean(text), runs > 0 and bold_runs == runs

    def _run_text(self, run: Any) -> str:
        out: list[str] = []
        for child in run:
            tag = child.tag
            if tag == _T:
                out.append(child.text or "")
            elif tag in (_TAB, _PTAB):
                out.append(" ")
            elif tag == _BR:
                if child.get(_TYPE) == "page":
                    self._breaks += 1
                else:
                    out.append("\n")
            elif tag == _CR:
                out.append("\n")
            elif tag == _NBH:
                out.append("-")
            elif tag == _RENDERED_BREAK:
                self._rendered_breaks += 1
        return "".join(out)

    def _table(self, tbl: Any) -> RawTable:
        grid: list[list[str]] = []
        starts: list[dict[int, int]] = []  # per row: grid column -> span of a cell starting there
        marked = 0  # leading rows marked "repeat as header row"
        bold_rows: list[bool] = []
        ruled_rows: list[bool] = []  # a border drawn above the row (a total's rule)
        ruled_below = False  # the previous row's cells draw a bottom border
        for tr in children(tbl, _TR):
            row: list[str] = []
            row_starts: dict[int, int] = {}
            stacked: list[list[str]] = []  # each cell's paragraphs, in cell order
            ruled_above = ruled_below
            ruled_below = False
            label_bold: bool | None = None
            trpr = tr.find(_TRPR)
            if len(grid) == marked and trpr is not None and _on(trpr.find(_TBL_HEADER)):
                marked += 1
            before = int_val(trpr.find(f"{_W}gridBefore")) if trpr is not None else 0
            before = min(max(before, 0), MAX_GRID_SPAN)
            row.extend([""] * before)
            for tc in children(tr, _TC):
                tcpr = tc.find(_TCPR)
                span = 1
                continued = False
                if tcpr is not None:
                    borders = tcpr.find(_TC_BORDERS)
                    if borders is not None:
                        ruled_above = ruled_above or _drawn(borders.find(_TOP))
                        ruled_below = ruled_below or _drawn(borders.find(_BOTTOM))
                    span = min(max(1, int_val(tcpr.find(_GRID_SPAN)) or 1), MAX_GRID_SPAN)
                    vm = tcpr.find(_VMERGE)
                    continued = vm is not None and vm.get(_VAL) in (None, "continue")
                    hm = tcpr.find(_HMERGE)
                    if hm is not None and hm.get(_VAL) in (None, "continue"):
                        row.append("")
                        continue
                lines = [] if continued else self._cell_lines(tc)
                if label_bold is None and any(lines):
                    label_bold = self._last_cell_bold
                row_starts[len(row)] = span
                stacked.append(lines)
                row.append(" ".join(line for line in lines if line))
                row.extend([""] * (span - 1))
            for split_row in _unstack(row, stacked, row_starts):
                grid.append(split_row)
                starts.append(row_starts)
                bold_rows.append(bool(label_bold))
                ruled_rows.append(ruled_above)
        table = _compact(grid, starts)
        table.marked_header_rows = marked
        table.bold_rows = bold_rows
        table.ruled_rows = ruled_rows
        return table

    def _cell_lines(self, tc: Any) -> list[str]:
        """The cell's paragraphs, empty ones included (they stand for blank stacked values);
        `_last_cell_bold` says whether every one with text was bold."""
        lines = []
        self._last_cell_bold = True
        for el in body_children(tc):
            if el.tag == _P:
                text, bold = self._text(el, self._styles.bold(_style_id(el)))
                if text and not bold:
                    self._last_cell_bold = False
            else:  # a table nested in the cell: its text, row by row
                text = " ".join(" ".join(self._cell_lines(inner)) for inner in el.iter(_TC))
            lines.append(text)
        while lines and not lines[-1]:
            lines.pop()
        return lines


def _unstack(row: list[str], stacked: list[list[str]], starts: dict[int, int]) -> list[list[str]]:
    """One Word row whose cells stack several lines each (a label and its figures per line, as
    PDF-to-Word conversions produce) as several rows; only when every filled cell holds the same
    number of lines and figures are among them, so a wrapped label is never split."""
    counts = {len(lines) for lines in stacked if any(lines)}
    if len(counts) != 1:
        return [row]
    k = counts.pop()
    filled = [lines for lines in stacked if any(lines)]
    if k < 2 or len(filled) < 2:
        return [row]
    figure_lines = sum(
        1 for lines in filled[1:] for line in lines if parse_number(line) is not None
    )
    if figure_lines < k:
        return [row]
    out = [list(row) for _ in range(k)]
    for position, lines in zip(sorted(starts), stacked, strict=False):
        for i in range(k):
            out[i][position] = lines[i] if i < len(lines) else ""
    return out


def _compact(grid: list[list[str]], starts: list[dict[int, int]]) -> RawTable:
    """Rectangular rows without grid columns that no cell starts in."""
    width = max((len(r) for r in grid), default=0)
    used = sorted({c for row_starts in starts for c in row_starts})
    keep = [c for c in range(width) if c in set(used)]
    index = {c: i for i, c in enumerate(keep)}
    rows: list[list[str]] = []
    spans: dict[tuple[int, int], int] = {}
    for r, row in enumerate(grid):
        row = row + [""] * (width - len(row))
        rows.append([row[c] for c in keep])
        for c, span in starts[r].items():
            covered = sum(1 for k in keep if c <= k < c + span)
            if covered > 1:
                spans[(r, index[c])] = covered
    return RawTable(rows=rows, spans=spans)


_PLAIN_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _plain_body(data: bytes, document: Any) -> Any:
    """The body parsed again without python-docx's element classes, which make each element
    access several times slower; the walk touches every cell."""
    name = str(document.part.partname).lstrip("/")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = etree.fromstring(zf.read(name), parser=_PLAIN_PARSER)
    body = root.find(f"{_W}body")
    if body is None:
        raise ValueError("word/document.xml has no body")
    return body


def _runs(el: Any) -> Iterator[Any]:
    """Runs of a paragraph in order, including hyperlinks and insertions, skipping fallbacks."""
    for child in el:
        tag = child.tag
        if tag == _R:
            yield child
            for sub in child.iter(_P):  # text boxes inside the run
                if not any(a.tag == _MC_FALLBACK for a in sub.iterancestors()):
                    yield from _runs(sub)
        elif tag in _SKIPPED or tag in (_PPR, _MC_FALLBACK, _TBL):
            continue
        else:
            yield from _runs(child)


def _style_id(p: Any) -> str | None:
    ppr = p.find(_PPR)
    style = ppr.find(f"{_W}pStyle") if ppr is not None else None
    return style.get(_VAL) if style is not None else None


def _drawn(border: Any) -> bool:
    """A border element that draws a line (not "nil" or "none")."""
    return border is not None and (border.get(_VAL) or "nil") not in ("nil", "none")


def _num_pr(ppr: Any) -> tuple[str, int] | None:
    num_pr = ppr.find(f"{_W}numPr")
    if num_pr is None:
        return None
    num_id = num_pr.find(f"{_W}numId")
    ilvl = num_pr.find(f"{_W}ilvl")
    if num_id is None:
        return None
    return (num_id.get(_VAL) or "0", int_val(ilvl))


def _on(el: Any) -> bool:
    """A toggle property (`<w:b/>`, `<w:b w:val="0"/>`) is on unless its value says off."""
    if el is None:
        return False
    return (el.get(_VAL) or "true").lower() not in ("0", "false", "off", "none")


_UNCLEAN = re.compile(r"[\u00ad\u200b\t\u00a0\u2009\u202f]|  | \n|^\s|\s$")


def _clean(text: str) -> str:
    if not _UNCLEAN.search(text):
        return text
    text = text.replace("\u00ad", "").replace("\u200b", "")
    return re.sub(r"[ \t\u00a0\u2009\u202f]+", " ", text).replace(" \n", "\n").strip()


def _section_headers(document: Any) -> list[str]:
    """Page-header text for each Word section, following "linked to previous"."""
    texts: list[str] = []
    previous = ""
    even_pages = bool(document.settings.odd_and_even_pages_header_footer)
    for section in document.sections:
        parts: list[str] = []
        kinds = [section.header]
        if section.different_first_page_header_footer:
            kinds.append(section.first_page_header)
        if even_pages:
            kinds.append(section.even_page_header)
        for header in kinds:
            if header.is_linked_to_previous:
                continue
            parts.extend(_header_lines(header._element))
        text = "\n".join(_unique(parts)) if parts else previous
        texts.append(text)
        previous = text
    return texts


def _header_lines(root: Any) -> list[str]:
    lines: list[str] = []
    for p in root.iter(_P):
        for text in _plain_text(p).split("\n"):
            text = _clean(text)
            if text:
                lines.append(text)
    return lines


def _plain_text(p: Any) -> str:
    """A paragraph's text with line breaks kept, for page headers."""
    out: list[str] = []
    for run in _runs(p):
        for child in run:
            if child.tag == _T:
                out.append(child.text or "")
            elif child.tag == _TAB:
                out.append(" ")
            elif child.tag in (_BR, _CR):
                out.append("\n")
    return "".join(out)


def _app_pages(data: bytes) -> int | None:
    """The page count Word saved in docProps/app.xml, when present."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    m = re.search(r"<(?:\w+:)?Pages>\s*(\d+)\s*<", xml)
    pages = int(m.group(1)) if m else 0
    return pages if pages > 0 else None


def _unique(items: Any) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
