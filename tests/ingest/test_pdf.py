"""PDF statements: lines into paragraphs and headings, aligned figures into whole tables.

The PDFs are written in the tests (tests/ingest/pdf_builder.py), each reproducing a way real
10-K PDFs broke the reader: a bare "$" printed apart from its figure, column headings over
several lines, a shaded current-year column, a chart, two columns of text, running headers.
"""

from __future__ import annotations

import pytest

from server.errors import InvalidDocument
from server.ingest.document import ColumnRole, Document, StatementKind, Table
from server.ingest.reader import read_document
from tests.ingest.builders import document_schema_errors, write_pdf
from tests.ingest.pdf_builder import PdfPage, build_pdf

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


# ------------------------------------------------------------------ 10-K shaped statements

LABEL_X = 50.0
COLUMNS = (420.0, 490.0, 560.0)  # right edges of the figure columns
SIGN_OFFSET = 58.0  # a 10-K prints "$" at the left of the column, far from the figure
INCOME = [
    # label, figures (None: a caption), "$" printed, rule above
    ("Revenue:", None, False, False),
    ("Subscription", ("16,388", "14,573", "11,626"), True, False),
    ("Product", ("532", "555", "507"), False, False),
    ("Total revenue", ("16,920", "15,128", "12,133"), False, True),
    ("Cost of revenue", ("(2,165)", "(1,865)", "(1,722)"), False, False),
    ("Gross profit", ("14,755", "13,263", "10,411"), False, True),
    ("Operating expenses:", None, False, False),
    ("Research and development", ("2,987", "2,540", "2,188"), False, False),
    ("Reclassification adjustment for realized losses on", None, False, False),
    ("derivative instruments", ("151", "\u2014", "6"), False, False),
    ("Total operating expenses", ("3,138", "2,540", "2,194"), False, True),
    ("Net income", ("11,617", "10,723", "8,217"), True, True),
]


def _statement_page(
    title: str,
    header: list[list[tuple[int | None, str]]],
    rows: list[tuple[str, tuple[str, ...] | None, bool, bool]],
    columns: tuple[float, ...] = COLUMNS,
    page_number: int = 54,
) -> PdfPage:
    """A 10-K statement page: a centred title, column headings over several lines (column
    index, or None for a heading centred over all columns), "$" signs apart from figures."""
    page = PdfPage()
    page.text(230, 40, "NORTHWIND INC.", 10, bold=True)
    page.text(200, 55, title, 10, bold=True)
    page.text(235, 70, "(In millions, except per share data)", 9, bold=True)
    top = 92.0
    for heading in header:
        for column, text in heading:
            if column is None:
                middle = (columns[0] - 40 + columns[-1]) / 2
                page.text(middle - len(text) * 2.2, top, text, 8, bold=True)
            else:
                page.right(columns[column] - 2, top, text, 8, bold=True)
        top += 10
    top += 6
    for label, figures, dollar, ruled in rows:
        indent = 0 if figures is None or label.startswith("Total") else 8
        page.text(LABEL_X + indent, top, label, 9)
        for x1, figure in zip(columns, figures or (), strict=False):
            if dollar:
                page.text(x1 - SIGN_OFFSET, top, "$", 9)
            page.right(x1, top, figure, 9)
            if ruled:
                page.line(x1 - 50, top - 2, x1, top - 2)
        top += 13 if figures is not None or label.endswith(":") else 11
    page.text(LABEL_X, top + 20, "See accompanying Notes to Consolidated Financial Statements.", 9)
    page.text(300, 750, str(page_number), 9)
    return page


def _only_table(doc: Document) -> Table:
    assert len(doc.tables) == 1, [t.rows[0].label if t.rows else "" for t in doc.tables]
    return doc.tables[0]


def test_a_10k_statement_page_is_one_table_with_its_years() -> None:
    header = [
        [(None, "Years Ended")],
        [(0, "December 31,"), (1, "December 31,"), (2, "December 31,")],
        [(0, "2022"), (1, "2021"), (2, "2020")],
    ]
    page = _statement_page("CONSOLIDATED STATEMENTS OF INCOME", header, INCOME)
    doc = read_document(build_pdf([page]), "northwind-10k.pdf")
    assert document_schema_errors(doc) == []
    table = _only_table(doc)
    assert table.statement is StatementKind.PROFIT_OR_LOSS
    assert [c.year for c in table.amount_columns()] == [2022, 2021, 2020]
    assert [c.period_end for c in table.amount_columns()] == [
        "2022-12-31",
        "2021-12-31",
        "2020-12-31",
    ]
    labels = [r.label for r in table.rows]
    assert labels[0] == "Revenue:"
    assert "Reclassification adjustment for realized losses on derivative instruments" in labels
    net = next(r for r in table.rows if r.label == "Net income")
    assert [net.value(c.index) for c in table.amount_columns()] == [11617.0, 10723.0, 8217.0]
    cost = next(r for r in table.rows if r.label == "Cost of revenue")
    assert [cost.value(c.index) for c in table.amount_columns()] == [-2165.0, -1865.0, -1722.0]
    assert not any(p.text == "54" for p in doc.paragraphs)  # the page number


