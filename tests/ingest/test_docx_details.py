"""Details of real Word statements, one at a time: numbering, merges, markers, columns, speed."""

from __future__ import annotations

from docx.oxml import OxmlElement

from server.ingest.document import ColumnRole, RowKind, StatementKind
from server.ingest.reader import read_document
from tests.support.builders import DocBuilder, many_notes_docx

BALANCE_SHEET_ROWS = [
    ["Property, plant and equipment", "12", "1,200", "1,100"],
    ["Cash and cash equivalents", "14", "500", "450"],
    ["Total assets", "", "1,700", "1,550"],
    ["Share capital", "15", "1,000", "1,000"],
    ["Retained earnings", "", "700", "550"],
    ["Total equity and liabilities", "", "1,700", "1,550"],
]


def test_word_numbered_note_headings_take_their_list_number() -> None:
    b = DocBuilder()
    b.heading("Notes to the financial statements", 1)
    b.numbered_heading("General information")
    b.para("The Company is incorporated in Ghana.")
    b.numbered_heading("Revenue")
    b.table(
        [
            ["GH\u20b5'000", "2024", "2023"],
            ["Ice cream", "500", "400"],
            ["Total revenue", "500", "400"],
        ]
    )
    b.para("Revenue is recognised at a point in time.", style="List Number")
    doc = read_document(b.bytes(), "numbered.docx")
    notes = [(s.note_number, s.title) for s in doc.sections if s.note_number]
    assert notes == [("1", "General information"), ("2", "Revenue")]
    assert doc.tables[0].note_number == "2"
    assert doc.paragraphs[-1].text == "Revenue is recognised at a point in time."


def test_headings_from_bold_capitals_and_note_titles() -> None:
    b = DocBuilder()
    b.para("STEPPE GRAIN JSC")
    b.para("Accounting policies", bold=True)
    b.para(
        "The policies below were applied consistently to all periods presented in these statements."
    )
    b.para("Note 7 Finance costs")
    b.para("Interest on bank loans is expensed as incurred.")
    b.para("7.1 Interest on lease liabilities", bold=True)
    doc = read_document(b.bytes(), "headings.docx")
    assert [(s.title, s.level, s.note_number, s.parent_id) for s in doc.sections] == [
        ("STEPPE GRAIN JSC", 1, None, None),
        ("Accounting policies", 1, None, None),
        ("Finance costs", 2, "7", "s2"),
        ("Interest on lease liabilities", 3, "7.1", "s3"),
    ]
    assert [p.text for p in doc.paragraphs] == [
        "The policies below were applied consistently to all periods presented in these statements.",
        "Interest on bank loans is expensed as incurred.",
    ]


def test_a_sentence_naming_a_statement_is_not_a_title() -> None:
    b = DocBuilder()
    b.para("Expenses are presented in the statement of profit or loss by function")
    b.para("Consolidated Statement of Cash Flows")
    doc = read_document(b.bytes(), "sentences.docx")
    assert [s.statement for s in doc.sections] == [StatementKind.CASH_FLOWS]
    assert doc.paragraphs[0].text.startswith("Expenses are presented")


def test_statement_recognised_from_its_rows_without_any_title() -> None:
    b = DocBuilder()
    b.table(
        [
            ["", "Note", "2024", "2023"],
            ["ASSETS", "", "", ""],
            *BALANCE_SHEET_ROWS[:3],
            ["EQUITY AND LIABILITIES", "", "", ""],
            *BALANCE_SHEET_ROWS[3:],
        ]
    )
    doc = read_document(b.bytes(), "untitled.docx")
    assert doc.tables[0].statement is StatementKind.FINANCIAL_POSITION
    assert doc.tables[0].scale_label == "units"


