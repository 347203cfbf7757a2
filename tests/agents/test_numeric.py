"""The numeric agent on documents built from the model: a clean report, and one planted error at
a time (each must be caught where it was planted, and nothing else may be invented)."""

from __future__ import annotations

import pytest

from bench.numeric.shapes import annual_report, table_from_grid
from generated.models import NumericCheck, NumericFinding, NumericResult, Severity
from server.agents.base import AuditInputs
from server.agents.numeric.agent import audit, run
from server.ingest.document import Document, DocumentKind, StatementKind, Table
from server.ingest.numbers import parse_number
from server.ingest.structure import infer_document_structure, infer_structure
from tests.support.frames import assert_valid_body


def _table(doc: Document, title: str) -> Table:
    return next(t for t in doc.tables if (t.title or "").startswith(title))


def plant(doc: Document, title: str, label: str, year: int, text: str, occurrence: int = 0) -> None:
    """Overwrite one printed figure, then re-read the table's structure as a reader would."""
    table = _table(doc, title)
    row = [r for r in table.rows if r.label == label][occurrence]
    column = next(c.index for c in table.columns if c.year == year)
    parsed = parse_number(text)
    assert parsed is not None
    cell = row.cells[column]
    cell.text, cell.value, cell.nil = text, parsed.value, parsed.nil
    infer_structure(table)


def printed(doc: Document, title: str, label: str, year: int, occurrence: int = 0) -> float:
    table = _table(doc, title)
    row = [r for r in table.rows if r.label == label][occurrence]
    column = next(c.index for c in table.columns if c.year == year)
    value = row.value(column)
    assert value is not None
    return value


def fmt(value: float) -> str:
    return f"({abs(value):,.0f})" if value < 0 else f"{value:,.0f}"


def at(result: NumericResult, check: NumericCheck, label: str) -> list[NumericFinding]:
    return [f for f in result.findings if f.check is check and label in f.title]


@pytest.fixture
def report() -> Document:
    return annual_report(seed=0, extra_notes=2)


def test_clean_report_has_no_findings_and_runs_every_check(report: Document) -> None:
    result = audit(report)
    assert result.findings == []
    ran = {t.check: t.run for t in result.summary.by_check}
    for kind in ("footing", "equation", "cross_footing", "roll_forward", "cross_statement"):
        assert ran[kind] > 0, kind
    assert ran["opening_balance"] > 0 and ran["note_tie"] > 0
    assert result.summary.checks_failed == 0
    assert result.summary.tables == len(report.tables)
    assert result.summary.numbers and result.summary.numbers > 300


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_clean_reports_of_other_seeds_have_no_findings(seed: int) -> None:
    assert audit(annual_report(seed=seed, extra_notes=3)).findings == []


def test_broken_subtotal_is_reported_where_it_is(report: Document) -> None:
    good = printed(
        report, "Consolidated statement of financial position", "Total current assets", 2024
    )
    plant(
        report,
        "Consolidated statement of financial position",
        "Total current assets",
        2024,
        fmt(good + 100),
    )
    result = audit(report)
    [finding] = at(result, NumericCheck.footing, "Total current assets")
    assert (finding.expected, finding.actual, finding.difference) == (good, good + 100, 100)
    assert finding.period == "31 December 2024"
    assert finding.scale.value == "thousands"
    assert finding.locations[0].table == "t3"
    # Total assets now disagrees with the misprinted subtotal too: an equation, always high.
    [equation] = at(result, NumericCheck.equation, "Total assets")
    assert equation.severity is Severity.high
    assert all("2023" not in f.period for f in result.findings)


def test_transposed_digits_in_an_item(report: Document) -> None:
    plant(report, "Consolidated statement of financial position", "Inventories", 2024, "11,565")
    result = audit(report)
    [finding] = result.findings
    assert finding.check is NumericCheck.footing and "Total current assets" in finding.title
    assert finding.difference == -9
    cells = finding.locations[0].cells
    assert isinstance(cells, list)
    assert {c.row for c in cells} >= {12, 9}  # the total and the changed item


def test_sign_flip(report: Document) -> None:
    plant(report, "Consolidated statement of profit or loss", "Other income", 2024, "(1,121)")
    result = audit(report)
    assert [f.title for f in result.findings] == ["Operating profit does not add up (2024)"]
    assert result.findings[0].difference == 2 * 1121


def test_a_line_printed_a_thousand_times_too_large(report: Document) -> None:
    plant(
        report,
        "Consolidated statement of financial position",
        "Deferred tax assets",
        2024,
        "406,000",
    )
    [finding] = audit(report).findings
    assert "Total non-current assets" in finding.title
    assert finding.severity is Severity.high and (finding.materiality or 0) > 0.5


def test_changed_comparative(report: Document) -> None:
    plant(
        report,
        "Consolidated statement of financial position",
        "Trade and other payables",
        2023,
        "10,916",
    )
    [finding] = audit(report).findings
    assert "Total current liabilities" in finding.title
    assert finding.period == "31 December 2023"


