"""Random statements-like input never crashes the reader: it raises InvalidDocument or reads;
and a well-formed statement, whatever its lines and figures, is read with every figure.

The vocabulary is what real statements hold (figures in every printed style, dates, note
references, statement titles, scale captions), shuffled into random grids and lines, so the
heuristics meet combinations no hand-written test thought of.
"""

from __future__ import annotations

import string

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from server.errors import InvalidDocument
from server.ingest.assemble import assemble
from server.ingest.document import Document, DocumentKind
from server.ingest.raw import RawDocument, RawParagraph, RawTable
from server.ingest.reader import read_document
from tests.support.builders import DocBuilder

CELLS = [
    "",
    "",
    "",
    "-",
    "\u2013",
    "nil",
    "n/a",
    "1,234",
    "(1,234)",
    "12.5%",
    "(2.1)%",
    "2024",
    "2023",
    "31 December 2024",
    "1\u00a0January 2023",
    "2023/24",
    "Note",
    "Notes",
    "5",
    "12.1",
    "1.2.3",
    "5, 6",
    "EUR'000",
    "In thousands of euros",
    "$",
    ")",
    "%",
    "(1,234",
    "Total",
    "TOTAL ASSETS",
    "Revenue",
    "Profit for the year",
    "Balance at 1 January 2024",
    "Share capital",
    "Cash flows from operating activities",
    "Group",
    "Company",
    "Restated*",
    "\u20acm",
    "0.426",
    "1 234 567",
    "1.234,5",
    "(a)",
    "\u2212500",
    "Statement of financial position (continued)",
]
LINES = [
    "",
    "Consolidated statement of financial position",
    "Notes to the financial statements",
    "12. Property, plant and equipment",
    "Note 7 Finance costs",
    "For the year ended 31 December",
    "All amounts are in thousands of euros.",
    "(continued)",
    "ACME plc",
    "ASSETS",
    "The Group continued to trade.",
    "Revenue grew by 12% to EUR 12.4 million.",
    "2024",
    "- item",
]


cells = st.sampled_from(CELLS)
lines = st.sampled_from(LINES)


@st.composite
def raw_tables(draw: st.DrawFn) -> RawTable:
    width = draw(st.integers(1, 7))
    rows = draw(st.lists(st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=12))
    spans = {(0, 0): width} if draw(st.booleans()) and draw(st.booleans()) else {}
    return RawTable(rows=rows, spans=spans, page_header=draw(lines) or None)


raw_paragraphs = st.builds(
    RawParagraph,
    text=lines,
    heading_level=st.sampled_from([None, None, 0, 1, 2]),
    bold=st.booleans(),
    outline_number=st.sampled_from([None, None, "3", "3.1"]),
)
raw_documents = st.builds(
    RawDocument,
    blocks=st.lists(st.one_of(raw_tables(), raw_paragraphs), min_size=1, max_size=12),
    page_headers=st.lists(lines, min_size=1, max_size=1),
)


@settings(max_examples=300)
@given(raw=raw_documents)
def test_random_blocks_assemble_into_a_consistent_document(raw: RawDocument) -> None:
    doc = assemble(raw, "fuzz.docx", DocumentKind.DOCX)
    assert [b.index for b in doc.blocks] == list(range(len(doc.blocks)))
    for table in doc.tables:
        assert all(len(r.cells) == len(table.columns) for r in table.rows)


def _text_line(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["pipe", "aligned", "tabbed", "line"]))
    if kind == "pipe":
        return "| " + " | ".join(draw(st.lists(cells, min_size=1, max_size=5))) + " |"
    if kind == "aligned":
        return (" " * draw(st.integers(0, 30))).join(draw(st.lists(cells, min_size=3, max_size=3)))
    if kind == "tabbed":
        return "\t".join(draw(st.lists(cells, min_size=3, max_size=3)))
    return draw(st.sampled_from([*LINES, "# Title", "===", "---", "<table><tr><td>1</td></tr>"]))


@st.composite
def text_files(draw: st.DrawFn) -> bytes:
    count = draw(st.integers(1, 30))
    return "\n".join(_text_line(draw) for _ in range(count)).encode()


@settings(max_examples=150)
@given(data=text_files(), name=st.sampled_from(["fuzz.md", "fuzz.txt"]))
def test_random_text_files_are_read_or_invalid(data: bytes, name: str) -> None:
    try:
        doc = read_document(data, name)
    except InvalidDocument as exc:
        assert exc.message
        return
    assert doc.kind in (DocumentKind.MARKDOWN, DocumentKind.TEXT)
    assert [b.index for b in doc.blocks] == list(range(len(doc.blocks)))
    for table in doc.tables:
        assert all(len(r.cells) == len(table.columns) for r in table.rows)


# -- valid input is read -----------------------------------------------------------------------

words = st.text(alphabet=string.ascii_letters, min_size=2, max_size=10)
labels = st.lists(words, min_size=1, max_size=4).map(" ".join)
amounts = st.integers(-9_999_999, 9_999_999)


# First words that make a line more than an item to the reader (a total, a caption).
RESERVED = {"total", "totals", "note", "notes", "in", "for", "as", "at", "balance"}


def _printed(amount: int) -> str:
    return f"({-amount:,})" if amount < 0 else f"{amount:,}"


@st.composite
def statements(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    """Line items with two years' amounts; labels distinct and not words the reader treats
    specially (a "Total" row or a caption)."""
    items = draw(
        st.lists(
            st.tuples(labels, amounts, amounts),
            min_size=1,
            max_size=15,
            unique_by=lambda item: item[0].casefold(),
        )
    )
    assume(all(label.casefold().split()[0] not in RESERVED for label, _, _ in items))
    return items


def _check_read(doc: Document, items: list[tuple[str, int, int]]) -> None:
    assert len(doc.tables) == 1
    table = doc.tables[0]
    amount = [c.index for c in table.amount_columns()]
    assert [c.year for c in table.amount_columns()] == [2024, 2023]
    got = [(r.label, r.value(amount[0]), r.value(amount[1])) for r in table.rows]
    assert got == [(label, float(a), float(b)) for label, a, b in items]


@settings(max_examples=60)
@given(items=statements())
def test_a_valid_markdown_statement_is_read_with_every_figure(
    items: list[tuple[str, int, int]],
) -> None:
    rows = "".join(f"| {label} | {_printed(a)} | {_printed(b)} |\n" for label, a, b in items)
    data = f"# Statement of profit or loss\n\n| Item | 2024 | 2023 |\n|---|---|---|\n{rows}"
    _check_read(read_document(data.encode(), "statement.md"), items)


@settings(max_examples=25)
@given(items=statements())
def test_a_valid_word_statement_is_read_with_every_figure(
    items: list[tuple[str, int, int]],
) -> None:
    b = DocBuilder()
    b.heading("Statement of profit or loss", 1)
    b.table([["", "2024", "2023"], *[[label, _printed(x), _printed(y)] for label, x, y in items]])
    _check_read(read_document(b.bytes(), "statement.docx"), items)
