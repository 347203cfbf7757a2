"""The one entry point for reading an uploaded file into a `Document`.

`read_document` checks the file as the upload path does (server/ingest/upload.py), then parses
it with the reader its type calls for. It raises `UnsupportedDocument` for a type we do not read
and `InvalidDocument` for a file that is corrupt, empty or not what its name says; library
errors are translated here, once, and never leak to the caller.
"""

from __future__ import annotations

import zipfile
import zlib

from lxml import etree

from server.errors import InvalidDocument
from server.ingest.assemble import assemble
from server.ingest.document import Document, DocumentKind
from server.ingest.raw import RawDocument, RawParagraph, RawTable
from server.ingest.upload import check_upload, decode_text, is_report_package
from server.progress import Progress


def read_document(data: bytes, filename: str, progress: Progress | None = None) -> Document:
    """The parsed document; `InvalidDocument` when it cannot be read or holds no text.
    `progress(done, total, message)` hears how reading goes: pages of a PDF, tables of HTML."""
    kind = check_upload(data, filename)
    raw = _read_raw(data, filename, kind, progress)
    if not _has_text(raw):
        if kind is DocumentKind.PDF:
            raise InvalidDocument(
                f"{filename!r} contains no text to audit: it may be a scan without a text layer."
            )
        raise InvalidDocument(f"{filename!r} contains no text to audit.")
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]  # browsers may send a Windows path
    return assemble(raw, name, kind)


def _read_raw(
    data: bytes, filename: str, kind: DocumentKind, progress: Progress | None = None
) -> RawDocument:
    # Each reader is imported when first needed: python-docx is slow to import and most
    # uploads need only one of them.
    if kind is DocumentKind.DOCX:
        from server.ingest.docx import read_docx

        try:
            return read_docx(data)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise InvalidDocument(f"{filename!r} is a damaged Word file.") from exc
        except ValueError as exc:
            if "content type" in str(exc):  # python-docx: a template or macro-enabled file
                raise InvalidDocument(
                    f"{filename!r} is a Word template or macro-enabled file, not a .docx; "
                    "save it as a Word Document (.docx)."
                ) from exc
            raise InvalidDocument(
                f"{filename!r} is not a readable Word document (its XML is damaged or missing)."
            ) from exc
        except (KeyError, etree.XMLSyntaxError) as exc:
            raise InvalidDocument(
                f"{filename!r} is not a readable Word document (its XML is damaged or missing)."
            ) from exc
        except RuntimeError as exc:  # zipfile: encrypted members
            raise InvalidDocument(
                f"{filename!r} is encrypted; save it without a password."
            ) from exc
    if kind is DocumentKind.HTML:
        from server.ingest.html import read_html, read_package

        if is_report_package(filename):
            return read_package(data, filename, progress=progress)
        return read_html(data, filename, progress=progress)
    if kind is DocumentKind.PDF:
        from server.ingest.pdf import read_pdf

        return read_pdf(data, filename, progress)
    from server.ingest.text import read_text

    return read_text(decode_text(data, filename), markdown=kind is DocumentKind.MARKDOWN)


def _has_text(raw: RawDocument) -> bool:
    for block in raw.blocks:
        if isinstance(block, RawParagraph) and block.text.strip():
            return True
        if isinstance(block, RawTable) and any(c.strip() for row in block.rows for c in row):
            return True
    return False
