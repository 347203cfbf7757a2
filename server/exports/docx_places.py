"""Finds a finding's cell or sentence in the uploaded Word file, to anchor a comment there.

The parsed document names tables `t1, t2, ...` and rows and columns after the reader's work:
header rows removed, grid columns no cell starts in dropped, merged cells kept in their first
grid column, and a Word row whose cells stack several lines each split into several rows
(server/ingest/docx.py). Going back, each Word table is laid out the same way (its rows, and
per row which `w:tc` starts at which grid column), and the parsed table is matched to the
reader's raw table of the same Word table by its cell texts, in body order. A table whose
layout does not come out exactly like the reader's (row count, width) is never guessed at:
its findings go to the list of findings without a place.

Paragraphs are found by their text (the parsed paragraph's, then the quote), sections by their
heading's text; the comment covers the runs that hold the quote when they can be told apart.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from server.ingest.numbers import parse_number
from server.ingest.raw import RawTable
from server.ingest.wordml import body_children, children, int_val

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_R, _T, _TAB, _BR, _CR = qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_TCPR, _TRPR, _GRID_SPAN = qn("w:tcPr"), qn("w:trPr"), qn("w:gridSpan")
_VMERGE, _HMERGE, _VAL = qn("w:vMerge"), qn("w:hMerge"), qn("w:val")
_PSTYLE, _PPR = qn("w:pStyle"), qn("w:pPr")
MAX_GRID_SPAN = 64
MIN_QUOTE_CHARS = 12
MAX_NUMBER_CHARS = 12  # "Note 12.3 " before a heading's title
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_MARKS = re.compile(r"[\s\u00a0\u2009\u202f)%\u00ad\u200b]")


@dataclass(slots=True)
class _WordRow:
    tr: Any
    line: int | None  # the paragraph index inside each cell when a stacked row was split
    starts: dict[int, Any]  # grid column -> w:tc starting there


@dataclass(slots=True)
class _WordTable:
    rows: list[_WordRow]
    keep: list[int]  # compact column -> grid column


@dataclass
class WordPlaces:
    """Runs of a python-docx document for table cells, paragraphs and sections."""

    document: WordDocument
    parsed: Mapping[str, Any]
    raw_tables: Sequence[RawTable]
    _tables: dict[str, tuple[_WordTable, int]] = field(
        default_factory=dict
    )  # id -> (table, header)
    _paragraphs: list[tuple[Any, str, bool]] = field(default_factory=list)  # (p, text, top level)

    def __post_init__(self) -> None:
        body = self.document.element.body
        word_tables = [el for el in body_children(body) if el.tag == _TBL]
        self._match_tables(word_tables)
        for el in body.iter(_P):
            top = not any(a.tag == _TC for a in el.iterancestors())
            self._paragraphs.append((el, _norm(_paragraph_text(el)), top))

    # -- tables ------------------------------------------------------------------------------

    def _match_tables(self, word_tables: list[Any]) -> None:
        parsed = [b for b in self.parsed.get("blocks", []) if b.get("block") == "table"]
        pointer = 0
        for table in parsed:
            for k in range(pointer, min(len(word_tables), len(self.raw_tables))):
                raw = self.raw_tables[k]
                if _same_table(table, raw):
                    pointer = k + 1
                    layout = _layout(word_tables[k])
                    if layout is not None and _fits(layout, raw):
                        self._tables[table["id"]] = (layout, len(raw.rows) - len(table["rows"]))
                    break

    def cell_runs(self, table_id: str, row: int, column: int) -> list[Run] | None:
        found = self._tables.get(table_id)
        if found is None:
            return None
        layout, header_rows = found
        index = header_rows + row
        if not 0 <= index < len(layout.rows) or not 0 <= column < len(layout.keep):
            return None
        word_row = layout.rows[index]
        tc = word_row.starts.get(layout.keep[column])
        if tc is None:
            return None
        paragraphs = [el for el in body_children(tc) if el.tag == _P]
        if word_row.line is not None:
            paragraphs = paragraphs[word_row.line : word_row.line + 1]
        runs = [r for p in paragraphs for r in _runs(p, self.document)]
        if not runs and paragraphs:
            runs = [Paragraph(paragraphs[0], self.document._body).add_run("")]
        return runs or None

    # -- paragraphs and sections -------------------------------------------------------------

    def paragraph_runs(self, paragraph_id: str | None, quote: str | None) -> list[Run] | None:
        parsed = _parsed_paragraphs(self.parsed)
        text = _norm(parsed.get(paragraph_id or "", ""))
        wanted = _norm(quote or "")
        element = None
        if text and paragraph_id:
            same = [p for p, t, _ in self._paragraphs if t == text]
            if same:
                nth = [pid for pid, t in parsed.items() if _norm(t) == text].index(paragraph_id)
                element = same[min(nth, len(same) - 1)]
        if element is None and len(wanted) >= MIN_QUOTE_CHARS:
            probe = wanted[:120]
            element = next((p for p, t, _ in self._paragraphs if probe in t), None)
        if element is None:
            return None
        return _quote_runs(element, self.document, quote) or None

    def section_runs(self, section_id: str) -> list[Run] | None:
        section = next((s for s in self.parsed.get("sections", []) if s["id"] == section_id), None)
        title = _norm(section["title"]).casefold() if section else ""
        if len(title) < 3:
            return None
        for element, text, top in self._paragraphs:
            short = len(text) <= len(title) + MAX_NUMBER_CHARS
            if top and short and not _toc(element) and text.casefold().endswith(title):
                return _runs(element, self.document) or None
        return None

    def first_runs(self) -> list[Run]:
        """The first run with text (a new empty paragraph at the top if there is none)."""
        for element, text, top in self._paragraphs:
            if top and text:
                runs = [r for r in _runs(element, self.document) if r.text.strip()]
                if runs:
                    return runs[:1]
        body = self.document.element.body
        paragraph = OxmlElement("w:p")
        body.insert(0, paragraph)
        return [Paragraph(paragraph, self.document._body).add_run("")]


# -- layout of one Word table ---------------------------------------------------------------


def _layout(tbl: Any) -> _WordTable | None:
    """The table's rows as the reader lays them out; None when they cannot be told."""
    rows: list[_WordRow] = []
    used: set[int] = set()
    for tr in children(tbl, _TR):
        starts: dict[int, Any] = {}
        lines: list[list[str]] = []
        position = _grid_before(tr)
        for tc in children(tr, _TC):
            tcpr = tc.find(_TCPR)
            span = 1
            continued = False
            if tcpr is not None:
                hmerge = tcpr.find(_HMERGE)
                if hmerge is not None and hmerge.get(_VAL) in (None, "continue"):
                    position += 1
                    continue
                span = min(max(1, int_val(tcpr.find(_GRID_SPAN)) or 1), MAX_GRID_SPAN)
                vmerge = tcpr.find(_VMERGE)
                continued = vmerge is not None and vmerge.get(_VAL) in (None, "continue")
            starts[position] = tc
            lines.append([] if continued else _cell_lines(tc))
            position += span
        used.update(starts)
        stacked = _stacked(lines)
        if stacked:
            rows.extend(_WordRow(tr, i, starts) for i in range(stacked))
        else:
            rows.append(_WordRow(tr, None, starts))
    return _WordTable(rows=rows, keep=sorted(used))


