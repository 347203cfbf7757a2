"""A statement set laid out like the Big Four's illustrative IFRS statements.

Restated opening balances in a third column with a footnote mark, a two-row header over the
equity components, dash bullets under "Adjustments for:", earnings per share in decimals.
"""

from __future__ import annotations

import pytest

from server.ingest.document import ColumnRole, Document, StatementKind
from server.ingest.reader import read_document
from tests.support.builders import DocBuilder

POSITION = [
    [
        "In thousands of euro",
        "Note",
        "31 December 2024",
        "31 December 2023 Restated*",
        "1 January 2023 Restated*",
    ],
    ["Assets", "", "", "", ""],
    ["Property, plant and equipment", "21", "27,165", "31,049", "34,937"],
    ["Intangible assets and goodwill", "22", "6,133", "4,688", "4,812"],
    ["Non-current assets", "", "33,298", "35,737", "39,749"],
    ["Inventories", "17", "11,603", "12,119", "10,844"],
    ["Trade and other receivables", "18", "32,455", "22,003", "17,408"],
    ["Cash and cash equivalents", "19", "1,504", "1,850", "2,529"],
    ["Current assets", "", "45,562", "35,972", "30,781"],
    ["Total assets", "", "78,860", "71,709", "70,530"],
    ["", "", "", "", ""],
    ["Equity", "", "", "", ""],
    ["Share capital", "", "14,979", "14,550", "14,550"],
    ["Retained earnings", "", "25,018", "20,869", "17,236"],
    ["Total equity", "26", "39,997", "35,419", "31,786"],
    ["Liabilities", "", "", "", ""],
    ["Loans and borrowings", "29", "20,942", "19,206", "21,478"],
    ["Trade and other payables", "", "17,921", "17,084", "17,266"],
    ["Total liabilities", "", "38,863", "36,290", "38,744"],
    ["Total equity and liabilities", "", "78,860", "71,709", "70,530"],
]
EQUITY = [
    [
        "In thousands of euro",
        "Note",
        "Attributable to owners of the Company",
        "",
        "",
        "Non-controlling interests",
        "Total equity",
    ],
    ["", "", "Share capital", "Retained earnings", "Total", "", ""],
    [
        "Balance at 1 January 2023, as previously reported",
        "",
        "14,550",
        "17,400",
        "31,950",
        "(164)",
        "31,786",
    ],
    ["Impact of correction of errors", "44", "-", "(164)", "(164)", "164", "-"],
    ["Restated balance at 1 January 2023", "", "14,550", "17,236", "31,786", "-", "31,786"],
    ["Profit (restated)", "", "-", "3,633", "3,633", "-", "3,633"],
    ["Restated balance at 31 December 2023", "", "14,550", "20,869", "35,419", "-", "35,419"],
]
CASH_FLOWS = [
    ["In thousands of euro", "Note", "2024", "2023 Restated*"],
    ["Cash flows from operating activities", "", "", ""],
    ["Profit", "", "8,554", "6,929"],
    ["Adjustments for:", "", "", ""],
    ["\u2013 Depreciation", "21", "5,001", "5,122"],
    ["\u2013 Net finance costs", "10", "1,165", "1,612"],
    ["Net cash from operating activities", "", "14,720", "13,663"],
]
PROFIT = [
    ["In thousands of euro", "Note", "2024", "2023 Restated*"],
    ["Revenue", "8", "102,716", "96,636"],
    ["Cost of sales", "", "(55,708)", "(56,186)"],
    ["Gross profit", "", "47,008", "40,450"],
    ["Profit", "", "8,554", "6,929"],
    ["Earnings per share", "", "", ""],
    ["Basic earnings per share (euro)", "12", "2.69", "2.26"],
]


@pytest.fixture(scope="module")
def document() -> Document:
    b = DocBuilder()
    b.header("[Name] Group")
    b.heading("Consolidated statement of financial position", 1)
    b.table(POSITION)
    b.para("* See Note 44.")
    b.heading("Consolidated statement of profit or loss and other comprehensive income", 1)
    b.para("For the year ended 31 December")
    b.table(PROFIT)
    b.heading("Consolidated statement of changes in equity", 1)
    b.table(EQUITY, merges=[(0, 2, 0, 4)])
    b.heading("Consolidated statement of cash flows", 1)
    b.table(CASH_FLOWS)
    return read_document(b.bytes(), "illustrative.docx")


def test_restated_comparatives_and_opening_balance_columns(document: Document) -> None:
    (fp,) = document.statement_tables(StatementKind.FINANCIAL_POSITION)
    assert [(c.period_end, c.restated) for c in fp.amount_columns()] == [
        ("2024-12-31", False),
        ("2023-12-31", True),
        ("2023-01-01", True),
    ]
    assert fp.columns[1].role is ColumnRole.NOTE
    assert (fp.scale_label, fp.currency) == ("thousands", "EUR")
    assert document.reporting_date == "2024-12-31"


def test_two_row_header_over_equity_components(document: Document) -> None:
    (soce,) = document.statement_tables(StatementKind.CHANGES_IN_EQUITY)
    assert [c.header for c in soce.amount_columns()] == [
        "Attributable to owners of the Company Share capital",
        "Attributable to owners of the Company Retained earnings",
        "Attributable to owners of the Company Total",
        "Non-controlling interests",
        "Total equity",
    ]
    assert soce.rows[1].note == "44"
    assert soce.rows[1].value(2) == 0.0 and soce.rows[1].cells[2].nil


def test_dash_bullets_and_decimals(document: Document) -> None:
    (cf,) = document.statement_tables(StatementKind.CASH_FLOWS)
    assert [r.label for r in cf.rows][3:5] == ["Depreciation", "Net finance costs"]
    assert [c.year for c in cf.amount_columns()] == [2024, 2023]
    (pl,) = document.statement_tables(StatementKind.PROFIT_OR_LOSS)
    eps = pl.rows[-1]
    assert (eps.label, eps.note, eps.value(2), eps.value(3)) == (
        "Basic earnings per share (euro)",
        "12",
        2.69,
        2.26,
    )
