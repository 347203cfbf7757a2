"""The logic agent on small statement sets written as real Word documents and read by the reader.

Each test plants one contradiction into an otherwise consistent set and checks that exactly the
right check reports it, pointing at the sentence or cells; the clean set must give no finding.
"""

from __future__ import annotations

import pytest

from generated.models import LogicCheck, LogicResult, Severity
from server.agents.base import AuditInputs
from server.agents.logic import agent as logic
from server.ingest.reader import read_document
from tests.support.builders import DocBuilder
from tests.support.frames import assert_valid
from tests.support.logic_set import (
    AUTHORISED,
    GOING_CONCERN,
    HEADER,
    NARRATIVE,
    PL,
    SOFP,
    audit_set,
    loss_making,
    replace_cell,
)


def _checks(result: LogicResult) -> list[LogicCheck]:
    return [f.check for f in result.findings]


def test_consistent_set_gives_no_finding_and_checks_its_claims() -> None:
    result = audit_set()
    assert result.findings == []
    s = result.summary
    assert s.claims_checked >= 4
    assert s.claims_found >= s.claims_checked
    assert s.checks_run > 0 and s.checks_failed == 0
    narrative = next(t for t in s.by_check if t.check == "narrative")
    assert narrative.run >= 4 and narrative.failed == 0
    assert_valid("LogicResult", result.model_dump(mode="json"))


def test_changed_narrative_amount_is_reported_with_its_sentence() -> None:
    text = NARRATIVE.replace("EUR 12.4 million", "EUR 12.9 million")
    result = audit_set(paragraphs=(text, GOING_CONCERN, AUTHORISED))
    [finding] = result.findings
    assert finding.check is LogicCheck.narrative
    assert finding.severity is Severity.medium
    assert finding.claim == text
    assert "12,400" in finding.contradiction
    paragraph, table = finding.model_dump(mode="json")["locations"]
    assert paragraph["quote"] == text
    assert table["cells"] == [{"row": 0, "column": 2}]
    assert_valid("LogicResult", result.model_dump(mode="json"))


@pytest.mark.parametrize(
    "text",
    [
        "Revenue decreased by 9% to EUR 12.4 million.",
        "Revenue increased by 6% to EUR 12.4 million.",
        "Revenue decreased by EUR 1.5 million.",
    ],
)
def test_false_change_claim_is_reported(text: str) -> None:
    result = audit_set(paragraphs=(text, GOING_CONCERN, AUTHORISED))
    assert _checks(result) == [LogicCheck.narrative]


def test_stated_precision_is_the_tolerance() -> None:
    # 12,400 thousand is within [12.35, 12.45) million, and 6.06% rounds to 6%.
    result = audit_set(
        paragraphs=("Revenue of EUR 12.4 million fell by 6.1%.", GOING_CONCERN, AUTHORISED)
    )
    assert result.findings == []
    result = audit_set(paragraphs=("Revenue was EUR 12 million.", GOING_CONCERN, AUTHORISED))
    assert result.findings == []  # 12.4 million written to the nearest million


def test_loss_claimed_for_a_profit_is_reported() -> None:
    result = audit_set(
        paragraphs=(
            "The Group reported a loss of EUR 500 thousand for the year.",
            GOING_CONCERN,
            AUTHORISED,
        )
    )
    [finding] = result.findings
    assert "not a loss" in finding.contradiction


def test_figure_for_an_item_without_a_line_is_counted_not_checked() -> None:
    text = "An impairment loss of EUR 3.1 million was recognised on the Berlin plant (2023: nil)."
    result = audit_set(paragraphs=(text, GOING_CONCERN, AUTHORISED))
    assert result.findings == []
    assert result.summary.claims_found >= 1
    assert result.summary.claims_checked == 0


def test_negative_revenue_is_reported() -> None:
    result = audit_set(
        pl=replace_cell(PL, "Revenue", 2, "(12,400)"), paragraphs=(GOING_CONCERN, AUTHORISED)
    )
    signs = [f for f in result.findings if f.check is LogicCheck.sign]
    assert len(signs) == 1
    assert signs[0].severity is Severity.high and signs[0].reference == "DQC 0015"
    [loc] = signs[0].model_dump(mode="json")["locations"]
    assert loc["cells"] == [{"row": 0, "column": 2}]