def test_a_bare_dollar_sign_belongs_to_the_figure_beside_it() -> None:
    rows = [
        ("Current assets:", None, False, False),
        ("Cash and cash equivalents", ("585.5", "412.3"), True, False),
        ("Short-term investments", ("1,860.0", "1,954.0"), False, False),
        ("Trade receivables", ("\u2014", "93.1"), True, False),
        ("Total current assets", ("2,445.5", "2,459.4"), True, True),
    ]
    header = [[(0, "December 31,"), (1, "December 31,")], [(0, "2022"), (1, "2021")]]
    page = _statement_page("CONSOLIDATED BALANCE SHEETS", header, rows, columns=(480.0, 560.0))
    table = _only_table(read_document(build_pdf([page]), "bs.pdf"))
    amounts = table.amount_columns()
    assert len(amounts) == 2 and len(table.columns) == 3  # no column of "$" signs
    assert not any(cell.text.strip() == "$" for row in table.rows for cell in row.cells)
    got = {r.label: [r.value(c.index) for c in amounts] for r in table.rows}
    assert got["Cash and cash equivalents"] == [585.5, 412.3]
    assert got["Trade receivables"] == [0.0, 93.1]
    assert got["Total current assets"] == [2445.5, 2459.4]


def test_a_year_under_a_date_over_several_lines_keeps_its_period() -> None:
    header = [
        [(None, "Three Months Ended")],
        [(0, "March 31,"), (1, "March 31,")],
        [(0, "2023"), (1, "2022")],
    ]
    rows = [
        ("Net revenue", ("5,353", "5,887"), True, False),
        ("Cost of sales", ("(2,860)", "(2,630)"), False, False),
        ("Gross profit", ("2,493", "3,257"), True, True),
    ]
    page = _statement_page(
        "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS", header, rows, columns=(480.0, 560.0)
    )
    table = _only_table(read_document(build_pdf([page]), "q1.pdf"))
    assert [c.period_end for c in table.amount_columns()] == ["2023-03-31", "2022-03-31"]
    assert all("Three Months Ended" in c.header for c in table.amount_columns()[:1])


def test_two_dates_set_close_together_are_two_column_headings() -> None:
    page = _statement_page(
        "CONSOLIDATED BALANCE SHEETS",
        [[(None, "December 31, 2022     December 25, 2021")]],
        [
            ("Cash and cash equivalents", ("1,040", "3,445"), True, False),
            ("Inventories", ("3,651", "2,729"), False, False),
            ("Total current assets", ("4,691", "6,174"), True, True),
        ],
        columns=(480.0, 560.0),
    )
    table = _only_table(read_document(build_pdf([page]), "bs.pdf"))
    assert [c.period_end for c in table.amount_columns()] == ["2022-12-31", "2021-12-25"]


def test_equity_statement_headings_over_several_lines_name_each_column() -> None:
    columns = (250.0, 310.0, 380.0, 450.0, 520.0, 580.0)
    header = [
        [(2, "Additional")],
        [(0, "Common Stock"), (2, "Paid-In"), (3, "Retained"), (4, "Treasury")],
        [(0, "Shares"), (1, "Amount"), (2, "Capital"), (3, "Earnings"), (4, "Stock"), (5, "Total")],
    ]
    rows = [
        (
            "Balances at December 31, 2021",
            ("601", "\u2014", "8,428", "23,905", "(17,399)", "14,934"),
            True,
            False,
        ),
        ("Net income", ("\u2014", "\u2014", "\u2014", "4,756", "\u2014", "4,756"), False, False),
        (
            "Repurchases of common stock",
            ("\u2014", "\u2014", "\u2014", "\u2014", "(6,550)", "(6,550)"),
            False,
            False,
        ),
        (
            "Balances at December 31, 2022",
            ("601", "\u2014", "8,428", "28,661", "(23,949)", "13,140"),
            True,
            True,
        ),
    ]
    page = _statement_page(
        "CONSOLIDATED STATEMENTS OF STOCKHOLDERS\u2019 EQUITY", header, rows, columns=columns
    )
    table = _only_table(read_document(build_pdf([page]), "equity.pdf"))
    headers = [c.header for c in table.columns[1:]]
    assert headers[2] == "Additional Paid-In Capital"
    assert headers[3] == "Retained Earnings"
    assert headers[5] == "Total"
    assert "NORTHWIND" not in " ".join(headers)  # the title above is not a heading of the columns
    assert [r.value(6) for r in table.rows] == [14934.0, 4756.0, -6550.0, 13140.0]


