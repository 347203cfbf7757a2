"""Markdown and plain-text statements: headings, pipe tables and space-aligned figure columns."""

from __future__ import annotations

from server.ingest.document import ColumnRole, RowKind, StatementKind, Table
from server.ingest.reader import read_document
from tests.support.builders import document_schema_errors

MARKDOWN = """# Northwind Foods plc

Annual report 2024

## Consolidated statement of financial position as at 31 December 2024

*All amounts in thousands of pounds sterling*

| £'000 | Note | 2024 | 2023 |
|---|---|---:|---:|
| **ASSETS** | | | |
| Property, plant and equipment | 12 | 1,200 | 1,100 |
| Cash and cash equivalents | 14 | 500 | 450 |
| Total assets | | 1,700 | 1,550 |
| | | | |
| Share capital | | 1,000 | 1,000 |
| Retained earnings | | 700 | 550 |
| Total equity and liabilities | | 1,700 | 1,550 |

Notes to the financial statements
=================================

12. Property, plant and equipment
---------------------------------

The Group's property is stated at cost. Depreciation is charged on a straight-line basis over
the useful lives of the assets, which range from 5 to 50 years.
"""

PLAIN = """NORTHWIND FOODS PLC
CONSOLIDATED INCOME STATEMENT
For the year ended 31 December 2024

                                        Note        2024        2023
                                                   £'000       £'000
Revenue                                    5       5,000       4,000
Cost of sales                                     (3,000)     (2,500)
Gross profit                                       2,000       1,500

Administrative expenses                           (1,400)     (1,100)
Profit before tax                                    600         400
Income tax expense                         8        (150)       (100)
Profit for the year                                  450         300

Revenue increased by 25% to £5.0 million (2023: £4.0 million).
"""


def test_markdown_headings_sections_and_pipe_table() -> None:
    doc = read_document(MARKDOWN.encode(), "northwind.md")
    assert document_schema_errors(doc) == []
    assert [(s.title, s.level, s.note_number) for s in doc.sections] == [
        ("Northwind Foods plc", 1, None),
        ("Consolidated statement of financial position as at 31 December 2024", 2, None),
        ("Notes to the financial statements", 1, None),
        ("Property, plant and equipment", 2, "12"),
    ]
    (table,) = doc.tables
    assert table.statement is StatementKind.FINANCIAL_POSITION
    assert (table.scale_label, table.currency) == ("thousands", "GBP")
    assert [c.role for c in table.columns] == [
        ColumnRole.LABEL,
        ColumnRole.NOTE,
        ColumnRole.AMOUNT,
        ColumnRole.AMOUNT,
    ]
    assert table.rows[0].label == "ASSETS" and table.rows[0].kind is RowKind.HEADING
    assert [r.bold for r in table.rows][:2] == [True, False]  # **ASSETS**
    assert table.rows[4].kind is RowKind.SPACER
    assert doc.entity_name == "Northwind Foods plc"
    assert doc.reporting_date == "2024-12-31"
    last = doc.paragraphs[-1]
    assert last.text.endswith("from 5 to 50 years.")  # wrapped lines are joined
    assert doc.section(last.section_id).note_number == "12"  # type: ignore[union-attr]


def test_plain_text_aligned_columns_become_a_table() -> None:
    doc = read_document(PLAIN.encode(), "northwind.txt")
    (table,) = doc.tables
    assert isinstance(table, Table)
    assert table.statement is StatementKind.PROFIT_OR_LOSS
    assert table.title == "CONSOLIDATED INCOME STATEMENT"
    assert [c.role for c in table.columns] == [
        ColumnRole.LABEL,
        ColumnRole.NOTE,
        ColumnRole.AMOUNT,
        ColumnRole.AMOUNT,
    ]
    assert [c.period for c in table.amount_columns()] == ["2024", "2023"]
    assert (table.scale_label, table.currency) == ("thousands", "GBP")
    revenue = table.rows[0]
    assert (revenue.label, revenue.note, revenue.value(2), revenue.value(3)) == (
        "Revenue",
        "5",
        5000.0,
        4000.0,
    )
    assert table.rows[1].value(2) == -3000.0
    assert any(r.kind is RowKind.SPACER for r in table.rows)
    assert doc.paragraphs[-1].text.startswith("Revenue increased by 25%")
    assert [s.title for s in doc.sections] == [
        "NORTHWIND FOODS PLC",
        "CONSOLIDATED INCOME STATEMENT",
    ]


