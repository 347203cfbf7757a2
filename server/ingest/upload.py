"""Cheap checks of an uploaded file, before anything reads it: the type and the magic bytes.

`check_upload` runs on the HTTP request path and before `crosscheck audit` starts an audit, so
it only looks at the extension and the magic bytes (a .docx is a zip holding
word/document.xml, a .pdf starts with %PDF-, an HTML file starts with "<", a report package
.zip holds an .htm/.xhtml, a text file decodes and holds no binary); it reads no more than the
zip directory and one text decode, and importing it loads none of the readers (server/ingest/
reader.py does the full parse). It raises `UnsupportedDocument` for a type we do not read and
`InvalidDocument` for a file that is corrupt, empty or not what its name says.
"""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib
from pathlib import PurePath

from server.errors import InvalidDocument, UnsupportedDocument
from server.ingest.document import DocumentKind

SUPPORTED_EXTENSIONS: dict[str, DocumentKind] = {
    ".docx": DocumentKind.DOCX,
    ".md": DocumentKind.MARKDOWN,
    ".txt": DocumentKind.TEXT,
    ".pdf": DocumentKind.PDF,
    ".htm": DocumentKind.HTML,
    ".html": DocumentKind.HTML,
    ".xhtml": DocumentKind.HTML,
    ".zip": DocumentKind.HTML,  # an ESEF or SEC report package: the report and its linkbases
}
_SUPPORTED_LIST = " ".join(SUPPORTED_EXTENSIONS)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, or an encrypted Office file
_BINARY_PROBE = 64 * 1024
MAX_UNPACKED_BYTES = 1 << 30  # a zip bomb posing as a .docx is refused before it is opened


def kind_of(filename: str) -> DocumentKind:
    """The kind a file name claims; `UnsupportedDocument` for any other extension."""
    suffix = PurePath(filename or "").suffix.lower()
    kind = SUPPORTED_EXTENSIONS.get(suffix)
    if kind is None:
        shown = suffix or "a file without an extension"
        raise UnsupportedDocument(f"{filename!r} is {shown}; supported: {_SUPPORTED_LIST}.")
    return kind


def check_upload(data: bytes, filename: str) -> DocumentKind:
    """Cheap checks for the upload path: extension supported and contents what it claims."""
    kind = kind_of(filename)
    if not data:
        raise InvalidDocument(f"{filename!r} is empty (0 bytes).")
    if kind is DocumentKind.DOCX:
        _check_docx(data, filename)
    elif kind is DocumentKind.PDF:
        _check_pdf(data, filename)
    elif kind is DocumentKind.HTML:
        _check_html(data, filename)
    else:
        _check_text(data, filename)
    return kind


def _check_docx(data: bytes, filename: str) -> None:
    if data.startswith(_OLE_MAGIC):
        raise InvalidDocument(
            f"{filename!r} is a legacy .doc or a password-protected Word file; "
            "save it as an unprotected .docx."
        )
    if not data.startswith(b"PK"):
        raise InvalidDocument(
            f"{filename!r} is not a Word document (.docx files are zip archives)."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise InvalidDocument(f"{filename!r} is a damaged or truncated Word file.") from exc
    info = next((i for i in infos if i.filename == "word/document.xml"), None)
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise InvalidDocument(f"{filename!r} unpacks to more than 1 GB; it cannot be a statement.")
    if info is None:
        raise InvalidDocument(
            f"{filename!r} is a zip archive but not a Word document (no word/document.xml)."
        )
    if info.flag_bits & 0x1:
        raise InvalidDocument(f"{filename!r} is encrypted; save it without a password.")


def _check_pdf(data: bytes, filename: str) -> None:
    if b"%PDF-" not in data[:1024]:
        raise InvalidDocument(f"{filename!r} is not a PDF (it does not start with %PDF-).")


def is_report_package(filename: str) -> bool:
    """A .zip upload: a report package (ESEF or SEC), the report and its linkbases."""
    return PurePath(filename or "").suffix.lower() == ".zip"


def _check_html(data: bytes, filename: str) -> None:
    """An HTML file starts with "<" (a tag, <?xml or <!DOCTYPE) after a BOM and white space;
    a report package is a zip holding an HTML report, within the size limits."""
    if is_report_package(filename):
        if not data.startswith(b"PK"):
            raise InvalidDocument(f"{filename!r} is not a zip archive (a report package).")
        from server.ingest.html.package import inspect_package

        inspect_package(data, filename)
        return
    head = data[:_BINARY_PROBE]
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, errors="ignore").encode("utf-8")
            break
    if not head.lstrip().startswith(b"<") or b"\x00" in head:
        raise InvalidDocument(
            f"{filename!r} is not an HTML document (it does not start with a tag, <?xml or "
            "<!DOCTYPE html)."
        )


def _check_text(data: bytes, filename: str) -> None:
    """Decode only the first 64 KiB: enough to tell text from binary on the upload path."""
    decode_text(data[:_BINARY_PROBE], filename, final=len(data) <= _BINARY_PROBE)


def decode_text(data: bytes, filename: str, final: bool = True) -> str:
    """Text of a .md/.txt upload: UTF-8 (with or without BOM) or UTF-16 with a BOM, else
    Windows-1252; never binary. `final=False` decodes a prefix whose last character may be cut."""
    if not data:
        raise InvalidDocument(f"{filename!r} is empty (0 bytes).")
    probe = data[:_BINARY_PROBE]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return codecs.getincrementaldecoder("utf-16")().decode(data, final=final)
        except UnicodeDecodeError as exc:
            raise InvalidDocument(f"{filename!r} is not valid UTF-16 text.") from exc
    if b"\x00" in probe or probe.startswith((b"PK\x03\x04", b"%PDF-", _OLE_MAGIC)):
        raise InvalidDocument(f"{filename!r} is a binary file, not text.")
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=final)
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise InvalidDocument(f"{filename!r} is neither UTF-8 nor Windows-1252 text.") from exc
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 16:
        raise InvalidDocument(f"{filename!r} is a binary file, not text.")
    return text
