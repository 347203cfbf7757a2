"""Which primary statement a table is, from what it contains (server/ingest/statements).

Small documents built here, laid out the way annual reports are: a contents list with page
numbers, signature blocks under the statements, MD&A analyses that share a statement's lines,
a note's sub-heading that happens to be a statement's name, period headings over several rows.
Figures are made up or rounded public facts; no corpus text.
"""

from __future__ import annotations

import pytest

from server.ingest.document import ColumnRole, Document, StatementKind
from server.ingest.reader import read_document
from server.ingest.statements import (
    analysis_not_statement,
    is_contents_entry,
    is_signature_line,
    looks_like_statement_title,
    statement_from_rows,
    statement_from_title,
)
from tests.support.builders import DocBuilder


def _md(text: str) -> Document:
    return read_document(text.encode(), "acme-2024.md")


def _kinds(doc: Document) -> list[StatementKind | None]:
    return [t.statement for t in doc.tables]


@pytest.mark.parametrize(
    "line",
    [
        "Chief Executive Officer Chief Financial Officer",
        "/s/ Jane Roe",
        "Executive Vice President and Chief Accounting Officer",
        "Signed on behalf of the board",
    ],
)
def test_signature_lines(line: str) -> None:
    assert is_signature_line(line)
    assert not looks_like_statement_title(line)


@pytest.mark.parametrize(
    "line",
    [
        "Report of the Directors",
        "Chief Executive Officer's review",
        "Consolidated Balance Sheets",
        "Revenue",
    ],
)
def test_headings_are_not_signature_lines(line: str) -> None:
    assert not is_signature_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Statement of Cash Flows 4",
        "Consolidated Balance Sheets ........ 52",
        "Notes to the Financial Statements F-7",
    ],
)
def test_contents_entries_are_not_titles(line: str) -> None:
    assert is_contents_entry(line)
    assert not looks_like_statement_title(line)


@pytest.mark.parametrize(
    "line",
    [
        "ANALYSIS OF THE CONSOLIDATED STATEMENTS OF INCOME",
        "Key Balance Sheet Data",
        "Condensed consolidating balance sheet",
        "Summarized statements of operations",
        "Statement of Earnings Location",
        "Notes to the Consolidated Statements of Cash Flows",
    ],
)
def test_captions_that_mention_a_statement_are_not_its_title(line: str) -> None:
    assert not looks_like_statement_title(line)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("CONSOLIDATED STATEMENTS OF OPERATIONS", StatementKind.PROFIT_OR_LOSS),
        ("Acme Corporation Consolidated Balance Sheets", StatementKind.FINANCIAL_POSITION),
        ("Consolidated Statements of Shareowners' Equity", StatementKind.CHANGES_IN_EQUITY),
        ("STOCKHOLDERS' EQUITY STATEMENTS", StatementKind.CHANGES_IN_EQUITY),
        ("Comprehensive Income Statements", StatementKind.COMPREHENSIVE_INCOME),
        (
            "Condensed Consolidated Statements of Operations and Comprehensive Loss",
            StatementKind.PROFIT_OR_LOSS,
        ),
        ("Consolidated Statements of Cash Flows (continued)", StatementKind.CASH_FLOWS),
        ("Consolidated Balance Sheets as of December 31", StatementKind.FINANCIAL_POSITION),
    ],
)
def test_statement_titles_as_filers_print_them(line: str, kind: StatementKind) -> None:
    assert looks_like_statement_title(line)
    assert statement_from_title(line) is kind


def test_rows_name_the_statement_whatever_the_caption() -> None:
    us_equity = [
        "Common stock",
        "Balance, beginning of year",
        "Stock issued",
        "Balance, end of year",
        "Retained earnings",
        "Balance, beginning of year",
        "Net income",
        "Dividends",
        "Balance, end of year",
    ]
    assert statement_from_rows(us_equity, []) is StatementKind.CHANGES_IN_EQUITY
    cash = [
        "Net income",
        "Depreciation",
        "Net cash provided by operating activities",
        "Capital expenditures",
        "Net cash used in investing activities",
    ]
    assert statement_from_rows(cash, []) is StatementKind.CASH_FLOWS
    position = ["Cash", "Total current assets", "Accounts payable", "Total liabilities"]
    assert statement_from_rows(position, []) is StatementKind.FINANCIAL_POSITION
    assert statement_from_rows(["Cash", "Receivables", "Total"], []) is None