def test_a_shaded_current_year_column_is_not_a_table_of_its_own() -> None:
    header = [[(0, "2022"), (1, "2021"), (2, "2020")]]
    page = _statement_page("CONSOLIDATED STATEMENTS OF INCOME", header, INCOME)
    page.rect(COLUMNS[0] - 62, 88, 64, 190, gray=0.85)  # behind the whole 2022 column
    page.ops.insert(0, page.ops.pop())  # drawn first, under the text, as shading is
    table = _only_table(read_document(build_pdf([page]), "shaded.pdf"))
    assert [c.year for c in table.amount_columns()] == [2022, 2021, 2020]
    assert len(table.rows) == len(INCOME) - 1  # the wrapped label is one row


def test_filled_rectangles_alone_never_make_a_table() -> None:
    page = PdfPage()
    page.text(50, 50, "Our values", 14, bold=True)
    for i in range(4):
        page.rect(50 + i * 130, 90, 120, 80, gray=0.8 - i * 0.1)
        page.text(60 + i * 130, 120, f"Value {i + 1}", 10)
    page.rect(50, 200, 510, 300, gray=0.95)
    page.text(60, 210, "We act with integrity in everything we do and we report it openly.", 10)
    doc = read_document(build_pdf([page]), "boxes.pdf")
    assert doc.tables == []
    assert any("integrity" in p.text for p in doc.paragraphs)


def test_a_chart_is_not_a_table() -> None:
    page = PdfPage()
    page.text(50, 40, "Comparison of five-year cumulative total return", 11, bold=True)
    page.line(100, 100, 100, 400)
    page.line(100, 400, 540, 400)
    for i, tick in enumerate(("$250", "$200", "$150", "$100", "$50", "$0")):
        page.right(95, 95 + i * 60, tick, 8)
    for i, (year, value, height) in enumerate(
        [
            ("2017", "100.0", 120),
            ("2018", "131.5", 158),
            ("2019", "162.0", 194),
            ("2020", "201.7", 242),
            ("2021", "188.2", 226),
        ]
    ):
        x = 120 + i * 85
        page.rect(x, 400 - height, 50, height, gray=0.5)
        page.text(x + 10, 390 - height, value, 8)
        page.text(x + 12, 406, year, 8)
    page.text(50, 440, "The graph assumes $100 invested at the close of trading in 2017.", 9)
    doc = read_document(build_pdf([page]), "chart.pdf")
    assert doc.tables == []


def test_two_columns_of_text_are_read_one_column_after_the_other() -> None:
    left = [f"Left column sentence {n} tells the first story in order." for n in range(1, 9)]
    right = [f"Right column sentence {n} tells the second story in order." for n in range(1, 9)]
    page = PdfPage()
    page.text(50, 40, "Letter to shareholders", 14, bold=True)
    for n, (a, b) in enumerate(zip(left, right, strict=True)):
        page.text(50, 80 + n * 12, a, 9)
        page.text(320, 80 + n * 12, b, 9)
    doc = read_document(build_pdf([page]), "letter.pdf")
    text = " ".join(p.text for p in doc.paragraphs)
    assert not any("Left" in p.text and "Right" in p.text for p in doc.paragraphs)
    positions = [text.index(s) for s in left + right]
    assert positions == sorted(positions)
    assert doc.tables == []


def test_running_headers_footers_and_page_numbers_are_dropped() -> None:
    pages = []
    for n in range(1, 5):
        page = PdfPage()
        page.text(50, 20, "Table of Contents", 9)
        page.text(50, 60, f"Item {n}. Business matters of part {n}", 10, bold=True)
        page.text(50, 80, f"The body text of page {n} describes the business in plain words.", 9)
        page.text(200, 740, f"Northwind Inc. | 2022 Form 10-K | {n + 10}", 8)
        pages.append(page)
    doc = read_document(build_pdf(pages), "10k.pdf")
    texts = [p.text for p in doc.paragraphs] + [s.title for s in doc.sections]
    assert not any("Form 10-K" in t or "Table of Contents" in t for t in texts)
    assert doc.page_headers == ["Table of Contents"]
    assert doc.pages == 4


