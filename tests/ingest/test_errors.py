"""Files that cannot be audited fail with a clear `InvalidDocument` / `UnsupportedDocument`."""

from __future__ import annotations

import functools
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.errors import InvalidDocument, UnsupportedDocument
from server.ingest.document import Document, DocumentKind
from server.ingest.reader import read_document
from server.ingest.upload import SUPPORTED_EXTENSIONS, check_upload
from tests.support.builders import DocBuilder, write_pdf


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_other_extensions_are_unsupported_and_the_message_lists_what_is() -> None:
    with pytest.raises(UnsupportedDocument) as exc:
        check_upload(b"a,b\n1,2\n", "figures.xlsx")
    assert ".xlsx" in exc.value.message
    for ext in (".docx", ".md", ".txt", ".pdf"):
        assert ext in exc.value.message
    with pytest.raises(UnsupportedDocument):
        read_document(b"data", "no-extension")


def test_supported_extensions_map_to_kinds() -> None:
    assert SUPPORTED_EXTENSIONS[".docx"] is DocumentKind.DOCX
    assert check_upload(b"# Title\n", "REPORT.MD") is DocumentKind.MARKDOWN


@pytest.mark.parametrize("name", ["empty.docx", "empty.pdf", "empty.md", "empty.txt"])
def test_zero_byte_files_are_invalid(name: str) -> None:
    with pytest.raises(InvalidDocument, match="empty"):
        read_document(b"", name)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Statement of financial position\nTotal assets 100\n", "not a Word document"),
        (_zip({"hello.txt": b"hi"}), "no word/document.xml"),
        (b"PK\x03\x04" + b"\x00" * 40, "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "password-protected"),
    ],
)
def test_a_docx_that_is_not_one_is_invalid(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidDocument, match=reason):
        check_upload(data, "report.docx")
    with pytest.raises(InvalidDocument):
        read_document(data, "report.docx")


def test_a_docx_with_broken_xml_is_invalid() -> None:
    good = DocBuilder().para("Revenue").bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files["word/document.xml"] = b"<w:document><w:body><w:p>"
    with pytest.raises(InvalidDocument, match="damaged or missing"):
        read_document(_zip(files), "broken.docx")