def _stacked(lines: list[list[str]]) -> int:
    """How many rows a Word row whose cells stack one line per row splits into (0: it does not);
    the reader's rule: every filled cell the same number of lines, figures among them."""
    filled = [cell for cell in lines if any(cell)]
    counts = {len(cell) for cell in filled}
    if len(counts) != 1 or len(filled) < 2:
        return 0
    k = counts.pop()
    if k < 2:
        return 0
    figures = sum(1 for cell in filled[1:] for line in cell if parse_number(line) is not None)
    return k if figures >= k else 0


def _fits(layout: _WordTable, raw: RawTable) -> bool:
    width = max((len(r) for r in raw.rows), default=0)
    return len(layout.rows) == len(raw.rows) and len(layout.keep) == width


def _same_table(parsed: Mapping[str, Any], raw: RawTable) -> bool:
    """The parsed table is this raw table: same width, and its rows are the raw table's last
    rows, cell for cell (spaces and split-off ")" and "%" marks aside)."""
    rows = parsed.get("rows", [])
    width = max((len(r) for r in raw.rows), default=0)
    if width != len(parsed.get("columns", [])) or len(rows) > len(raw.rows):
        return False
    body = raw.rows[len(raw.rows) - len(rows) :]
    cells = agree = 0
    for row, raw_row in zip(rows, body, strict=True):
        for text, raw_text in zip(row.get("cells", []), raw_row, strict=False):
            if text or raw_text:
                cells += 1
                agree += _MARKS.sub("", text) == _MARKS.sub("", raw_text)
    return cells == 0 or agree >= 0.9 * cells