def test_progress_is_reported_page_by_page() -> None:
    pages = []
    for n in range(3):
        page = PdfPage()
        page.text(50, 60, f"Page {n} text of the annual report.", 10)
        pages.append(page)
    calls: list[tuple[int, int | None, str | None]] = []
    read_document(build_pdf(pages), "r.pdf", progress=lambda d, t, m: calls.append((d, t, m)))
    assert [(d, t) for d, t, _ in calls] == [(1, 3), (2, 3), (3, 3)]
    assert all(m for _, _, m in calls)


def test_encrypted_and_image_only_pdfs_are_invalid_documents() -> None:
    page = PdfPage()
    page.text(50, 60, "Revenue 1,000", 10)
    with pytest.raises(InvalidDocument, match="encrypted"):
        read_document(build_pdf([page], encrypt=True), "locked.pdf")
    with pytest.raises(InvalidDocument, match="scan without a text layer"):
        read_document(build_pdf([page], image_only=True), "scan.pdf")


def test_a_contents_page_is_contents_entries_not_a_table_of_amounts() -> None:
    page = PdfPage()
    page.text(250, 40, "TABLE OF CONTENTS", 10, bold=True)
    entries = [
        ("PART I", "3"),
        ("Item 1. Business", "3"),
        ("Item 1A. Risk Factors", "14"),
        ("Item 1B. Unresolved Staff Comments", "N/A"),
        ("Item 2. Properties", "23"),
        ("Item 7. Management\u2019s Discussion and Analysis", "25"),
        ("Item 8. Financial Statements and Supplementary Data", "45"),
    ]
    for n, (title, number) in enumerate(entries):
        page.text(50, 70 + n * 14, title, 9)
        page.right(560, 70 + n * 14, number, 9)
    doc = read_document(build_pdf([page]), "contents.pdf")
    assert doc.tables == []
    assert "Item 8. Financial Statements and Supplementary Data 45" in [
        p.text for p in doc.paragraphs
    ]
    assert not any(s.statement for s in doc.sections)


def test_a_group_heading_names_every_column_of_its_group() -> None:
    columns = (300.0, 345.0, 390.0, 455.0, 500.0, 545.0)
    header = [
        [(1, "Pension"), (4, "Other Benefits")],
        [(c, year) for c, year in enumerate(("2022", "2021", "2020") * 2)],
    ]
    rows = [
        ("Service cost", ("3", "3", "3", "72", "87", "89"), True, False),
        ("Interest cost", ("2,080", "1,988", "2,455", "98", "97", "130"), False, False),
        ("Net periodic cost", ("2,083", "1,991", "2,458", "170", "184", "219"), True, True),
    ]
    page = _statement_page("Note 11 Retirement benefits", header, rows, columns=columns)
    table = _only_table(read_document(build_pdf([page]), "pension.pdf"))
    assert [c.header for c in table.amount_columns()] == [
        "Pension 2022",
        "Pension 2021",
        "Pension 2020",
        "Other Benefits 2022",
        "Other Benefits 2021",
        "Other Benefits 2020",
    ]


def test_a_landscape_page_turned_by_rotate_reads_upright() -> None:
    """A wide statement printed on a portrait page turned by /Rotate 90: its text is drawn
    turned a quarter, and reads as a table once the page is turned back."""
    page = PdfPage()
    rows = [
        ("Revenue", "1,000", "900"),
        ("Cost of sales", "(600)", "(500)"),
        ("Gross profit", "400", "400"),
    ]
    for i, cells in enumerate(rows):
        for across, text in zip((50, 500, 600), cells, strict=True):
            page.ops.append(f"BT /F1 10 Tf 0 1 -1 0 {110 + i * 14} {across} Tm ({text}) Tj ET")
    raw_doc = read_document(build_pdf([page], rotate=90), "landscape.pdf")
    table = _only_table(raw_doc)
    assert [(r.label, r.value(1), r.value(2)) for r in table.rows] == [
        ("Revenue", 1000.0, 900.0),
        ("Cost of sales", -600.0, -500.0),
        ("Gross profit", 400.0, 400.0),
    ]


def test_a_bullet_or_item_number_set_apart_stays_with_its_text() -> None:
    page = PdfPage()
    page.text(50, 60, "Item 7.", 10, bold=True)
    page.text(110, 60, "Management\u2019s Discussion and Analysis", 10, bold=True)
    page.text(60, 90, "\u2022", 9)
    page.text(80, 90, "We design and sell software to creative professionals.", 9)
    page.text(300, 750, "- 12 -", 9)
    doc = read_document(build_pdf([page]), "items.pdf")
    texts = [p.text for p in doc.paragraphs] + [s.title for s in doc.sections]
    assert any(t.startswith("Item 7. Management") for t in texts), texts
    assert "\u2022 We design and sell software to creative professionals." in texts
    assert "- 12 -" not in texts
