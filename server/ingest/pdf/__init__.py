"""PDF into raw blocks: paragraphs, headings and tables in reading order, page by page.

PDFs keep glyph positions, not structure, so structure is read from the layout: words and
their boxes come from PDFium (`glyphs`), words become lines and column-separated segments with
currency signs joined to their figures (`lines`), running headers, page numbers and two-column
text are dealt with (`layout`), aligned figures with their multi-line column headings become
tables (`tables`), and the rest becomes paragraphs and headings (`prose`).

PDFium was chosen by measurement (bench/pdf/README.md): on the corpus of 10-Ks it reads a
100-page filing's words in about a second in under 100 MB, where pdfminer (pdfplumber) took
10-70 s and up to 2.4 GB; its licence (BSD/Apache) suits a product, PyMuPDF's AGPL would not.
"""

from __future__ import annotations

import statistics

import pypdfium2 as pdfium

from server.errors import InvalidDocument
from server.ingest.pdf.glyphs import PDFIUM_LOCK, Rule, open_document, pages
from server.ingest.pdf.layout import (
    EDGE_LINES,
    band_key,
    body_lines,
    is_page_number,
    mark_bands,
    reading_order,
    running_lines,
)
from server.ingest.pdf.lines import Line, page_lines
from server.ingest.pdf.prose import paragraphs
from server.ingest.pdf.tables import TableBlock, find_tables
from server.ingest.raw import RawBlock, RawDocument
from server.progress import Progress

__all__ = ["Progress", "read_pdf"]


class _Page:
    __slots__ = ("number", "width", "lines", "rules")

    def __init__(self, number: int, width: float, lines: list[Line], rules: list[Rule]) -> None:
        self.number = number
        self.width = width
        self.lines = lines
        self.rules = rules


def read_pdf(data: bytes, filename: str, progress: Progress | None = None) -> RawDocument:
    """Raw blocks of a PDF; a damaged or encrypted file is `InvalidDocument`. `progress` is
    called after each page with (pages done, pages in all, a message)."""
    read: list[_Page] = []
    with PDFIUM_LOCK:
        try:
            document = open_document(data)
        except pdfium.PdfiumError as exc:
            raise _invalid(filename, exc) from exc
        try:
            total = len(document)
            for glyphs in pages(document):
                lines = page_lines(glyphs.words, glyphs.number)
                mark_bands(lines, glyphs.height)
                read.append(_Page(glyphs.number, glyphs.width, lines, glyphs.rules))
                if progress is not None:
                    progress(glyphs.number, total, f"read page {glyphs.number} of {total}")
        except pdfium.PdfiumError as exc:
            raise _invalid(filename, exc) from exc
        finally:
            document.close()
    running = running_lines([p.lines for p in read])
    page_headers = _page_headers(read, running)
    sizes = [ln.size for p in read for ln in p.lines if ln.band == "body" for _ in ln.segments]
    body_size = statistics.median(sizes) if sizes else 0.0
    blocks: list[RawBlock] = []
    for page in read:
        header = "\n".join(ln.text for ln in _top_lines(page.lines, running)) or None
        flow = reading_order(body_lines(page.lines, running), page.width)
        blocks.extend(_page_blocks(flow, page.rules, body_size, header))
    return RawDocument(blocks=blocks, page_headers=page_headers, pages=len(read))


def _invalid(filename: str, exc: pdfium.PdfiumError) -> InvalidDocument:
    if "password" in str(exc).lower():
        return InvalidDocument(f"{filename!r} is encrypted; upload it without a password.")
    return InvalidDocument(f"{filename!r} is a damaged PDF.")


def _page_headers(read: list[_Page], running: set[str]) -> list[str]:
    """Running header texts as first printed, top band only, page numbers aside."""
    seen: dict[str, str] = {}
    for page in read:
        for line in _top_lines(page.lines, running):
            if band_key(line) in running:
                seen.setdefault(band_key(line), line.text)
    return list(seen.values())


def _top_lines(lines: list[Line], running: set[str]) -> list[Line]:
    """The page's running header lines: in the top band, or first on the page and recurring."""
    return [
        ln
        for i, ln in enumerate(lines)
        if (ln.band == "header" or (i < EDGE_LINES and band_key(ln) in running))
        and not is_page_number(ln)
        and ln.text
    ]


def _page_blocks(
    flow: list[Line], rules: list[Rule], body_size: float, header: str | None
) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    text: list[Line] = []
    width = max((ln.x1 - ln.x0 for ln in flow), default=0.0)

    def flush() -> None:
        if text:
            blocks.extend(paragraphs(text, body_size, header, width))
            text.clear()

    for item in find_tables(flow, rules):
        if isinstance(item, TableBlock):
            flush()
            if item.toc is not None:
                for entry in item.toc:
                    entry.page_header = header
                blocks.extend(item.toc)
                continue
            item.table.page_header = header
            blocks.append(item.table)
        else:
            text.append(item)
    flush()
    return blocks
