"""SEC EDGAR company facts through the replay server: filed values confirm the report's lines,
a changed figure is contradicted unless explained, and a failing service is unverifiable."""

from __future__ import annotations

from server.agents.external.sources.base import Outcome
from server.agents.external.sources.sec_edgar import SecEdgarSource, find_cik
from server.ingest.document import Block, StatementKind
from tests.support.parsed_documents import document, paragraph, table
from tests.support.replay_server import FIXTURES, Override, ReplayServer

FACTS = "/api/xbrl/companyfacts/CIK0000320193.json"
ENDS = {"2024": "2024-09-28", "2023": "2023-09-30"}


def apple(net_income_2023: float = 96_995, extra: list[Block] | None = None):
    operations = table(
        "t1",
        ["2024", "2023"],
        [
            ("Total net sales", 391_035, 383_285),
            ("Net income", 93_736, net_income_2023),
        ],
        statement=StatementKind.PROFIT_OR_LOSS,
        title="Consolidated statements of operations (in millions)",
        scale=1e6,
        period_ends=ENDS,
    )
    balance = table(
        "t2",
        ["2024", "2023"],
        [("Total assets", 364_980, 352_583)],
        statement=StatementKind.FINANCIAL_POSITION,
        scale=1e6,
        period_ends=ENDS,
    )
    blocks: list[Block] = [paragraph("p1", "Apple Inc. (CIK 0000320193)"), operations, balance]
    return document(
        "apple-10k-2024.docx",
        blocks + (extra or []),
        reporting_date="2024-09-28",
        entity_name="Apple Inc.",
        currency="USD",
    )


def source(url: str, timeout_s: float = 2.0) -> SecEdgarSource:
    return SecEdgarSource(url, None, "Crosscheck tests test@example.com", timeout_s)


async def test_filed_values_confirm_the_report() -> None:
    with ReplayServer(FIXTURES / "sec") as server:
        report = await source(server.url).check(apple())
    assert [v.outcome for v in report.verdicts] == [Outcome.VERIFIED] * 6
    path, headers = server.requests[0]
    assert path == FACTS
    assert headers["User-Agent"].endswith("test@example.com")  # SEC asks clients to name themselves
    assert {v.source_date.isoformat() for v in report.verdicts} == {"2024-11-01"}


async def test_changed_prior_year_figure_is_contradicted() -> None:
    with ReplayServer(FIXTURES / "sec") as server:
        report = await source(server.url).check(apple(net_income_2023=96_959))
    [wrong] = [v for v in report.verdicts if v.outcome is Outcome.CONTRADICTED]
    assert wrong.key == ("sec_edgar", "us-gaap:NetIncomeLoss", "2023-09-30")
    assert "96,995,000,000" in wrong.evidence
    assert wrong.severity.value == "medium"  # 36 million of 97 billion


async def test_restated_figure_is_explained() -> None:
    note = paragraph("p9", "Net income for 2023 has been restated to correct an error (note 2).")
    with ReplayServer(FIXTURES / "sec") as server:
        report = await source(server.url).check(apple(net_income_2023=96_959, extra=[note]))
    assert all(v.outcome is Outcome.VERIFIED for v in report.verdicts)


async def test_service_failure_is_one_unverifiable_finding() -> None:
    with ReplayServer(FIXTURES / "sec", {FACTS: Override(status=500)}) as server:
        report = await source(server.url).check(apple())
    [verdict] = report.verdicts
    assert verdict.outcome is Outcome.UNVERIFIABLE and verdict.finding
    assert verdict.claims == 6


async def test_unknown_company_reports_detail_only() -> None:
    with ReplayServer(FIXTURES / "sec", {FACTS: Override(status=404, body=b"{}")}) as server:
        report = await source(server.url).check(apple())
    assert report.verdicts == []
    assert report.detail and "no company facts" in report.detail


async def test_without_a_cik_nothing_is_looked_up() -> None:
    report_doc = apple()
    report_doc.blocks = report_doc.blocks[1:]
    assert find_cik(report_doc) is None
    with ReplayServer(FIXTURES / "sec") as server:
        report = await source(server.url).check(report_doc)
    assert report.verdicts == [] and server.requests == []
