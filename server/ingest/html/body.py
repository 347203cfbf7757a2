"""The body of an HTML filing in reading order: paragraphs, headings and tables, page by page.

Block elements (div, p, li, h1-h6, ...) end a paragraph; inline elements (span, a, b, ix tags)
add to it. Hidden content (`display:none`, `ix:header` with its `ix:hidden` facts) is not body
text. A page break (`page-break-before/after`, `break-before: page`) starts a new page; what
repeats at the top of many pages is the page header, and bare page numbers and "Table of
Contents" back-links at the edges of a page are dropped. A table without figures is a layout
frame (bullets, signature blocks, a cover-page grid) and is read as paragraphs; a table or line
made of links into the document is the contents list, kept as `toc` paragraphs so it never
becomes a heading.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from server.ingest.html.grid import clean, read_grid
from server.ingest.html.ixbrl import Catalogue
from server.ingest.html.tree import is_ix, local, style_of
from server.ingest.raw import RawBlock, RawParagraph, RawTable
from server.progress import Progress

_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "ul",
        "caption",
    ]
)
_SKIP = frozenset({"head", "script", "style", "title", "noscript", "template"})
_SKIP_IX = frozenset({"header", "hidden", "references", "resources"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:page\s+)?[-–—]?\s*(?:[a-z]{1,2}\s?-\s?)?\d{1,4}\s*[-–—]?\.?$|^[ivxlc]{1,6}$"
)
_DIGITS = re.compile(r"\d+")
MIN_CHROME_PAGES = 3
CHROME_SHARE = 0.1  # a line at the top of at least this share of pages is a running header
LARGE_FONT = 1.25  # times the body's usual size: a heading


@dataclass(slots=True)
class _Para:
    text: str
    bold: bool
    size: float | None
    heading_level: int | None
    nav: bool  # every character is the text of a link into the document


@dataclass(slots=True)
class _Page:
    items: list[_Para | RawTable | list[_Para]] = field(default_factory=list)


class _Walker:
    def __init__(self, cat: Catalogue, progress: Progress | None, tables_total: int) -> None:
        self.cat = cat
        self.pages: list[_Page] = [_Page()]
        self.parts: list[str] = []
        self.chars = self.bold_chars = self.nav_chars = 0
        self.sizes: Counter[float] = Counter()
        self.heading: int | None = None
        self.progress = progress
        self.tables_total = max(tables_total, 1)
        self.tables_done = 0
        self.body_sizes: Counter[float] = Counter()

    # ------------------------------------------------------------------ paragraphs

    def add_text(self, text: str, bold: bool, size: float | None, nav: bool) -> None:
        self.parts.append(text)
        n = len(text.strip())
        if not n:
            return
        self.chars += n
        if bold:
            self.bold_chars += n
        if nav:
            self.nav_chars += n
        if size:
            self.sizes[size] += n
            self.body_sizes[size] += n

    def flush(self) -> None:
        text = clean("".join(self.parts))
        if text:
            size = self.sizes.most_common(1)[0][0] if self.sizes else None
            self.pages[-1].items.append(
                _Para(
                    text=text,
                    bold=self.bold_chars == self.chars and self.chars > 0,
                    size=size,
                    heading_level=self.heading,
                    nav=self.nav_chars == self.chars and self.chars > 0,
                )
            )
        self.parts = []
        self.chars = self.bold_chars = self.nav_chars = 0
        self.sizes = Counter()

    def new_page(self) -> None:
        self.flush()
        if self.pages[-1].items:
            self.pages.append(_Page())

    # ------------------------------------------------------------------------ walk

    def walk(self, el: etree._Element, bold: bool, size: float | None, nav: bool) -> None:
        name = local(el)
        if not name or (is_ix(el) and name in _SKIP_IX) or (name in _SKIP and not is_ix(el)):
            return
        style = style_of(el.get("style"))
        if style.hidden:
            return
        if style.bold is not None:
            bold = style.bold
        elif name in ("b", "strong", "th"):
            bold = True
        size = style.size_pt or size
        if name == "a" and (el.get("href") or "").startswith("#"):
            nav = True
        if style.break_before:
            self.new_page()
        if name == "table":
            self.flush()
            self.table(el)
        elif name == "hr":
            if style.break_after or style.break_before:
                self.new_page()
        elif name == "br":
            self.parts.append(" ")
        else:
            block = name in _BLOCK
            if block:
                self.flush()
                if name in _HEADINGS:
                    self.heading = _HEADINGS[name]
            if el.text:
                self.add_text(el.text, bold, size, nav)
            for child in el:
                self.walk(child, bold, size, nav)
                if child.tail:
                    self.add_text(child.tail, bold, size, nav)
            if block:
                self.flush()
                if name in _HEADINGS:
                    self.heading = None
        if style.break_after and name != "hr":
            self.new_page()

    def table(self, el: etree._Element) -> None:
        grid = read_grid(el, self.cat)
        self.tables_done += 1
        if self.progress is not None and self.tables_done % 10 == 0:
            self.progress(self.tables_done, self.tables_total, "reading tables")
        if not grid.rows:
            return
        if not grid.facts and (_navigation(el) or _page_numbered(grid)):
            self.pages[-1].items.append([_row_para(row, nav=True) for row in grid.rows if any(row)])
        elif not grid.facts and not _has_figures(grid):
            self.pages[-1].items.append(
                [_row_para(row, nav=False) for row in grid.rows if any(row)]
            )
        else:
            self.pages[-1].items.append(grid)


def _row_para(row: list[str], nav: bool) -> _Para:
    return _Para(" ".join(c for c in row if c), False, None, None, nav)


def _navigation(table: etree._Element) -> bool:
    """A contents list: most filled rows hold a link into the document."""
    filled = linked = 0
    for tr in table.iter("{*}tr", "tr"):
        text = "".join(tr.itertext()).strip()
        if not text:
            continue
        filled += 1
        if any(
            local(a) == "a" and (a.get("href") or "").startswith("#") for a in tr.iter("{*}a", "a")
        ):
            linked += 1
    return linked >= 2 and linked * 2 >= filled


_CONTENTS_PAGE = re.compile(r"^(?:[A-Z]{1,2}\s?-\s?)?\d{1,3}(?:\s?-\s?\d{1,3})?$")


def _page_numbered(grid: RawTable) -> bool:
    """A contents list without links: most filled rows end in a page number, in page order."""
    filled = [row for row in grid.rows if any(row)]
    pages: list[int] = []
    for row in filled:
        last = next((c for c in reversed(row) if c), "")
        if _CONTENTS_PAGE.match(last) and any(len(c) > 3 and not c.isdigit() for c in row[:-1]):
            pages.append(int(re.findall(r"\d+", last)[0]))
    if len(pages) < 3 or len(pages) * 5 < len(filled) * 3:
        return False
    in_order = sum(1 for a, b in zip(pages, pages[1:], strict=False) if a <= b)
    return in_order * 5 >= (len(pages) - 1) * 4


def _has_figures(grid: RawTable) -> bool:
    """Any figure outside the first column: a layout frame has words only (bullets, names)."""
    from server.ingest.numbers import parse_number

    for row in grid.rows:
        for text in row[1:]:
            if text and parse_number(text) is not None and not _PAGE_NUMBER.match(text):
                return True
    return False


# -------------------------------------------------------------------------- assembly


def read_body(
    root: etree._Element, cat: Catalogue, progress: Progress | None = None
) -> tuple[list[RawBlock], list[str], int]:
    """Blocks in body order, the running page headers, and the number of pages."""
    body = next((el for el in root.iter("{*}body", "body")), root)
    tables_total = sum(1 for _ in body.iter("{*}table", "table"))
    walker = _Walker(cat, progress, tables_total)
    walker.walk(body, bold=False, size=None, nav=False)
    walker.flush()
    pages = [p for p in walker.pages if p.items]
    body_size = walker.body_sizes.most_common(1)[0][0] if walker.body_sizes else None
    headers, footers = _chrome(pages)
    blocks: list[RawBlock] = []
    page_headers: list[str] = []
    for n, page in enumerate(pages):
        header_lines: list[str] = []
        items = _flatten(page.items)
        body_items: list[_Para | RawTable] = []
        for i, item in enumerate(items):
            if isinstance(item, _Para):
                key = _key(item.text)
                at_top = i < 3 and all(isinstance(x, _Para) for x in items[:i])
                at_bottom = i >= len(items) - 2
                if at_top and (key in headers or item.nav and len(item.text) <= 60):
                    if not item.nav:
                        header_lines.append(item.text)
                    continue
                if at_bottom and (
                    key in footers
                    or _PAGE_NUMBER.match(item.text)
                    or (item.nav and len(item.text) <= 60)
                ):
                    continue
            body_items.append(item)
        header = "\n".join(header_lines) or None
        if header and header not in page_headers:
            page_headers.append(header)
        for item in body_items:
            if isinstance(item, RawTable):
                item.page_header = header
                blocks.append(item)
            else:
                blocks.append(_paragraph(item, header, body_size))
        del n
    return blocks, page_headers, len(pages)


def _flatten(items: list[_Para | RawTable | list[_Para]]) -> list[_Para | RawTable]:
    out: list[_Para | RawTable] = []
    for item in items:
        if isinstance(item, list):
            out.extend(item)
        else:
            out.append(item)
    return out


def _key(text: str) -> str:
    return _DIGITS.sub("#", text.casefold())[:120]


def _chrome(pages: list[_Page]) -> tuple[set[str], set[str]]:
    """Lines at the top (bottom) of enough pages to be running headers (footers)."""
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for page in pages:
        items = _flatten(page.items)
        head = []
        for item in items[:3]:
            if not isinstance(item, _Para):
                break
            head.append(item)
        tops.update({_key(p.text) for p in head if len(p.text) <= 120})
        tail = [i for i in items[-2:] if isinstance(i, _Para)]
        bottoms.update({_key(p.text) for p in tail if len(p.text) <= 120})
    need = max(MIN_CHROME_PAGES, int(CHROME_SHARE * len(pages)))
    return (
        {k for k, n in tops.items() if n >= need},
        {k for k, n in bottoms.items() if n >= need},
    )


def _paragraph(p: _Para, header: str | None, body_size: float | None) -> RawParagraph:
    level = p.heading_level
    if (
        level is None
        and body_size
        and p.size
        and p.size >= body_size * LARGE_FONT
        and len(p.text.split()) <= 14
        and not p.nav
    ):
        level = 1
    return RawParagraph(
        text=p.text,
        heading_level=None if p.nav else level,
        bold=p.bold,
        page_header=header,
        toc=p.nav,
    )
