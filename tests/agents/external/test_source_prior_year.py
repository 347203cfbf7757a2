"""The prior-year report as a source: comparatives must equal last year's current figures, line
by line, unless the report explains the difference as a restatement or reclassification."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.agents.external.sources.base import Outcome
from server.agents.external.sources.prior_year import PriorYearSource, compare, extract_facts
from server.ingest.document import Document, StatementKind
from server.ingest.reader import read_document
from tests.support.parsed_documents import document, paragraph, table

SAMPLES = Path(__file__).resolve().parents[3] / "server" / "samples"
FP = StatementKind.FINANCIAL_POSITION


def position(year: int, rows: list[tuple], headers: list[str] | None = None, **kw) -> Document:
    headers = headers or [str(year), str(year - 1)]
    statement = table(
        "t1", headers, rows, statement=FP, title="Statement of financial position", **kw
    )
    return document(f"report-{year}.docx", [statement], reporting_date=f"{year}-12-31")


def outcomes(current: Document, prior: Document) -> list[Outcome]:
    return [v.outcome for v in compare(current, prior).verdicts]


@pytest.fixture(scope="module")
def fanmilk() -> tuple[Document, Document]:
    def read(name: str) -> Document:
        return read_document((SAMPLES / name).read_bytes(), name)

    return read("fanmilk-2024.docx"), read("fanmilk-2023.docx")


def test_consistent_real_statements_agree(fanmilk: tuple[Document, Document]) -> None:
    report = compare(*fanmilk)
    contradicted = [v for v in report.verdicts if v.outcome is Outcome.CONTRADICTED]
    verified = sum(v.claims for v in report.verdicts if v.outcome is Outcome.VERIFIED)
    assert contradicted == []
    assert verified >= 250  # primary statements and the notes both years share


@pytest.mark.parametrize("change", ["transpose", "sign", "ten_percent"])
def test_every_changed_comparative_is_caught(
    fanmilk: tuple[Document, Document], change: str
) -> None:
    current, prior = fanmilk
    facts, _ = extract_facts(current)
    matched = set(extract_facts(prior)[0])
    targets = [f for k, f in facts.items() if f.period == "2023" and k in matched][::29]
    assert len(targets) >= 10
    for fact in targets:
        cell = fact.row.cells[fact.column]
        saved = (cell.value, cell.nil, cell.text)
        old = 0.0 if cell.nil else float(cell.value or 0)
        new = {
            "transpose": _transposed(old),
            "sign": -old or 1234.0,
            "ten_percent": round(old * 1.1) or 50.0,
        }[change]
        cell.value, cell.nil, cell.text = new, False, f"{new:,.0f}"
        try:
            verdicts = compare(current, prior).verdicts
        finally:
            cell.value, cell.nil, cell.text = saved
        caught = [v for v in verdicts if v.outcome is Outcome.CONTRADICTED]
        assert len(caught) == 1, f"{fact.row.label} {old} -> {new}"
        assert caught[0].locations[0].table == fact.table.id


def _transposed(value: float) -> float:
    digits = str(int(abs(value)))
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            return float(swapped) * (-1 if value < 0 else 1)
    return value + 10


def test_difference_is_a_finding_with_both_figures() -> None:
    current = position(2024, [("Inventories", 500, 410), ("Trade receivables", 300, 250)])
    prior = position(2023, [("Inventories", 400, 380), ("Trade receivables", 250, 200)])
    [verdict, agreed] = compare(current, prior).verdicts
    assert verdict.outcome is Outcome.CONTRADICTED
    assert "410" in verdict.claim and "400" in verdict.evidence
    assert verdict.severity.value == "high"  # 10 of 400: 2.5% of the statement's largest line
    assert [loc.document for loc in verdict.locations] == ["report-2024.docx", "report-2023.docx"]
    assert agreed.outcome is Outcome.VERIFIED and agreed.claims == 1


def test_restated_column_explains_the_difference() -> None:
    current = position(2024, [("Inventories", 500, 410)], headers=["2024", "2023 (restated)"])
    prior = position(2023, [("Inventories", 400, 380)])
    assert outcomes(current, prior) == [Outcome.VERIFIED]


def test_narrative_naming_the_line_explains_it() -> None:
    current = position(2024, [("Inventories", 500, 410)])
    current.blocks.append(
        paragraph("p2", "Inventories at 31 December 2023 were restated by 10 (note 2).")
    )
    prior = position(2023, [("Inventories", 400, 380)])
    assert outcomes(current, prior) == [Outcome.VERIFIED]


def test_blanket_reclassification_sentence_does_not_explain_a_line() -> None:
    current = position(2024, [("Inventories", 500, 410)])
    current.blocks.append(paragraph("p2", "Certain comparatives were reclassified to conform."))
    prior = position(2023, [("Inventories", 400, 380)])
    [verdict] = compare(current, prior).verdicts
    assert verdict.outcome is Outcome.CONTRADICTED
    assert "without naming the line" in verdict.description


def test_repeated_labels_that_do_not_repeat_alike_are_not_guessed() -> None:
    # "Borrowings" twice this year (non-current and current), once last year, no headings:
    # matching by position would compare different lines, so nothing is compared.
    current = position(2024, [("Borrowings", 900, 800), ("Borrowings", 100, 50)])
    prior = position(2023, [("Borrowings", 50, 40)])
    report = compare(current, prior)
    assert [(v.outcome, v.finding, v.claims) for v in report.verdicts] == [
        (Outcome.UNVERIFIABLE, False, 2)
    ]


def test_note_references_tell_repeated_labels_apart() -> None:
    current = position(2024, [("Borrowings", 900, 800), ("Borrowings", 100, 50)])
    prior = position(2023, [("Borrowings", 45, 40)])
    current.tables[0].rows[0].note, current.tables[0].rows[1].note = "20", "21"
    prior.tables[0].rows[0].note = "21"
    [verdict, unmatched] = compare(current, prior).verdicts
    assert verdict.outcome is Outcome.CONTRADICTED and "45" in verdict.evidence
    assert (unmatched.outcome, unmatched.claims) == (Outcome.UNVERIFIABLE, 1)


def test_headings_tell_repeated_labels_apart() -> None:
    rows = [
        ("Non-current liabilities",),
        ("Borrowings", 900, 800),
        ("Current liabilities",),
        ("Borrowings", 100, 50),
    ]
    prior_rows = [
        ("Non-current liabilities",),
        ("Borrowings", 800, 1),
        ("Current liabilities",),
        ("Borrowings", 55, 1),
    ]
    headings = {"Non-current liabilities", "Current liabilities"}
    current = position(2024, rows, headings=headings)
    prior = position(2023, prior_rows, headings=headings)
    [wrong, agreed] = compare(current, prior).verdicts
    assert wrong.outcome is Outcome.CONTRADICTED and "55" in wrong.evidence
    assert agreed.claims == 1


def test_different_scales_agree_within_rounding() -> None:
    current = position(2024, [("Revenue", 12_400, 9_871)])  # thousands
    prior = position(2023, [("Revenue", 9.9, 8.1)], scale=1e6)  # millions, one decimal... 9.9m
    prior.tables[0].rows[0].cells[1].value = 9.871  # printed "9.871" in millions
    assert outcomes(current, prior) == [Outcome.VERIFIED]


def test_roll_forward_tables_match_by_block_year() -> None:
    def equity(year: int, opening: float, profit: float, closing: float, prev: tuple) -> Document:
        rows = [
            (f"Balance at 1 January {year - 1}", *prev[0]),
            ("Profit for the year", *prev[1]),
            (f"Balance at 31 December {year - 1}", *prev[2]),
            ("Profit for the year", "-", profit),
            (f"Balance at 31 December {year}", opening, closing),
        ]
        soce = table(
            "t1",
            ["Share capital", "Retained earnings"],
            rows,
            statement=StatementKind.CHANGES_IN_EQUITY,
        )
        return document(f"soce-{year}.docx", [soce], reporting_date=f"{year}-12-31")

    current = equity(2024, 10, 49, 262, ((10, 195), ("-", 24), (10, 219)))
    prior = equity(2023, 10, 24, 219, ((10, 180), ("-", 15), (10, 195)))
    report = compare(current, prior)
    by_outcome = {v.outcome: v.claims for v in report.verdicts}
    # 2023's profit and closing balance, both columns; "1 January 2023" is not a line last year
    assert by_outcome == {Outcome.VERIFIED: 4, Outcome.UNVERIFIABLE: 2}
    changed = equity(2024, 10, 49, 262, ((10, 195), ("-", 25), (10, 219)))
    assert Outcome.CONTRADICTED in outcomes(changed, prior)


def test_prior_report_of_the_wrong_year_is_unverifiable() -> None:
    current = position(2024, [("Inventories", 500, 410)])
    older = position(2022, [("Inventories", 400, 380)])
    [verdict] = compare(current, older).verdicts
    assert verdict.outcome is Outcome.UNVERIFIABLE and verdict.finding
    assert "2022" in verdict.title


async def test_without_an_upload_the_source_is_unavailable() -> None:
    source = PriorYearSource(None)
    report = await source.check(position(2024, [("Inventories", 500, 410)]))
    assert not source.available() and report.verdicts == []
    assert source.unavailable_reason() == report.detail
