"""Small real documents for the reader tests: .docx built with python-docx, PDFs written by hand."""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from server.ingest.document import Document
from tests.frames import errors


class DocBuilder:
    """A Word document written the way preparers write statements, one call per block."""

    def __init__(self) -> None:
        self.doc = docx.Document()

    def header(self, *lines: str) -> DocBuilder:
        """Page header of the current section (unlinked from the previous one)."""
        header = self.doc.sections[-1].header
        header.is_linked_to_previous = False
        header.paragraphs[0].text = lines[0] if lines else ""
        for line in lines[1:]:
            header.add_paragraph(line)
        return self

    def new_section(self, *header_lines: str) -> DocBuilder:
        self.doc.add_section(WD_SECTION.NEW_PAGE)
        if header_lines:
            self.header(*header_lines)
        return self

    def heading(self, text: str, level: int = 1) -> DocBuilder:
        self.doc.add_heading(text, level=level)
        return self

    def para(self, text: str, bold: bool = False, style: str | None = None) -> DocBuilder:
        p = self.doc.add_paragraph(style=style)
        run = p.add_run(text)
        run.bold = bold or None
        return self

    def numbered_heading(self, text: str, level: int = 2, num_id: str = "5") -> DocBuilder:
        """A heading numbered by Word's list numbering: the number is not in the text."""
        p = self.doc.add_heading(text, level=level)
        ppr = p._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), "0")
        num = OxmlElement("w:numId")
        num.set(qn("w:val"), num_id)
        num_pr.append(ilvl)
        num_pr.append(num)
        ppr.append(num_pr)
        return self

    def superscript_para(self, text: str, marker: str) -> DocBuilder:
        p = self.doc.add_paragraph()
        p.add_run(text)
        p.add_run(marker).font.superscript = True
        return self

    def page_break(self) -> DocBuilder:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        return self

    def table(
        self,
        rows: Sequence[Sequence[str]],
        merges: Sequence[tuple[int, int, int, int]] = (),
        bold_rows: Sequence[int] = (),
    ) -> DocBuilder:
        """A table; `merges` are (row, col, to_row, to_col) ranges whose text is the first cell's."""
        width = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                cell.text = text
                if r in bold_rows:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
                        run.font.size = Pt(9)
        for r, c, r2, c2 in merges:
            text = rows[r][c]
            merged = table.cell(r, c).merge(table.cell(r2, c2))
            merged.text = text
        return self

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def write_pdf(
    pages: Sequence[Sequence[tuple[float, float, str, float]]],
    rules: Sequence[Sequence[tuple[float, float, float, float]]] = (),
) -> bytes:
    """A minimal valid PDF: each page a list of (x, y, text, font size) in Helvetica, and
    optionally ruled lines (x1, y1, x2, y2) per page."""
    objects: list[bytes] = []
    page_ids = [3 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font_id = 3 + 2 * len(pages)
    for i, page in enumerate(pages):
        words = "".join(
            f"BT /F1 {size} Tf {x} {y} Td ({_pdf_escape(text)}) Tj ET\n"
            for x, y, text, size in page
        )
        page_rules = rules[i] if i < len(rules) else ()
        lines = "".join(f"{x1} {y1} m {x2} {y2} l S\n" for x1, y1, x2, y2 in page_rules)
        stream = (words + lines).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {page_ids[i] + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def document_schema_errors(doc: Document) -> list[str]:
    """Where `doc.to_json()` breaks the ParsedDocument of schema/v1 (empty when it conforms)."""
    return errors("ParsedDocument", doc.to_json())