def test_analyses_share_a_statements_lines_but_are_not_statements() -> None:
    labels = ["Revenue", "Net income"]
    assert analysis_not_statement(["", "2024", "2023", "% Change"], labels, [], 0)
    assert analysis_not_statement(["", "Parent", "Guarantors", "Eliminations"], labels, [], 0)
    assert analysis_not_statement(["", "2024"], ["Revenue", "Adjusted EBITDA"], [], 0)
    assert analysis_not_statement(["", "2024"], labels, ["Selected financial data"], 0)
    assert not analysis_not_statement(["", "2024", "2023"], labels, ["(in millions)"], 0)


STATEMENTS_MD = """\
# Acme Corporation Annual Report 2024

## Contents

Statement of Financial Position 4

Statement of Profit or Loss 5

Statement of Cash Flows 6

Notes to the Financial Statements 7

## Statement of financial position as at 31 December 2024

| | 2024 | 2023 |
|---|---|---|
| Property, plant and equipment | 900 | 800 |
| Cash and cash equivalents | 300 | 250 |
| Total assets | 1,200 | 1,050 |
| Share capital | 500 | 500 |
| Retained earnings | 400 | 300 |
| Total equity | 900 | 800 |
| Borrowings | 300 | 250 |
| Total liabilities | 300 | 250 |
| Total equity and liabilities | 1,200 | 1,050 |

Chief Executive Officer Chief Financial Officer

| | 2024 | 2023 |
|---|---|---|
| Revenue | 2,000 | 1,800 |
| Cost of sales | (1,200) | (1,100) |
| Gross profit | 800 | 700 |
| Operating expenses | (600) | (550) |
| Profit before tax | 200 | 150 |
| Income tax expense | (50) | (40) |
| Profit for the year | 150 | 110 |

## Statement of cash flows for the year ended 31 December 2024

| | 2024 | 2023 |
|---|---|---|
| Cash flows from operating activities | | |
| Profit for the year | 150 | 110 |
| Depreciation | 100 | 90 |
| Net cash from operating activities | 250 | 200 |
| Cash flows from investing activities | | |
| Purchase of property, plant and equipment | (200) | (150) |
| Net cash used in investing activities | (200) | (150) |
| Net increase in cash and cash equivalents | 50 | 50 |

## Notes to the financial statements

### 1. Derivatives

**Statement of profit or loss**

| | 2024 | 2023 |
|---|---|---|
| Foreign exchange contracts | 12 | (8) |
| Interest rate contracts | (3) | 4 |
| Total | 9 | (4) |
"""


@pytest.fixture(scope="module")
def statements_md() -> Document:
    return _md(STATEMENTS_MD)


def test_signature_and_contents_lines_never_name_a_statement(statements_md: Document) -> None:
    doc = statements_md
    assert _kinds(doc) == [
        StatementKind.FINANCIAL_POSITION,
        StatementKind.PROFIT_OR_LOSS,
        StatementKind.CASH_FLOWS,
        None,  # the note's "Statement of profit or loss" sub-heading: its rows say otherwise
    ]
    titles = [t.title for t in doc.tables[:3]]
    assert titles[0] == "Statement of financial position as at 31 December 2024"
    # Only a signature block stands above the income statement: it takes its own name.
    assert titles[1] == "Statement of profit or loss"
    assert titles[2] == "Statement of cash flows for the year ended 31 December 2024"
    headings = [s.title for s in doc.sections]
    assert "Chief Executive Officer Chief Financial Officer" not in headings
    contents = {"Statement of Cash Flows 6", "Notes to the Financial Statements 7"}
    assert not contents & set(headings)
    assert not any(s.statement for s in doc.sections if s.title in contents)


def test_an_analysis_under_a_statement_like_heading_is_not_the_statement() -> None:
    doc = _md(
        """\
# Management's discussion and analysis

**ANALYSIS OF THE CONSOLIDATED STATEMENTS OF INCOME**

| | 2024 | 2023 | % Change |
|---|---|---|---|
| Revenue | 2,000 | 1,800 | 11 |
| Cost of sales | (1,200) | (1,100) | 9 |
| Income before income taxes | 200 | 150 | 33 |
| Net income | 150 | 110 | 36 |

# Consolidated Statements of Income

| | 2024 | 2023 |
|---|---|---|
| Revenue | 2,000 | 1,800 |
| Cost of sales | (1,200) | (1,100) |
| Income before income taxes | 200 | 150 |
| Net income | 150 | 110 |
"""
    )
    assert _kinds(doc) == [None, StatementKind.PROFIT_OR_LOSS]
    assert doc.tables[1].title == "Consolidated Statements of Income"


