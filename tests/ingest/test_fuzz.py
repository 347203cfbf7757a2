"""Random statements-like input never crashes the reader: it raises InvalidDocument or reads.

The vocabulary is what real statements hold (figures in every printed style, dates, note
references, statement titles, scale captions), shuffled into random grids and lines, so the
heuristics meet combinations no hand-written test thought of.
"""

from __future__ import annotations

import contextlib
import random

from server.errors import InvalidDocument
from server.ingest.assemble import assemble
from server.ingest.document import DocumentKind
from server.ingest.raw import RawDocument, RawParagraph, RawTable
from server.ingest.reader import read_document

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


def _raw(rng: random.Random) -> RawDocument:
    blocks: list[RawParagraph | RawTable] = []
    for _ in range(rng.randint(1, 12)):
        if rng.random() < 0.5:
            width = rng.randint(1, 7)
            rows = [[rng.choice(CELLS) for _ in range(width)] for _ in range(rng.randint(1, 12))]
            spans = {(0, 0): width} if rng.random() < 0.2 else {}
            blocks.append(RawTable(rows=rows, spans=spans, page_header=rng.choice(LINES) or None))
        else:
            blocks.append(
                RawParagraph(
                    text=rng.choice(LINES),
                    heading_level=rng.choice([None, None, 0, 1, 2]),
                    bold=rng.random() < 0.3,
                    outline_number=rng.choice([None, None, "3", "3.1"]),
                )
            )
    return RawDocument(blocks=blocks, page_headers=[rng.choice(LINES)])


def test_random_blocks_assemble_without_errors() -> None:
    rng = random.Random(11)
    for n in range(400):
        doc = assemble(_raw(rng), f"fuzz-{n}.docx", DocumentKind.DOCX)
        assert [b.index for b in doc.blocks] == list(range(len(doc.blocks)))
        for table in doc.tables:
            assert all(len(r.cells) == len(table.columns) for r in table.rows)


def test_random_text_files_read_or_are_invalid() -> None:
    rng = random.Random(12)
    for n in range(150):
        lines = []
        for _ in range(rng.randint(1, 30)):
            kind = rng.random()
            if kind < 0.3:
                lines.append(
                    "| " + " | ".join(rng.choice(CELLS) for _ in range(rng.randint(1, 5))) + " |"
                )
            elif kind < 0.5:
                lines.append((" " * rng.randint(0, 30)).join(rng.choice(CELLS) for _ in range(3)))
            elif kind < 0.6:
                lines.append("\t".join(rng.choice(CELLS) for _ in range(3)))
            else:
                lines.append(
                    rng.choice(LINES + ["# Title", "===", "---", "<table><tr><td>1</td></tr>"])
                )
        data = "\n".join(lines).encode()
        for name in (f"fuzz-{n}.md", f"fuzz-{n}.txt"):
            with contextlib.suppress(InvalidDocument):
                read_document(data, name)
