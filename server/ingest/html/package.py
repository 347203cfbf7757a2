"""A report package (.zip): the main inline-XBRL document and the calculation linkbase.

ESEF packages put the report under `<name>/reports/` and the taxonomy extension (with the
`_cal.xml` linkbase) under `<name>/www.<issuer>/...`; SEC submissions are flat folders with
exhibits beside the report. The main document is the largest .htm/.html/.xhtml holding inline
XBRL (exhibits are not tagged), or the largest HTML file when none is. Sizes are checked against
the zip directory before anything is unpacked, as for .docx.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from server.errors import InvalidDocument
from server.ingest.document import Calculation
from server.ingest.html.calculations import read_calculations
from server.ingest.html.document import read_html
from server.ingest.raw import RawDocument
from server.progress import Progress

HTML_SUFFIXES = (".htm", ".html", ".xhtml")
MAX_UNPACKED_BYTES = 1 << 30
MAX_MEMBER_BYTES = 200 << 20  # one report, or one linkbase


@dataclass(slots=True)
class Package:
    main: zipfile.ZipInfo
    linkbases: list[zipfile.ZipInfo] = field(default_factory=list)


def inspect_package(data: bytes, filename: str) -> Package:
    """The package's main document and linkbases, from the zip directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise InvalidDocument(f"{filename!r} is a damaged or truncated zip archive.") from exc
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise InvalidDocument(f"{filename!r} unpacks to more than 1 GB; it cannot be a report.")
    if any(i.flag_bits & 0x1 for i in infos):
        raise InvalidDocument(f"{filename!r} is encrypted; zip it without a password.")
    files = [i for i in infos if not i.is_dir() and not _hidden(i.filename)]
    pages = [i for i in files if i.filename.lower().endswith(HTML_SUFFIXES)]
    if not pages:
        raise InvalidDocument(
            f"{filename!r} is a zip archive without an HTML report (.htm, .html or .xhtml) in it."
        )
    linkbases = [i for i in files if i.filename.lower().endswith("_cal.xml")]
    if any(i.file_size > MAX_MEMBER_BYTES for i in pages + linkbases):
        raise InvalidDocument(f"{filename!r} holds a file over 200 MB; it cannot be a report.")
    return Package(main=max(pages, key=lambda i: i.file_size), linkbases=linkbases)


def read_package(data: bytes, filename: str, progress: Progress | None = None) -> RawDocument:
    """The main report of a package, read with the package's calculation linkbase."""
    package = inspect_package(data, filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            pages = [i for i in zf.infolist() if i.filename.lower().endswith(HTML_SUFFIXES)]
            main = _main_document(zf, pages) or package.main
            document = zf.read(main)
            calculations: list[Calculation] = []
            for info in package.linkbases:
                calculations.extend(read_calculations(zf.read(info), info.filename))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise InvalidDocument(f"{filename!r} is a damaged zip archive.") from exc
    except RuntimeError as exc:  # zipfile: encrypted members
        raise InvalidDocument(f"{filename!r} is encrypted; zip it without a password.") from exc
    name = PurePosixPath(main.filename).name
    return read_html(document, name, progress=progress, calculations=calculations)


def _main_document(zf: zipfile.ZipFile, pages: list[zipfile.ZipInfo]) -> zipfile.ZipInfo | None:
    """The largest page that holds inline XBRL; exhibits beside a 10-K are not tagged."""
    tagged = []
    for info in pages:
        if info.file_size > MAX_MEMBER_BYTES or _hidden(info.filename):
            continue
        with zf.open(info) as fh:
            head = fh.read(64 * 1024)
        if b"inlineXBRL" in head:
            tagged.append(info)
    return max(tagged, key=lambda i: i.file_size) if tagged else None


def _hidden(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return any(p.startswith((".", "__MACOSX")) or p == "META-INF" for p in parts)
