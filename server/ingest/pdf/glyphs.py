"""Words with their boxes, sizes and weights, and the page's thin rules, read with PDFium.

PDFium (through pypdfium2) gives each character's box, and its text page already inserts a
space where the gap between two characters says a word ends. So a word is a run of characters
between such spaces, and only its first and last characters are measured: about six times
fewer calls into PDFium than measuring every character, which is what makes a 100-page 10-K
take about a second here. A run whose width does not fit its characters (two figures printed
as one run with a wide gap) is measured character by character and split at its gaps.

Coordinates are turned into the page as displayed: origin top left, y downwards, the page's
/Rotate applied. Characters rotated against the page (a chart's vertical axis title, a
sideways margin note) are dropped: they are never part of a statement's lines.

PDFium is not thread-safe, so one lock serialises every document read in this process.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

PDFIUM_LOCK = threading.Lock()
_WORD = re.compile(r"[^\s\x00-\x20\u00a0\u2002-\u200b\u3000\ufffe\uffff]+")
BOLD_WEIGHT = 600
_FORCE_BOLD = 1 << 18
_BOLD_NAME = re.compile(rb"(?i)bold|black|heavy|semibold|demi")
_NAME_SIZE = 128
_NAME_BUFFER = ctypes.create_string_buffer(_NAME_SIZE)  # used under PDFIUM_LOCK only
RULE_THICKNESS = 2.5  # points: a path flatter than this is a rule, not a box
_MAX_ANGLE = 0.05  # radians: anything more is rotated text


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    lead: float | None = None  # x0 of a currency sign printed apart, left of a figure

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Rule:
    """A horizontal line (or a flat filled rectangle): underlines of totals, table borders."""

    x0: float
    x1: float
    y: float


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word]
    rules: list[Rule]


class _Frame:
    """PDF user space into the displayed page: y downwards, /Rotate applied."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        left, bottom, right, top = page.get_mediabox()
        self.left, self.bottom, self.right, self.top = left, bottom, right, top
        self.rotation = page.get_rotation() % 360
        w, h = right - left, top - bottom
        self.width, self.height = (h, w) if self.rotation in (90, 270) else (w, h)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) on the displayed page of a PDF-space box."""
        a = self._point(x0, y0)
        b = self._point(x1, y1)
        return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])

    def _point(self, x: float, y: float) -> tuple[float, float]:
        dx, dy = x - self.left, self.top - y  # y downwards from the top edge
        if self.rotation == 90:
            return self.top - self.bottom - dy, dx
        if self.rotation == 180:
            return self.right - self.left - dx, self.top - self.bottom - dy
        if self.rotation == 270:
            return dy, self.right - self.left - dx
        return dx, dy


def open_document(data: bytes) -> pdfium.PdfDocument:
    """The document; raises pdfium.PdfiumError for a damaged or encrypted file."""
    return pdfium.PdfDocument(data)


def pages(document: pdfium.PdfDocument) -> Iterator[Page]:
    """Every page's words and rules, one page at a time (a page's objects are freed after it)."""
    for index in range(len(document)):
        page = document[index]
        try:
            yield read_page(page, index + 1)
        finally:
            page.close()


def read_page(page: pdfium.PdfPage, number: int) -> Page:
    frame = _Frame(page)
    textpage = page.get_textpage()
    try:
        words = _words(textpage.raw, frame)
    finally:
        textpage.close()
    return Page(number, frame.width, frame.height, words, _rules(page, frame))


def _words(textpage: pdfium_c.FPDF_TEXTPAGE, frame: _Frame) -> list[Word]:
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    got = pdfium_c.FPDFText_GetText(
        textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    text = buffer.raw[: max(got - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if len(text) != count:  # characters outside the BMP shift indexes: measure each one
        return _words_by_character(textpage, count, frame)
    first, last = pdfium_c.FS_RECTF(), pdfium_c.FS_RECTF()
    words: list[Word] = []
    for match in _WORD.finditer(text):
        i, j = match.start(), match.end() - 1
        if abs(pdfium_c.FPDFText_GetCharAngle(textpage, i)) > _MAX_ANGLE and not _upright(
            textpage, i, frame
        ):
            continue
        pdfium_c.FPDFText_GetLooseCharBox(textpage, i, first)
        pdfium_c.FPDFText_GetLooseCharBox(textpage, j, last)
        x0, top, _, bottom = frame.box(first.left, first.top, first.right, first.bottom)
        size = _size(pdfium_c.FPDFText_GetFontSize(textpage, i), bottom - top)
        _, _, x1, _ = frame.box(last.left, last.top, last.right, last.bottom)
        word_text = match.group()
        if x1 < x0 or (len(word_text) > 1 and x1 - x0 > len(word_text) * size * 1.2):
            words.extend(_split_by_gaps(textpage, i, j, frame))
            continue
        bold = _bold(textpage, i)
        words.append(Word(word_text, x0, top, x1, bottom, size, bold))
    return words


def _bold(textpage: pdfium_c.FPDF_TEXTPAGE, index: int) -> bool:
    """Bold by the font's weight, its ForceBold flag, or its name ("Arial-BoldMT"): many
    producers state no weight."""
    if pdfium_c.FPDFText_GetFontWeight(textpage, index) >= BOLD_WEIGHT:
        return True
    flags = ctypes.c_int(0)
    length = pdfium_c.FPDFText_GetFontInfo(textpage, index, _NAME_BUFFER, _NAME_SIZE, flags)
    if flags.value & _FORCE_BOLD:
        return True
    name = bytes(_NAME_BUFFER.raw[: max(min(length, _NAME_SIZE) - 1, 0)])
    return bool(_BOLD_NAME.search(name))


def _size(stated: float, height: float) -> float:
    """The type size as printed. PDFium reports the font's size before the text matrix scales
    it, so a producer that sets 1-point type scaled by ten reports 1: then the height of the
    character box (about 1.15 of the size with ascent and descent) says it better."""
    from_box = height / 1.15
    if from_box > 0 and not 0.6 * from_box <= stated <= 1.6 * from_box:
        return from_box
    return stated


def _upright(textpage: pdfium_c.FPDF_TEXTPAGE, index: int, frame: _Frame) -> bool:
    """Text the page's /Rotate turns upright is not rotated on the displayed page."""
    angle = pdfium_c.FPDFText_GetCharAngle(textpage, index)
    turned = {90: 4.712389, 180: 3.141593, 270: 1.570796}.get(frame.rotation)
    return turned is not None and abs(angle - turned) <= _MAX_ANGLE


