"""Working papers: an audit as the files an auditor files (Excel, the Word copy with comments,
CSV, JSON), made from one `Paper` so the page, the CLI and scripts get the same files.

`FORMATS` names each format's media type, file name and writer; `make(paper, format)` returns
the bytes. Sits above storage and the documents it reads (see `load.py`), below the transports
that serve it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from server.exports.csv import write_csv
from server.exports.docx_comments import NotWordDocument, write_docx
from server.exports.json import write_json
from server.exports.paper import Original, Paper
from server.exports.xlsx import write_xlsx

__all__ = ["FORMATS", "ExportFormat", "NotWordDocument", "Original", "Paper", "make"]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    media_type: str
    write: Callable[[Paper], bytes]
    needs_original: bool = False

    def filename(self, paper: Paper) -> str:
        if self.name == "docx":
            stem = PurePath(paper.document_name or "document").stem
            return f"{stem}-crosscheck-{paper.audit_id}.docx"
        kind = "working-paper" if self.name == "xlsx" else "findings"
        return f"crosscheck-{paper.audit_id}-{kind}.{self.name}"


FORMATS: dict[str, ExportFormat] = {
    "xlsx": ExportFormat(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx
    ),
    "docx": ExportFormat(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda paper: write_docx(paper).data,
        needs_original=True,
    ),
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", write_csv),
    "json": ExportFormat("json", "application/json", write_json),
}


def make(paper: Paper, name: str) -> bytes:
    """The working paper in format `name` (a key of FORMATS); raises NotWordDocument for a
    Word copy of an upload that is not a .docx."""
    return FORMATS[name].write(paper)
