"""Precision rules of the numeric agent (issue 14), each on a small table built here.

Every rule comes from a false alarm on a real published report (bench/real/TRIAGE.md); each
test shows the alarm is gone and that a real error of the same shape is still reported.
"""

from __future__ import annotations

import grimp
import pytest

from bench.numeric.shapes import table_from_grid
from generated.models import NumericCheck, NumericResult, Severity
from server.agents.numeric.agent import audit
from server.ingest.document import (
    Calculation,
    Document,
    DocumentKind,
    Fact,
    StatementKind,
    Table,
)
from server.ingest.structure import infer_document_structure

Grid = list[list[str]]


def _audit(*tables: Table, **document: object) -> NumericResult:
    doc = Document(name="r.htm", kind=DocumentKind.HTML, blocks=list(tables), **document)  # type: ignore[arg-type]
    infer_document_structure(doc)
    return audit(doc)


def _tally(result: NumericResult, check: str) -> tuple[int, int, int]:
    t = next(t for t in result.summary.by_check if t.check == check)
    return t.run, t.failed, t.skipped if isinstance(t.skipped, int) else 0


def _tag(table: Table, row: int, column: int, concept: str, context: str, **kw: object) -> Fact:
    """Tag one printed figure as inline XBRL would (value from the text, in millions)."""
    cell = table.rows[row].cells[column]
    assert cell.value is not None
    fact = Fact(
        concept=concept,
        context=context,
        value=abs(cell.value) * 1e6 * float(kw.pop("sign", 1)),  # type: ignore[arg-type]
        unit="USD",
        decimals=-6,
        scale=6,
        **kw,  # type: ignore[arg-type]
    )
    cell.fact = fact
    return fact


# ------------------------------------------------------------------ figures that never add up


def test_prices_averages_and_share_counts_are_never_footed() -> None:
    # Issuer purchases (Boeing, Coca-Cola, Home Depot 10-Ks): the "Total" row prints the
    # average price of the quarter, which is no sum of the monthly prices.
    table = table_from_grid(
        "t1",
        [
            ["", "Total Number of Shares Purchased", "Average Price Paid per Share"],
            ["10/1/2024 thru 10/31/2024", "1,000,000", "$138.33"],
            ["11/1/2024 thru 11/30/2024", "2,000,000", "$142.24"],
            ["12/1/2024 thru 12/31/2024", "3,000,000", "$181.13"],
            ["Total", "6,000,000", "$158.01"],
        ],
        scale_label="units",
    )
    result = _audit(table)
    assert result.findings == []
    assert _tally(result, "footing") == (0, 0, 0)


def test_percent_columns_and_per_share_rows_are_never_footed() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "% of Total Revenues"],
            ["Subscription and support", "35,679", "94%"],
            ["Professional services", "2,216", "6"],
            ["Total revenues", "37,895", "100"],
            ["Basic net income per share", "6.44", ""],
            ["Diluted net income per share", "6.36", ""],
        ],
    )
    result = _audit(table)
    assert result.findings == []
    assert _tally(result, "footing") == (1, 0, 0)  # 2024 only


def test_a_total_with_no_printed_parts_is_a_counted_skip() -> None:
    # IBM's equity compensation plans: "remaining available" is printed on the subtotal only.
    table = table_from_grid(
        "t1",
        [
            ["", "Amount", "Available"],
            ["Approved by security holders", "", ""],
            ["Options", "9,268", "-"],
            ["RSUs", "20,308", "-"],
            ["Subtotal", "29,576", "27,351"],
        ],
    )
    result = _audit(table)
    assert result.findings == []
    assert _tally(result, "footing") == (1, 0, 1)


def test_nil_cells_add_no_rounding() -> None:
    # One printed part: the total may differ by (1 + 1) / 2 = 1 unit, not (4 + 1) / 2.
    grid = [
        ["", "2024", "2023"],
        ["Heading", "", ""],
        ["A", "100", "40"],
        ["B", "-", "10"],
        ["C", "-", "-"],
        ["D", "-", "-"],
        ["Total", "102", "50"],
    ]
    [finding] = _audit(table_from_grid("t1", grid)).findings
    assert finding.check is NumericCheck.footing and finding.difference == 2
    assert "2024" in finding.period