def _char(
    textpage: pdfium_c.FPDF_TEXTPAGE, index: int, frame: _Frame, rect: pdfium_c.FS_RECTF
) -> tuple[float, float, float, float]:
    pdfium_c.FPDFText_GetLooseCharBox(textpage, index, rect)
    return frame.box(rect.left, rect.top, rect.right, rect.bottom)


def _split_by_gaps(
    textpage: pdfium_c.FPDF_TEXTPAGE, start: int, end: int, frame: _Frame
) -> list[Word]:
    """A run PDFium did not break although its characters are far apart: split at the gaps."""
    rect = pdfium_c.FS_RECTF()
    first = _char(textpage, start, frame, rect)
    size = _size(pdfium_c.FPDFText_GetFontSize(textpage, start), first[3] - first[1])
    bold = _bold(textpage, start)
    out: list[Word] = []
    current: list[tuple[str, tuple[float, float, float, float]]] = []
    for k in range(start, end + 1):
        box = _char(textpage, k, frame, rect)
        ch = chr(pdfium_c.FPDFText_GetUnicode(textpage, k))
        if current and (box[0] - current[-1][1][2] > size * 0.3 or box[0] < current[-1][1][0]):
            out.append(_word_of(current, size, bold))
            current = []
        current.append((ch, box))
    if current:
        out.append(_word_of(current, size, bold))
    return out


def _word_of(
    chars: list[tuple[str, tuple[float, float, float, float]]], size: float, bold: bool
) -> Word:
    text = "".join(c for c, _ in chars)
    return Word(
        text,
        min(b[0] for _, b in chars),
        min(b[1] for _, b in chars),
        max(b[2] for _, b in chars),
        max(b[3] for _, b in chars),
        size,
        bold,
    )


def _words_by_character(textpage: pdfium_c.FPDF_TEXTPAGE, count: int, frame: _Frame) -> list[Word]:
    """Slow path: every character measured, words cut at spaces and gaps."""
    rect = pdfium_c.FS_RECTF()
    words: list[Word] = []
    current: list[tuple[str, tuple[float, float, float, float]]] = []
    size = 0.0
    bold = False
    for k in range(count):
        code = pdfium_c.FPDFText_GetUnicode(textpage, k)
        ch = chr(code) if 0 < code < 0x110000 else " "
        if ch.isspace() or abs(pdfium_c.FPDFText_GetCharAngle(textpage, k)) > _MAX_ANGLE:
            if current:
                words.append(_word_of(current, size, bold))
                current = []
            continue
        box = _char(textpage, k, frame, rect)
        if current and box[0] - current[-1][1][2] > size * 0.3:
            words.append(_word_of(current, size, bold))
            current = []
        if not current:
            size = _size(pdfium_c.FPDFText_GetFontSize(textpage, k), box[3] - box[1])
            bold = _bold(textpage, k)
        current.append((ch, box))
    if current:
        words.append(_word_of(current, size, bold))
    return words


def _rules(page: pdfium.PdfPage, frame: _Frame) -> list[Rule]:
    """Flat paths: the rules drawn under headers and above totals. Boxes, shading and chart
    shapes are ignored: they never decide where a table is."""
    rules: list[Rule] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=0):
        try:
            x0, top, x1, bottom = frame.box(*obj.get_bounds())
        except pdfium.PdfiumError:
            continue
        if bottom - top <= RULE_THICKNESS and x1 - x0 >= 4 * (bottom - top) and x1 - x0 > 3:
            rules.append(Rule(x0, x1, (top + bottom) / 2))
    return rules