def test_a_truncated_docx_is_invalid() -> None:
    good = DocBuilder().para("Revenue").bytes()
    with pytest.raises(InvalidDocument):
        read_document(good[: len(good) // 2], "cut.docx")


def test_a_docx_without_text_is_invalid() -> None:
    with pytest.raises(InvalidDocument, match="no text"):
        read_document(DocBuilder().bytes(), "blank.docx")


def test_pdf_magic_is_checked_and_a_corrupt_pdf_is_invalid() -> None:
    with pytest.raises(InvalidDocument, match="%PDF-"):
        check_upload(b"hello", "report.pdf")
    with pytest.raises(InvalidDocument, match="damaged PDF"):
        read_document(b"%PDF-1.4\n" + b"garbage " * 50, "report.pdf")
    with pytest.raises(InvalidDocument, match="no text"):
        read_document(write_pdf([[]]), "blank.pdf")


def test_binary_posing_as_text_is_invalid() -> None:
    with pytest.raises(InvalidDocument, match="binary"):
        check_upload(b"\x00\x01\x02\x03" * 100, "notes.txt")
    with pytest.raises(InvalidDocument, match="binary"):
        check_upload(DocBuilder().para("x").bytes(), "notes.md")
    with pytest.raises(InvalidDocument, match="no text"):
        read_document(b"   \n\n  ", "blank.txt")


def test_windows_1252_text_is_read() -> None:
    doc = read_document("Revenue rose to \u20ac12.4 million".encode("cp1252"), "memo.txt")
    assert doc.paragraphs[0].text == "Revenue rose to \u20ac12.4 million"


def test_check_upload_accepts_large_files_of_each_kind() -> None:
    """Checking reads only what it must; how long that takes is a figure of bench/reading."""
    big_docx = _zip({"word/document.xml": b"<x/>", "word/media/image1.png": b"\x89PNG" * 6_000_000})
    big_text = b"Revenue 1,234 1,100\n" * 1_250_000  # 25 MB
    assert check_upload(big_docx, "big.docx") is DocumentKind.DOCX
    assert check_upload(big_text, "big.txt") is DocumentKind.TEXT
    assert check_upload(b"%PDF-1.7\n" + big_text, "big.pdf") is DocumentKind.PDF


def _read_or_invalid(data: bytes, name: str) -> Document | InvalidDocument:
    """The document, or the InvalidDocument it raised; any other exception fails the test."""
    try:
        return read_document(data, name)
    except InvalidDocument as exc:
        return exc


def _damaged(good: bytes) -> st.SearchStrategy[bytes]:
    """`good` with 1-12 bytes overwritten, or cut short."""

    def overwrite(changes: list[tuple[int, int]]) -> bytes:
        data = bytearray(good)
        for position, byte in changes:
            data[position] = byte
        return bytes(data)

    position = st.integers(0, len(good) - 1)
    changed = st.lists(st.tuples(position, st.integers(0, 255)), min_size=1, max_size=12)
    return st.one_of(changed.map(overwrite), st.integers(1, len(good) - 1).map(lambda n: good[:n]))


@functools.cache
def _good_docx() -> bytes:
    b = DocBuilder().header("ACME plc")
    b.heading("Statement of financial position", 1)
    b.table([["EUR'000", "2024", "2023"], ["Cash", "1", "2"], ["Total assets", "1", "2"]])
    return b.bytes()


@functools.cache
def _good_pdf() -> bytes:
    return write_pdf([[(50, 800, "ACME plc", 10), (50, 700, "Revenue   1,000   900", 10)]])


def test_the_undamaged_files_are_read() -> None:
    docx = _read_or_invalid(_good_docx(), "report.docx")
    assert isinstance(docx, Document) and len(docx.tables) == 1
    pdf = _read_or_invalid(_good_pdf(), "report.pdf")
    assert isinstance(pdf, Document) and "ACME plc" in pdf.text()


@settings(max_examples=60)
@given(data=st.data())
def test_damaged_docx_files_are_read_or_invalid_never_a_library_error(data: st.DataObject) -> None:
    outcome = _read_or_invalid(data.draw(_damaged(_good_docx())), "report.docx")
    if isinstance(outcome, InvalidDocument):
        assert outcome.message
    else:
        assert outcome.kind is DocumentKind.DOCX and outcome.name == "report.docx"


@pytest.mark.parametrize(
    "replacement", [None, b"", b"<garbage"], ids=["missing", "empty", "garbage"]
)
def test_a_docx_with_a_missing_or_broken_part_is_read_or_invalid(replacement: bytes | None) -> None:
    with zipfile.ZipFile(io.BytesIO(_good_docx())) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    outcomes = {}
    for name in files:
        changed = dict(files)
        if replacement is None:
            del changed[name]
        else:
            changed[name] = replacement
        outcomes[name] = _read_or_invalid(_zip(changed), "report.docx")
    # Without its main part there is nothing to read: that one at least must be refused.
    assert isinstance(outcomes["word/document.xml"], InvalidDocument)
    assert all(isinstance(o, Document | InvalidDocument) for o in outcomes.values())


@settings(max_examples=60)
@given(data=st.data())
def test_damaged_pdf_files_are_read_or_invalid_never_a_library_error(data: st.DataObject) -> None:
    outcome = _read_or_invalid(data.draw(_damaged(_good_pdf())), "report.pdf")
    if isinstance(outcome, InvalidDocument):
        assert outcome.message
    else:
        assert outcome.kind is DocumentKind.PDF and outcome.name == "report.pdf"


def test_a_macro_enabled_file_renamed_to_docx_says_so() -> None:
    good = DocBuilder().para("Revenue").bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    with pytest.raises(InvalidDocument, match="macro-enabled"):
        read_document(_zip(files), "renamed.docx")


def test_a_zip_bomb_posing_as_docx_is_refused_from_its_directory() -> None:
    data = bytearray(_zip({"word/document.xml": b"<x/>", "word/media/huge.bin": b"\x00" * 64}))
    # Claim 4 GB unpacked in the central directory, as a bomb does, without building one.
    entry = data.rfind(b"PK\x01\x02")
    data[entry + 24 : entry + 28] = (0xFFFFFFF0).to_bytes(4, "little")
    with pytest.raises(InvalidDocument, match="1 GB"):
        check_upload(bytes(data), "bomb.docx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_long_text_in_any_unicode_encoding_passes_the_upload_check(encoding: str) -> None:
    text = (
        "R\u00e9sultat net \u20ac 1\u00a0234 \u2014 \U0001f4c8\n" * 5000
    )  # > 64 KiB, cut mid-character
    data = text.encode(encoding)
    assert check_upload(data, "notes.txt") is DocumentKind.TEXT
    assert read_document(data, "notes.txt").paragraphs[0].text.startswith("R\u00e9sultat net")


def test_the_document_is_named_by_the_file_name_without_its_folder() -> None:
    assert read_document(b"Hello", "C:\\Users\\me\\memo.txt").name == "memo.txt"
    assert read_document(b"Hello", "uploads/2024/memo.md").name == "memo.md"