def test_the_printed_unit_is_read_from_the_text() -> None:
    # "3.0" is printed to 0.1: parts 1.0 + 1.5 against 3.0 differ by 5 units, not half a unit.
    grid = [
        ["", "2024", "2023"],
        ["Heading", "", ""],
        ["A", "1.0", "2.0"],
        ["B", "1.5", "1.0"],
        ["Total", "3.0", "3.0"],
    ]
    [finding] = _audit(table_from_grid("t1", grid, scale_label="millions")).findings
    assert finding.difference == pytest.approx(0.5)


# ------------------------------------------------------------------------------------ ties


def _cash_statements(bs_header: str, bs_cash: int) -> tuple[Table, Table]:
    position = table_from_grid(
        "t1",
        [
            ["", "September 30, 2023", bs_header],
            ["Cash and cash equivalents", "2,001", f"{bs_cash:,}"],
            ["Other assets", "1,000", "1,000"],
            ["Total assets", "3,001", f"{bs_cash + 1000:,}"],
        ],
        statement=StatementKind.FINANCIAL_POSITION,
    )
    flows = table_from_grid(
        "t2",
        [
            ["", "Nine months ended September 30, 2023", "Nine months ended September 30, 2022"],
            ["Net change in cash", "(7,745)", "17,073"],
            ["Cash at beginning of period", "9,746", "5,128"],
            ["Cash at end of period", "2,001", "22,201"],
        ],
        statement=StatementKind.CASH_FLOWS,
    )
    for table in (position, flows):
        table.columns[1].period_end = "2023-09-30"
    flows.columns[2].period_end = "2022-09-30"
    position.columns[2].period_end = "2022-12-31" if "December" in bs_header else "2022-09-30"
    return position, flows


def test_ties_compare_period_end_dates_not_years() -> None:
    # A 10-Q: the cash-flow statement closes at 30 September 2022, the comparative balance
    # sheet is at 31 December 2022; both are "2022". Nor is the nine months' opening cash the
    # prior nine months' closing cash.
    result = _audit(*_cash_statements("December 31, 2022", 9_746))
    assert result.findings == []
    assert _tally(result, "cross_statement") == (1, 0, 1)  # 2023 tied, 2022 skipped
    assert _tally(result, "opening_balance")[0] == 0


def test_a_tie_at_the_same_date_is_still_checked() -> None:
    [finding] = _audit(*_cash_statements("September 30, 2022", 22_255)).findings
    assert finding.check is NumericCheck.cross_statement and finding.difference == -54


def test_tagged_concepts_keep_cash_apart_from_cash_and_restricted_cash() -> None:
    position = table_from_grid(
        "t1",
        [["", "2024", "2023"], ["Cash and cash equivalents", "10,828", "9,366"]],
        statement=StatementKind.FINANCIAL_POSITION,
        scale_label="millions",
    )
    flows = table_from_grid(
        "t2",
        [
            ["", "2024", "2023"],
            ["Net increase in cash", "1,796", "386"],
            ["Cash at beginning of year", "9,692", "9,306"],
            ["Cash, cash equivalents and restricted cash at end of year", "11,488", "9,692"],
        ],
        statement=StatementKind.CASH_FLOWS,
        scale_label="millions",
    )
    cash = "us-gaap:CashAndCashEquivalentsAtCarryingValue"
    restricted = "us-gaap:CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents"
    for column, year in ((1, "2024"), (2, "2023")):
        _tag(position, 0, column, cash, f"i{year}")
        _tag(flows, 2, column, restricted, f"i{year}")
    result = _audit(position, flows)
    assert [f for f in result.findings if f.check is NumericCheck.cross_statement] == []
    assert _tally(result, "cross_statement")[2] == 2


# ---------------------------------------------------------------------- duplicate tagged facts


def _revenue_tables(note_text: str) -> tuple[Table, Table]:
    income = table_from_grid(
        "t1",
        [["", "2024", "2023"], ["Revenues", "350,018", "307,394"]],
        statement=StatementKind.PROFIT_OR_LOSS,
        scale_label="millions",
    )
    note = table_from_grid(
        "t2",
        [["", "2024", "2023"], ["Total revenues", note_text, "307,394"]],
        scale_label="millions",
    )
    for table in (income, note):
        _tag(table, 0, 1, "us-gaap:Revenues", "d2024")
        _tag(table, 0, 2, "us-gaap:Revenues", "d2023")
    return income, note