def test_vertically_merged_cells_are_read_once() -> None:
    b = DocBuilder()
    b.table(
        [
            ["", "2024", "2023"],
            ["Borrowings due within one year and after", "300", "200"],
            ["", "100", "50"],
        ],
        merges=[(1, 0, 2, 0)],
    )
    doc = read_document(b.bytes(), "vmerge.docx")
    rows = doc.tables[0].rows
    assert [c.text for c in rows[0].cells] == [
        "Borrowings due within one year and after",
        "300",
        "200",
    ]
    assert [c.text for c in rows[1].cells] == ["", "100", "50"]


def test_merged_header_cell_names_every_column_it_covers() -> None:
    b = DocBuilder()
    b.table(
        [
            ["In millions of euros", "Group", "", "Company", ""],
            ["", "2024", "2023 (restated)", "2024", "2023"],
            ["Revenue", "1,500", "1,400", "300", "250"],
            ["Cost of sales", "(900)", "(850)", "(100)", "(90)"],
        ],
        merges=[(0, 1, 0, 2), (0, 3, 0, 4)],
    )
    table = read_document(b.bytes(), "merged-header.docx").tables[0]
    assert [c.header for c in table.columns] == [
        "In millions of euros",
        "Group 2024",
        "Group 2023 (restated)",
        "Company 2024",
        "Company 2023",
    ]
    assert [c.year for c in table.amount_columns()] == [2024, 2023, 2024, 2023]
    assert [c.restated for c in table.amount_columns()] == [False, True, False, False]
    assert [c.scope for c in table.amount_columns()] == ["group", "group", "company", "company"]
    assert (table.scale, table.currency) == (1e6, "EUR")
    assert [c.text for c in table.rows[0].cells] == ["Revenue", "1,500", "1,400", "300", "250"]


def test_unheaded_note_column_beside_large_amounts() -> None:
    b = DocBuilder()
    b.table([["$000", "", "2024", "2023"], *BALANCE_SHEET_ROWS])
    table = read_document(b.bytes(), "unheaded-note.docx").tables[0]
    assert [c.role for c in table.columns] == [
        ColumnRole.LABEL,
        ColumnRole.NOTE,
        ColumnRole.AMOUNT,
        ColumnRole.AMOUNT,
    ]
    assert table.rows[0].note == "12"
    assert (table.scale_label, table.currency) == ("thousands", "USD")


def test_small_amounts_are_not_mistaken_for_note_references() -> None:
    b = DocBuilder()
    b.table(
        [
            ["\u20acm", "2024", "2023"],
            ["Revenue", "5", "4"],
            ["Other income", "2", "1"],
            ["Total", "7", "5"],
        ]
    )
    table = read_document(b.bytes(), "small.docx").tables[0]
    assert [c.role for c in table.columns] == [
        ColumnRole.LABEL,
        ColumnRole.AMOUNT,
        ColumnRole.AMOUNT,
    ]
    assert (table.scale_label, table.currency) == ("millions", "EUR")


def test_percent_columns_and_label_note_references() -> None:
    b = DocBuilder()
    b.table(
        [
            ["", "2024", "%", "2023"],
            ["Ice cream (note 5)", "500", "62.5%", "400"],
            ["Yoghurt (Note 6)", "300", "37.5%", "250"],
            ["Total", "800", "100.0%", "650"],
        ]
    )
    table = read_document(b.bytes(), "percent.docx").tables[0]
    assert [c.role for c in table.columns] == [
        ColumnRole.LABEL,
        ColumnRole.AMOUNT,
        ColumnRole.PERCENT,
        ColumnRole.AMOUNT,
    ]
    assert [(r.label, r.note) for r in table.rows[:2]] == [("Ice cream", "5"), ("Yoghurt", "6")]
    assert table.rows[0].cells[2].percent and table.rows[0].value(2) == 62.5


def test_superscript_footnote_markers_are_dropped_from_text() -> None:
    b = DocBuilder()
    b.superscript_para("Revenue grew to 12,400", "1")
    doc = read_document(b.bytes(), "footnotes.docx")
    assert doc.paragraphs[0].text == "Revenue grew to 12,400"