def test_part_larger_than_its_whole_is_reported() -> None:
    sofp = replace_cell(SOFP, "Cash and cash equivalents", 2, "4,900")
    result = audit_set(sofp=sofp, paragraphs=(GOING_CONCERN, AUTHORISED))
    assert LogicCheck.part_whole in _checks(result)
    assert all(
        f.reference == "DQC 0128" for f in result.findings if f.check is LogicCheck.part_whole
    )


def test_line_a_thousand_times_its_comparative_is_reported() -> None:
    sofp = replace_cell(SOFP, "Inventories", 2, "1,200,000")
    result = audit_set(sofp=sofp, paragraphs=(GOING_CONCERN, AUTHORISED))
    scale = [f for f in result.findings if f.check is LogicCheck.scale]
    assert len(scale) == 1 and "Inventories" in scale[0].title


def _scale_findings(sofp: list[list[str]]) -> list[str]:
    result = audit_set(sofp=sofp, paragraphs=(GOING_CONCERN, AUTHORISED))
    return [f.title for f in result.findings if f.check is LogicCheck.scale]


def test_no_scale_alarm_where_footing_confirms_the_figure() -> None:
    # Inventories grew a thousandfold, and the current assets and total assets add up with it:
    # the printed figures confirm its scale.
    sofp = replace_cell(SOFP, "Inventories", 3, "2")
    sofp = replace_cell(sofp, "Total current assets", 3, "2,702")
    sofp = replace_cell(sofp, "Total assets", 3, "7,502")
    sofp = replace_cell(sofp, "Retained earnings", 3, "2,802")
    sofp = replace_cell(sofp, "Total equity", 3, "3,802")
    sofp = replace_cell(sofp, "Total equity and liabilities", 3, "7,502")
    assert _scale_findings(sofp) == []
    # The same thousandfold line where the totals do not add up with it is still reported.
    assert _scale_findings(replace_cell(SOFP, "Inventories", 2, "1,200,000")) != []


def test_no_scale_alarm_against_a_comparative_near_zero() -> None:
    # A line of 2,300 against (3) the year before (a genuine small comparative, 47,276 against
    # (23) in a 10-K): the comparative is nearly nil beside the figures of its column.
    sofp = replace_cell(SOFP, "Trade receivables", 3, "(3)")
    assert _scale_findings(sofp) == []


def test_effective_tax_rate_is_checked_against_the_figures() -> None:
    good = "The effective tax rate was 23.1% (2023: 25.0%)."
    assert audit_set(paragraphs=(good, GOING_CONCERN, AUTHORISED)).findings == []
    bad = "The effective tax rate was 30.1% (2023: 25.0%)."
    [finding] = audit_set(paragraphs=(bad, GOING_CONCERN, AUTHORISED)).findings
    assert finding.check is LogicCheck.rate and finding.reference == "IAS 12.81(c)"
    assert "23.1%" in finding.description


def test_authorisation_before_the_period_end_is_reported() -> None:
    text = "The financial statements were authorised for issue by the Board of Directors on 16 November 2024."
    [finding] = audit_set(paragraphs=(GOING_CONCERN, text)).findings
    assert finding.check is LogicCheck.date and finding.severity is Severity.high
    assert finding.reference == "IAS 10.17"


def test_comparative_column_that_is_not_the_prior_year_is_reported() -> None:
    header = ["In thousands of euros", "Note", "2024", "2022"]
    result = audit_set(header=header, paragraphs=(GOING_CONCERN, AUTHORISED))
    dates = [f for f in result.findings if f.check is LogicCheck.date]
    assert dates and "2022" in dates[0].title


def test_period_end_in_text_must_match_the_reporting_date() -> None:
    text = "These statements cover the year ended 30 June 2024."
    [finding] = audit_set(paragraphs=(text, GOING_CONCERN, AUTHORISED)).findings
    assert finding.check is LogicCheck.date and finding.reference == "DQC 0005"


def test_loss_without_going_concern_assessment_is_reported() -> None:
    pl, sofp = loss_making()
    result = audit_set(pl=pl, sofp=sofp, paragraphs=(AUTHORISED,))
    gc = [f for f in result.findings if f.check is LogicCheck.going_concern]
    assert len(gc) == 1
    assert gc[0].severity is Severity.high  # a loss and net current liabilities
    assert "net current liabilities" in gc[0].contradiction