def test_one_tagged_fact_printed_twice_must_be_one_number() -> None:
    income, note = _revenue_tables("360,519")
    [finding] = _audit(income, note).findings
    assert finding.check is NumericCheck.duplicate_fact
    assert (finding.actual, finding.expected) == (360_519, 350_018)
    assert {loc.table for loc in finding.locations} == {"t1", "t2"}
    assert "us-gaap:Revenues" in finding.description


def test_agreeing_duplicates_are_checks_that_pass() -> None:
    income, note = _revenue_tables("350,018")
    result = _audit(income, note)
    assert result.findings == []
    assert _tally(result, "duplicate_fact") == (2, 0, 0)


# ------------------------------------------------------------------- the calculation linkbase


def _purchase_price(total: str) -> tuple[Table, list[Fact]]:
    table = table_from_grid(
        "t1",
        [
            ["", "Amount"],
            ["Equity consideration", "178,860"],
            ["Fair value of contingent consideration", "125,699"],
            ["Replacement of share-based payment awards", "10,648"],
            ["Assumed liabilities", "125"],
            ["Total purchase price", total],
        ],
    )
    concepts = ["aeon:Equity", "aeon:Contingent", "aeon:Replacement", "aeon:Assumed", "aeon:Total"]
    facts = []
    for row, concept in enumerate(concepts):
        cell = table.rows[row].cells[1]
        assert cell.value is not None
        fact = Fact(concept, "c1", cell.value * 1e3, "2023-01-06", "2023-01-06", True, "USD", -3, 3)
        cell.fact = fact
        facts.append(fact)
    return table, facts


def test_an_inconsistent_linkbase_relationship_is_a_finding() -> None:
    items = [("aeon:Equity", 1.0), ("aeon:Contingent", 1.0), ("aeon:Replacement", 1.0)]
    calc = [Calculation(role="r/PurchasePrice", parent="aeon:Total", items=items)]
    # The printed total adds the assumed liabilities; the filer's linkbase omits them.
    table, facts = _purchase_price("315,332")
    result = _audit(table, facts=facts, calculations=calc)
    [finding] = [f for f in result.findings if f.check is NumericCheck.calculation]
    assert (finding.actual, finding.expected, finding.difference) == (315_332, 315_207, 125)
    assert "'Assumed liabilities'" in finding.description and "Total" in finding.title
    assert "Total = Equity + Contingent + Replacement (" in finding.description
    assert finding.severity is Severity.low  # the printed figures add up
    assert finding.period == "2023-01-06 to 2023-01-06" or "2023-01-06" in finding.period
    summary = result.summary.calculations
    assert not isinstance(summary, type(None)) and summary.disagree == 1  # type: ignore[union-attr]


def test_a_consistent_linkbase_relationship_is_a_passing_check_and_agrees() -> None:
    items = [
        (c, 1.0) for c in ("aeon:Equity", "aeon:Contingent", "aeon:Replacement", "aeon:Assumed")
    ]
    calc = [Calculation(role="r/PurchasePrice", parent="aeon:Total", items=items)]
    table, facts = _purchase_price("315,332")
    result = _audit(table, facts=facts, calculations=calc)
    assert result.findings == []
    assert _tally(result, "calculation") == (1, 0, 0)
    agreement = result.summary.calculations
    assert agreement.agree == 1 and agreement.disagree == 0  # type: ignore[union-attr]


def test_without_a_linkbase_the_summary_says_nothing_of_it() -> None:
    table, _ = _purchase_price("315,332")
    result = _audit(table)
    assert "calculations" not in result.summary.model_dump(mode="json")


# ---------------------------------------------------------------------------------- layering


def test_agents_never_import_the_structure_inference() -> None:
    graph = grimp.build_graph("server")
    assert graph.find_modules_that_directly_import("server.ingest.structure") == {
        "server.ingest.assemble"
    }
    assert not graph.chain_exists(
        importer="server.agents", imported="server.ingest.structure", as_packages=True
    )


# -------------------------------------------------------- figures the reader could not take