def test_page_count_follows_page_and_section_breaks() -> None:
    b = DocBuilder()
    b.para("First page")
    b.page_break()
    b.para("Second page")
    b.new_section("Header")
    b.para("Third page")
    assert read_document(b.bytes(), "pages.docx").pages == 3


def test_contents_list_entries_are_not_headings() -> None:
    b = DocBuilder()
    b.doc.add_paragraph(
        "Statement of financial position\t5", style=b.doc.styles.add_style("TOC 1", 1)
    )
    b.heading("Statement of financial position", 1)
    doc = read_document(b.bytes(), "toc.docx")
    assert len(doc.sections) == 1
    assert doc.sections[0].statement is StatementKind.FINANCIAL_POSITION


def test_a_hundred_table_document_reads_every_note_table() -> None:
    """Its reading speed is a figure of bench/reading, not a limit here."""
    doc = read_document(many_notes_docx(100), "big.docx")
    assert len(doc.tables) == 100
    assert [t.note_number for t in doc.tables] == [str(n) for n in range(1, 101)]
    assert all(t.rows[0].kind is RowKind.ITEM for t in doc.tables)


INCOME_ROWS = [
    ["", "2024", "2023"],
    ["Revenue", "5,000", "4,000"],
    ["Cost of sales", "(3,000)", "(2,500)"],
    ["Profit before tax", "2,000", "1,500"],
    ["Profit for the year", "1,500", "1,100"],
]


def test_lines_alone_do_not_make_a_statement_under_another_heading_or_in_the_notes() -> None:
    b = DocBuilder()
    b.heading("Five-year summary", 1)
    b.table(INCOME_ROWS)
    b.heading("Consolidated income statement", 1)
    b.table(INCOME_ROWS)
    b.heading("Notes to the financial statements", 1)
    b.heading("Segment information", 2)
    b.table(INCOME_ROWS)
    b.table(INCOME_ROWS)
    doc = read_document(b.bytes(), "summary.docx")
    assert [t.statement for t in doc.tables] == [None, StatementKind.PROFIT_OR_LOSS, None, None]


def test_lines_make_the_statement_when_its_title_is_only_in_the_page_header() -> None:
    b = DocBuilder()
    b.heading("Directors' report", 1)
    b.para("The directors present their report.")
    b.new_section("ACME plc", "Consolidated income statement for the year ended 31 December 2024")
    b.table(INCOME_ROWS)
    b.new_section("ACME plc")
    b.table(INCOME_ROWS)
    doc = read_document(b.bytes(), "header-title.docx")
    assert [t.statement for t in doc.tables] == [
        StatementKind.PROFIT_OR_LOSS,
        StatementKind.PROFIT_OR_LOSS,
    ]
    assert (
        doc.tables[0].title == "Consolidated income statement for the year ended 31 December 2024"
    )


def test_hidden_text_is_not_read() -> None:
    b = DocBuilder()
    p = b.doc.add_paragraph()
    p.add_run("Revenue grew")
    p.add_run(" by 99%").font.hidden = True
    p.add_run(" strongly.")
    assert read_document(b.bytes(), "hidden.docx").paragraphs[0].text == "Revenue grew strongly."


def test_a_table_split_at_a_page_break_with_its_header_repeated_is_continued() -> None:
    b = DocBuilder()
    b.heading("Consolidated statement of cash flows", 1)
    b.table(
        [
            ["\u20ac'000", "2024", "2023"],
            ["Cash flows from operating activities", "", ""],
            ["Profit", "10", "8"],
        ]
    )
    b.page_break()
    b.table(
        [
            ["\u20ac'000", "2024", "2023"],
            ["Dividends paid", "(4)", "(3)"],
            ["Net increase in cash", "6", "5"],
        ]
    )
    b.para(
        "The Group continued to invest in its plants during the year, as planned in 2023 and before."
    )
    b.table([["\u20ac'000", "2024", "2023"], ["Capital commitments", "4", "3"]])
    doc = read_document(b.bytes(), "split.docx")
    first, second, third = doc.tables
    assert second.continued_from == first.id
    assert second.statement is StatementKind.CASH_FLOWS
    assert third.continued_from is None  # a sentence using "continued" is no continuation mark


