"""PDF into raw blocks with pdfplumber, best effort: PDFs keep glyph positions, not structure.

Ruled tables come from `page.find_tables()`. Statements are rarely ruled, so the other lines of
a page are laid out again as fixed-width text (each word placed at its x position) and read by
the plain-text reader, whose space-aligned table detection then finds the figure columns.
Lines set larger than the body text, or in a bold font and short, become headings. Lines in the
top band that repeat on most pages are page headers, and bare page numbers are dropped.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from server.errors import InvalidDocument
from server.ingest.raw import RawBlock, RawDocument, RawParagraph, RawTable
from server.ingest.text import column_header_line, figure_line, read_text

# pdfminer logs a warning for every damaged object it skips; a damaged upload is reported once,
# as InvalidDocument or as what could be read, not as a screenful of log lines.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

HEADER_BAND = 0.08  # top share of the page where running headers sit
FOOTER_BAND = 0.93
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)


def read_pdf(data: bytes, filename: str) -> RawDocument:
    """Raw blocks of a PDF; a damaged or encrypted file is `InvalidDocument`."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_page_lines(page) for page in pdf.pages]
            n_pages = len(pdf.pages)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise InvalidDocument(f"{filename!r} is encrypted; upload it without a password.") from exc
    except (PdfminerException, MalformedPDFException, PDFSyntaxError) as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise InvalidDocument(
                f"{filename!r} is encrypted; upload it without a password."
            ) from exc
        raise InvalidDocument(f"{filename!r} is a damaged PDF.") from exc
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        # pdfminer reports many kinds of corruption as plain Python errors.
        raise InvalidDocument(f"{filename!r} is a damaged PDF.") from exc

    headers = _running_headers(pages)
    blocks: list[RawBlock] = []
    for page in pages:
        blocks.extend(_page_blocks(page, headers))
    return RawDocument(blocks=blocks, page_headers=headers, pages=n_pages)


class _Line:
    __slots__ = ("top", "text", "layout", "size", "bold", "band", "table")

    def __init__(
        self, top: float, text: str, layout: str, size: float, bold: bool, band: str
    ) -> None:
        self.top = top
        self.text = text
        self.layout = layout
        self.size = size
        self.bold = bold
        self.band = band
        self.table: RawTable | None = None


def _page_lines(page: Any) -> list[_Line]:
    """The page's lines top to bottom, with ruled tables as single entries at their place."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    entries: list[_Line] = []
    for t in tables:
        rows = [[(c or "").replace("\n", " ").strip() for c in row] for row in t.extract()]
        if rows:
            entry = _Line(t.bbox[1], "", "", 0.0, False, "body")
            width = max(len(r) for r in rows)
            entry.table = RawTable(rows=[r + [""] * (width - len(r)) for r in rows])
            entries.append(entry)
    words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
    words = [w for w in words if not any(_inside(w, b) for b in boxes)]
    height = float(page.height) or 1.0
    char_w = statistics.median(
        [(w["x1"] - w["x0"]) / max(len(w["text"]), 1) for w in words] or [5.0]
    )
    for group in _group_lines(words):
        group.sort(key=lambda w: w["x0"])
        text = " ".join(w["text"] for w in group)
        layout = ""
        previous: dict[str, Any] | None = None
        for w in group:
            own_width = (w["x1"] - w["x0"]) / max(len(w["text"]), 1)
            if previous is not None and w["x0"] - previous["x1"] < own_width * 1.5:
                layout += " " + w["text"]  # the next word of the same phrase
            else:
                col = int(w["x0"] / max(char_w, 1.0))
                layout += " " * max(col - len(layout), 2 if layout else 0) + w["text"]
            previous = w
        top = min(w["top"] for w in group)
        band = (
            "header"
            if top < height * HEADER_BAND
            else "footer"
            if top > height * FOOTER_BAND
            else "body"
        )
        size = statistics.median([float(w.get("size", 0)) for w in group])
        bold = all("bold" in str(w.get("fontname", "")).lower() for w in group)
        entries.append(_Line(top, text, layout, size, bold, band))
    entries.sort(key=lambda e: e.top)
    return entries


def _inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    return (
        word["x0"] >= x0 - 1
        and word["x1"] <= x1 + 1
        and word["top"] >= top - 1
        and word["bottom"] <= bottom + 1
    )


def _group_lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    lines: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) <= 2.5:
            lines[-1].append(w)
        else:
            lines.append([w])
    return lines


def _running_headers(pages: list[list[_Line]]) -> list[str]:
    """Top-band lines that recur on most pages (digits ignored), or the top band of a single page."""
    counts: Counter[str] = Counter()
    texts: dict[str, str] = {}
    for page in pages:
        seen = set()
        for line in page:
            if line.band == "header" and line.text:
                key = re.sub(r"\d+", "#", line.text.lower())
                if key not in seen:
                    seen.add(key)
                    counts[key] += 1
                    texts.setdefault(key, line.text)
    needed = max(2, (len(pages) + 1) // 2)
    return [texts[k] for k, n in counts.items() if n >= needed and not _PAGE_NUMBER.match(texts[k])]


def _page_blocks(lines: list[_Line], headers: list[str]) -> list[RawBlock]:
    header_keys = {re.sub(r"\d+", "#", h.lower()) for h in headers}
    body_sizes = [ln.size for ln in lines if ln.text and ln.size]
    body_size = statistics.median(body_sizes) if body_sizes else 0.0
    page_header = "\n".join(ln.text for ln in lines if ln.band == "header" and ln.text) or None
    blocks: list[RawBlock] = []
    chunk: list[str] = []

    def flush() -> None:
        if chunk:
            for block in read_text("\n".join(chunk), markdown=False).blocks:
                block.page_header = page_header
                blocks.append(block)
            chunk.clear()

    in_figures = _inside_figure_runs(lines)
    previous_top: float | None = None
    for i, line in enumerate(lines):
        if line.table is not None:
            flush()
            line.table.page_header = page_header
            blocks.append(line.table)
            previous_top = None
            continue
        if line.band != "body" and (
            re.sub(r"\d+", "#", line.text.lower()) in header_keys or _PAGE_NUMBER.match(line.text)
        ):
            continue
        short = len(line.text.split()) <= 14
        larger = body_size and line.size >= body_size * 1.15
        heading_like = short and (larger or line.bold) and not in_figures[i]
        if heading_like and not re.search(r"\d[\d,]{3,}\s*$", line.text):
            flush()
            level = 1 if larger else None
            blocks.append(
                RawParagraph(
                    text=line.text, heading_level=level, bold=True, page_header=page_header
                )
            )
            previous_top = None
            continue
        if previous_top is not None and line.top - previous_top > body_size * 2.2 and chunk:
            chunk.append("")  # a vertical gap separates paragraphs
        chunk.append(line.layout)
        previous_top = line.top
    flush()
    return blocks


def _inside_figure_runs(lines: list[_Line], reach: int = 4) -> list[bool]:
    """Lines that sit among figure lines (a bold "ASSETS" or "Note 2024 2023" inside a
    statement): part of the table, never a heading that would cut it in two."""
    figures = [
        i
        for i, ln in enumerate(lines)
        if ln.table is None and (figure_line(ln.layout) or column_header_line(ln.layout))
    ]
    out = []
    for i in range(len(lines)):
        before = any(i - reach <= f < i for f in figures)
        after = any(i < f <= i + reach for f in figures)
        out.append(i in figures or (before and after))
    return out