def test_a_part_printed_as_two_figures_run_together_is_a_counted_skip() -> None:
    # A PDF restructuring table where two columns merged into one cell: "44 (3)". The total
    # column cannot be re-added without that part.
    table = table_from_grid(
        "t1",
        [
            ["", "Severance", "Asset write-offs", "Other", "Total"],
            ["Reserve at beginning of year", "100", "-", "200", "300"],
            ["Charges", "37", "50", "439", "526"],
            ["Cash settlements", "(37)", "44 (3)", "(439)", "(432)"],
            ["Reserve at end of year", "100", "50", "200", "350"],
        ],
        scale_label="millions",
    )
    result = _audit(table)
    assert [f for f in result.findings if f.check is NumericCheck.cross_footing] == []
    assert _tally(result, "cross_footing")[2] >= 1


def test_a_per_share_line_never_ties_to_a_note_total() -> None:
    income = table_from_grid(
        "t1",
        [
            ["", "Note", "2022", "2021", "2020"],
            ["Net income", "", "1,316", "1,906", "512"],
            ["Earnings per common share:", "", "", "", ""],
            ["Basic", "17", "1.56", "1.30", "0.54"],
            ["Diluted", "17", "1.54", "1.28", "0.54"],
        ],
        statement=StatementKind.PROFIT_OR_LOSS,
        scale_label="millions",
    )
    note = table_from_grid(
        "t2",
        [
            ["", "2022", "2021", "2020"],
            ["Weighted-average shares", "845", "846", "765"],
            ["Dilutive effect", "2", "31", "117"],
            ["Total", "2", "31", "117"],
        ],
        note_number="17",
        scale_label="millions",
    )
    # 1.56 and 2 agree within two units of the coarser precision: without the rule, that one
    # year "confirms" the note's total and the other years become findings.
    result = _audit(income, note)
    assert [f for f in result.findings if f.check is NumericCheck.note_tie] == []


def test_closing_cash_with_restricted_cash_is_not_balance_sheet_cash() -> None:
    # A PDF (no tags): the labels alone say the two figures differ by the restricted cash,
    # even in the year where they happen to agree.
    position = table_from_grid(
        "t1",
        [
            ["", "2022", "2021", "2020"],
            ["Cash and cash equivalents", "14,614", "8,052", "9,554"],
        ],
        statement=StatementKind.FINANCIAL_POSITION,
        scale_label="millions",
    )
    flows = table_from_grid(
        "t2",
        [
            ["", "2022", "2021", "2020"],
            ["Net increase in cash", "6,543", "(1,450)", "1,000"],
            ["Cash, including restricted, at beginning of year", "8,104", "9,554", "8,554"],
            ["Cash, including restricted, at end of year", "14,647", "8,104", "9,554"],
        ],
        statement=StatementKind.CASH_FLOWS,
        scale_label="millions",
    )
    result = _audit(position, flows)
    assert [f for f in result.findings if f.check is NumericCheck.cross_statement] == []
    assert _tally(result, "cross_statement")[2] == 3


def test_a_summarized_income_statement_is_tied_only_where_it_agrees() -> None:
    # A 10-K prints the guarantors' summarized statement of income before the consolidated one;
    # its net income is another figure, not a misprint of the consolidated net income.
    summarized = table_from_grid(
        "t1",
        [["", "2022"], ["Net sales", "20,000"], ["Net income", "2,363"]],
        statement=StatementKind.PROFIT_OR_LOSS,
        scale_label="millions",
    )
    rows = [
        ["", "2022", "2021"],
        ["Net sales", "26,485", "26,042"],
        ["Cost of products sold", "(18,363)", "(17,360)"],
        ["Gross profit", "8,122", "8,682"],
        ["Other expenses", "(5,754)", "(7,670)"],
        ["Net income", "2,368", "1,012"],
    ]
    consolidated = table_from_grid(
        "t2", rows, statement=StatementKind.PROFIT_OR_LOSS, scale_label="millions"
    )
    comprehensive = table_from_grid(
        "t3",
        [["", "2022", "2021"], ["Net income", "2,368", "1,012"]],
        statement=StatementKind.COMPREHENSIVE_INCOME,
        scale_label="millions",
    )
    result = _audit(summarized, consolidated, comprehensive)
    assert [f for f in result.findings if f.check is NumericCheck.cross_statement] == []
    # The comprehensive income statement is still held to the consolidated one.
    comprehensive.rows[0].cells[1].text, comprehensive.rows[0].cells[1].value = "2,386", 2386.0
    [finding] = _audit(summarized, consolidated, comprehensive).findings
    assert finding.check is NumericCheck.cross_statement and finding.difference == 18