def test_ghana_cedi_headers() -> None:
    b = DocBuilder()
    b.table(
        [
            ["GH\u20b5'000", "2024", "2023"],
            ["Inventories", "114,206", "105,554"],
            ["Total", "114,206", "105,554"],
        ]
    )
    table = read_document(b.bytes(), "cedi.docx").tables[0]
    assert (table.scale_label, table.currency) == ("thousands", "GHS")


def test_stacked_lines_in_one_word_row_become_rows() -> None:
    b = DocBuilder()
    b.table([["", "2024", "2023"], ["Revenue", "5,000", "4,000"], ["Trade and other", "1", "2"]])
    table = b.doc.tables[0]
    table.cell(1, 0).add_paragraph("Cost of sales")
    table.cell(1, 1).add_paragraph("(3,000)")
    table.cell(1, 2).add_paragraph("(2,500)")
    table.cell(2, 0).add_paragraph("receivables")  # a wrapped label: not split
    doc = read_document(b.bytes(), "stacked.docx")
    assert [(r.label, r.value(1)) for r in doc.tables[0].rows] == [
        ("Revenue", 5000.0),
        ("Cost of sales", -3000.0),
        ("Trade and other receivables", 1.0),
    ]


def test_a_title_row_inside_the_table_is_part_of_its_header() -> None:
    b = DocBuilder()
    b.table(
        [
            ["Consolidated statement of financial position as at 31 December 2024", "", "", ""],
            ["In thousands of euros", "Note", "2024", "2023"],
            ["ASSETS", "", "", ""],
            *BALANCE_SHEET_ROWS,
        ],
        merges=[(0, 0, 0, 3)],
    )
    table = read_document(b.bytes(), "title-row.docx").tables[0]
    assert table.statement is StatementKind.FINANCIAL_POSITION
    assert table.title == "Consolidated statement of financial position as at 31 December 2024"
    assert [c.period for c in table.amount_columns()] == ["2024", "2023"]
    assert table.rows[0].label == "ASSETS"
    assert (table.scale_label, table.currency) == ("thousands", "EUR")


def test_us_style_balance_sheet_with_dollar_columns() -> None:
    b = DocBuilder()
    b.para("ACME CORPORATION", bold=True)
    b.para("CONSOLIDATED BALANCE SHEETS", bold=True)
    b.para("(In millions, except per share data)")
    b.table(
        [
            ["", "December 31, 2024", "", "December 31, 2023", ""],
            ["ASSETS", "", "", "", ""],
            ["Cash and cash equivalents", "$", "1,234", "$", "1,100"],
            ["Accounts receivable, net", "", "500", "", "450"],
            ["Total assets", "$", "1,734", "$", "1,550"],
            ["LIABILITIES AND STOCKHOLDERS' EQUITY", "", "", "", ""],
            ["Accounts payable", "$", "700", "$", "600"],
            ["Total stockholders' equity", "", "1,034", "", "950"],
            ["Total liabilities and stockholders' equity", "$", "1,734", "$", "1,550"],
        ],
        merges=[(0, 1, 0, 2), (0, 3, 0, 4)],
    )
    doc = read_document(b.bytes(), "us.docx")
    table = doc.tables[0]
    assert table.statement is StatementKind.FINANCIAL_POSITION
    assert (table.scale_label, table.currency) == ("millions", "USD")
    assert [c.role for c in table.columns] == [
        ColumnRole.LABEL,
        ColumnRole.OTHER,
        ColumnRole.AMOUNT,
        ColumnRole.OTHER,
        ColumnRole.AMOUNT,
    ]
    assert [c.period_end for c in table.amount_columns()] == ["2024-12-31", "2023-12-31"]
    assert (doc.entity_name, doc.reporting_date, doc.currency) == (
        "ACME CORPORATION",
        "2024-12-31",
        "USD",
    )