def test_no_material_uncertainty_against_strong_indicators_is_reported() -> None:
    pl, sofp = loss_making()
    text = "The directors consider that there is no material uncertainty about the going concern basis."
    gc = [
        f
        for f in audit_set(pl=pl, sofp=sofp, paragraphs=(text, AUTHORISED)).findings
        if f.check is LogicCheck.going_concern
    ]
    assert len(gc) == 1 and gc[0].severity is Severity.medium
    stated = (
        "A material uncertainty exists that may cast significant doubt on the going concern basis."
    )
    gc = [
        f
        for f in audit_set(pl=pl, sofp=sofp, paragraphs=(stated, AUTHORISED)).findings
        if f.check is LogicCheck.going_concern
    ]
    assert gc == []


def test_ids_are_stable_and_run_uses_the_document() -> None:
    import asyncio

    text = NARRATIVE.replace("6%", "9%")
    data = DocBuilder().heading("Statement of profit or loss for the year ended 31 December 2024")
    data.table([HEADER, *PL]).para(text).para(GOING_CONCERN)
    document = read_document(data.bytes(), "set.docx")
    calls: list[tuple[int, int | None, str | None]] = []
    first = asyncio.run(
        logic.run(AuditInputs(document=document), lambda d, t, m: calls.append((d, t, m)))
    )
    second = logic.audit(document)
    assert [f.id for f in first.findings] == [f.id for f in second.findings]
    assert first.findings and calls[-1][0] == calls[-1][1]


def test_more_shares_issued_than_authorised_is_reported() -> None:
    texts = (
        "The authorised share capital comprises 1,000,000 ordinary shares of EUR 1 each.",
        "At 31 December 2024, 1,200,000 ordinary shares were in issue and fully paid.",
    )
    result = audit_set(paragraphs=(*texts, GOING_CONCERN, AUTHORISED))
    assert [f.check for f in result.findings] == []  # "in issue" is not "issued": not read
    texts = (
        "The authorised share capital comprises 1,000,000 ordinary shares of EUR 1 each.",
        "The issued share capital comprises 1,200,000 ordinary shares.",
    )
    [finding] = audit_set(paragraphs=(*texts, GOING_CONCERN, AUTHORISED)).findings
    assert finding.check is LogicCheck.ordering and finding.reference == "DQC 0009"


def test_pre_tax_discount_rate_below_post_tax_is_reported() -> None:
    texts = (
        "The pre-tax discount rate applied to the cash flow projections is 9.0%.",
        "This corresponds to a post-tax discount rate of 10.5%.",
    )
    [finding] = audit_set(paragraphs=(*texts, GOING_CONCERN, AUTHORISED)).findings
    assert finding.check is LogicCheck.rate and finding.severity is Severity.low
    ok = ("The pre-tax discount rate is 13.0%.", "The post-tax discount rate is 10.5%.")
    assert audit_set(paragraphs=(*ok, GOING_CONCERN, AUTHORISED)).findings == []


CASH_FLOWS = [
    HEADER,
    ["Profit before tax", "", "650", "1,040"],
    ["Net cash from operating activities", "", "700", "900"],
    ["Purchase of property, plant and equipment", "", "(900)", "(800)"],
    ["Net cash used in investing activities", "", "(900)", "(800)"],
    ["Proceeds from borrowings", "", "400", "-"],
    ["Repayment of borrowings", "", "(500)", "(300)"],
    ["Net cash used in financing activities", "", "(100)", "(300)"],
    ["Net decrease in cash and cash equivalents", "", "(300)", "(200)"],
]


def _with_cash_flows(rows: list[list[str]]) -> LogicResult:
    b = (
        DocBuilder()
        .heading("Statement of financial position as at 31 December 2024")
        .table([HEADER, *SOFP])
        .heading("Statement of cash flows for the year ended 31 December 2024")
        .table(rows)
        .para(GOING_CONCERN)
    )
    return logic.audit(read_document(b.bytes(), "set.docx"))


def test_borrowings_change_against_their_cash_flows() -> None:
    # 2,100 -> 2,000 against +400 - 500: consistent.
    assert [
        f for f in _with_cash_flows(CASH_FLOWS).findings if f.check is LogicCheck.movement
    ] == []
    rows = [list(r) for r in CASH_FLOWS]
    rows[5][2] = "2,400"  # 2,400 drawn and 500 repaid, yet borrowings fell
    moved = [f for f in _with_cash_flows(rows).findings if f.check is LogicCheck.movement]
    assert len(moved) == 1 and moved[0].severity is Severity.low
    assert moved[0].reference == "IAS 7.44A"