def test_broken_note_tie(report: Document) -> None:
    note = "5. Revenue"
    europe = printed(report, note, "Europe", 2024)
    total = printed(report, note, "Total revenue", 2024)
    plant(report, note, "Europe", 2024, fmt(europe + 500))
    plant(report, note, "Total revenue", 2024, fmt(total + 500))
    [finding] = audit(report).findings
    assert finding.check is NumericCheck.note_tie and finding.period == "2024"
    assert (finding.actual, finding.expected) == (total, total + 500)
    assert [loc.table for loc in finding.locations] == ["t1", "t6"]


def test_broken_tie_between_cash_flows_and_balance_sheet(report: Document) -> None:
    cf = "Consolidated statement of cash flows"
    fx = printed(report, cf, "Effect of movements in exchange rates on cash held", 2024)
    closing = printed(report, cf, "Cash and cash equivalents at 31 December", 2024)
    plant(report, cf, "Effect of movements in exchange rates on cash held", 2024, fmt(fx + 40))
    plant(report, cf, "Cash and cash equivalents at 31 December", 2024, fmt(closing + 40))
    [finding] = audit(report).findings
    assert finding.check is NumericCheck.cross_statement
    assert finding.difference == 40


def test_profit_in_changes_in_equity_must_agree_with_profit_or_loss(report: Document) -> None:
    soce = _table(report, "Consolidated statement of changes in equity")
    row = next(r for r in soce.rows if r.label == "Profit for the year")  # the 2023 movement
    for col in (4, 5, 7):  # retained earnings, total, total equity
        cell = row.cells[col]
        assert cell.value is not None
        cell.value += 10
        cell.text = fmt(cell.value)
    infer_structure(soce)
    findings = audit(report).findings
    ties = [f for f in findings if f.check is NumericCheck.cross_statement]
    assert [f.period for f in ties] == ["Total equity, 2023"]
    assert ties[0].difference == 10


def test_opening_balance_must_equal_prior_closing(report: Document) -> None:
    note = "17. Provisions"
    made = printed(report, note, "Provisions made during the year", 2024)
    opening = printed(report, note, "Balance at 1 January", 2024)
    plant(report, note, "Balance at 1 January", 2024, fmt(opening + 100))
    plant(report, note, "Provisions made during the year", 2024, fmt(made - 100))
    [finding] = audit(report).findings
    assert finding.check is NumericCheck.opening_balance
    assert (finding.actual - finding.expected, finding.period) == (100, "2024")


def test_broken_equation_is_high_severity(report: Document) -> None:
    title = "Consolidated statement of financial position"
    tel = printed(report, title, "Total equity and liabilities", 2024)
    plant(report, title, "Total equity and liabilities", 2024, fmt(tel + 1))
    plant(report, title, "Total equity and liabilities", 2024, fmt(tel + 3))
    findings = audit(report).findings
    assert findings and all(f.check is NumericCheck.equation for f in findings)
    assert all(f.severity is Severity.high for f in findings)
    assert any("Total assets do not equal" in f.title for f in findings)


def _single_table_doc(rows: list[list[str]]) -> Document:
    table = table_from_grid("t1", [["", "2024", "2023"], *rows], scale_label="units")
    return Document(name="t.docx", kind=DocumentKind.DOCX, blocks=[table])


@pytest.mark.parametrize(("printed_total", "found"), [("1,002", False), ("1,003", True)])
def test_rounding_within_n_plus_one_half_units_passes_and_one_more_fails(
    printed_total: str, found: bool
) -> None:
    # Four rounded components: Calculations 1.1 allows (4 + 1) / 2 = 2.5 units.
    doc = _single_table_doc(
        [
            ["Expenses", "", ""],
            ["Staff", "250", "300"],
            ["Rent", "250", "300"],
            ["Travel", "250", "300"],
            ["Other", "250", "300"],
            ["Total expenses", printed_total, "1,200"],
        ]
    )
    result = audit(doc)
    assert bool(result.findings) is found
    assert result.summary.checks_run == 2
    if found:
        assert result.findings[0].severity is Severity.medium  # 3 / 1,003 = 0.3%


def test_unexplained_total_is_skipped_not_reported() -> None:
    doc = _single_table_doc(
        [["Staff", "250", "300"], ["Rent", "250", "300"], ["Total expenses", "900", "800"]]
    )
    result = audit(doc)
    assert result.findings == []
    assert result.summary.checks_skipped == 2


def test_ids_are_stable_and_the_result_matches_the_schema(report: Document) -> None:
    plant(report, "Consolidated statement of financial position", "Inventories", 2024, "11,565")
    first = audit(report).model_dump(mode="json")
    second = audit(report).model_dump(mode="json")
    assert first == second
    assert_valid_body("NumericResult", first)


async def test_run_reports_progress_from_a_thread(report: Document) -> None:
    calls: list[tuple[int, int | None, str | None]] = []
    result = await run(AuditInputs(document=report), lambda d, t, m: calls.append((d, t, m)))
    assert result.agent == "numeric"
    assert calls and calls[-1][0] == calls[-1][1]
    assert any(m and m.startswith("table 1 of") for _, _, m in calls)