def test_a_one_column_frame_around_text_is_read_as_paragraphs() -> None:
    b = DocBuilder()
    b.table([["Basis of preparation"], ["The statements are prepared under IFRS."]])
    b.para("Note 5 provides the details of revenue")
    doc = read_document(b.bytes(), "frame.docx")
    assert doc.tables == []
    assert [p.text for p in doc.paragraphs][-2:] == [
        "The statements are prepared under IFRS.",
        "Note 5 provides the details of revenue",
    ]


def test_tracked_changes_read_as_accepted() -> None:
    b = DocBuilder()
    p = b.doc.add_paragraph()
    p.add_run("Revenue was ")
    for tag, text in (("w:del", "4,000"), ("w:ins", "5,000"), ("w:moveFrom", " moved")):
        change = OxmlElement(tag)
        run = OxmlElement("w:r")
        t = OxmlElement("w:delText" if tag == "w:del" else "w:t")
        t.text = text
        run.append(t)
        change.append(run)
        p._p.append(change)
    p.add_run(" thousand.")
    assert (
        read_document(b.bytes(), "tracked.docx").paragraphs[0].text == "Revenue was 5,000 thousand."
    )


def test_bold_lines_ending_in_a_colon_or_stop_are_captions_not_headings() -> None:
    b = DocBuilder()
    b.heading("Leases", 2)
    b.para("Amounts recognised in the statement of financial position:", bold=True)
    b.table(
        [
            ["", "2024", "2023"],
            ["Right-of-use assets", "3,705", "5,400"],
            ["Total", "3,705", "5,400"],
        ]
    )
    b.para("The Group has no other leases.", bold=True)
    doc = read_document(b.bytes(), "captions.docx")
    assert [s.title for s in doc.sections] == ["Leases"]
    assert doc.tables[0].title == "Amounts recognised in the statement of financial position:"
    assert doc.tables[0].statement is None


def test_a_captioned_table_after_a_statement_is_not_that_statement() -> None:
    b = DocBuilder()
    b.heading("Consolidated statement of cash flows", 1)
    b.para("ACME plc")
    b.table(
        [
            ["", "2024", "2023"],
            ["Cash flows from operating activities", "", ""],
            ["Profit", "10", "8"],
        ]
    )
    b.para("Reconciliation of liabilities arising from financing activities")
    b.table(
        [
            ["", "Borrowings", "Leases"],
            ["Balance at 1 January 2024", "100", "20"],
            ["Repayments", "(10)", "(5)"],
        ]
    )
    doc = read_document(b.bytes(), "after-statement.docx")
    assert [t.statement for t in doc.tables] == [StatementKind.CASH_FLOWS, None]


def test_a_closing_parenthesis_in_its_own_cell_still_makes_a_negative() -> None:
    b = DocBuilder()
    b.table(
        [
            ["", "2024", "", "", "2023", "", ""],
            ["Revenue", "$", "1,500", "", "$", "1,400", ""],
            ["Net loss", "$", "(1,234", ")", "$", "(1,100", ")"],
            ["Total", "$", "266", "", "$", "300", ""],
            ["Gross margin", "", "17.7", "%", "", "21.4", "%"],
        ],
        merges=[(0, 1, 0, 3), (0, 4, 0, 6)],
    )
    table = read_document(b.bytes(), "sec.docx").tables[0]
    loss = table.rows[1]
    assert [c.role for c in table.columns].count(ColumnRole.AMOUNT) == 2
    amount = [c.index for c in table.amount_columns()]
    assert [loss.value(c) for c in amount] == [-1234.0, -1100.0]
    assert [c.year for c in table.amount_columns()] == [2024, 2023]
    assert table.currency == "USD"
    margin = table.rows[-1]
    assert [(margin.value(c), margin.cells[c].percent) for c in amount] == [
        (17.7, True),
        (21.4, True),
    ]