def test_tab_separated_lines_pasted_from_a_spreadsheet() -> None:
    text = (
        "Income statement\n\n\t2024\t2023\nRevenue\t5,000\t4,000\n"
        "Cost of sales\t(3,000)\t(2,500)\nProfit for the year\t2,000\t1,500\n\nSome text after.\n"
    )
    doc = read_document(text.encode(), "pasted.txt")
    (table,) = doc.tables
    assert table.statement is StatementKind.PROFIT_OR_LOSS
    assert [c.period for c in table.amount_columns()] == ["2024", "2023"]
    assert [(r.label, r.value(1)) for r in table.rows] == [
        ("Revenue", 5000.0),
        ("Cost of sales", -3000.0),
        ("Profit for the year", 2000.0),
    ]


def test_a_wrapped_label_in_aligned_text_is_one_row() -> None:
    text = (
        "                                             2024        2023\n"
        "Revenue                                     5,000       4,000\n"
        "Impairment of equity-accounted investees\n"
        "(net of tax)                                  766       4,445\n"
        "Profit for the year                         2,000       1,500\n"
    )
    (table,) = read_document(text.encode(), "wrapped.txt").tables
    assert [r.label for r in table.rows] == [
        "Revenue",
        "Impairment of equity-accounted investees (net of tax)",
        "Profit for the year",
    ]
    assert table.rows[1].value(1) == 766.0


def test_html_tables_in_markdown_keep_merged_headers_aligned() -> None:
    md = """# Statement of financial position

<table>
<tr><th>In thousands of euros</th><th>Note</th><th colspan="2">31 December</th></tr>
<tr><th></th><th></th><th>2024</th><th>2023</th></tr>
<tr><td rowspan="2">Property, plant and equipment</td><td>12</td><td>1,200</td><td>1,100</td></tr>
<tr><td></td><td>300</td><td>200</td></tr>
<tr><td>Total assets</td><td></td><td>1,500</td><td>1,300</td></tr>
</table>

After the table.
"""
    doc = read_document(md.encode(), "html.md")
    (table,) = doc.tables
    assert table.statement is StatementKind.FINANCIAL_POSITION
    assert (table.scale_label, table.currency) == ("thousands", "EUR")
    assert [c.header for c in table.columns] == [
        "In thousands of euros",
        "Note",
        "31 December 2024",
        "31 December 2023",
    ]
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["Property, plant and equipment", "12", "1,200", "1,100"],
        ["", "", "300", "200"],
        ["Total assets", "", "1,500", "1,300"],
    ]
    assert [p.text for p in doc.paragraphs] == ["After the table."]


def test_left_aligned_figures_of_different_widths_share_a_column() -> None:
    text = (
        "                              Note  2024         2023\n"
        "Revenue                       5     1,234,567    998,001\n"
        "Other income                        5            12\n"
        "Total                               1,234,572    998,013\n"
    )
    (table,) = read_document(text.encode(), "left.txt").tables
    assert [c.role for c in table.columns] == [
        ColumnRole.LABEL,
        ColumnRole.NOTE,
        ColumnRole.AMOUNT,
        ColumnRole.AMOUNT,
    ]
    assert [(r.label, r.note, r.value(2), r.value(3)) for r in table.rows] == [
        ("Revenue", "5", 1234567.0, 998001.0),
        ("Other income", None, 5.0, 12.0),
        ("Total", None, 1234572.0, 998013.0),
    ]


def test_list_items_are_separate_paragraphs_even_when_wrapped() -> None:
    text = (
        "- The Group adopted the amendments to IAS 1 on classification of liabilities as\n"
        "  current or non-current, with no effect on the figures.\n"
        "- The Group adopted the amendments to IFRS 16 on sale and leaseback transactions.\n"
    )
    doc = read_document(text.encode(), "list.md")
    assert len(doc.paragraphs) == 2
    assert doc.paragraphs[0].text.endswith("with no effect on the figures.")


def test_rules_under_figures_are_neither_rows_nor_headings() -> None:
    text = (
        "                                  2024        2023\n"
        "Revenue                          5,000       4,000\n"
        "Cost of sales                   (3,000)     (2,500)\n"
        "                               --------    --------\n"
        "Gross profit                     2,000       1,500\n"
        "=====================================================\n"
        "Profit for the year              2,000       1,500\n"
    )
    doc = read_document(text.encode(), "ruled.txt")
    assert doc.sections == []
    (table,) = doc.tables
    assert [r.label for r in table.rows] == [
        "Revenue",
        "Cost of sales",
        "Gross profit",
        "Profit for the year",
    ]