def test_total_in_a_continued_table_sums_rows_of_the_first_part() -> None:
    first = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Expenses by nature", "", ""],
            ["Raw materials", "321,336", "256,486"],
            ["Employee benefits", "80,059", "57,586"],
        ],
    )
    rest = table_from_grid(
        "t2",
        [
            ["", "2024", "2023"],
            ["Transportation", "46,245", "35,238"],
            ["Other expenses", "16,018", "7,147"],
            ["TOTAL EXPENSES", "463,658", "356,457"],
        ],
    )
    rest.continued_from = "t1"
    doc = Document(name="c.docx", kind=DocumentKind.DOCX, blocks=[first, rest])
    infer_document_structure(doc)
    clean = audit(doc)
    assert clean.findings == []
    assert {t.check: t.run for t in clean.summary.by_check}["footing"] == 2
    cell = first.rows[2].cells[1]
    cell.text, cell.value = "81,059", 81059.0
    infer_document_structure(doc)
    [finding] = audit(doc).findings
    assert finding.period == "2024" and finding.difference == -1000
    assert [loc.table for loc in finding.locations] == ["t2", "t1", "t2"]


def test_note_roll_forward_with_a_column_per_balance_ties_to_the_line() -> None:
    position = table_from_grid(
        "t1",
        [
            ["", "Note", "2024", "2023"],
            ["Lease liabilities", "31", "52,178", "53,042"],
            ["Trade payables", "", "10,000", "9,000"],
            ["Total liabilities", "", "62,178", "62,042"],
        ],
        statement=StatementKind.FINANCIAL_POSITION,
    )
    note = table_from_grid(
        "t2",
        [
            ["", "Right-of-use assets", "Lease liabilities"],
            ["Balance at 1 January 2024", "46,346", "53,042"],
            ["Additions", "3,198", "3,640"],
            ["Payments", "-", "(9,354)"],
            ["Exchange rate differences", "2,064", "4,850"],
            ["Balance at 31 December 2024", "51,608", "52,178"],
            ["", "", ""],
            ["Balance at 1 January 2023", "53,075", "54,100"],
            ["Payments", "-", "(8,309)"],
            ["Additions", "(6,729)", "7,251"],
            ["Balance at 31 December 2023", "46,346", "53,042"],
        ],
        note_number="31",
    )
    doc = Document(name="l.docx", kind=DocumentKind.DOCX, blocks=[position, note])
    clean = audit(doc)
    assert clean.findings == []
    assert {t.check: t.run for t in clean.summary.by_check}["note_tie"] == 2
    cell = position.rows[0].cells[2]
    cell.text, cell.value = "53,743", 53743.0
    cell = position.rows[2].cells[2]
    cell.text, cell.value = "63,743", 63743.0
    [finding] = audit(doc).findings
    assert finding.check is NumericCheck.note_tie
    assert (finding.actual, finding.expected, finding.period) == (53743, 52178, "2024")


def test_a_flipped_sign_is_found_even_though_other_signs_would_explain_that_row() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "Salary or fees", "Pension", "Total"],
            ["R. Bernstein", "35,000", "-", "35,000"],
            ["S. Cracknell", "156,000", "10,000", "166,000"],
            ["W. Pearson", "178,643", "10,000", "188,643"],
            ["C. McVeigh", "(150,000)", "6,000", "156,000"],
            ["Year ended 31 March 2024", "534,560", "26,000", "560,560"],
        ],
        scale_label="units",
    )
    result = audit(Document(name="d.docx", kind=DocumentKind.DOCX, blocks=[table]))
    crossed = [f for f in result.findings if f.check is NumericCheck.cross_footing]
    assert [(f.expected, f.actual) for f in crossed] == [(-144000, 156000)]


def test_expenses_printed_positive_are_subtracted_and_errors_still_caught() -> None:
    report = annual_report(seed=0, extra_notes=2, expenses_positive=True)
    assert audit(report).findings == []
    title = "Consolidated statement of profit or loss"
    admin = printed(report, title, "Administrative expenses", 2024)
    plant(report, title, "Administrative expenses", 2024, fmt(admin - 90))
    [finding] = audit(report).findings
    assert finding.title == "Operating profit does not add up (2024)"
    assert finding.difference == -90


def test_carrying_amounts_of_stacked_years_are_cost_less_depreciation() -> None:
    report = annual_report(seed=0, extra_notes=3)
    note = report.tables[-1]  # an asset roll-forward: cost, depreciation, carrying amounts
    assert note.rows[21].label == "At 31 December 2023"
    ran = {t.check: t.run for t in audit(report).summary.by_check}
    cell = note.rows[21].cells[2]
    assert cell.value is not None
    cell.value += 100
    cell.text = fmt(cell.value)
    findings = audit(report).findings
    carrying = [f for f in findings if f.title.startswith("Carrying amount")]
    assert [(f.period, f.difference) for f in carrying] == [("Plant and machinery, 2023", 100)]
    assert ran["footing"] >= 12
