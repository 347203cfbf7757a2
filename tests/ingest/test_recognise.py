"""What headers, captions and titles state: scale, currency, periods, statements, notes, labels."""

from __future__ import annotations

import pytest

from server.ingest.document import StatementKind
from server.ingest.recognise import (
    NoteTitle,
    clean_label,
    document_scale,
    find_currency,
    find_entity_name,
    find_period,
    find_period_end,
    find_scale,
    is_note_header,
    note_title,
)
from server.ingest.statements import (
    looks_like_statement_title,
    statement_from_rows,
    statement_from_title,
)


@pytest.mark.parametrize(
    ("text", "scale", "currency"),
    [
        ("In thousands of euros", "thousands", "EUR"),
        ("(in millions of euros)", "millions", "EUR"),
        ("(in millions)", "millions", None),
        ("EUR'000", "thousands", "EUR"),
        ("RUB'000", "thousands", "RUB"),
        ("KZT\u2019000", "thousands", "KZT"),
        ("$000", "thousands", "USD"),
        ("$'000", "thousands", "USD"),
        ("\u20acm", "millions", "EUR"),
        ("\u00a3m", "millions", "GBP"),
        ("US$ million", "millions", "USD"),
        ("in thousands of Kazakhstani tenge", "thousands", "KZT"),
        ("In thousands of Russian roubles", "thousands", "RUB"),
        ("In thousands of Ghana cedis", "thousands", "GHS"),
        ("TEUR", "thousands", "EUR"),
        ("CHF 000", "thousands", "CHF"),
        ("USD bn", "billions", "USD"),
        ("Group (\u00a3)", None, "GBP"),
        ("2024", None, None),
        ("Note", None, None),
    ],
)
def test_scale_and_currency_in_headers(text: str, scale: str | None, currency: str | None) -> None:
    assert find_scale(text) == scale
    assert find_currency(text) == currency


def test_amounts_in_a_caption_sentence_are_not_scales() -> None:
    assert find_scale("Revenue rose to EUR 12.4 million in 2024.") is None
    assert find_scale("a loss of 12,400 thousand") is None
    assert find_scale("1.2 bn") is None
    assert find_scale("(in million)") == "millions"


def test_capital_words_are_not_scales() -> None:
    assert [find_scale(t) for t in ("FAN MILK PLC", "LONG TERM", "TIME", "MEUR", "TEUR")] == [
        None,
        None,
        None,
        "millions",
        "thousands",
    ]


def test_capitals_that_are_words_are_not_currencies() -> None:
    assert find_currency("ALL AMOUNTS ARE SHOWN") is None
    assert find_currency("TOTAL") is None
    assert find_currency("IFRS 16") is None
    assert find_currency("Revenue from gold sales in the year") is None
    assert find_currency("The Group won a contract in Spain") is None


def test_scale_in_a_sentence_only_when_it_states_the_rounding() -> None:
    assert (
        document_scale("All amounts are in thousands of euros unless otherwise stated.")
        == "thousands"
    )
    assert (
        document_scale("The financial statements are presented in millions of US dollars.")
        == "millions"
    )
    assert document_scale("The Group made a loss of 12,400 thousand in the year.") is None


@pytest.mark.parametrize(
    ("header", "label", "end", "year", "restated"),
    [
        ("2024", "2024", None, 2024, False),
        ("31 December 2024", "31 December 2024", "2024-12-31", 2024, False),
        ("31 Dec 2023 (restated)", "31 Dec 2023", "2023-12-31", 2023, True),
        ("1\u00a0January\u00a02023", "1 January 2023", "2023-01-01", 2023, False),
        ("December 31, 2024", "December 31, 2024", "2024-12-31", 2024, False),
        ("31.12.2024", "31.12.2024", "2024-12-31", 2024, False),
        ("2023/24", "2023/24", None, 2024, False),
        ("FY2024", "2024", None, 2024, False),
        ("Group 2023 Restated", "2023", None, 2023, True),
        ("Year Ended December 31, 2024", "December 31, 2024", "2024-12-31", 2024, False),
        (
            "Three Months Ended September 30, 2024",
            "Three months ended September 30, 2024",
            "2024-09-30",
            2024,
            False,
        ),
        (
            "Six months ended 30 June 2024",
            "Six months ended 30 June 2024",
            "2024-06-30",
            2024,
            False,
        ),
        ("Quarter Ended March 31, 2024", "Quarter ended March 31, 2024", "2024-03-31", 2024, False),
    ],
)
def test_periods_from_column_headers(
    header: str, label: str, end: str | None, year: int, restated: bool
) -> None:
    period = find_period(header)
    assert period is not None
    assert (period.label, period.end, period.year, period.restated) == (label, end, year, restated)


def test_no_period_in_ordinary_headers() -> None:
    assert find_period("Share capital") is None
    assert find_period("Note") is None
    assert find_period("30 February 2024") == find_period("2024")  # no such day: the year only