def _cell(text: str, span: int = 1, style: str = "") -> str:
    attrs = (f' colspan="{span}"' if span > 1 else "") + (f' style="{style}"' if style else "")
    return f"<td{attrs}>{text}</td>"


def _html_statement(title: str, header_rows: list[str], rows: list[tuple[str, ...]]) -> str:
    body = "".join("<tr>" + "".join(_cell(c) for c in r) + "</tr>" for r in rows)
    return f"<p><b>{title}</b></p><p>(in millions)</p><table>{''.join(header_rows)}{body}</table>"


def test_period_headings_over_several_rows_keep_their_years() -> None:
    white = "color:#ffffff"
    quarter = [
        "<tr>" + _cell("4", style=white) + _cell("Three Months Ended", 2) + "</tr>",
        "<tr>" + _cell("") + _cell("September 30,", 2) + "</tr>",
        "<tr>" + _cell("") + _cell("2024") + _cell("2023") + "</tr>",
    ]
    income = [
        ("Revenues", "1,000", "900"),
        ("Cost of revenues", "(600)", "(550)"),
        ("Income before income taxes", "250", "200"),
        ("Net income", "200", "160"),
    ]
    cash = [
        ("Net income", "200", "160"),
        ("Net cash provided by operating activities", "300", "250"),
        ("Net cash used in investing activities", "(100)", "(90)"),
        ("Net cash used in financing activities", "(50)", "(40)"),
    ]
    html = (
        "<html><body>"
        + _html_statement("CONSOLIDATED STATEMENTS OF OPERATIONS", quarter, income)
        + _html_statement("CONSOLIDATED STATEMENTS OF CASH FLOWS", quarter, cash)
        + "</body></html>"
    )
    doc = read_document(html.encode(), "acme-10q.html")
    assert _kinds(doc) == [StatementKind.PROFIT_OR_LOSS, StatementKind.CASH_FLOWS]
    for table in doc.tables:
        amounts = [c for c in table.columns if c.role is ColumnRole.AMOUNT]
        assert [c.year for c in amounts] == [2024, 2023]
        assert all("Three Months Ended" in c.header for c in amounts)
        assert [c.period_end for c in amounts] == ["2024-09-30", "2023-09-30"]
        assert amounts[0].period == "Three months ended September 30, 2024"
    assert [t.title for t in doc.tables] == [
        "CONSOLIDATED STATEMENTS OF OPERATIONS",
        "CONSOLIDATED STATEMENTS OF CASH FLOWS",
    ]


def test_a_contents_entry_just_above_a_table_is_not_its_caption() -> None:
    doc = _md(
        """\
# Contents

Statement of Cash Flows 6

Notes to the Financial Statements 7

| | 2024 | 2023 |
|---|---|---|
| Employees | 1,200 | 1,100 |
| Sites | 14 | 12 |
| Countries | 5 | 4 |
"""
    )
    table = doc.tables[0]
    assert table.statement is None
    assert table.title == "Contents"


def test_another_statements_page_header_is_not_the_caption() -> None:
    """Word repeats the section's page header on every page: the income statement printed on
    a page still headed "statement of financial position" is named by its own lines."""
    b = DocBuilder()
    b.header("Acme Corporation", "Consolidated statement of financial position")
    b.table(
        [
            ["In thousands of euros", "2024", "2023"],
            ["Property, plant and equipment", "900", "800"],
            ["Total assets", "1,200", "1,050"],
            ["Total equity", "900", "800"],
            ["Total liabilities", "300", "250"],
        ]
    )
    b.page_break()
    b.table(
        [
            ["In thousands of euros", "2024", "2023"],
            ["Revenue", "2,000", "1,800"],
            ["Cost of sales", "(1,200)", "(1,100)"],
            ["Profit before tax", "200", "150"],
            ["Income tax expense", "(50)", "(40)"],
            ["Profit for the year", "150", "110"],
        ]
    )
    doc = read_document(b.bytes(), "acme-2024.docx")
    assert _kinds(doc) == [StatementKind.FINANCIAL_POSITION, StatementKind.PROFIT_OR_LOSS]
    assert doc.tables[0].title == "Consolidated statement of financial position"
    assert doc.tables[1].title == "Statement of profit or loss"


def test_a_heading_over_some_columns_or_a_rule_is_not_a_tables_title() -> None:
    doc = _md(
        """\
## Results of operations

—————

| | | | % Change |
|---|---|---|---|
| | 2024 | 2023 | 2024 vs. 2023 |
| Customer transactions | 1,637 | 1,622 | 0.9 |
| Average ticket | 90.5 | 90.0 | 0.6 |
"""
    )
    assert doc.tables[0].title == "Results of operations"
