"""The logic agent leaves alone what is not the report's own: exhibit indexes and citations of
other filings, the last annual period in an interim report, 52/53-week year ends, quarters and
years still to come, working-capital movements, share counts of award plans and figures that
only qualify another subject. Each test also keeps the contradiction the rule must still catch."""

from __future__ import annotations

from generated.models import LogicCheck
from server.agents.logic import agent as logic
from server.ingest.reader import read_document
from tests.support.builders import DocBuilder
from tests.support.logic_set import (
    AUTHORISED,
    GOING_CONCERN,
    HEADER,
    PL,
    SOFP,
    audit_set,
    loss_making,
)


def _dates(*paragraphs: str) -> list[str]:
    result = audit_set(paragraphs=(*paragraphs, GOING_CONCERN, AUTHORISED))
    return [f.claim or "" for f in result.findings if f.check is LogicCheck.date]


def test_citations_of_other_filings_are_not_the_reports_dates() -> None:
    assert (
        _dates(
            "10.3 Deferred Compensation Plan (incorporated by reference to Exhibit 10.2 of the "
            "Company's Quarterly Report on Form 10-Q for the quarterly period ended September 30, 2019).",
            "For older years see our Annual Report on Form 10-K for the fiscal year ended "
            "January 2, 2022.",
        )
        == []
    )
    assert _dates("These statements cover the year ended 30 June 2024.")  # still caught


def test_exhibit_index_section_is_skipped() -> None:
    data = (
        DocBuilder()
        .heading("Statement of profit or loss for the year ended 31 December 2024")
        .table([list(HEADER), *[list(r) for r in PL]])
        .para(GOING_CONCERN)
        .heading("Exhibit Index")
        .para("4.1 Indenture, as amended, for the period ended 30 June 2011.")
    )
    result = logic.audit(read_document(data.bytes(), "set.docx"))
    assert [f for f in result.findings if f.check is LogicCheck.date] == []


def test_fiscal_years_of_52_or_53_weeks_quarters_and_future_years() -> None:
    assert (
        _dates(
            "Cash from operations was EUR 2.5 million for the year ended 31 December 2024 compared "
            "with EUR 5.4 million for the year ended 26 December 2023.",
            "During the three months ended 30 September 2024 we recorded severance costs.",
            "The new disclosures are effective for our year ending 31 December 2027.",
        )
        == []
    )
    assert _dates("Sales for the year ended 15 December 2023 were lower.")  # 16 days off


def test_interim_report_cites_its_last_annual_period() -> None:
    data = (
        DocBuilder()
        .heading("Condensed statement of financial position at 30 June 2024")
        .table([["In thousands of euros", "Note", "30 June 2024", "31 December 2023"], *SOFP])
        .para(
            "These condensed interim financial statements have been prepared in accordance with "
            "IAS 34 and should be read with the annual financial statements for the year ended "
            "31 December 2023."
        )
    )
    result = logic.audit(read_document(data.bytes(), "h1.docx"))
    assert result.summary.scope is not None and result.summary.scope.period.value == "interim"
    assert [f for f in result.findings if f.check is LogicCheck.date] == []


def test_working_capital_movements_are_not_balances() -> None:
    cash_flow_note = [
        ["In thousands of euros", "2024", "2023"],
        ["Profit for the year", "500", "780"],
        ["Depreciation", "300", "280"],
        ["Inventories", "(1,121)", "(400)"],
        ["Trade receivables", "(300)", "120"],
        ["Net cash provided by operating activities", "(621)", "780"],
    ]
    data = (
        DocBuilder()
        .heading("Statement of financial position as at 31 December 2024")
        .table([list(HEADER), *[list(r) for r in SOFP]])
        .heading("Notes to the financial statements")
        .heading("Cash generated from operations", 2)
        .table(cash_flow_note)
    )
    result = logic.audit(read_document(data.bytes(), "set.docx"))
    assert [f for f in result.findings if f.check is LogicCheck.sign] == []


def test_dividend_against_share_counts_of_something_else_is_not_checked() -> None:
    text = (
        "We paid dividends totaling EUR 3.0 million (EUR 11.40 per share) in 2024. Awards over "
        "1,587,329 shares remain outstanding."
    )
    result = audit_set(paragraphs=(text, GOING_CONCERN, AUTHORISED))
    assert [f for f in result.findings if f.check is LogicCheck.narrative] == []


def test_figure_of_another_subject_is_not_the_terms() -> None:
    text = (
        "Excess tax benefits associated with revenue totalled EUR 84 thousand in 2024. "
        "Revenue was EUR 12.9 million in 2024."
    )
    result = audit_set(paragraphs=(text, GOING_CONCERN, AUTHORISED))
    narrative = [f for f in result.findings if f.check is LogicCheck.narrative]
    assert len(narrative) == 1 and "12.9" in (narrative[0].claim or "")


def test_us_gaap_needs_no_going_concern_note_without_substantial_doubt() -> None:
    pl, sofp = loss_making()
    stated = (
        "The financial statements are prepared in conformity with accounting principles "
        "generally accepted in the United States of America."
    )
    result = audit_set(pl=pl, sofp=sofp, paragraphs=(stated, AUTHORISED))
    assert result.summary.scope is not None and result.summary.scope.framework.value == "us_gaap"
    assert [f for f in result.findings if f.check is LogicCheck.going_concern] == []


def test_one_event_and_parts_of_a_line_are_not_the_line() -> None:
    texts = (
        "We recorded a loss of EUR 7 thousand from these conversions in other expense.",
        "(b) Included in trade payables (EUR 816 thousand) and other liabilities.",
        "Our domestic revenue was EUR 5.1 million in 2024.",
    )
    result = audit_set(paragraphs=(*texts, GOING_CONCERN, AUTHORISED))
    assert [f for f in result.findings if f.check is LogicCheck.narrative] == []
    wrong = "The Group reported a loss of EUR 500 thousand for the year."
    result = audit_set(paragraphs=(wrong, GOING_CONCERN, AUTHORISED))
    assert [f.check for f in result.findings] == [LogicCheck.narrative]  # still the year's result


def test_an_agreement_approved_by_the_board_is_not_the_authorisation_date() -> None:
    text = (
        "7/15/2011 *10.3 Long-Term Incentive Award Agreement, as approved by the Board of Directors"
    )
    assert _dates(text) == []
    early = "The financial statements were approved by the Board of Directors on 12 March 2024."
    assert _dates(early)  # before the period end: still reported


def test_cash_flow_statement_recognised_as_another_statement_has_movements() -> None:
    cash_flows = [
        ["In thousands of euros", "2024", "2023"],
        ["Profit for the year", "500", "780"],
        ["Inventories", "(1,121)", "(400)"],
        ["Net cash provided by operating activities", "(621)", "380"],
    ]
    data = (
        DocBuilder()
        .heading("Statement of profit or loss for the year ended 31 December 2024")
        .table([list(HEADER), *[list(r) for r in PL]])
        .heading("Cash flow statements")
        .table(cash_flows)
    )
    result = logic.audit(read_document(data.bytes(), "set.docx"))
    assert [f for f in result.findings if f.check is LogicCheck.sign] == []