# -- text and runs ----------------------------------------------------------------------------


def _runs(p: Any, document: WordDocument) -> list[Run]:
    """The paragraph's runs with text, hyperlinks' runs included, in order."""
    paragraph = Paragraph(p, document._body)
    runs: list[Run] = []
    for item in paragraph.iter_inner_content():
        runs.extend([item] if isinstance(item, Run) else item.runs)
    return runs


def _quote_runs(p: Any, document: WordDocument, quote: str | None) -> list[Run]:
    """The runs that hold the quote, split at its ends where a plain run holds more text; all
    the paragraph's runs when the quote cannot be placed."""
    runs = _runs(p, document)
    wanted = _norm(quote or "")
    if not runs or len(wanted) < MIN_QUOTE_CHARS:
        return runs
    raw = [r.text for r in runs]
    flat, where = _flatten("".join(raw))
    found = flat.find(wanted)
    if found < 0:  # the text was read differently (a dropped footnote mark): its start will do
        wanted = wanted[: MIN_QUOTE_CHARS * 4]
        found = flat.find(wanted)
    if found < 0:
        return runs
    start, end = where[found], where[found + len(wanted) - 1] + 1
    chosen: list[Run] = []
    offset = 0
    for run, text in zip(runs, raw, strict=True):
        lo, hi = offset, offset + len(text)
        offset = hi
        if not text or hi <= start or lo >= end:
            continue
        if lo < start:
            run = _split(run, start - lo)
            lo = start
        if hi > end:
            _split(run, end - lo)
        chosen.append(run)
    return chosen or runs


def _flatten(text: str) -> tuple[str, list[int]]:
    """The text with spaces collapsed as `_norm` does, and each kept character's raw index."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in "\u00ad\u200b":
            continue
        if _SPACES.fullmatch(ch):
            if not out or out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        where.append(i)
    return "".join(out), where


def _split(run: Run, at: int) -> Run:
    """Split a plain run (its properties and one w:t) at `at`; returns the part after `at`.
    A run holding anything else (tabs, fields, drawings) is left whole and returned."""
    r = run._r
    texts = [child for child in r if child.tag != qn("w:rPr")]
    if len(texts) != 1 or texts[0].tag != _T or not 0 < at < len(texts[0].text or ""):
        return run
    tail = copy.deepcopy(r)
    whole = texts[0].text or ""
    texts[0].text = whole[:at]
    tail_t = next(child for child in tail if child.tag == _T)
    tail_t.text = whole[at:]
    for t in (texts[0], tail_t):
        t.set(qn("xml:space"), "preserve")
    r.addnext(tail)
    return Run(tail, run._parent)


def _paragraph_text(p: Any) -> str:
    out: list[str] = []
    for el in p.iter():
        if el.tag == _T:  # deleted text is w:delText, field codes w:instrText: never read
            out.append(el.text or "")
        elif el.tag in (_TAB, _BR, _CR):
            out.append(" ")
    return "".join(out)


def _cell_lines(tc: Any) -> list[str]:
    lines = []
    for el in body_children(tc):
        if el.tag == _P:
            lines.append(_norm(_paragraph_text(el)))
        else:
            lines.append(_norm(" ".join(_paragraph_text(p) for p in el.iter(_P))))
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _parsed_paragraphs(parsed: Mapping[str, Any]) -> dict[str, str]:
    return {
        b["id"]: b.get("text", "")
        for b in parsed.get("blocks", [])
        if b.get("block") == "paragraph"
    }


def _toc(p: Any) -> bool:
    ppr = p.find(_PPR)
    style = ppr.find(_PSTYLE) if ppr is not None else None
    return style is not None and (style.get(_VAL) or "").lower().startswith("toc")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\u00ad", "").replace("\u200b", "")).strip()


def _grid_before(tr: Any) -> int:
    trpr = tr.find(_TRPR)
    if trpr is None:
        return 0
    return min(max(int_val(trpr.find(qn("w:gridBefore"))), 0), MAX_GRID_SPAN)
