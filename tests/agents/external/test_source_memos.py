"""Memos and minutes as a source: each event they record must leave a trace in the report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from server.agents.external.sources.base import Outcome
from server.agents.external.sources.memos import MemoSource, check_memos, memo_date
from server.ingest.document import Document, Section
from server.ingest.reader import read_document
from tests.support.parsed_documents import document, paragraph

SAMPLES = Path(__file__).resolve().parents[3] / "server" / "samples"


def read(name: str) -> Document:
    return read_document((SAMPLES / name).read_bytes(), name)


def report(*texts: str) -> Document:
    blocks = [paragraph(f"p{i}", t) for i, t in enumerate(texts, start=1)]
    return document("report.docx", blocks, entity_name="Fan Milk PLC")


def minutes(*texts: str) -> Document:
    blocks = [
        paragraph("p1", "Minutes of the meeting of the Board of Directors held on 3 March 2025.")
    ]
    blocks += [paragraph(f"p{i}", t) for i, t in enumerate(texts, start=2)]
    return document("minutes.docx", blocks, reporting_date=None)


CLAIM = (
    "Legal counsel reported that Kofi Distributors Limited filed a claim against the Company in "
    "the High Court for GH₵2.3 million."
)
CLAIM_IN_REPORT = (
    "Contingent liabilities: Kofi Distributors Limited has brought a claim of GH₵2.3 million "
    "against the Company; the directors consider an outflow unlikely."
)
SALE = (
    "The Board approved the sale of a delivery truck fleet to Accra Logistics Ltd, a company "
    "controlled by a director, for GH₵1.1 million."
)


def test_event_reflected_in_the_report_is_verified() -> None:
    [verdict] = check_memos(report(CLAIM_IN_REPORT), [minutes(CLAIM)]).verdicts
    assert verdict.outcome is Outcome.VERIFIED
    assert "Kofi Distributors" in verdict.evidence
    assert verdict.source_date.isoformat() == "2025-03-03"  # the minutes' own date


def test_event_missing_from_the_report_is_a_finding_quoting_the_memo() -> None:
    verdicts = check_memos(report(CLAIM_IN_REPORT), [minutes(CLAIM, SALE)]).verdicts
    [missing] = [v for v in verdicts if v.outcome is Outcome.CONTRADICTED]
    assert "Accra Logistics Ltd" in missing.evidence
    assert missing.reference.startswith("IAS 24")
    assert missing.locations[0].document == "minutes.docx"


def test_kind_alone_is_not_a_trace() -> None:
    # the report speaks of related parties, but not of this deal
    other = "Related party transactions: sales to Fan Milk International A/S of GH₵5.0 million."
    verdicts = check_memos(report(other), [minutes(SALE)]).verdicts
    assert [v.outcome for v in verdicts] == [Outcome.CONTRADICTED]


def test_denied_events_are_not_events() -> None:
    memo = minutes(
        "No litigation is pending against the Company.", "There were no covenant breaches."
    )
    assert check_memos(report(), [memo]).verdicts == []


def test_covenant_breach_is_high_severity() -> None:
    breach = "The interest cover covenant under the Stanbic Bank Ghana facility was breached at 31 December 2024."
    [verdict] = check_memos(report(), [minutes(breach)]).verdicts
    assert verdict.outcome is Outcome.CONTRADICTED
    assert verdict.severity.value == "high"


def test_agenda_items_under_headings_are_one_event_each() -> None:
    sections = [
        Section(id="s1", title="1. Legal matters", level=1),
        Section(id="s2", title="2. Related party: Accra Logistics Ltd", level=1),
    ]
    memo = document(
        "minutes.docx",
        [
            paragraph("p1", "Kofi Distributors Limited filed a claim for GH₵2.3 million.", "s1"),
            paragraph("p2", "Counsel expects a hearing in May 2025.", "s1"),
            paragraph("p3", "The Board approved the sale for GH₵1.1 million.", "s2"),
        ],
        sections=sections,
        reporting_date=None,
    )
    verdicts = check_memos(report(CLAIM_IN_REPORT), [memo]).verdicts
    assert [(v.outcome, v.key[-1]) for v in verdicts] == [
        (Outcome.VERIFIED, "litigation"),
        (Outcome.CONTRADICTED, "related_party"),  # the heading names the counterparty
    ]
    assert "Accra Logistics" in verdicts[1].description


def test_vague_events_are_never_reported_missing() -> None:
    memo = minutes("The Board reviewed the related party register and the impairment review.")
    verdicts = check_memos(report(), [memo]).verdicts
    assert {(v.outcome, v.finding) for v in verdicts} == {(Outcome.UNVERIFIABLE, False)}


def test_memo_without_a_date_is_dated_today() -> None:
    undated = document("memo.docx", [paragraph("p1", "A note for the file.")], reporting_date=None)
    assert memo_date(undated) == date.today()


@pytest.fixture(scope="module")
def insig() -> tuple[Document, Document]:
    return read("insig-2024.docx"), read("insig-2024-board-minutes.docx")


def test_real_minutes_are_all_reflected(insig: tuple[Document, Document]) -> None:
    verdicts = check_memos(insig[0], [insig[1]]).verdicts
    assert len(verdicts) == 5
    assert all(v.outcome is Outcome.VERIFIED for v in verdicts), [v.claim for v in verdicts]


def test_removing_the_paragraph_of_an_event_is_caught(insig: tuple[Document, Document]) -> None:
    current, memo = insig
    for needle in ("Luclem Estates", "HM Revenue", "David Kyte", "ImpactScope"):
        kept = [b for b in current.blocks if needle not in getattr(b, "text", "")]
        assert len(kept) < len(current.blocks)
        trimmed = Document(
            name=current.name,
            kind=current.kind,
            sections=current.sections,
            blocks=kept,
            reporting_date=current.reporting_date,
            entity_name=current.entity_name,
        )
        missing = [
            v for v in check_memos(trimmed, [memo]).verdicts if v.outcome is Outcome.CONTRADICTED
        ]
        assert len(missing) == 1 and needle in missing[0].evidence, needle


async def test_without_memos_the_source_is_unavailable() -> None:
    source = MemoSource([])
    result = await source.check(report(CLAIM_IN_REPORT))
    assert not source.available() and result.verdicts == [] and source.data_date() is None
