"""The numeric agent on real Word documents: the bundled samples (real published statements)
must give no finding at all, and errors planted in their data must be caught after the
document is rebuilt as .docx and read back by the real reader."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bench.samples.build import build_docx, load_set
from generated.models import NumericCheck, NumericResult
from server.agents.numeric.agent import audit
from server.ingest.reader import read_document
from tests.support.builders import DocBuilder

SAMPLES = Path(__file__).resolve().parents[2] / "server" / "samples"


def _audit_bytes(data: bytes, name: str) -> NumericResult:
    return audit(read_document(data, name))


@cache
def _built(name: str) -> NumericResult:
    return _audit_bytes(build_docx(load_set(name)), f"{name}.docx")


@pytest.mark.parametrize("name", ["fanmilk-2024.docx", "fanmilk-2023.docx"])
def test_committed_samples_have_no_findings(name: str) -> None:
    result = _audit_bytes((SAMPLES / name).read_bytes(), name)
    assert [f.title for f in result.findings] == []
    assert result.summary.checks_run > 100
    ran = {t.check: t.run for t in result.summary.by_check}
    assert ran["footing"] and ran["roll_forward"] and ran["cross_statement"] and ran["note_tie"]


def test_other_real_sample_has_no_findings() -> None:
    result = _built("insig-2024")
    assert [f.title for f in result.findings] == []
    assert result.summary.checks_run > 100


def _rows(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "l" in node and "v" in node:
            yield node
        for value in node.values():
            yield from _rows(value)
    elif isinstance(node, list):
        for value in node:
            yield from _rows(value)


@cache
def _data(name: str) -> Any:
    return load_set(name)


def _planted(name: str, label: str, column: int, value: float, occurrence: int = 0) -> Any:
    data = copy.deepcopy(_data(name))
    rows = [r for r in _rows(data) if r["l"] == label]
    rows[occurrence]["v"][column] = value
    return data


def _audit_data(data: Any) -> NumericResult:
    return _audit_bytes(build_docx(data), "planted.docx")


def test_transposed_digits_in_a_balance_sheet_line() -> None:
    result = _audit_data(_planted("fanmilk-2024", "Inventories", 0, 114260))
    kinds = sorted((f.check.value, f.period) for f in result.findings)
    # The current-assets total no longer adds up, and the line no longer agrees with note 14.
    assert kinds == [("footing", "2024"), ("note_tie", "2024")]
    footing = next(f for f in result.findings if f.check is NumericCheck.footing)
    assert "TOTAL CURRENT ASSETS" in footing.title and footing.difference == -54


def test_sign_flip_in_profit_or_loss() -> None:
    result = _audit_data(_planted("fanmilk-2024", "Other income", 0, -4290))
    assert [(f.check.value, f.period) for f in result.findings] == [("footing", "2024")]
    assert result.findings[0].difference == 8580


def test_changed_comparative() -> None:
    result = _audit_data(_planted("fanmilk-2024", "Distribution costs", 1, -105308))
    footing = [f for f in result.findings if f.check is NumericCheck.footing]
    assert [(f.period, f.difference) for f in footing] == [("2023", 100)]
    assert all(f.period == "2023" for f in result.findings)


def test_broken_subtotal_in_a_note() -> None:
    result = _audit_data(_planted("fanmilk-2024", "Trade receivables - net", 0, 18963))
    titles = [f.title for f in result.findings]
    assert titles and all("2024" in t for t in titles)
    assert any(f.check is NumericCheck.footing and "NET" in f.title for f in result.findings)


def test_scale_error_on_one_line() -> None:
    result = _audit_data(_planted("fanmilk-2024", "Deferred tax assets", 0, 7860000))
    assert {f.check for f in result.findings} >= {NumericCheck.footing}
    assert all(f.severity.value == "high" for f in result.findings)


def test_note_total_that_no_longer_ties() -> None:
    data = _planted("fanmilk-2024", "Raw materials", 0, 85630)
    rows = [r for r in _rows(data) if r["l"] == "Total" and r["v"][0] == 114206]
    rows[0]["v"][0] = 114306
    result = _audit_data(data)
    assert [(f.check.value, f.period, f.difference) for f in result.findings] == [
        ("note_tie", "2024", -100)
    ]


def test_small_word_document_built_with_python_docx() -> None:
    doc = (
        DocBuilder()
        .heading("Statement of financial position at 31 December 2024")
        .table(
            [
                ["In thousands of euros", "Note", "2024", "2023"],
                ["Non-current assets", "", "", ""],
                ["Property, plant and equipment", "4", "5,000", "4,800"],
                ["Intangible assets", "", "1,000", "1,100"],
                ["", "", "6,000", "5,900"],
                ["Current assets", "", "", ""],
                ["Inventories", "", "800", "700"],
                ["Cash and cash equivalents", "", "500", "400"],
                ["", "", "1,300", "1,100"],
                ["TOTAL ASSETS", "", "7,300", "7,000"],
                ["Equity", "", "", ""],
                ["Share capital", "", "1,000", "1,000"],
                ["Retained earnings", "", "3,300", "3,000"],
                ["TOTAL EQUITY", "", "4,300", "4,000"],
                ["Liabilities", "", "", ""],
                ["Borrowings", "", "2,000", "2,100"],
                ["Trade payables", "", "1,000", "900"],
                ["TOTAL LIABILITIES", "", "3,000", "3,000"],
                ["TOTAL EQUITY AND LIABILITIES", "", "7,300", "7,000"],
            ]
        )
        .heading("4. Property, plant and equipment", level=2)
        .table(
            [
                ["In thousands of euros", "2024", "2023"],
                ["Land and buildings", "3,200", "3,100"],
                ["Plant and equipment", "1,900", "1,700"],
                ["Total", "5,100", "4,800"],
            ]
        )
        .bytes()
    )
    result = _audit_bytes(doc, "small.docx")
    assert [(f.check.value, f.period, f.expected, f.actual) for f in result.findings] == [
        ("note_tie", "2024", 5100, 5000)
    ]


def test_earnings_per_share_must_equal_profit_over_shares() -> None:
    result = _audit_data(
        _planted("fanmilk-2024", "Basic and diluted earnings per share (GH₵)", 0, 0.436)
    )
    [finding] = [f for f in result.findings if f.check is NumericCheck.eps]
    assert finding.period == "2024" and finding.scale.value == "units"
    assert abs(finding.expected - 49_455_000 / 116_207_288) < 1e-6
    assert finding.actual == 0.436


def test_depreciation_added_back_ties_to_the_charge_in_the_asset_note() -> None:
    data = copy.deepcopy(_data("fanmilk-2024"))
    # The cash generated note (24) adds back depreciation citing note 11: misstate it in 2023
    # and carry the change into the note's total and the statement line citing it, so the
    # note still foots and ties; the charge for the year in note 11 no longer agrees.
    rows = [r for r in _rows(data) if r["l"] == "Depreciation"]
    rows[0]["v"][1] += 500
    totals = [r for r in _rows(data) if r["l"] == "Cash generated from operations"]
    for r in totals:
        r["v"][1] += 500
    result = _audit_data(data)
    ties = [f for f in result.findings if "charge in note 11" in f.title]
    assert [(f.period, f.difference) for f in ties] == [("2023", 500)]


def test_opening_equity_must_equal_the_prior_closing_balance() -> None:
    data = copy.deepcopy(_data("fanmilk-2024"))
    [opening] = [r for r in _rows(data) if r["l"] == "Balance at 1 January 2024"]
    opening["v"][1] += 100  # retained earnings, and the total equity column with it
    opening["v"][2] += 100
    result = _audit_data(data)
    openings = [f for f in result.findings if f.check is NumericCheck.opening_balance]
    assert sorted((f.period, f.difference) for f in openings) == [
        ("Retained earnings, 2024", 100),
        ("Total equity, 2024", 100),
    ]
    assert {f.period for f in result.findings} <= {
        "Retained earnings, 2024",
        "Total equity, 2024",
    }
    assert result.summary.checks_failed == len(result.findings)