def test_multi_level_note_references_in_an_unheaded_column() -> None:
    b = DocBuilder()
    b.table(
        [
            ["$000", "", "2024", "2023"],
            ["Goodwill", "1.2.3", "1,200", "1,100"],
            ["Brands", "4.1", "500", "450"],
            ["Total", "", "1,700", "1,550"],
        ]
    )
    table = read_document(b.bytes(), "refs.docx").tables[0]
    assert table.columns[1].role is ColumnRole.NOTE
    assert table.rows[0].note == "1.2.3"


def test_absurd_grid_spans_are_capped() -> None:
    b = DocBuilder()
    b.table([["Revenue", "1,000"], ["Total", "1,000"]])
    tc = b.doc.tables[0]._tbl.xpath(".//w:tc")[0]
    span = OxmlElement("w:gridSpan")
    span.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "1000000000")
    tc.get_or_add_tcPr().append(span)
    table = read_document(b.bytes(), "span.docx").tables[0]
    assert len(table.columns) <= 64


def test_a_contents_table_is_a_list_of_titles_not_figures() -> None:
    b = DocBuilder()
    b.heading("Contents", 1)
    b.table(
        [
            ["Directors' report", "2"],
            ["Statement of financial position", "5"],
            ["Statement of profit or loss", "6"],
            ["Notes to the financial statements", "9"],
        ]
    )
    b.heading("Statement of financial position", 1)
    b.table([["", "2024", "2023"], *[[r[0], r[2], r[3]] for r in BALANCE_SHEET_ROWS]])
    doc = read_document(b.bytes(), "contents.docx")
    assert len(doc.tables) == 1 and doc.tables[0].statement is StatementKind.FINANCIAL_POSITION
    assert [s.title for s in doc.sections] == ["Contents", "Statement of financial position"]
    assert doc.paragraphs[1].text == "Statement of financial position 5"


def test_rows_marked_to_repeat_as_header_are_the_header() -> None:
    b = DocBuilder()
    b.table([["", "Land", "Buildings"], ["Cost", "", ""], ["At 1 January 2024", "100", "200"]])
    for tr in b.doc.tables[0]._tbl.tr_lst[:2]:
        tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    table = read_document(b.bytes(), "marked.docx").tables[0]
    assert [c.header for c in table.columns] == ["Cost", "Land", "Buildings"]
    assert [r.label for r in table.rows] == ["At 1 January 2024"]


def test_bold_labels_and_rules_above_totals_are_kept() -> None:
    b = DocBuilder()
    b.table(
        [
            ["", "2024", "2023"],
            ["Revenue", "5,000", "4,000"],
            ["Cost of sales", "(3,000)", "(2,500)"],
            ["", "2,000", "1,500"],
        ],
        bold_rows=[3],
    )
    for tc in b.doc.tables[0].rows[3].cells:
        borders = OxmlElement("w:tcBorders")
        top = OxmlElement("w:top")
        top.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "single")
        borders.append(top)
        tc._tc.get_or_add_tcPr().append(borders)
    rows = read_document(b.bytes(), "ruled.docx").tables[0].rows
    assert [(r.bold, r.ruled_above) for r in rows] == [(False, False), (False, False), (True, True)]


def test_a_continental_statement_reads_dots_as_thousands() -> None:
    b = DocBuilder()
    b.heading("Konzernbilanz zum 31. Dezember 2024", 1)
    b.table(
        [
            ["TEUR", "Anhang", "31.12.2024", "31.12.2023"],
            ["Sachanlagen", "12", "1.234", "1.100"],
            ["Zahlungsmittel", "14", "12.345,5", "9.870,0"],
            ["Summe", "", "13.579,5", "10.970,0"],
        ]
    )
    table = read_document(b.bytes(), "bilanz.docx").tables[0]
    assert [(r.value(2), r.value(3)) for r in table.rows] == [
        (1234.0, 1100.0),
        (12345.5, 9870.0),
        (13579.5, 10970.0),
    ]
    assert [c.period_end for c in table.amount_columns()] == ["2024-12-31", "2023-12-31"]
    assert (table.scale_label, table.currency) == ("thousands", "EUR")