def test_reporting_date_phrases() -> None:
    assert find_period_end("Statement of financial position as at 31 December 2024") == "2024-12-31"
    assert find_period_end("for the year ended December 31, 2024") == "2024-12-31"
    assert find_period_end("for the six months ended 30 June 2024") == "2024-06-30"
    assert find_period_end("Balance at 1 January 2024") is None


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Consolidated statement of financial position", StatementKind.FINANCIAL_POSITION),
        ("CONSOLIDATED BALANCE SHEET", StatementKind.FINANCIAL_POSITION),
        ("Consolidated statement of profit or loss", StatementKind.PROFIT_OR_LOSS),
        ("Consolidated income statement", StatementKind.PROFIT_OR_LOSS),
        ("Consolidated Statements of Operations", StatementKind.PROFIT_OR_LOSS),
        (
            "Statement of profit or loss and other comprehensive income",
            StatementKind.PROFIT_OR_LOSS,
        ),
        ("Consolidated statement of comprehensive income", StatementKind.COMPREHENSIVE_INCOME),
        ("Statement of changes in equity", StatementKind.CHANGES_IN_EQUITY),
        ("Consolidated Statements of Stockholders' Equity", StatementKind.CHANGES_IN_EQUITY),
        (
            "Consolidated statement of changes in shareholders\u2019 equity",
            StatementKind.CHANGES_IN_EQUITY,
        ),
        ("Consolidated statement of cash flows", StatementKind.CASH_FLOWS),
        ("Cash flow statement", StatementKind.CASH_FLOWS),
        (
            "Fan Milk PLC Statement of financial position at 31 December 2024",
            StatementKind.FINANCIAL_POSITION,
        ),
    ],
)
def test_statement_titles(title: str, kind: StatementKind) -> None:
    assert statement_from_title(title) is kind
    assert looks_like_statement_title(title)


def test_sentences_and_captions_are_not_statement_titles() -> None:
    assert not looks_like_statement_title(
        "Expenses are presented in the statement of profit or loss by function"
    )
    assert not looks_like_statement_title(
        "Amounts recognised in the statement of financial position:"
    )
    assert not looks_like_statement_title("Revenue")


def test_statements_from_their_rows() -> None:
    balance_sheet = [
        "ASSETS",
        "Property, plant and equipment",
        "Total assets",
        "EQUITY AND LIABILITIES",
        "Total equity",
    ]
    assert statement_from_rows(balance_sheet, []) is StatementKind.FINANCIAL_POSITION
    income = [
        "Revenue",
        "Cost of sales",
        "Gross profit",
        "Profit before tax",
        "Profit for the year",
    ]
    assert statement_from_rows(income, []) is StatementKind.PROFIT_OR_LOSS
    oci = [
        "Profit for the year",
        "Other comprehensive income",
        "Total comprehensive income for the year",
    ]
    assert statement_from_rows(oci, []) is StatementKind.COMPREHENSIVE_INCOME
    cash = ["Cash flows from operating activities", "Profit before tax", "Depreciation"]
    assert statement_from_rows(cash, []) is StatementKind.CASH_FLOWS
    equity = ["Balance at 1 January 2023", "Profit for the year", "Balance at 31 December 2023"]
    headers = ["", "Share capital", "Retained earnings", "Total"]
    assert statement_from_rows(equity, headers) is StatementKind.CHANGES_IN_EQUITY
    assert statement_from_rows(["Land", "Buildings", "Total"], []) is None
    uk = [
        "Fixed assets",
        "Net current assets",
        "Net assets",
        "Called up share capital",
        "Shareholders' funds",
    ]
    assert statement_from_rows(uk, []) is StatementKind.FINANCIAL_POSITION
    bank = ["Interest income", "Interest expense", "Net interest income", "Profit before tax"]
    assert statement_from_rows(bank, []) is StatementKind.PROFIT_OR_LOSS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Note 12 Property, plant and equipment", NoteTitle("12", "Property, plant and equipment")),
        ("Note 12. Leases", NoteTitle("12", "Leases")),
        ("12. Property, plant and equipment", NoteTitle("12", "Property, plant and equipment")),
        ("12 Property, plant and equipment", NoteTitle("12", "Property, plant and equipment")),
        ("2.1 Basis of preparation", NoteTitle("2.1", "Basis of preparation")),
        ("2024 Highlights", None),
        ("Note 2024", None),
        ("Revenue", None),
        ("1,234 Revenue", None),
    ],
)
def test_note_titles(text: str, expected: NoteTitle | None) -> None:
    assert note_title(text) == expected


def test_note_headers() -> None:
    assert all(is_note_header(h) for h in ("Note", "Notes", "NOTE", "Note ref"))
    assert not is_note_header("Notes payable")


@pytest.mark.parametrize(
    ("raw", "label", "note"),
    [
        ("Property,\u00a0plant  and equipment", "Property, plant and equipment", None),
        ("Intangible assets*", "Intangible assets", None),
        ("Trade receivables (a)", "Trade receivables", None),
        ("Revenue\u00b9", "Revenue", None),
        ("Inventories (note 14)", "Inventories", "14"),
        ("Borrowings (Note 16.2)", "Borrowings", "16.2"),
        ("Adjustments for:", "Adjustments for:", None),
        ("\u2013 Depreciation", "Depreciation", None),
        ("- Amortisation", "Amortisation", None),
        ("(a)", "(a)", None),
    ],
)
def test_labels_are_cleaned(raw: str, label: str, note: str | None) -> None:
    assert clean_label(raw) == (label, note)


def test_entity_names() -> None:
    assert (
        find_entity_name(["", "Fan Milk PLC", "Statement of financial position"]) == "Fan Milk PLC"
    )
    assert (
        find_entity_name(["Insig AI plc - summary of board minutes, April 2023"]) == "Insig AI plc"
    )
    assert find_entity_name(["Flow Traders Ltd."]) == "Flow Traders Ltd."
    assert find_entity_name(["Related party: Luclem Estates Limited"]) is None
    assert find_entity_name(["The Group made a profit this year."]) is None
