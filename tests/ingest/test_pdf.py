"""PDF statements, best effort: lines into paragraphs and headings, aligned figures into tables."""

from __future__ import annotations

from server.ingest.document import ColumnRole, StatementKind
from server.ingest.reader import read_document
from tests.support.builders import document_schema_errors, write_pdf

ROWS = [
    ("Revenue", "5", "5,000", "4,000"),
    ("Cost of sales", "", "(3,000)", "(2,500)"),
    ("Gross profit", "", "2,000", "1,500"),
    ("Administrative expenses", "", "(1,400)", "(1,100)"),
    ("Profit for the year", "", "600", "400"),
]


def _page(title: str, number: int) -> list[tuple[float, float, str, float]]:
    lines = [
        (50.0, 800.0, "Northwind Foods plc", 9.0),
        (50.0, 760.0, title, 14.0),
        (50.0, 740.0, "For the year ended 31 December 2024", 10.0),
        (300.0, 715.0, "Note", 10.0),
        (400.0, 715.0, "2024", 10.0),
        (480.0, 715.0, "2023", 10.0),
        (400.0, 703.0, "\u00a3'000", 10.0),
        (480.0, 703.0, "\u00a3'000", 10.0),
    ]
    y = 690.0
    for label, note, current, prior in ROWS:
        lines.append((50.0, y, label, 10.0))
        if note:
            lines.append((305.0, y, note, 10.0))
        lines += [(400.0, y, current, 10.0), (480.0, y, prior, 10.0)]
        y -= 12
    lines.append(
        (50.0, y - 30, "Revenue grew by 25% in the year, driven by new contracts in the", 10.0)
    )
    lines.append((50.0, y - 42, "northern region.", 10.0))
    lines.append((290.0, 30.0, str(number), 9.0))
    return lines


def test_pdf_lines_headings_and_figure_columns() -> None:
    data = write_pdf(
        [_page("Consolidated income statement", 1), _page("Statement of comprehensive income", 2)]
    )
    doc = read_document(data, "northwind.pdf")
    assert document_schema_errors(doc) == []
    assert doc.pages == 2
    assert doc.page_headers == ["Northwind Foods plc"]  # repeated at the top of every page
    assert [s.title for s in doc.sections] == [
        "Consolidated income statement",
        "Statement of comprehensive income",
    ]
    first, second = doc.tables
    assert first.statement is StatementKind.PROFIT_OR_LOSS
    assert (
        second.statement is StatementKind.PROFIT_OR_LOSS
    )  # a single statement that starts with revenue
    assert [c.role for c in first.columns] == [
        ColumnRole.LABEL,
        ColumnRole.NOTE,
        ColumnRole.AMOUNT,
        ColumnRole.AMOUNT,
    ]
    assert [c.period for c in first.amount_columns()] == ["2024", "2023"]
    assert (first.scale_label, first.currency) == ("thousands", "GBP")
    assert [(r.label, r.value(2)) for r in first.rows] == [
        (label, float(c.replace(",", "").replace("(", "-").replace(")", "")))
        for label, _, c, _ in ROWS
    ]
    assert "driven by new contracts in the northern region." in doc.paragraphs[1].text
    assert not any(p.text in ("1", "2") for p in doc.paragraphs)  # page numbers are dropped
    assert doc.entity_name == "Northwind Foods plc"


def test_ruled_pdf_table_is_read_by_its_lines() -> None:
    rows = [
        ("In thousands of euros", "2024", "2023"),
        ("Land", "100", "90"),
        ("Buildings", "200", "180"),
        ("Total", "300", "270"),
    ]
    words = [(50.0, 800.0, "Note 11 Property, plant and equipment", 12.0)]
    rules = []
    top = 760.0
    for i, (label, current, prior) in enumerate(rows):
        y = top - i * 20
        words += [
            (55.0, y - 14, label, 9.0),
            (255.0, y - 14, current, 9.0),
            (355.0, y - 14, prior, 9.0),
        ]
        rules.append((50.0, y, 450.0, y))
    bottom = top - len(rows) * 20
    rules.append((50.0, bottom, 450.0, bottom))
    rules += [(x, top, x, bottom) for x in (50.0, 250.0, 350.0, 450.0)]
    doc = read_document(write_pdf([words], [rules]), "ruled.pdf")
    assert [(s.note_number, s.title) for s in doc.sections] == [
        ("11", "Property, plant and equipment")
    ]
    (table,) = doc.tables
    assert (table.note_number, table.scale_label, table.currency) == ("11", "thousands", "EUR")
    assert [c.period for c in table.amount_columns()] == ["2024", "2023"]
    assert [(r.label, r.value(1), r.value(2)) for r in table.rows] == [
        ("Land", 100.0, 90.0),
        ("Buildings", 200.0, 180.0),
        ("Total", 300.0, 270.0),
    ]


def test_bold_captions_inside_a_pdf_statement_do_not_cut_the_table() -> None:
    lines = [
        (50.0, 760.0, "Statement of financial position", 14.0),
        (400.0, 730.0, "2024", 10.0),
        (480.0, 730.0, "2023", 10.0),
        (50.0, 715.0, "ASSETS", 12.0),  # set larger, like a bold caption
        (50.0, 703.0, "Property, plant and equipment", 10.0),
        (400.0, 703.0, "1,200", 10.0),
        (480.0, 703.0, "1,100", 10.0),
        (50.0, 691.0, "Cash and cash equivalents", 10.0),
        (400.0, 691.0, "500", 10.0),
        (480.0, 691.0, "450", 10.0),
        (50.0, 679.0, "EQUITY AND LIABILITIES", 12.0),
        (50.0, 667.0, "Share capital", 10.0),
        (400.0, 667.0, "1,700", 10.0),
        (480.0, 667.0, "1,550", 10.0),
        (50.0, 655.0, "Total equity and liabilities", 10.0),
        (400.0, 655.0, "1,700", 10.0),
        (480.0, 655.0, "1,550", 10.0),
        (50.0, 640.0, "Total assets", 10.0),
        (400.0, 640.0, "1,700", 10.0),
        (480.0, 640.0, "1,550", 10.0),
    ]
    doc = read_document(write_pdf([lines]), "bs.pdf")
    assert [s.title for s in doc.sections] == ["Statement of financial position"]
    (table,) = doc.tables
    assert table.statement is StatementKind.FINANCIAL_POSITION
    assert [r.label for r in table.rows][:2] == ["ASSETS", "Property, plant and equipment"]
    assert "EQUITY AND LIABILITIES" in [r.label for r in table.rows]
